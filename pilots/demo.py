"""The demo programme behind ``manage.py seed_demo``: service platforms, scenarios and pilots.

After the demo catalogue and its openness lists exist, ``seed_pilots`` writes a programme that
reaches the plan's targets by 2028 (DESIGN §1), year by year, so ``?year=2026`` on the stats and
the progress page shows a partial picture:

* 11 service platforms run by demo platforms, launched 4 in 2026, 4 in 2027 and 3 in 2028;
* 67 intelligent service application scenarios (each a theme in an industry, with its AI
  capability), 62 of them implementable: 18 from 2026, 23 from 2027 and 21 from 2028;
* 120 pilot projects in many provinces: 12 proposed, and 108 selected or later (34 selected in
  2026, 41 in 2027, 33 in 2028), now selected, in progress, completed or terminated. Each uses one
  to three resources listed in the published demo batches (none when nothing is listed), and is
  led by a demo platform or by an SME with its credit code.

Deterministic: everything is drawn from ``random.Random(SEED)`` in a fixed order, and the listed
resources are taken in batch and sequence order. Idempotent: objects are keyed by slug or code,
and only the missing ones are written (a second run writes nothing). Written with ``bulk_create``
in one transaction, a few queries in all: the demo has no change history (the services write one
when curators change these objects).
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction

from openness.choices import BatchStatus, EntryStatus
from openness.models import Entry
from pilots import stats
from pilots.choices import AICapability, PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.models import Platform
from registry.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from registry.vocabularies import regions

SEED = 2028

# Service platforms --------------------------------------------------------------------------------

# slug, operator, name, English name, services, launched, regions ("" = nationwide)
SERVICE_PLATFORMS: list[tuple[str, str, str, str, list[str], int, str]] = [
    (
        "yunqi-sme-compute",
        "yunqi",
        "云启中小企业算力服务平台",
        "Yunqi Computing Services for SMEs",
        ["算力券申领", "模型训练托管", "上云迁移咨询"],
        2026,
        "",
    ),
    (
        "shuhai-data-services",
        "shuhai",
        "数海中小企业数据服务平台",
        "Shuhai Data Services for SMEs",
        ["数据产品撮合", "数据合规评估", "行业数据集试用"],
        2026,
        "330000,320000,310000",
    ),
    (
        "gonglian-digital-factory",
        "gonglian",
        "工联中小企业数字化转型服务平台",
        "Gonglian Digital Transformation Services for SMEs",
        ["数字化诊断", "工业软件订阅", "产线改造方案"],
        2026,
        "320000,330000,340000",
    ),
    (
        "tianshu-model-studio",
        "tianshu",
        "天枢大模型应用服务平台",
        "Tianshu Large Model Application Studio",
        ["大模型微调", "智能体搭建", "应用效果评测"],
        2026,
        "",
    ),
    (
        "panshi-os-adaptation",
        "panshi",
        "磐石操作系统适配服务平台",
        "Panshi Operating System Adaptation Centre",
        ["软件适配认证", "迁移工具", "技术培训"],
        2027,
        "",
    ),
    (
        "wotu-agri-services",
        "wotu",
        "沃土数字农业服务平台",
        "Wotu Digital Agriculture Services",
        ["农情监测", "农技问答", "农产品溯源"],
        2027,
        "340000,410000,420000,430000,360000",
    ),
    (
        "chiyuan-vehicle-lab",
        "chiyuan",
        "驰远智能网联汽车协同创新平台",
        "Chiyuan Connected Vehicle Innovation Platform",
        ["车规级测试", "仿真数据服务", "零部件供需对接"],
        2027,
        "420000,500000,510000",
    ),
    (
        "qianyun-west-compute",
        "qianyun",
        "黔云西部算力调度服务平台",
        "Qianyun Western Computing Exchange",
        ["算力调度", "存储备份", "绿色算力认证"],
        2027,
        "520000,530000,450000,510000",
    ),
    (
        "xuanjing-chip-design",
        "xuanjing",
        "玄晶芯片设计中小企业服务平台",
        "Xuanjing Chip Design Services for SMEs",
        ["EDA 工具共享", "多项目晶圆流片", "芯片选型咨询"],
        2028,
        "310000,320000,330000",
    ),
    (
        "lingxi-device-developers",
        "lingxi",
        "灵犀智能终端开发者服务平台",
        "Lingxi Smart Device Developer Services",
        ["开发套件借用", "终端兼容性测试", "应用上架辅导"],
        2028,
        "440000,350000,430000",
    ),
    (
        "haiyue-industrial-internet",
        "haiyue",
        "海岳工业互联网中小企业服务平台",
        "Haiyue Industrial Internet Services for SMEs",
        ["设备上云", "工业 App 商店", "能耗管理"],
        2028,
        "370000,210000,130000,120000",
    ),
]

# Scenarios ----------------------------------------------------------------------------------------

SCENARIOS = 67
# How many scenarios became implementable in each year (the rest stay candidates).
IMPLEMENTABLE_PER_YEAR = {2026: 18, 2027: 23, 2028: 21}

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

PROPOSED = 12
# year selected → how many pilots are now in each status.
PILOTS_PER_YEAR: dict[int, dict[str, int]] = {
    2026: {PilotStatus.COMPLETED: 20, PilotStatus.IN_PROGRESS: 10, PilotStatus.TERMINATED: 4},
    2027: {
        PilotStatus.COMPLETED: 10,
        PilotStatus.IN_PROGRESS: 22,
        PilotStatus.TERMINATED: 3,
        PilotStatus.SELECTED: 6,
    },
    2028: {PilotStatus.IN_PROGRESS: 14, PilotStatus.SELECTED: 19},
}
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


@dataclass
class SeededPilots:
    """What ``seed_pilots`` wrote, for the command's report."""

    service_platforms: int = 0
    scenarios: int = 0
    pilots: int = 0

    def describe(self) -> str:
        return (
            f"{self.service_platforms} service platforms, {self.scenarios} scenarios, "
            f"{self.pilots} pilots created"
        )


