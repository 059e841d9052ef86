"""The demo programme's tables (``pilots.demo``): the service platforms, the scenarios' themes and
industries, the rounds of pilots and the words pilots are written with."""

from datetime import date

from pilots.choices import AICapability, PilotStatus

# Service platforms --------------------------------------------------------------------------------

# slug, operator, name, English name, services, launch day (reference calendar), regions ("" =
# nationwide). Those launching after the reference today are the plan: not written (the model has
# no planned state, and a service platform counts from its launch year).
SERVICE_PLATFORMS: list[tuple[str, str, str, str, list[str], date, str]] = [
    (
        "yunqi-sme-compute",
        "yunqi",
        "云启中小企业算力服务平台",
        "Yunqi Computing Services for SMEs",
        ["算力券申领", "模型训练托管", "上云迁移咨询"],
        date(2026, 3, 16),
        "",
    ),
    (
        "shuhai-data-services",
        "shuhai",
        "数海中小企业数据服务平台",
        "Shuhai Data Services for SMEs",
        ["数据产品撮合", "数据合规评估", "行业数据集试用"],
        date(2026, 4, 20),
        "330000,320000,310000",
    ),
    (
        "gonglian-digital-factory",
        "gonglian",
        "工联中小企业数字化转型服务平台",
        "Gonglian Digital Transformation Services for SMEs",
        ["数字化诊断", "工业软件订阅", "产线改造方案"],
        date(2026, 6, 8),
        "320000,330000,340000",
    ),
    (
        "tianshu-model-studio",
        "tianshu",
        "天枢大模型应用服务平台",
        "Tianshu Large Model Application Studio",
        ["大模型微调", "智能体搭建", "应用效果评测"],
        date(2026, 9, 14),
        "",
    ),
    (
        "panshi-os-adaptation",
        "panshi",
        "磐石操作系统适配服务平台",
        "Panshi Operating System Adaptation Centre",
        ["软件适配认证", "迁移工具", "技术培训"],
        date(2027, 3, 15),
        "",
    ),
    (
        "wotu-agri-services",
        "wotu",
        "沃土数字农业服务平台",
        "Wotu Digital Agriculture Services",
        ["农情监测", "农技问答", "农产品溯源"],
        date(2027, 5, 10),
        "340000,410000,420000,430000,360000",
    ),
    (
        "chiyuan-vehicle-lab",
        "chiyuan",
        "驰远智能网联汽车协同创新平台",
        "Chiyuan Connected Vehicle Innovation Platform",
        ["车规级测试", "仿真数据服务", "零部件供需对接"],
        date(2027, 8, 16),
        "420000,500000,510000",
    ),
    (
        "qianyun-west-compute",
        "qianyun",
        "黔云西部算力调度服务平台",
        "Qianyun Western Computing Exchange",
        ["算力调度", "存储备份", "绿色算力认证"],
        date(2027, 11, 8),
        "520000,530000,450000,510000",
    ),
    (
        "xuanjing-chip-design",
        "xuanjing",
        "玄晶芯片设计中小企业服务平台",
        "Xuanjing Chip Design Services for SMEs",
        ["EDA 工具共享", "多项目晶圆流片", "芯片选型咨询"],
        date(2028, 3, 13),
        "310000,320000,330000",
    ),
    (
        "lingxi-device-developers",
        "lingxi",
        "灵犀智能终端开发者服务平台",
        "Lingxi Smart Device Developer Services",
        ["开发套件借用", "终端兼容性测试", "应用上架辅导"],
        date(2028, 5, 15),
        "440000,350000,430000",
    ),
    (
        "haiyue-industrial-internet",
        "haiyue",
        "海岳工业互联网中小企业服务平台",
        "Haiyue Industrial Internet Services for SMEs",
        ["设备上云", "工业 App 商店", "能耗管理"],
        date(2028, 9, 11),
        "370000,210000,130000,120000",
    ),
]

# Scenarios ----------------------------------------------------------------------------------------

SCENARIOS = 67
# How many scenarios are implementable by today (found so in the story's first eleven months); the
# rest are candidates still, as the plan expects 60 implementable ones by the end of 2028.
IMPLEMENTABLE = 18

# Short industry names for scenario names: code → (Chinese, English).
INDUSTRY_SHORT: dict[str, tuple[str, str]] = {
    "A": ("农业", "agriculture"),
    "B": ("矿山", "mining"),
    "C": ("制造", "manufacturing"),
    "D": ("能源", "energy"),
    "E": ("建筑", "construction"),
    "F": ("商贸", "retail and wholesale"),
    "G": ("物流", "logistics"),
    "H": ("餐饮住宿", "hospitality"),
    "I": ("软件", "software"),
    "J": ("金融", "finance"),
    "K": ("物业", "property"),
    "L": ("商务服务", "business services"),
    "M": ("科研", "research"),
    "N": ("环保", "environmental services"),
    "O": ("社区服务", "community services"),
    "P": ("教育", "education"),
    "Q": ("医疗", "health care"),
    "R": ("文旅", "culture and tourism"),
    "S": ("政务", "public services"),
}

