"""Filter sets of the registry app: one per model.

``ResourceFilterSet`` is also the language of subscriptions (a subscription's query is validated
and evaluated by it), so every parameter here is part of the public contract (DESIGN §4).
"""

from datetime import UTC, datetime
from typing import Any

import django_filters
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

from config.api.filtersets import (
    BaseFilterSet,
    BooleanFilter,
    MultipleChoiceValueFilter,
    MultipleNumberFilter,
    MultipleValueFilter,
    updated_since_filter,
)
from openness.selectors import listed_in
from registry import search
from registry.choices import AccessModel, EnterpriseSize, ResourceStatus, ResourceType
from registry.models import Platform, Resource, Tag
from registry.search.facets import InRegions
from registry.vocabularies import industries, regions

REGION_CHOICES = [(term["code"], term["name_en"]) for term in regions()]
INDUSTRY_CHOICES = [(term["code"], term["name_en"]) for term in industries()]
# The oldest possible moment, standing in for "never listed" so the ordering has no NULLs.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


# Parameters that the resources' list and a batch's entries share, declared once: the same name,
# values and description wherever resources are filtered.
def resource_type_filter() -> MultipleChoiceValueFilter:
    return MultipleChoiceValueFilter(
        field_name="resource_type", choices=ResourceType.choices, label=_("Resource type (any of)")
    )


def platform_slug_filter() -> MultipleValueFilter:
    """By platform slug, through the filter set's own ``filter_platform``."""
    return MultipleValueFilter(method="filter_platform", label=_("Platform slug (any of)"))


def access_model_filter() -> MultipleChoiceValueFilter:
    return MultipleChoiceValueFilter(choices=AccessModel.choices, label=_("Access model (any of)"))


RESOURCE_ORDERINGS = {
    "relevance": ["-rank", "-updated_at", "-id"],
    "-listed_at": ["-listed_sort", "-id"],
    "-updated_at": ["-updated_at", "-id"],
    "name": ["name", "id"],
}


# The index's filter field of each parameter (``registry.search.index``).
SEARCH_FIELDS = {
    "type": "resource_type",
    "platform": "platform_slug",
    "region": "regions",
    "industry": "industries",
    "access_model": "access_model",
    "enterprise_size": "sizes",
    "tag": "tag",
    "batch": "batches",
    "status": "status",
}


def _check_platforms(slugs: list[str]) -> None:
    """A 400 naming ``platform`` for slugs no platform has."""
    if not slugs:
        return
    known = set(Platform.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise ValidationError(
            {"platform": [_("Unknown platform: %(slugs)s.") % {"slugs": ", ".join(unknown)}]}
        )


class PlatformFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, label=_("Name, English name or slug contains")
    )
    slug = MultipleValueFilter(method="filter_slug", label=_("Slug (any of)"))
    credit_code = django_filters.CharFilter(max_length=18, label=_("Unified social credit code"))
    headquarters_region = MultipleChoiceValueFilter(
        choices=REGION_CHOICES, label=_("Headquarters region, GB/T 2260 code (any of)")
    )
    verified = BooleanFilter(label=_("Verified by a curator"))
    updated_since = updated_since_filter()

    class Meta:
        model = Platform
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Platform], name: str, value: str) -> QuerySet[Platform]:
        for term in value.split():
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(name_en__icontains=term) | Q(slug__icontains=term)
            )
        return queryset

    def filter_slug(
        self, queryset: QuerySet[Platform], name: str, value: list[str]
    ) -> QuerySet[Platform]:
        return queryset.filter(slug__in=value) if value else queryset


class ResourceFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        label=_(
            "Full-text search (Chinese and English, traditional characters and small typos "
            "tolerated, province and platform names understood), ranked by relevance; when no "
            "resource matches every term, those matching the most terms"
        ),
    )
    type = resource_type_filter()
    platform = platform_slug_filter()
    region = MultipleChoiceValueFilter(
        method="filter_region",
        choices=REGION_CHOICES,
        label=_(
            "Available in region, GB/T 2260 code (any of); nationwide resources match every region"
        ),
    )
    industry = MultipleChoiceValueFilter(
        method="filter_industry",
        choices=INDUSTRY_CHOICES,
        label=_("Industry, GB/T 4754-2017 section A–T (any of)"),
    )
    access_model = access_model_filter()
    enterprise_size = MultipleChoiceValueFilter(
        method="filter_enterprise_size",
        choices=EnterpriseSize.choices,
        label=_("Open to enterprises of this size (any of)"),
    )
    tag = MultipleValueFilter(method="filter_tag", label=_("Tag (any of)"))
    batch = MultipleNumberFilter(
        method="filter_batch",
        label=_("Listed (not withdrawn) in the batch with this number (any of)"),
    )
    status = MultipleChoiceValueFilter(
        choices=ResourceStatus.choices,
        label=_("Status (any of); default active. Drafts are visible to their own publishers only"),
    )
    updated_since = updated_since_filter()
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(key, key) for key in RESOURCE_ORDERINGS],
        label=_("Order: relevance (default with q), -listed_at, -updated_at (default), name"),
    )
    highlight = BooleanFilter(
        method="filter_highlight",
        label=_("With q: add `highlights`, each hit's name and a snippet with the terms marked"),
    )
    facets = MultipleChoiceValueFilter(
        method="filter_facets",
        choices=[(name, name) for name in search.FACETS],
        label=_(
            "Facet counts to add to the response: type, region, platform, industry, access_model"
        ),
    )

    class Meta:
        model = Resource
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = ResourceStatus.ACTIVE
        super().__init__(data, *args, **kwargs)

    # Filters ----------------------------------------------------------------------------------

    def filter_q(self, queryset: QuerySet[Resource], name: str, value: str) -> QuerySet[Resource]:
        """As a database condition: the resources the index finds for ``q`` alone (every term).
        The list answers ``q`` through ``search()`` instead, filters and all in the index."""
        terms = search.parse(value)
        if queryset.query.is_empty() or not value.strip():
            return queryset
        found = search.Search(terms, search.Filters()).ids(limit=search.MAX_IDS) if terms else []
        return queryset.filter(pk__in=found)

    def filter_platform(
        self, queryset: QuerySet[Resource], name: str, value: list[str]
    ) -> QuerySet[Resource]:
        if not value:
            return queryset
        _check_platforms(value)
        return queryset.filter(platform__slug__in=value)

    def filter_region(
        self, queryset: QuerySet[Resource], name: str, value: list[str]
    ) -> QuerySet[Resource]:
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(InRegions(value))  # region_codes && …: a test of the row
        listed = Resource.regions.through.objects.filter(
            resource_id=OuterRef("pk"), region_id__in=value
        )
        return queryset.filter(Q(nationwide=True) | Q(Exists(listed)))

    def filter_industry(
        self, queryset: QuerySet[Resource], name: str, value: list[str]
    ) -> QuerySet[Resource]:
        if not value:
            return queryset
        listed = Resource.industries.through.objects.filter(
            resource_id=OuterRef("pk"), industry_id__in=value
        )
        return queryset.filter(Exists(listed))

    def filter_enterprise_size(
        self, queryset: QuerySet[Resource], name: str, value: list[str]
    ) -> QuerySet[Resource]:
        condition = Q()
        for size in value:
            condition |= Q(**{f"eligible_{size}": True})
        return queryset.filter(condition) if value else queryset

    def filter_tag(
        self, queryset: QuerySet[Resource], name: str, value: list[str]
    ) -> QuerySet[Resource]:
        if not value:
            return queryset
        names = [Tag.normalise(tag) for tag in value]
        tagged = Tag.objects.filter(resources=OuterRef("pk"), name__in=names)
        return queryset.filter(Exists(tagged))

    def filter_batch(
        self, queryset: QuerySet[Resource], name: str, value: list[int]
    ) -> QuerySet[Resource]:
        if not value:
            return queryset
        return queryset.filter(listed_in(value))

    def filter_ordering(
        self, queryset: QuerySet[Resource], name: str, value: str
    ) -> QuerySet[Resource]:
        return queryset  # applied last, in filter_queryset, once every filter has run

    def filter_highlight(
        self, queryset: QuerySet[Resource], name: str, value: bool
    ) -> QuerySet[Resource]:
        return queryset  # read by the view, which marks the page's hits

    def filter_facets(
        self, queryset: QuerySet[Resource], name: str, value: list[str]
    ) -> QuerySet[Resource]:
        return queryset  # read by facet_counts(); facets never narrow the list

    # Ordering and facets ----------------------------------------------------------------------

    def clean_ordering(self) -> str:
        ordering = self.form.cleaned_data.get("ordering") or ""
        q = (self.form.cleaned_data.get("q") or "").strip()
        if ordering == "relevance" and not q:
            raise ValidationError({"ordering": [_("Ordering by relevance needs a search (q).")]})
        return ordering or ("relevance" if q else "-updated_at")

    def matching(self) -> QuerySet[Resource]:
        """The resources every filter admits, unordered (for counting and matching)."""
        if not self.is_valid():
            raise translate_validation(self.errors)  # codes kept
        return super().filter_queryset(self.queryset.all())

    def filter_queryset(self, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        queryset = super().filter_queryset(queryset)
        ordering = self.clean_ordering()
        if ordering == "relevance":
            ranked = self.search().ids(limit=search.MAX_IDS)
            position = Case(
                *[When(pk=pk, then=Value(-n)) for n, pk in enumerate(ranked)],
                default=Value(-len(ranked)),
                output_field=IntegerField(),
            )
            queryset = queryset.annotate(rank=position)
        elif ordering == "-listed_at":
            queryset = queryset.annotate(listed_sort=Coalesce("listed_at", Value(NEVER)))
        return queryset.order_by(*RESOURCE_ORDERINGS[ordering])

    def list_queryset(self) -> QuerySet[Resource]:
        """With ``q`` the index matches, ranks and pages (``ResourcePagination``), and the list
        reads only the page's rows from the resources this user may see; otherwise the filters'
        queryset, ordered."""
        if (self.form.cleaned_data.get("q") or "").strip():
            return self.queryset
        return self.qs

    # The index ----------------------------------------------------------------------------

    def search(self) -> search.Search:
        """``q`` and every filter as one search of the index (the list with ``q``, its facets).
        Whether it matches every term of ``q`` or falls back to some is settled here."""
        cached: search.Search | None = getattr(self, "_search", None)
        if cached is not None:
            return cached
        if not self.is_valid():
            raise translate_validation(self.errors)  # codes kept
        data = self.form.cleaned_data
        _check_platforms(data.get("platform") or [])
        terms: dict[str, list[str]] = {}
        for parameter, field_name in SEARCH_FIELDS.items():
            values = data.get(parameter) or []
            if parameter == "tag":
                values = [Tag.normalise(tag) for tag in values]
            terms[field_name] = [str(value) for value in values]
        user = getattr(self.request, "user", None)
        found = search.Search(
            search.parse(data.get("q") or ""),
            search.Filters(terms, data.get("updated_since"), search.visibility_of(user)),
        )
        found.settle_mode()
        self._search: search.Search | None = found
        return found

    def facet_counts(self) -> dict[str, list[dict[str, Any]]]:
        """Counts per value of each requested facet.

        Each facet honours every other filter but not its own, so the counts say how many
        resources each value would give if it were chosen instead. The facets whose own filter
        is not set count over the list's own resources, all of them in one query; each facet
        whose filter is set needs one more, over the list without that filter.
        """
        requested = self.form.cleaned_data.get("facets") or []
        if (self.form.cleaned_data.get("q") or "").strip():
            return search.engine_facet_counts(self.search(), requested, self.form.cleaned_data)
        shared = [facet for facet in requested if not self.form.cleaned_data.get(facet)]
        counts = search.facet_counts(self.matching(), shared) if shared else {}
        for facet in requested:
            if facet not in shared:
                counts.update(search.facet_counts(self._without(facet).matching(), [facet]))
        return {facet: counts[facet] for facet in requested}

    def _without(self, param: str) -> "ResourceFilterSet":
        """This filter set without the filter ``param``."""
        data = self.data.copy()
        for name in (param, "facets", "ordering", "cursor", "page_size", "highlight"):
            data.pop(name, None)
        return type(self)(data=data, queryset=self.queryset, request=self.request)
