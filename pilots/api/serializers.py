"""How pilots, scenarios and service platforms read. Writes are validated by
``pilots.api.write_serializers``; nested briefs live in ``pilots.api.briefs``."""

from typing import Any

from rest_framework import serializers

from config.api.fields import ChoiceField, RegistryModelSerializer
from pilots.api.briefs import ScenarioBriefSerializer, ServicePlatformBriefSerializer
from pilots.choices import LeadKind
from pilots.field_lists import PILOT_SHOWN, SCENARIO_SHOWN, SERVICE_PLATFORM_SHOWN
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.api.code_fields import IndustryCodeField, RegionCodeField
from registry.api.serializers import PlatformBriefSerializer
from registry.models import Resource


class ResourceUsedSerializer(RegistryModelSerializer):
    """A resource a pilot uses, in brief."""

    url = serializers.HyperlinkedIdentityField(view_name="api:resource-detail")

    class Meta:
        model = Resource
        fields = ["id", "name", "name_en", "resource_type", "status", "url"]
        read_only_fields = fields


class LeadSerializer(serializers.Serializer):
    """Who leads the pilot: a platform (its brief, name and credit code), or an SME."""

    kind = ChoiceField(choices=LeadKind.choices, read_only=True)
    platform = PlatformBriefSerializer(
        read_only=True, allow_null=True, help_text="The lead platform; null for an SME lead."
    )
    name = serializers.CharField(read_only=True, help_text="The lead's registered name.")
    credit_code = serializers.CharField(
        read_only=True, help_text="The lead's unified social credit code."
    )

    def to_representation(self, pilot: PilotProject) -> dict[str, Any]:
        platform = pilot.lead_platform
        if platform is not None:
            return {
                "kind": LeadKind.PLATFORM.value,
                "platform": PlatformBriefSerializer(platform, context=self.context).data,
                "name": platform.name,
                "credit_code": platform.credit_code,
            }
        return {
            "kind": LeadKind.SME.value,
            "platform": None,
            "name": pilot.lead_sme_name,
            "credit_code": pilot.lead_sme_credit_code,
        }


class ParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    credit_code = serializers.CharField(
        read_only=True, allow_null=True, help_text="Unified social credit code, where known."
    )


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    done = serializers.BooleanField(read_only=True)


class PilotSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:pilot-detail", lookup_field="code")
    lead = LeadSerializer(source="*", read_only=True)
    participants = ParticipantSerializer(
        many=True, read_only=True, help_text="The SMEs taking part besides the lead."
    )
    resources = ResourceUsedSerializer(
        many=True,
        read_only=True,
        help_text="Resources the pilot uses (listed in a published batch).",
    )
    scenario = ScenarioBriefSerializer(read_only=True, allow_null=True)
    service_platform = ServicePlatformBriefSerializer(read_only=True, allow_null=True)
    region = RegionCodeField(
        read_only=True, help_text="GB/T 2260 code of the province-level region."
    )
    industry = IndustryCodeField(read_only=True, help_text="GB/T 4754-2017 section code (A–T).")
    year_selected = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The year it was selected as a pilot."
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    evidence_links = serializers.ListField(
        child=serializers.URLField(), read_only=True, help_text="Where the pilot's results show."
    )
    termination_reason = serializers.CharField(
        read_only=True, help_text="Why it was terminated; empty otherwise."
    )

    class Meta:
        model = PilotProject
        fields = PILOT_SHOWN
        read_only_fields = fields


class ScenarioSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scenario-detail", lookup_field="code")
    industry = IndustryCodeField(read_only=True, help_text="GB/T 4754-2017 section code (A–T).")
    pilot_count = serializers.IntegerField(
        read_only=True, help_text="Pilot projects in this scenario."
    )

    class Meta:
        model = Scenario
        fields = SCENARIO_SHOWN
        read_only_fields = fields


class ServicePlatformSerializer(RegistryModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:service-platform-detail", lookup_field="slug"
    )
    operator = PlatformBriefSerializer(read_only=True, help_text="The platform that runs it.")
    services = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What it offers SMEs."
    )
    regions = serializers.ManyRelatedField(
        child_relation=RegionCodeField(read_only=True),
        read_only=True,
        help_text="GB/T 2260 codes of the regions it serves; empty when nationwide.",
    )
    pilot_count = serializers.IntegerField(read_only=True, help_text="Pilot projects run on it.")

    class Meta:
        model = ServicePlatform
        fields = SERVICE_PLATFORM_SHOWN
        read_only_fields = fields