# theme, English theme, AI capability, the industries it is tried in (in order)
THEMES: list[tuple[str, str, str, str]] = [
    ("视觉质检", "Visual quality inspection", AICapability.VISION, "CEA"),
    ("智能客服", "Intelligent customer service", AICapability.LANGUAGE, "FJHOK"),
    ("设备预测性维护", "Predictive maintenance", AICapability.PREDICTION, "CDB"),
    ("工艺知识助手", "Process knowledge assistant", AICapability.LARGE_MODEL, "CBD"),
    ("智能排产", "Production scheduling", AICapability.PREDICTION, "CG"),
    ("营销内容生成", "Marketing content generation", AICapability.LARGE_MODEL, "FRH"),
    ("财税智能体", "Tax and accounting agent", AICapability.AGENT, "LJ"),
    ("合同智能审查", "Contract review", AICapability.LANGUAGE, "LK"),
    ("需求预测", "Demand forecasting", AICapability.PREDICTION, "FGC"),
    ("智能调度", "Intelligent dispatching", AICapability.AGENT, "GD"),
    ("仓储机器人分拣", "Warehouse robot picking", AICapability.ROBOTICS, "GF"),
    ("巡检机器人", "Inspection robots", AICapability.ROBOTICS, "DBN"),
    ("病虫害识别", "Pest and disease recognition", AICapability.VISION, "A"),
    ("遥感监测", "Remote-sensing monitoring", AICapability.VISION, "AN"),
    ("影像辅助诊断", "Imaging-assisted diagnosis", AICapability.VISION, "Q"),
    ("病历语音录入", "Voice entry of records", AICapability.SPEECH, "Q"),
    ("个性化学习辅导", "Personalised tutoring", AICapability.LARGE_MODEL, "P"),
    ("课堂语音转写", "Classroom transcription", AICapability.SPEECH, "P"),
    ("企业知识图谱", "Enterprise knowledge graph", AICapability.KNOWLEDGE_GRAPH, "MIJ"),
    ("文献智能检索", "Literature search", AICapability.KNOWLEDGE_GRAPH, "MQP"),
    ("代码生成助手", "Code generation assistant", AICapability.LARGE_MODEL, "IM"),
    ("运维智能体", "Operations agent", AICapability.AGENT, "ID"),
    ("办事导办", "Guided applications", AICapability.AGENT, "SO"),
    ("智能导览", "Intelligent guided tours", AICapability.SPEECH, "RH"),
    ("能耗优化", "Energy-use optimisation", AICapability.PREDICTION, "DCK"),
    ("风险识别与反欺诈", "Risk detection and anti-fraud", AICapability.PREDICTION, "JFL"),
    ("工地安全监测", "Site safety monitoring", AICapability.VISION, "EB"),
    ("污染监测预警", "Pollution early warning", AICapability.PREDICTION, "ND"),
    ("数字人直播", "Digital-human live streaming", AICapability.LARGE_MODEL, "FR"),
    ("导购机器人", "Shopping-assistant robots", AICapability.ROBOTICS, "FH"),
    ("会议纪要生成", "Meeting minutes", AICapability.SPEECH, "LSJ"),
]

# Pilots -------------------------------------------------------------------------------------------

# The rounds in which pilots are selected (reference calendar), with how many of each round's pilots
# are in each status today. The first two follow batch 1's and batch 2's publication and have been
# selected; the later ones are the plan toward 100 pilots by 2028, their pilots proposed (applied
# for, with a planned schedule), none selected before its round.
ROUNDS: list[tuple[date, dict[str, int]]] = [
    (
        date(2026, 6, 18),
        {PilotStatus.COMPLETED: 6, PilotStatus.IN_PROGRESS: 10, PilotStatus.TERMINATED: 4},
    ),
    (date(2026, 10, 22), {PilotStatus.IN_PROGRESS: 6, PilotStatus.SELECTED: 8}),
    (date(2027, 4, 15), {PilotStatus.PROPOSED: 21}),
    (date(2027, 9, 16), {PilotStatus.PROPOSED: 20}),
    (date(2028, 3, 16), {PilotStatus.PROPOSED: 17}),
    (date(2028, 7, 13), {PilotStatus.PROPOSED: 16}),
]
UNSCHEDULED = 12  # proposals no round has taken up yet
# Where pilots are: a weight per province (the mainland ones not named weigh 1).
REGION_WEIGHTS = {
    "440000": 10,
    "330000": 8,
    "320000": 8,
    "110000": 7,
    "310000": 7,
    "370000": 5,
    "510000": 5,
    "420000": 4,
    "340000": 4,
    "350000": 3,
    "430000": 3,
    "500000": 3,
    "610000": 3,
    "410000": 3,
    "520000": 2,
}
SME_CORES = ["恒创", "启明", "云帆", "智行", "远图", "砺新", "博识", "新禾", "鼎元", "青藤"]
SME_CORES += ["衡石", "星桥", "瀚海", "拓维", "聚力", "合众", "知微", "锦程", "明德", "安澜"]
SME_TRADES = ["科技", "智能装备", "软件", "数据科技", "精密制造", "农业科技", "医疗科技"]
SME_TRADES += ["供应链管理", "新材料", "文化传媒", "环境工程", "教育科技"]
MILESTONES = [
    "完成需求调研与方案设计",
    "平台资源接入与联调",
    "试点企业上线试运行",
    "效果评估与总结验收",
]
TERMINATION_REASONS = [
    "牵头企业经营调整，无法继续投入，经评审同意终止。",
    "所用资源停止开放，替代方案成本过高，试点终止。",
    "试点企业数据治理基础不足，经评估暂缓实施。",
]
REGION_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")
