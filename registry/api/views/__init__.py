"""The registry's viewsets, a module per kind of object."""

from registry.api.views.platforms import PlatformViewSet
from registry.api.views.resources import ResourceViewSet
from registry.api.views.vocabularies import IndustryViewSet, RegionViewSet, ResourceTypeViewSet

__all__ = [
    "IndustryViewSet",
    "PlatformViewSet",
    "RegionViewSet",
    "ResourceTypeViewSet",
    "ResourceViewSet",
]