def at(year: int, day_of_year: int) -> datetime:
    """Ten in the morning, Beijing time, on a day of ``year`` (stored as UTC)."""
    return datetime(year, 1, 1, 2, tzinfo=UTC) + timedelta(days=day_of_year - 1)


def _short_region(name: str) -> str:
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def _credit_code(rng: random.Random, region: str) -> str:
    organisation = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    first17 = f"91{region[:2]}0100{organisation}"
    return first17 + credit_code_check_character(first17)


def _sme(rng: random.Random, region: str, region_name: str) -> dict[str, str]:
    name = f"{_short_region(region_name)}{rng.choice(SME_CORES)}{rng.choice(SME_TRADES)}有限公司"
    return {"name": name, "credit_code": _credit_code(rng, region)}


def seed_pilots() -> SeededPilots:
    """Writes what is missing of the demo programme; returns how many of each were created."""
    seeded = SeededPilots()
    platforms = dict(Platform.objects.values_list("slug", "pk"))
    with transaction.atomic():
        seeded.service_platforms = _seed_service_platforms(platforms)
        seeded.scenarios = _seed_scenarios()
        seeded.pilots = _seed_pilots(platforms)
    if seeded.service_platforms or seeded.scenarios or seeded.pilots:
        stats.invalidate()  # bulk writes send no signals
    return seeded


