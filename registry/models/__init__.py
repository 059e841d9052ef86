from registry.models.platform import Platform
from registry.models.resource import Resource
from registry.models.vocabulary import Industry, Region, Tag

__all__ = ["Industry", "Platform", "Region", "Resource", "Tag"]
