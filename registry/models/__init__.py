from registry.models.platform import Platform
from registry.models.resource import Resource
from registry.models.search import SearchChange
from registry.models.token import ApiToken
from registry.models.vocabulary import Industry, Region, SynonymGroup, Tag

__all__ = [
    "ApiToken",
    "Industry",
    "Platform",
    "Region",
    "Resource",
    "SearchChange",
    "SynonymGroup",
    "Tag",
]