def _seed_service_platforms(platforms: dict[str, int]) -> int:
    present = set(ServicePlatform.objects.values_list("slug", flat=True))
    rows = [row for row in SERVICE_PLATFORMS if row[0] not in present and row[1] in platforms]
    created = ServicePlatform.objects.bulk_create(
        [
            ServicePlatform(
                slug=slug,
                name=name,
                name_en=name_en,
                operator_id=platforms[operator],
                services=services,
                description=f"{name}面向中小企业提供{'、'.join(services)}等服务。",
                nationwide=not served,
                launched_year=launched,
            )
            for slug, operator, name, name_en, services, launched, served in rows
        ]
    )
    ids = dict(
        ServicePlatform.objects.filter(slug__in=[sp.slug for sp in created]).values_list(
            "slug", "pk"
        )
    )
    link = ServicePlatform.regions.through
    link.objects.bulk_create(
        [
            link(serviceplatform_id=ids[slug], region_id=code)
            for slug, *_, served in rows
            for code in served.split(",")
            if served
        ]
    )
    return len(created)


def scenario_specs() -> list[tuple[str, str, str, str]]:
    """``(code, theme, industry, capability)`` of the demo scenarios: the themes in turn, each in
    its next industry, so the first scenarios cover every theme."""
    specs: list[tuple[str, str, str, str]] = []
    for round_ in range(max(len(industries) for *_, industries in THEMES)):
        for theme, _theme_en, capability, industries in THEMES:
            if round_ < len(industries):
                code = f"SCN-{len(specs) + 1:03d}"
                specs.append((code, theme, industries[round_], str(capability)))
    return specs[:SCENARIOS]


def _seed_scenarios() -> int:
    rng = random.Random(f"{SEED}-scenarios")
    english = {theme: theme_en for theme, theme_en, *_ in THEMES}
    capability_names = dict(AICapability.choices)
    years = [y for y, n in IMPLEMENTABLE_PER_YEAR.items() for _ in range(n)]
    present = set(Scenario.objects.values_list("code", flat=True))
    scenarios = []
    for index, (code, theme, industry, capability) in enumerate(scenario_specs()):
        short, short_en = INDUSTRY_SHORT[industry]
        day = rng.randint(20, 350)
        year = years[index] if index < len(years) else None
        scenarios.append(
            Scenario(
                code=code,
                name=f"{short}{theme}",
                name_en=f"{english[theme]} in {short_en}",
                description=(
                    f"面向{short}领域中小企业的{theme}场景：依托平台开放的算力、数据和模型资源，"
                    f"以较低成本完成部署（{capability_names[capability]}）。"
                ),
                industry_id=industry,
                ai_capability=capability,
                maturity=ScenarioMaturity.IMPLEMENTABLE if year else ScenarioMaturity.CANDIDATE,
                implementable_at=at(year, day) if year else None,
            )
        )
    missing = [scenario for scenario in scenarios if scenario.code not in present]
    Scenario.objects.bulk_create(missing)
    return len(missing)


def _listed_resources() -> list[tuple[Any, int]]:
    """``(resource id, platform id)`` of the resources listed in published batches, in batch and
    sequence order, each once."""
    rows = (
        Entry.objects.filter(status=EntryStatus.LISTED, batch__status=BatchStatus.PUBLISHED)
        .order_by("batch__number", "sequence")
        .values_list("resource_id", "resource__platform_id")
    )
    return list(dict(rows).items())


def _statuses() -> list[tuple[str, int | None]]:
    """``(status, year selected)`` of every demo pilot, in code order."""
    plan: list[tuple[str, int | None]] = [(str(PilotStatus.PROPOSED), None)] * PROPOSED
    for year, counts in PILOTS_PER_YEAR.items():
        plan += [(str(status), year) for status, n in counts.items() for _ in range(n)]
    return plan


def _milestones(rng: random.Random, status: str, year: int | None) -> list[dict[str, Any]]:
    start = date(year or 2028, 3, 1) + timedelta(days=rng.randint(0, 120))
    done = {
        PilotStatus.PROPOSED: 0,
        PilotStatus.SELECTED: 0,
        PilotStatus.IN_PROGRESS: rng.randint(1, 3),
        PilotStatus.COMPLETED: len(MILESTONES),
        PilotStatus.TERMINATED: rng.randint(1, 2),
    }[PilotStatus(status)]
    return [
        {
            "title": title,
            "date": (start + timedelta(days=75 * step)).isoformat(),
            "done": step < done,
        }
        for step, title in enumerate(MILESTONES)
    ]


