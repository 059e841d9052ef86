"""Names in a query that mean more than their words: regions, platforms, and words that mean
nothing at all (stop words).

- A **province** (``广东``, ``广东省``, ``Guangdong``) or one of the big cities (``深圳``) finds the
  resources available there, nationwide ones included, besides the texts that name it.
- A **platform**'s name, short name (its trade name: ``云启`` for 云启智算科技有限公司), English
  first word or slug finds its resources.
- **Stop words** (``的``, ``有没有``, ``the``, ``for`` …) are left out of queries, so a sentence
  finds what its content words name.
"""

import re
import time
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from registry.search.tokens import normalise
from registry.vocabularies import Term as VocabularyTerm
from registry.vocabularies import regions

# Cities people type instead of their province (the sub-provincial and big prefecture cities).
CITIES = {
    "440000": ["深圳", "广州", "东莞", "佛山", "珠海", "shenzhen", "guangzhou"],
    "330000": ["杭州", "宁波", "温州", "hangzhou", "ningbo"],
    "320000": ["南京", "苏州", "无锡", "常州", "nanjing", "suzhou", "wuxi"],
    "510000": ["成都", "绵阳", "chengdu"],
    "420000": ["武汉", "wuhan"],
    "610000": ["西安", "xi'an", "xian"],
    "370000": ["济南", "青岛", "烟台", "jinan", "qingdao"],
    "210000": ["沈阳", "大连", "shenyang", "dalian"],
    "350000": ["福州", "厦门", "泉州", "fuzhou", "xiamen"],
    "340000": ["合肥", "芜湖", "hefei"],
    "520000": ["贵阳", "guiyang"],
    "430000": ["长沙", "changsha"],
    "410000": ["郑州", "zhengzhou"],
    "130000": ["石家庄", "雄安", "xiong'an"],
    "230000": ["哈尔滨", "harbin"],
    "220000": ["长春", "changchun"],
    "530000": ["昆明", "kunming"],
    "360000": ["南昌", "nanchang"],
    "450000": ["南宁", "nanning"],
    "620000": ["兰州", "lanzhou"],
    "150000": ["呼和浩特", "hohhot"],
    "460000": ["海口", "三亚", "haikou", "sanya"],
}
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)

_STOP_WORDS = """
    的 了 和 与 及 或 是 在 有 吗 呢 吧 啊 么 我 我们 你 您 他 她 它 要 想 找 找到 需要 请问 请
    有没有 没有 有无 哪些 哪个 哪里 什么 怎么 怎样 如何 一个 一些 一下 可以 能 能够 用 用于
    适合 适用 适用于 给 对 把 被 让 从 到 为 为了 面向 关于 这个 那个 这些 那些 帮 帮我 提供
    a an the of for to in on at by with and or is are be it its this that these those i we you
    me my our your need needs want looking look find any some which what where how can could
    do does there about from into as please
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Entity:
    """A phrase of a query that names something: its field alternatives."""

    phrase: str
    filters: tuple[tuple[str, str], ...]


# Words for how a resource may be had: a resource with that access model satisfies them.
ACCESS_WORDS = {
    ("open", "free_quota"): [
        "免费",
        "免费使用",
        "免费额度",
        "零成本",
        "白嫖",
        "free",
        "free of charge",
    ],
    ("open",): ["开放获取", "open access"],
    ("paid",): ["付费", "收费", "paid"],
    ("application",): ["申请制", "申请使用", "by application"],
}


def access_entities() -> list[Entity]:
    return [
        Entity(normalise(word), tuple(("access_model", model) for model in models))
        for models, words in ACCESS_WORDS.items()
        for word in words
    ]


def _province_names(term: VocabularyTerm) -> set[str]:
    names = {normalise(term["name"]), normalise(term["name_en"])}
    for suffix in _PROVINCE_SUFFIXES:
        if term["name"].endswith(suffix) and len(term["name"]) - len(suffix) >= 2:
            names.add(normalise(term["name"][: -len(suffix)]))
            break
    return {name for name in names if name}


def region_entities() -> list[Entity]:
    from registry.search.index import NATIONWIDE

    found = []
    for term in regions():
        names = _province_names(term) | set(CITIES.get(term["code"], ()))
        filters = (("regions", term["code"]), ("regions", NATIONWIDE))
        found += [Entity(name, filters) for name in names]
    return found


_COMPANY_FORMS = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司)$")
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")


@lru_cache(maxsize=4096)
def platform_aliases(name: str, name_en: str, slug: str) -> frozenset[str]:
    """What people call a platform: its name, its name without the company form, the region
    in brackets or in front, its trade name (the first two characters left), its English first
    word, its slug."""
    aliases = {normalise(name), normalise(slug)}
    places = _region_words()
    words = [normalise(word).strip(",.()") for word in name_en.split()]
    first = next((word for word in words if word and word not in places), "")
    if first:
        aliases.add(first)
    short = _COMPANY_FORMS.sub("", _BRACKETS.sub("", name)).strip()
    for place in sorted((w for w in places if not w.isascii()), key=len, reverse=True):
        if short.startswith(place) and len(short) - len(place) >= 2:
            short = short[len(place) :]
            break
    if short:
        aliases.add(normalise(short))
        if len(short) > 2:
            aliases.add(normalise(short[:2]))
    return frozenset(alias for alias in aliases if len(alias) >= 2)


@cache
def _region_words() -> frozenset[str]:
    """Every province and city name, Chinese and English."""
    words: set[str] = set()
    for term in regions():
        words |= _province_names(term)
    for cities in CITIES.values():
        words |= set(cities)
    return frozenset(words)


ENTITIES_TTL = 60.0  # seconds a process keeps the platform names before reading them again
_cache: dict[str, Any] = {"at": -ENTITIES_TTL, "platforms": ()}


def platform_entities() -> tuple[Entity, ...]:
    """Each platform's aliases (the same tuple until they are read again)."""
    now = time.monotonic()
    if now - _cache["at"] >= ENTITIES_TTL:
        from registry.models import Platform

        found = []
        for slug, name, name_en in Platform.objects.values_list("slug", "name", "name_en"):
            found += [
                Entity(alias, (("platform_slug", slug),))
                for alias in platform_aliases(name, name_en, slug)
            ]
        _cache.update(at=now, platforms=tuple(found))
    platforms: tuple[Entity, ...] = _cache["platforms"]
    return platforms


def forget_platforms(**_: Any) -> None:
    _cache["at"] = -ENTITIES_TTL
