from collections import Counter
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from registry import demo
from registry.attributes import attribute_errors
from registry.choices import AccessModel, ResourceType
from registry.demo_timeline import PLAN_START, start_of
from registry.models import Platform, Resource, Tag
from registry.search import Filters, Search, parse
from registry.validators import validate_credit_code

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def seed(**options: Any) -> str:
    """The catalogue only: the demo batches are tested in tests/openness/test_seed_batches.py."""
    out = StringIO()
    options = {"resources": 40, "no_batches": True, "today": TODAY, **options}
    call_command("seed_demo", no_progress=True, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict[str, tuple[Any, ...]]:
    return {
        str(resource.pk): (
            resource.name,
            resource.name_en,
            resource.updated_at,
            resource.attributes,
        )
        for resource in Resource.objects.all()
    }


def row_counts() -> tuple[int, ...]:
    return (
        Platform.objects.count(),
        Resource.objects.count(),
        Tag.objects.count(),
        Resource.tags.through.objects.count(),
        Resource.regions.through.objects.count(),
        Resource.industries.through.objects.count(),
    )


def test_it_creates_valid_platforms_and_resources_of_every_type_and_access_model():
    seed()

    platforms = list(Platform.objects.all())
    assert len(platforms) >= 12
    for platform in platforms:
        validate_credit_code(platform.credit_code)
        platform.full_clean()
    resources = Resource.objects.all()
    assert resources.count() == 40
    assert set(resources.values_list("resource_type", flat=True)) == set(ResourceType.values)
    assert set(resources.values_list("access_model", flat=True)) == set(AccessModel.values)


def test_every_seeded_resource_validates():
    seed()

    for resource in Resource.objects.prefetch_related("regions", "tags", "industries"):
        assert attribute_errors(resource.resource_type, resource.attributes) == []
        resource.full_clean()
        assert resource.industries.all()
        assert all(tag.name == Tag.normalise(tag.name) for tag in resource.tags.all())
        if resource.nationwide:
            assert not resource.regions.all()
        else:
            assert resource.regions.all()


def test_seeded_timestamps_lie_between_the_plans_start_and_today_and_auto_now_is_restored():
    seed()

    for resource in Resource.objects.all():
        assert start_of(PLAN_START) <= resource.created_at
        assert resource.created_at <= resource.updated_at < start_of(TODAY - timedelta(days=14))
        assert (resource.version == 1) == (resource.updated_at == resource.created_at)
    assert Resource._meta.get_field("updated_at").auto_now is True
    assert Resource._meta.get_field("created_at").auto_now_add is True


def test_running_it_twice_creates_nothing_new():
    seed()
    before, counts = snapshot(), row_counts()

    output = seed()

    assert row_counts() == counts
    assert snapshot() == before
    assert "Resources: 0 created, 40 already present" in output


def test_asking_for_more_resources_adds_only_the_missing_ones():
    seed(resources=20)
    first = snapshot()

    output = seed(resources=40)

    assert "Resources: 20 created, 20 already present" in output
    assert Resource.objects.count() == 40
    assert {pk: row for pk, row in snapshot().items() if pk in first} == first


def test_if_empty_does_nothing_when_a_platform_exists(platform_a):
    output = seed(if_empty=True)

    assert list(Platform.objects.all()) == [platform_a]
    assert not Resource.objects.exists()
    assert "already exist" in output


def test_if_empty_seeds_an_empty_database():
    seed(if_empty=True)

    assert Resource.objects.count() == 40


def test_another_today_moves_the_timestamps_and_keeps_the_rest():
    seed(seed=7)
    first = snapshot()
    Resource.objects.all().delete()

    seed(seed=7, today=TODAY + timedelta(days=40))

    moved = {
        pk: (name, name_en, updated_at + timedelta(days=40), attributes)
        for pk, (name, name_en, updated_at, attributes) in first.items()
    }
    assert snapshot() == moved


def test_no_two_resources_of_a_platform_share_a_name():
    seed(resources=300)

    names = Counter(Resource.objects.values_list("platform_id", "name"))
    english = Counter(Resource.objects.values_list("platform_id", "name_en"))
    assert max(names.values()) == 1
    assert max(english.values()) == 1


def test_nor_in_a_catalogue_of_2000():
    """Drawn without the database: a name is a function of the seed and the index."""
    ids = {spec.slug: n for n, spec in enumerate(demo.platform_specs())}
    drafts = [
        demo.build_resource(i, seed=demo.DEFAULT_SEED, platform_ids=ids, today=TODAY).resource
        for i in range(2000)
    ]

    names = Counter((resource.platform_id, resource.name) for resource in drafts)
    english = Counter((resource.platform_id, resource.name_en) for resource in drafts)
    assert max(names.values()) == 1
    assert max(english.values()) == 1


def test_two_runs_with_the_same_seed_produce_identical_names():
    seed(seed=7)
    first = snapshot()
    Resource.objects.all().delete()

    seed(seed=7)

    assert snapshot() == first


def test_another_seed_produces_other_resources_under_the_same_ids():
    seed(seed=7)
    first = snapshot()
    Resource.objects.all().delete()

    seed(seed=8)

    assert snapshot().keys() == first.keys()
    assert snapshot() != first


@pytest.mark.parametrize(
    "term", ["算力", "大模型", "GPU", "芯片", "操作系统", "数据集", "large model", "RISC-V"]
)
def test_the_default_catalogue_answers_common_searches(term):
    seed(resources=300)

    assert Search(parse(term), Filters({"status": ["active"]})).ids(limit=1)