def _seed_pilots(platforms: dict[str, int]) -> int:
    """Builds every demo pilot (so the draws are the same whatever exists), writes the missing."""
    rng = random.Random(f"{SEED}-pilots")
    scenarios = list(
        Scenario.objects.filter(code__startswith="SCN-")
        .order_by("code")
        .values_list("pk", "name", "name_en", "industry_id")
    )
    service_platforms = list(
        ServicePlatform.objects.filter(slug__in=[row[0] for row in SERVICE_PLATFORMS])
        .order_by("slug")
        .values_list("pk", "launched_year")
    )
    listed = _listed_resources()
    names = {term["code"]: (term["name"], term["name_en"]) for term in regions()}
    mainland = [code for code in names if code < "710000"]
    weights = [REGION_WEIGHTS.get(code, 1) for code in mainland]
    websites = dict(Platform.objects.filter(pk__in=platforms.values()).values_list("pk", "website"))

    pilots: list[PilotProject] = []
    uses: dict[str, list[Any]] = {}
    for index, (status, year) in enumerate(_statuses()):
        code = f"PILOT-{index + 1:03d}"
        region = rng.choices(mainland, weights)[0]
        region_name, region_en = names[region]
        scenario_id, scenario, scenario_en, industry = (
            rng.choice(scenarios) if scenarios else (None, "智能服务", "Intelligent services", "C")
        )
        launched = [sp for sp, launched in service_platforms if year is None or launched <= year]
        service_platform = rng.choice(launched) if launched and rng.random() < 0.7 else None
        resources = rng.sample(listed, k=min(len(listed), rng.randint(1, 3)))
        lead_platform = resources[0][1] if resources and rng.random() < 0.5 else None
        lead = _sme(rng, region, region_name)
        participants = [_sme(rng, region, region_name) for _ in range(rng.randint(1, 3))]
        pilot = PilotProject(
            code=code,
            name=f"{_short_region(region_name)}{scenario}试点",
            name_en=f"{scenario_en} pilot in {region_en}",
            summary=(
                f"由{'平台企业' if lead_platform else '中小企业'}牵头，联合 {len(participants)} "
                f"家中小企业，使用清单内 {len(resources)} 项开放资源开展{scenario}试点。"
            ),
            lead_platform_id=lead_platform,
            lead_sme_name="" if lead_platform else lead["name"],
            lead_sme_credit_code="" if lead_platform else lead["credit_code"],
            participants=participants,
            scenario_id=scenario_id,
            service_platform_id=service_platform,
            region_id=region,
            industry_id=industry,
            status=status,
            year_selected=year,
            milestones=_milestones(rng, status, year),
        )
        if status == PilotStatus.COMPLETED:
            pilot.outcomes = (
                f"试点企业平均生产效率提升 {rng.randint(8, 35)}%，运营成本降低 "
                f"{rng.randint(5, 25)}%，形成可复制推广方案 1 套。"
            )
            website = websites.get(lead_platform) if lead_platform else None
            pilot.evidence_links = [f"{website or 'https://www.miit.gov.cn'}/cases/{code.lower()}"]
        if status == PilotStatus.TERMINATED:
            pilot.termination_reason = rng.choice(TERMINATION_REASONS)
        pilots.append(pilot)
        uses[code] = [resource_id for resource_id, _platform in resources]

    present = set(PilotProject.objects.values_list("code", flat=True))
    missing = [pilot for pilot in pilots if pilot.code not in present]
    PilotProject.objects.bulk_create(missing)
    ids = dict(
        PilotProject.objects.filter(code__in=[p.code for p in missing]).values_list("code", "pk")
    )
    link = PilotProject.resources.through
    link.objects.bulk_create(
        [link(pilotproject_id=ids[code], resource_id=rid) for code in ids for rid in uses[code]]
    )
    return len(missing)
