"""Who acts in the demo's openness lists (``openness.demo``): the demo curator, one publisher per
demo platform, and the demo SME, who acts in no batch."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.roles import CURATORS_GROUP
from registry import demo as registry_demo
from registry import services as registry_services
from registry.models import Platform, Resource

CURATOR_USERNAME = "demo-curator"
SME_USERNAME = "demo-sme"


@dataclass
class Actors:
    curator: Any
    publishers: dict[int, Any]  # platform id → its demo publisher

    def publisher_of(self, resource: Resource) -> Any:
        return self.publishers.get(resource.platform_id, self.curator)


def _user(username: str, email: str) -> Any:
    # ``date_joined`` defaults to the real ``timezone.now`` (bound before the demo clock runs).
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email, "date_joined": timezone.now()}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed_actors() -> Actors:
    """The ``demo-curator`` (in the curators group) and one publisher per demo platform; and the
    ``demo-sme``, who acts in no batch."""
    curator = _user(CURATOR_USERNAME, "curator@registry.example.cn")
    curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    specs = {spec.slug: spec for spec in registry_demo.platform_specs()}
    publishers = {}
    for platform in Platform.objects.filter(slug__in=list(specs)).order_by("slug"):
        user = _user(f"{platform.slug}-publisher", f"publisher@{specs[platform.slug].host}")
        registry_services.member_add(actor=curator, platform=platform, user=user)
        publishers[platform.pk] = user
    _user(SME_USERNAME, "sme@registry.example.cn")
    return Actors(curator, publishers)
