"""Filter sets of the openness app: one per model."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from config.api.filtersets import (
    BaseFilterSet,
    IsoDateTimeFilter,
    MultipleChoiceValueFilter,
)
from core.choices import EventType
from core.models import Event
from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from registry import search
from registry.filtersets import (
    INDUSTRY_CHOICES,
    REGION_CHOICES,
    access_model_filter,
    platform_slug_filter,
    resource_type_filter,
)


class BatchFilterSet(BaseFilterSet):
    status = MultipleChoiceValueFilter(choices=BatchStatus.choices, label=_("Status (any of)"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Batch
        fields: list[str] = []


class EntryFilterSet(BaseFilterSet):
    """The resource filters, applied to what was listed (the snapshot), plus ``status``."""

    q = django_filters.CharFilter(
        method="filter_q", max_length=200, label=_("Text in the listed name, summary or tags")
    )
    type = resource_type_filter()
    platform = platform_slug_filter()
    region = MultipleChoiceValueFilter(
        method="filter_region",
        choices=REGION_CHOICES,
        label=_("Available in region (any of); nationwide entries match every region"),
    )
    industry = MultipleChoiceValueFilter(
        method="filter_industry", choices=INDUSTRY_CHOICES, label=_("Industry (any of)")
    )
    access_model = access_model_filter()
    status = MultipleChoiceValueFilter(
        choices=EntryStatus.choices,
        label=_("Status (any of); by default everything but withdrawn entries"),
    )

    class Meta:
        model = Entry
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        terms = search.parse(value)
        return queryset.filter(search.matches_text(terms, "search_text")) if terms else queryset

    def filter_platform(
        self, queryset: QuerySet[Entry], name: str, value: list[str]
    ) -> QuerySet[Entry]:
        return queryset.filter(platform__slug__in=value) if value else queryset

    def filter_region(
        self, queryset: QuerySet[Entry], name: str, value: list[str]
    ) -> QuerySet[Entry]:
        condition = Q(nationwide=True)
        for code in value:
            condition |= Q(region_codes__contains=f",{code},")
        return queryset.filter(condition) if value else queryset

    def filter_industry(
        self, queryset: QuerySet[Entry], name: str, value: list[str]
    ) -> QuerySet[Entry]:
        condition = Q()
        for code in value:
            condition |= Q(industry_codes__contains=f",{code},")
        return queryset.filter(condition) if value else queryset

    def filter_queryset(self, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=EntryStatus.WITHDRAWN)
        queryset = super().filter_queryset(queryset)
        return queryset.annotate(seq_sort=Coalesce("sequence", Value(0))).order_by("seq_sort", "id")


class EventFilterSet(BaseFilterSet):
    type = MultipleChoiceValueFilter(choices=EventType.choices, label=_("Event type (any of)"))
    since = IsoDateTimeFilter(
        field_name="occurred_at", lookup_expr="gte", label=_("Occurred at or after (ISO 8601)")
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).order_by("id")
