from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from config.api.fields import ChoiceField, RegistryModelSerializer
from pilots.api.briefs import PilotBriefSerializer, ServicePlatformBriefSerializer
from registry.api.code_fields import IndustryCodeField, RegionCodeField
from registry.api.resource_rows import represent_resources
from registry.attributes import TYPE_SPECS
from registry.choices import EnterpriseSize
from registry.field_lists import PLATFORM_SHOWN, RESOURCE_SHOWN
from registry.models import Industry, Platform, Region, Resource


class RegionSerializer(RegistryModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en"]


class IndustrySerializer(RegistryModelSerializer):
    class Meta:
        model = Industry
        fields = ["code", "name", "name_en"]


class ResourceTypeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The value of `resource_type`.")
    name = serializers.CharField()
    name_en = serializers.CharField()
    attributes_schema = serializers.JSONField(
        source="schema", help_text="JSON Schema (2020-12) of the type's `attributes`."
    )


class PlatformBriefSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:platform-detail", lookup_field="slug")

    class Meta:
        model = Platform
        fields = ["slug", "name", "name_en", "verified", "url"]


class PlatformSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:platform-detail", lookup_field="slug")
    headquarters_region = RegionCodeField(
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        help_text="GB/T 2260 code of the province-level region of the headquarters.",
    )
    resource_count = serializers.IntegerField(
        read_only=True, help_text="Number of active resources the platform opens."
    )

    class Meta:
        model = Platform
        fields = list(PLATFORM_SHOWN)
        read_only_fields = ["created_at", "updated_at", "verified"]


class PlatformDetailSerializer(PlatformSerializer):
    """A platform's detail: its profile, and the service platforms it runs and pilots it leads."""

    service_platforms = ServicePlatformBriefSerializer(
        many=True, read_only=True, help_text="The service platforms it runs."
    )
    pilots = PilotBriefSerializer(many=True, read_only=True, help_text="The pilots it leads.")

    class Meta(PlatformSerializer.Meta):
        fields = [*PlatformSerializer.Meta.fields, "service_platforms", "pilots"]


class SmeTermsSerializer(serializers.Serializer):
    free_quota = serializers.CharField(
        source="sme_free_quota",
        allow_blank=True,
        max_length=200,
        required=False,
        help_text="Free quota offered to SMEs.",
    )
    discount = serializers.CharField(
        source="sme_discount",
        allow_blank=True,
        max_length=200,
        required=False,
        help_text="Discount offered to SMEs.",
    )
    eligible_sizes = serializers.ListField(
        child=ChoiceField(choices=EnterpriseSize.choices),
        help_text="Enterprise sizes the terms are open to.",
    )
    conditions = serializers.CharField(
        source="sme_conditions",
        allow_blank=True,
        required=False,
        help_text="Further conditions, in prose.",
    )


class ListingSerializer(serializers.Serializer):
    batch = serializers.IntegerField(source="batch.number")
    sequence = serializers.IntegerField()
    citation = serializers.CharField()
    status = serializers.CharField(help_text="listed or withdrawn")
    url = serializers.HyperlinkedIdentityField(view_name="api:entry-detail")


class ResourceRowsSerializer(serializers.ListSerializer):
    """Resources represented from their rows (``resource_rows``), the list's fast path: the same
    representation as ``ResourceSerializer``'s, which a test holds equal to it."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        return represent_resources(list(data), self.context["request"])


class ResourceSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-detail")
    platform = PlatformBriefSerializer(read_only=True)
    tags = serializers.ManyRelatedField(
        child_relation=serializers.SlugRelatedField(read_only=True, slug_field="name"),
        read_only=True,
        help_text="Keywords, lower-cased.",
    )
    industries = serializers.ManyRelatedField(
        child_relation=IndustryCodeField(read_only=True),
        read_only=True,
        help_text="GB/T 4754-2017 section codes (A–T).",
    )
    regions = serializers.ManyRelatedField(
        child_relation=RegionCodeField(read_only=True),
        read_only=True,
        help_text="GB/T 2260 codes of the regions where it is available; empty when nationwide.",
    )
    sme_terms = SmeTermsSerializer(source="*", read_only=True)
    listings = ListingSerializer(
        source="public_listings",
        many=True,
        read_only=True,
        help_text="The published batches that list (or listed) it.",
    )
    attributes = serializers.JSONField(
        read_only=True, help_text="Type attributes; their schema depends on `resource_type`."
    )
    pilots = PilotBriefSerializer(
        source="pilot_briefs", many=True, read_only=True, help_text="The pilots that use it."
    )

    class Meta:
        model = Resource
        fields = list(RESOURCE_SHOWN)
        read_only_fields = fields
        list_serializer_class = ResourceRowsSerializer


def _typed_resource_serializer(key: str) -> type[ResourceSerializer]:
    """A ResourceSerializer whose ``attributes`` carry the schema of one resource type (OpenAPI)."""
    spec = TYPE_SPECS[key]
    camel = "".join(part.capitalize() for part in key.split("_"))
    field_class = extend_schema_field(spec.schema)(
        type(f"{camel}AttributesField", (serializers.JSONField,), {})
    )
    return type(
        f"Resource{camel}Serializer",
        (ResourceSerializer,),
        {"attributes": field_class(read_only=True), "__module__": __name__},
    )


TYPED_RESOURCE_SERIALIZERS: dict[str, Any] = {
    key: _typed_resource_serializer(key) for key in TYPE_SPECS
}


def resource_schema(*, many: bool = False) -> PolymorphicProxySerializer:
    """The resource as OpenAPI shows it: a ``oneOf`` discriminated by ``resource_type``."""
    return PolymorphicProxySerializer(
        component_name="Resource",
        serializers=TYPED_RESOURCE_SERIALIZERS,
        resource_type_field_name="resource_type",
        many=many,
    )
