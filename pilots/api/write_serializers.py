"""Request bodies of the pilots' writes: what a curator may send, validated field by field.

Responses use the read serializers (``pilots.api.serializers``). Unknown fields and
server-controlled ones (``status``, ``maturity``, ``year_selected``, ``implementable_at``,
``termination_reason``, ``version``, timestamps) are a 400. The rules that need the database as it
is at the moment of the write (resources listed in a published batch, one lead) are the services'.
"""

from typing import Any

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.fields import ChoiceField
from config.api.serializers import StrictModelSerializer, StrictSerializer
from pilots.choices import AICapability
from pilots.field_lists import (
    PILOT_SHOWN,
    PILOT_WRITABLE,
    SCENARIO_EDITABLE,
    SCENARIO_SHOWN,
    SERVICE_PLATFORM_EDITABLE,
    SERVICE_PLATFORM_SHOWN,
)
from pilots.models import PilotProject, Scenario, ServicePlatform
from pilots.validators import MAX_ITEMS, MAX_LINKS, MAX_NAME, MAX_URL
from registry.api.code_fields import IndustryCodeField, RegionCodeField
from registry.models import Industry, Platform, Region, Resource
from registry.validators import validate_credit_code
from registry.vocabularies import region_codes

MAX_RESOURCES = 100


