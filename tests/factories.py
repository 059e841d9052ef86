"""factory-boy factories for the registry's models."""

import itertools
from collections.abc import Sequence
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Max
from django.utils import timezone

from core.roles import CURATORS_GROUP
from openness.models import Batch, Entry
from registry.models import Platform, Resource, Tag
from registry.snapshots import resource_snapshot
from registry.validators import credit_code_check_character

_serial = itertools.count(1)

VALID_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "data": {
        "formats": ["csv", "json"],
        "update_frequency": "daily",
        "classification_level": "general",
    },
    "compute": {
        "accelerator_kind": "gpu",
        "accelerator_model": "A800",
        "capacity_pflops": 12.5,
        "billing_unit": "card_hour",
    },
    "algorithm": {"modality": ["text"], "api_available": True, "parameter_scale": "7B"},
    "chip": {"architecture": "risc_v", "availability": "dev_board", "process_node_nm": 12},
    "operating_system": {
        "kernel": "Linux 6.6",
        "target_devices": ["server"],
        "cpu_architectures": ["x86_64", "aarch64"],
    },
    "terminal": {"device_category": "smartphone", "os": "HarmonyOS"},
}


#: A valid body for ``POST /api/v1/resources/``: a compute draft of platform A.
NEW_RESOURCE: dict[str, Any] = {
    "platform": "platform-a",
    "resource_type": "compute",
    "name": "昇腾算力券",
    "access_model": "free_quota",
    "attributes": VALID_ATTRIBUTES["compute"],
}


def make_credit_code(serial: int, division: str = "440300") -> str:
    """A valid unified social credit code whose organisation part carries ``serial``."""
    first17 = f"91{division}{serial:08d}X"[:17]
    first17 = first17.replace("X", "A")
    return first17 + credit_code_check_character(first17)


