"""How text becomes search tokens (``registry.search.tokens``): Chinese segmented, English
lower-cased and folded to the singular, model names and codes kept whole. No database needed."""

import pytest

from registry.search.tokens import document_tokens, query_tokens

# Codes and model names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("A800", "a800"),
        ("RISC-V", "risc-v"),
        ("鸿蒙OS", "鸿蒙os"),
        ("5G", "5g"),
        ("Qwen2.5-72B", "qwen2.5-72b"),
        ("910B", "910b"),
    ],
)
def test_a_code_typed_alone_is_searched_whole(text, token):
    assert query_tokens(text) == [token]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("英伟达A800算力券", "a800"),
        ("RISC-V开发板", "risc-v"),
        ("鸿蒙OS开发者套件", "鸿蒙os"),
        ("5G工业模组", "5g"),
        ("Qwen2.5-72B推理服务", "qwen2.5-72b"),
        ("昇腾910B集群", "910b"),
    ],
)
def test_a_code_inside_chinese_text_is_kept_whole_in_queries_and_documents(text, token):
    assert token in query_tokens(text)
    assert token in document_tokens(text)


def test_a_document_also_holds_the_parts_of_a_joined_code():
    assert document_tokens("RISC-V") == ["risc-v", "risc", "v"]
    assert {"qwen2.5-72b", "qwen2.5", "72b"} <= set(document_tokens("Qwen2.5-72B"))


def test_a_query_for_a_joined_code_is_not_split_into_its_parts():
    assert query_tokens("RISC-V chip") == ["risc-v", "chip"]


def test_a_document_mentioning_harmonyos_is_also_found_by_its_chinese_name_and_os():
    assert {"鸿蒙os", "鸿蒙", "os"} <= set(document_tokens("鸿蒙OS智能终端"))


def test_full_width_letters_and_digits_search_like_their_ascii_forms():
    assert query_tokens("Ａ８００") == ["a800"]
    assert document_tokens("Ａ８００算力") == document_tokens("A800算力")


# English ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Models", ["model"]),
        ("LARGE Language Models", ["large", "language", "model"]),
        ("batteries", ["battery"]),
        ("Datasets", ["dataset"]),
    ],
)
def test_english_is_lower_cased_and_folded_to_the_singular(text, tokens):
    assert query_tokens(text) == tokens
    assert document_tokens(text) == tokens


@pytest.mark.parametrize(
    ("text", "token"), [("OS", "os"), ("class", "class"), ("status", "status")]
)
def test_short_words_and_words_that_only_look_plural_are_left_alone(text, token):
    assert query_tokens(text) == [token]


def test_a_plural_and_its_singular_find_each_other():
    assert set(query_tokens("chips")) <= set(document_tokens("RISC-V chip"))
    assert set(query_tokens("chip")) <= set(document_tokens("RISC-V chips"))


# Chinese and mixed text ------------------------------------------------------------------------


def test_mixed_chinese_and_english_is_split_where_the_script_changes():
    assert query_tokens("GPU算力") == ["gpu", "算力"]
    assert query_tokens("GPU 算力 广东") == ["gpu", "算力", "广东"]


@pytest.mark.parametrize("word", ["大模型", "昇腾", "东数西算", "算力券", "智算中心", "数据集"])
def test_the_registrys_own_words_are_searched_whole(word):
    assert query_tokens(word) == [word]
    assert word in document_tokens(word)


def test_a_document_also_holds_the_shorter_words_inside_a_longer_one():
    assert query_tokens("实时操作系统") == ["实时操作系统"]
    assert {"实时操作系统", "操作系统"} <= set(document_tokens("实时操作系统"))
    assert {"行业大模型", "大模型"} <= set(document_tokens("行业大模型"))


def test_a_query_repeats_no_token():
    assert query_tokens("算力 算力 GPU gpu") == ["算力", "gpu"]


def test_text_without_words_has_no_tokens():
    assert query_tokens("%_ ，。！") == []
    assert document_tokens("") == []


# Queries and documents agree -------------------------------------------------------------------

REALISTIC_TEXTS = [
    "昇腾910B算力券",
    "英伟达A800 GPU算力租用",
    "面向中小企业的普惠算力服务",
    "东数西算枢纽节点智算中心",
    "行业大模型微调与推理API",
    "Qwen2.5-72B 大语言模型推理服务",
    "通用大模型开放平台",
    "RISC-V开发板免费申领",
    "龙芯3A6000处理器评测样机",
    "鸿蒙OS智能终端适配套件",
    "开源欧拉操作系统商业发行版",
    "实时操作系统 RTOS for industrial controllers",
    "5G工业模组与边缘网关",
    "城市交通流量数据集（脱敏）",
    "Open industrial defect detection datasets",
    "Large Language Models for SMEs",
    "Smart terminals and development boards",
    "隐私计算联合建模平台",
    "具身智能服务机器人开发机",
    "可信数据空间接入服务（广东）",
    "Ａ８００ 全角型号",
]


@pytest.mark.parametrize("text", REALISTIC_TEXTS)
def test_a_document_is_found_by_a_query_of_its_own_text(text):
    assert query_tokens(text), text
    assert set(query_tokens(text)) <= set(document_tokens(text))
