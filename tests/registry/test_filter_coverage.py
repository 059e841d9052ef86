"""Every model field is covered by a filter or deliberately exempt (NetBox's habit).

A new field on Platform or Resource makes this fail until it gets a filter or an entry, with a
reason, in the exemption table below.
"""

import pytest

from registry.field_lists import RESOURCE_TEXTS
from registry.filtersets import PlatformFilterSet, ResourceFilterSet
from registry.models import Platform, Resource
from tests.api_cases import assert_fields_covered

# Each filter parameter and the model fields it searches, selects or orders by.
RESOURCE_FILTER_COVERS = {
    "q": set(RESOURCE_TEXTS),  # the texts, in both languages
    "type": {"resource_type"},
    "platform": {"platform"},
    "region": {"regions", "nationwide"},
    "industry": {"industries"},
    "access_model": {"access_model"},
    "enterprise_size": {"eligible_micro", "eligible_small", "eligible_medium"},
    "tag": {"tags"},
    "batch": set(),  # listed in a batch: the entries, a reverse relation, not a field
    "status": {"status"},
    "updated_since": {"updated_at"},
    "ordering": {"listed_at"},  # ordered by, not filtered: -listed_at
    "highlight": set(),  # marks the hits of q, filters nothing
}
# Fields deliberately left without a filter, each with its reason.
RESOURCE_EXEMPT = {
    "id": "looked up by URL, not searched",
    "sme_free_quota": "prose shown to SMEs",
    "sme_discount": "prose shown to SMEs",
    "sme_conditions": "prose shown to SMEs",
    "application_url": "a link",
    "documentation_url": "a link",
    "api_endpoint": "a link",
    "contact": "contact details are not a search criterion",
    "attributes": "type-specific; shown and validated, not searched yet",
    "version": "a concurrency token",
    "created_at": "updated_since covers change tracking",
}
PLATFORM_FILTER_COVERS = {
    "q": {"name", "name_en", "slug"},
    "slug": {"slug"},
    "credit_code": {"credit_code"},
    "headquarters_region": {"headquarters_region"},
    "verified": {"verified"},
    "updated_since": {"updated_at"},
}
# Fields deliberately left without a filter, each with its reason.
PLATFORM_EXEMPT = {
    "id": "internal; platforms are addressed by slug",
    "website": "a link",
    "description": "prose",
    "description_en": "prose",
    "contact_name": "contact details are not a search criterion",
    "contact_email": "contact details are not a search criterion",
    "contact_phone": "contact details are not a search criterion",
    "members": "private: who publishes for a platform",
    "created_at": "updated_since covers change tracking",
}


@pytest.mark.parametrize(
    ("model", "filterset", "covers", "exempt"),
    [
        (Resource, ResourceFilterSet, RESOURCE_FILTER_COVERS, RESOURCE_EXEMPT),
        (Platform, PlatformFilterSet, PLATFORM_FILTER_COVERS, PLATFORM_EXEMPT),
    ],
    ids=["resource", "platform"],
)
def test_every_model_field_has_a_filter_or_a_stated_exemption(model, filterset, covers, exempt):
    declared = filterset.parameter_names()
    assert set(covers) <= declared, "the coverage table names a filter that does not exist"
    assert_fields_covered(model, covers, exempt)


def test_every_resource_filter_is_in_the_coverage_table():
    # facets is no filter (it adds counts); everything else must say what it covers.
    assert ResourceFilterSet.parameter_names() - {"facets"} == set(RESOURCE_FILTER_COVERS)
    assert PlatformFilterSet.parameter_names() == set(PLATFORM_FILTER_COVERS)