class LeadWriteSerializer(StrictSerializer):
    """``{"platform": slug}``, or ``{"name", "credit_code"}`` for an SME: one or the other."""

    platform = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Platform.objects.all(),
        required=False,
        help_text="Slug of the lead platform.",
    )
    name = serializers.CharField(
        max_length=MAX_NAME, required=False, help_text="The lead SME's registered name."
    )
    credit_code = serializers.CharField(
        max_length=18,
        required=False,
        validators=[validate_credit_code],
        help_text="The lead SME's unified social credit code (18 characters, checked).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        platform = attrs.get("platform")
        if platform is not None and ("name" in attrs or "credit_code" in attrs):
            raise serializers.ValidationError(
                _("A pilot is led by a platform or by an SME, not by both.")
            )
        if platform is not None:
            return {"lead_platform": platform, "lead_sme_name": "", "lead_sme_credit_code": ""}
        missing = {
            name: [_("An SME lead needs both its name and its unified social credit code.")]
            for name in ("name", "credit_code")
            if not attrs.get(name, "").strip()
        }
        if len(missing) == 2:
            raise serializers.ValidationError(
                _("Name the lead: a platform, or an SME with its credit code.")
            )
        if missing:
            raise serializers.ValidationError(missing)
        return {
            "lead_platform": None,
            "lead_sme_name": attrs["name"].strip(),
            "lead_sme_credit_code": attrs["credit_code"],
        }


class ParticipantWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=MAX_NAME, help_text="The SME's registered name.")
    credit_code = serializers.CharField(
        max_length=18,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[validate_credit_code],
        help_text="Its unified social credit code, where known (checked).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"name": attrs["name"].strip(), "credit_code": attrs.get("credit_code") or None}


class MilestoneWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=MAX_NAME)
    date = serializers.DateField(help_text="Planned or reached, YYYY-MM-DD.")
    done = serializers.BooleanField(required=False, default=False)

    def validate_date(self, value: Any) -> Any:
        if not 2000 <= value.year <= 2100:
            raise serializers.ValidationError(_("Give a date from 2000 to 2100."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": attrs["title"].strip(),
            "date": attrs["date"].isoformat(),
            "done": attrs.get("done", False),
        }


class WebURLField(serializers.URLField):
    """An http or https URL."""

    default_error_messages = {"invalid": _("Enter an http or https URL.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(URLValidator(schemes=["http", "https"]))


class PilotWriteSerializer(StrictModelSerializer):
    """A pilot project as a curator sends it. ``code`` is given at creation only."""

    lead = LeadWriteSerializer(
        source="*", help_text='`{"platform": slug}` or `{"name": …, "credit_code": …}`.'
    )
    participants = ParticipantWriteSerializer(
        many=True, required=False, help_text="The SMEs taking part (at most 100)."
    )
    resources = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Resource.objects.all(),
        pk_field=serializers.UUIDField(),
        required=False,
        help_text="Ids of the resources it uses; each must be listed in a published batch.",
    )
    scenario = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Scenario.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code of its application scenario.",
    )
    service_platform = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ServicePlatform.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the service platform it runs on.",
    )
    region = RegionCodeField(
        queryset=Region.objects.all(), help_text="GB/T 2260 province-level code."
    )
    industry = IndustryCodeField(
        queryset=Industry.objects.all(), help_text="GB/T 4754-2017 section (A–T)."
    )
    milestones = MilestoneWriteSerializer(
        many=True, required=False, help_text="Planned and reached steps (at most 100)."
    )
    evidence_links = serializers.ListField(
        child=WebURLField(max_length=MAX_URL),
        required=False,
        max_length=MAX_LINKS,
        help_text="http or https URLs where its results show.",
    )

    class Meta:
        model = PilotProject
        fields = PILOT_WRITABLE

    server_controlled = frozenset(PILOT_SHOWN).difference(PILOT_WRITABLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["code"].read_only = True

    def validate_resources(self, value: list[Resource]) -> list[Resource]:
        return _at_most(value, MAX_RESOURCES)

    def validate_participants(self, value: list[Any]) -> list[Any]:
        return _at_most(value, MAX_ITEMS)

    def validate_milestones(self, value: list[Any]) -> list[Any]:
        return _at_most(value, MAX_ITEMS)


def _at_most(value: list[Any], limit: int) -> list[Any]:
    if len(value) > limit:
        raise serializers.ValidationError(_("At most %(limit)d items.") % {"limit": limit})
    return value


class SelectSerializer(StrictSerializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="The year it was selected in (default: the current year; never a later one).",
    )


class ScenarioWriteSerializer(StrictModelSerializer):
    """A scenario as a curator sends it. ``code`` is given at creation only."""

    industry = IndustryCodeField(
        queryset=Industry.objects.all(), help_text="GB/T 4754-2017 section (A–T)."
    )
    ai_capability = ChoiceField(choices=AICapability.choices)

    class Meta:
        model = Scenario
        fields = SCENARIO_EDITABLE

    server_controlled = frozenset(SCENARIO_SHOWN).difference(SCENARIO_EDITABLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["code"].read_only = True


class MarkImplementableSerializer(StrictSerializer):
    implementable_at = serializers.DateTimeField(
        source="at",  # the service's keyword
        required=False,
        help_text="When it was found implementable (default: now; never in the future).",
    )


class ServicePlatformWriteSerializer(StrictModelSerializer):
    """A service platform as a curator sends it. ``slug`` is given at creation only."""

    operator = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Platform.objects.all(),
        help_text="Slug of the platform that runs it.",
    )
    services = serializers.ListField(
        child=serializers.CharField(max_length=MAX_NAME),
        required=False,
        max_length=MAX_LINKS,
        help_text="What it offers SMEs, one short phrase each.",
    )
    regions = serializers.ListField(
        child=ChoiceField(choices=region_codes()),
        required=False,
        max_length=34,
        help_text="GB/T 2260 codes of the regions it serves; empty when nationwide.",
    )
    launched_year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = ServicePlatform
        fields = SERVICE_PLATFORM_EDITABLE

    server_controlled = frozenset(SERVICE_PLATFORM_SHOWN).difference(SERVICE_PLATFORM_EDITABLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["slug"].read_only = True

    def validate_services(self, value: list[str]) -> list[str]:
        if any(not item.strip() for item in value):
            raise serializers.ValidationError(_("Each service is a phrase of 1 to 200 characters."))
        return [item.strip() for item in value]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: ServicePlatform | None = self.instance
        nationwide = attrs.get("nationwide", instance.nationwide if instance else False)
        if nationwide and attrs.get("regions"):
            raise serializers.ValidationError(
                {"regions": [_("A nationwide service platform lists no regions.")]}
            )
        return attrs
