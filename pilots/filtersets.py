"""Filter sets of the pilots app: one per model.

``q`` means what it means everywhere (``registry.search``): the query's terms, synonyms expanded,
each of which must occur in one of the object's text fields (code, names, summary or description,
and for pilots the outcomes and the lead's name), matched as lower-cased substrings like batch
entries' ``q`` (``search.matches_text``). There are a few hundred pilots and scenarios at most, so
the fields are searched as they are rather than through a search document.
"""

import uuid
from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from config.api.filtersets import (
    BaseFilterSet,
    MultipleChoiceValueFilter,
    MultipleNumberFilter,
    MultipleValueFilter,
    updated_since_filter,
)
from pilots.choices import AICapability, PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry import search
from registry.filtersets import INDUSTRY_CHOICES, REGION_CHOICES


def _matching(queryset: QuerySet[Any], q: str, *fields: str) -> QuerySet[Any]:
    """The rows whose text holds every term of ``q``, each term in one of ``fields`` (lower-cased);
    none when ``q`` holds no word at all (``%``)."""
    terms = search.parse(q)
    if not terms:
        return queryset if not q.strip() else queryset.none()
    texts = {f"q_text_{index}": Lower(F(name)) for index, name in enumerate(fields)}
    condition = Q()
    for term in terms:
        anywhere = Q()
        for alias in texts:
            anywhere |= search.matches_text([term], alias)
        condition &= anywhere
    return queryset.alias(**texts).filter(condition)


class PilotProjectFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        label=_("Text in the code, names, summary, outcomes or lead; every term must match"),
    )
    status = MultipleChoiceValueFilter(choices=PilotStatus.choices, label=_("Status (any of)"))
    region = MultipleChoiceValueFilter(
        field_name="region_id",
        choices=REGION_CHOICES,
        label=_("Region, GB/T 2260 code (any of)"),
    )
    industry = MultipleChoiceValueFilter(
        field_name="industry_id",
        choices=INDUSTRY_CHOICES,
        label=_("Industry, GB/T 4754-2017 section A–T (any of)"),
    )
    scenario = MultipleValueFilter(method="filter_scenario", label=_("Scenario code (any of)"))
    platform = MultipleValueFilter(
        method="filter_platform",
        label=_("Platform slug (any of): led by it, or using one of its resources"),
    )
    service_platform = MultipleValueFilter(
        method="filter_service_platform", label=_("Service platform slug (any of)")
    )
    resource = MultipleValueFilter(method="filter_resource", label=_("Uses the resource (any of)"))
    lead = django_filters.ChoiceFilter(
        method="filter_lead",
        choices=[("platform", "platform"), ("sme", "sme")],
        label=_("Led by a platform or by an SME"),
    )
    year = MultipleNumberFilter(
        field_name="year_selected", method="filter_year", label=_("Year selected (any of)")
    )
    updated_since = updated_since_filter()

    class Meta:
        model = PilotProject
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _matching(
            queryset,
            value,
            "code",
            "name",
            "name_en",
            "summary",
            "outcomes",
            "lead_sme_name",
            "lead_platform__name",
            "lead_platform__name_en",
        )

    def filter_scenario(
        self, queryset: QuerySet[Any], name: str, value: list[str]
    ) -> QuerySet[Any]:
        return queryset.filter(scenario__code__in=value) if value else queryset

    def filter_platform(
        self, queryset: QuerySet[Any], name: str, value: list[str]
    ) -> QuerySet[Any]:
        if not value:
            return queryset
        uses = PilotProject.resources.through.objects.filter(
            pilotproject_id=OuterRef("pk"), resource__platform__slug__in=value
        )
        return queryset.filter(Q(lead_platform__slug__in=value) | Q(Exists(uses)))

    def filter_service_platform(
        self, queryset: QuerySet[Any], name: str, value: list[str]
    ) -> QuerySet[Any]:
        return queryset.filter(service_platform__slug__in=value) if value else queryset

    def filter_resource(
        self, queryset: QuerySet[Any], name: str, value: list[str]
    ) -> QuerySet[Any]:
        if not value:
            return queryset
        try:
            ids = [uuid.UUID(item) for item in value]
        except ValueError:
            raise ValidationError({"resource": [_("Give resource ids (UUIDs).")]}) from None
        uses = PilotProject.resources.through.objects.filter(
            pilotproject_id=OuterRef("pk"), resource_id__in=ids
        )
        return queryset.filter(Exists(uses))

    def filter_lead(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(lead_platform__isnull=value != "platform")

    def filter_year(self, queryset: QuerySet[Any], name: str, value: list[int]) -> QuerySet[Any]:
        return queryset.filter(year_selected__in=value) if value else queryset


class ScenarioFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        label=_("Text in the code, names or description; every term must match"),
    )
    maturity = MultipleChoiceValueFilter(
        choices=ScenarioMaturity.choices, label=_("Maturity (any of)")
    )
    industry = MultipleChoiceValueFilter(
        field_name="industry_id",
        choices=INDUSTRY_CHOICES,
        label=_("Industry, GB/T 4754-2017 section A–T (any of)"),
    )
    ai_capability = MultipleChoiceValueFilter(
        choices=AICapability.choices, label=_("AI capability (any of)")
    )
    year = MultipleNumberFilter(
        method="filter_year", label=_("Found implementable in this year (any of)")
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Scenario
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _matching(queryset, value, "code", "name", "name_en", "description")

    def filter_year(self, queryset: QuerySet[Any], name: str, value: list[int]) -> QuerySet[Any]:
        return queryset.filter(implementable_at__year__in=value) if value else queryset


class ServicePlatformFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        label=_("Text in the slug, names or description; every term must match"),
    )
    platform = MultipleValueFilter(
        method="filter_platform", label=_("Operator, platform slug (any of)")
    )
    region = MultipleChoiceValueFilter(
        method="filter_region",
        choices=REGION_CHOICES,
        label=_("Serves the region, GB/T 2260 code (any of); nationwide ones serve every region"),
    )
    year = MultipleNumberFilter(
        field_name="launched_year", method="filter_year", label=_("Year launched (any of)")
    )
    updated_since = updated_since_filter()

    class Meta:
        model = ServicePlatform
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _matching(queryset, value, "slug", "name", "name_en", "description")

    def filter_platform(
        self, queryset: QuerySet[Any], name: str, value: list[str]
    ) -> QuerySet[Any]:
        return queryset.filter(operator__slug__in=value) if value else queryset

    def filter_region(self, queryset: QuerySet[Any], name: str, value: list[str]) -> QuerySet[Any]:
        if not value:
            return queryset
        served = ServicePlatform.regions.through.objects.filter(
            serviceplatform_id=OuterRef("pk"), region_id__in=value
        )
        return queryset.filter(Q(nationwide=True) | Q(Exists(served)))

    def filter_year(self, queryset: QuerySet[Any], name: str, value: list[int]) -> QuerySet[Any]:
        return queryset.filter(launched_year__in=value) if value else queryset