def regions_given_or_guangdong(
    obj: Any, create: bool, extracted: list[str] | None, **kwargs: Any
) -> None:
    """A factory's ``regions``: the codes given, else Guangdong (none when nationwide)."""
    if create:
        obj.regions.set(
            extracted if extracted is not None else ([] if obj.nationwide else ["440000"])
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class CuratorFactory(UserFactory):
    @factory.post_generation
    def curators_group(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
            self.groups.add(group)


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"platform-{n}")
    name = factory.Sequence(lambda n: f"示例平台{n}科技有限公司")
    name_en = factory.Sequence(lambda n: f"Example Platform {n} Technology Co., Ltd.")
    credit_code = factory.LazyFunction(lambda: make_credit_code(next(_serial)))
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.cn")
    headquarters_region_id = "440000"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """An active compute resource in Guangdong, unless told otherwise.

    ``regions``, ``industries`` and ``tags`` take lists of codes / names.
    """

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    platform = factory.SubFactory(PlatformFactory)
    resource_type = "compute"
    name = factory.Sequence(lambda n: f"资源{n}")
    name_en = factory.Sequence(lambda n: f"Resource {n}")
    summary = "面向中小企业开放"
    access_model = "free_quota"
    status = "active"
    attributes = factory.LazyAttribute(lambda o: dict(VALID_ATTRIBUTES[o.resource_type]))

    regions = factory.PostGeneration(regions_given_or_guangdong)

    @factory.post_generation
    def industries(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create:
            self.industries.set(extracted if extracted is not None else ["I"])

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.tags.set([TagFactory(name=Tag.normalise(name)) for name in extracted])


def bulk_resources(
    count: int,
    *,
    platforms: Sequence[Platform],
    resource_type: str = "compute",
    access_model: str = "free_quota",
    status: str = "active",
    tags: Sequence[str] = ("gpu", "算力"),
    regions: Sequence[str] = ("440000", "110000"),
    industries: Sequence[str] = ("I", "C"),
) -> list[Resource]:
    """``count`` resources spread over ``platforms``, each with every tag, region and industry
    given, in a handful of queries (for query-count and pagination tests)."""
    resources = Resource.objects.bulk_create(
        [
            Resource(
                platform=platforms[index % len(platforms)],
                resource_type=resource_type,
                name=f"批量资源{index:04d}",
                name_en=f"Bulk resource {index:04d}",
                access_model=access_model,
                status=status,
                attributes=dict(VALID_ATTRIBUTES[resource_type]),
            )
            for index in range(count)
        ]
    )
    tag_objects = [TagFactory(name=Tag.normalise(name)) for name in tags]
    tagged, placed, classified = (
        Resource.tags.through,
        Resource.regions.through,
        Resource.industries.through,
    )
    tagged.objects.bulk_create([tagged(resource=r, tag=t) for r in resources for t in tag_objects])
    placed.objects.bulk_create(
        [placed(resource=r, region_id=c) for r in resources for c in regions]
    )
    classified.objects.bulk_create(
        [classified(resource=r, industry_id=c) for r in resources for c in industries]
    )
    return resources


# Openness lists -------------------------------------------------------------------------------


class BatchFactory(factory.django.DjangoModelFactory):
    """A draft batch numbered after the last one (``status`` may be given: made directly, not
    through the services)."""

    class Meta:
        model = Batch

    number = factory.LazyFunction(
        lambda: (Batch.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    )
    title = factory.LazyAttribute(lambda o: f"第{o.number}批平台开放清单")
    title_en = factory.LazyAttribute(lambda o: f"Platform Openness List, Batch {o.number}")
    year = 2026


class EntryFactory(factory.django.DjangoModelFactory):
    """A submission of an active resource to a batch, its search columns copied from the resource.

    Made directly (not through ``entry_submit``), so any status works; ``listed=True`` gives a
    listed entry with a number, a snapshot and its version (put it in a published batch)."""

    class Meta:
        model = Entry

    class Params:
        listed = factory.Trait(
            status="listed",
            sequence=factory.Sequence(lambda n: n + 1),
            snapshot=factory.LazyAttribute(lambda o: resource_snapshot(o.resource)),
            listed_version=factory.LazyAttribute(lambda o: o.resource.version),
            listed_at=factory.LazyFunction(timezone.now),
        )

    batch = factory.SubFactory(BatchFactory, status="open")
    resource = factory.SubFactory(ResourceFactory)
    status = "submitted"
    platform = factory.LazyAttribute(lambda o: o.resource.platform)
    resource_type = factory.LazyAttribute(lambda o: o.resource.resource_type)
    access_model = factory.LazyAttribute(lambda o: o.resource.access_model)
    nationwide = factory.LazyAttribute(lambda o: o.resource.nationwide)
    submitted_at = factory.LazyFunction(timezone.now)


# Pilots -----------------------------------------------------------------------------------------


class ScenarioFactory(factory.django.DjangoModelFactory):
    """A candidate scenario in manufacturing (``maturity`` may be given: made directly, not through
    the services)."""

    class Meta:
        model = "pilots.Scenario"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"SCN-{n:03d}")
    name = factory.Sequence(lambda n: f"智能应用场景{n}")
    name_en = factory.Sequence(lambda n: f"Application scenario {n}")
    industry_id = "C"
    ai_capability = "vision"


class ServicePlatformFactory(factory.django.DjangoModelFactory):
    """A service platform serving Guangdong, run by a new platform unless told otherwise."""

    class Meta:
        model = "pilots.ServicePlatform"
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"中小企业服务平台{n}")
    name_en = factory.Sequence(lambda n: f"SME service platform {n}")
    operator = factory.SubFactory(PlatformFactory)
    services = factory.LazyFunction(lambda: ["算力券申领", "模型微调指导"])
    launched_year = 2026

    regions = factory.PostGeneration(regions_given_or_guangdong)


class PilotProjectFactory(factory.django.DjangoModelFactory):
    """A proposed pilot led by a new platform, in Guangdong's manufacturing (``status`` and the
    rest may be given: made directly, not through the services). ``resources`` takes a list."""

    class Meta:
        model = "pilots.PilotProject"
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"PILOT-{n:03d}")
    name = factory.Sequence(lambda n: f"开放资源试点项目{n}")
    name_en = factory.Sequence(lambda n: f"Pilot project {n}")
    lead_platform = factory.SubFactory(PlatformFactory)
    region_id = "440000"
    industry_id = "C"

    @factory.post_generation
    def resources(self, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.resources.set(extracted)
