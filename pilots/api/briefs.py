"""Brief representations of pilots, scenarios and service platforms, nested in other objects'
(a resource's pilots, a platform's service platforms and pilots, a pilot's scenario).

Kept apart from ``pilots.api.serializers`` so the registry's serializers can nest them without
importing the pilots' full serializers (which nest the registry's own briefs)."""

from rest_framework import serializers

from config.api.fields import RegistryModelSerializer
from pilots.models import PilotProject, Scenario, ServicePlatform


class PilotBriefSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:pilot-detail", lookup_field="code")

    class Meta:
        model = PilotProject
        fields = ["code", "name", "name_en", "status", "url"]
        read_only_fields = fields


class ScenarioBriefSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scenario-detail", lookup_field="code")

    class Meta:
        model = Scenario
        fields = ["code", "name", "name_en", "maturity", "url"]
        read_only_fields = fields


class ServicePlatformBriefSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:service-platform-detail", lookup_field="slug"
    )

    class Meta:
        model = ServicePlatform
        fields = ["slug", "name", "name_en", "url"]
        read_only_fields = fields
