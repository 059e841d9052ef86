"""``manage.py demo_accounts``: sign-in accounts for each role of the demo, in development only.

    manage.py demo_accounts     # new passwords for demo-curator, a publisher and demo-sme

Gives the demo curator, the publisher of the first demo platform and the demo SME (the users
``seed_demo`` writes, ``openness.demo_actors.seed_actors``; created here when missing) a fresh
random password each, and prints them in a table with what to try as each role. ``make run``
calls it after ``seed_demo``, before serving. Every run replaces the passwords of the run before:
none is fixed or known beforehand.

With DEBUG off it refuses and changes nothing, so a production registry's demo users, if it has
any, keep no usable password.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from openness import demo_actors
from openness.choices import BatchStatus
from openness.models import Batch
from registry import demo as registry_demo
from registry.choices import ResourceStatus
from registry.models import Platform, Resource


@dataclass
class DemoAccount:
    role: str
    user: Any
    password: str
    tries: list[str]


class Command(BaseCommand):
    help = (
        "Development only (DEBUG on): give the demo curator, one demo publisher and the demo SME "
        "a new random password each and print them, with what to try as each role."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_accounts gives the demo users passwords, which only development may do: "
                "DEBUG is off. In production create real accounts (manage.py createsuperuser, "
                "the platforms' members, self-registration)."
            )
        accounts = demo_accounts_issue(site=settings.SITE_URL)
        self.stdout.write(_table(accounts, site=settings.SITE_URL))
        if not any(account.role == "publisher" for account in accounts):
            self.stdout.write("No demo platform yet (manage.py seed_demo): no publisher account.")


@transaction.atomic
def demo_accounts_issue(*, site: str) -> list[DemoAccount]:
    """The demo curator, a demo publisher (when a demo platform exists) and the demo SME, each
    with a new random password, set here."""
    actors = demo_actors.seed_actors()
    sme = get_user_model()._default_manager.get(username=demo_actors.SME_USERNAME)
    open_batch = Batch.objects.filter(status=BatchStatus.OPEN).order_by("number").first()
    roles = [("curator", actors.curator, _curator_tries(site, open_batch))]
    platform = _first_demo_platform(actors.publishers)
    if platform is not None:
        publisher = actors.publishers[platform.pk]
        roles.append(("publisher", publisher, _publisher_tries(site, platform, open_batch)))
    roles.append(("SME", sme, _sme_tries(site)))
    accounts = []
    for role, user, tries in roles:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        accounts.append(DemoAccount(role, user, password, tries))
    return accounts


def _first_demo_platform(publishers: dict[int, Any]) -> Platform | None:
    """The first demo platform (in the fixtures' order) that has its demo publisher."""
    by_slug = {p.slug: p for p in Platform.objects.filter(pk__in=list(publishers))}
    slugs = [spec.slug for spec in registry_demo.platform_specs() if spec.slug in by_slug]
    return by_slug[slugs[0]] if slugs else None


def _curator_tries(site: str, open_batch: Batch | None) -> list[str]:
    tries = [f"sign in to the admin: {site}/admin/"]
    if open_batch is not None:
        tries.append(
            f"review batch {open_batch.number}'s submissions: "
            f"{site}/admin/openness/entry/?status__exact=submitted"
        )
    return tries


def _publisher_tries(site: str, platform: Platform, open_batch: Batch | None) -> list[str]:
    tries = [
        f"your platform's resources, drafts too: {site}/api/v1/resources/?platform={platform.slug}"
    ]
    if open_batch is None:
        return [*tries, "submit a resource once a batch is open: POST /api/v1/batches/{n}/entries/"]
    resource = (
        Resource.objects.filter(platform=platform, status=ResourceStatus.ACTIVE)
        .exclude(entries__batch=open_batch)
        .order_by("created_at", "pk")
        .first()
    )
    body = f'{{"resource": "{resource.pk if resource else "<id of an active resource>"}"}}'
    return [
        *tries,
        f"submit a resource to the open batch {open_batch.number} (with the token):",
        f"  curl -X POST {site}/api/v1/batches/{open_batch.number}/entries/ "
        f"-H 'Authorization: Bearer opr_…' -H 'Content-Type: application/json' -d '{body}'",
    ]


def _sme_tries(site: str) -> list[str]:
    return [
        "subscribe to a search (with the token):",
        f"  curl -X POST {site}/api/v1/subscriptions/ -H 'Authorization: Bearer opr_…' "
        "-H 'Content-Type: application/json' "
        """-d '{"name": "广东算力", "query": "type=compute&region=440000"}'""",
    ]


def _table(accounts: list[DemoAccount], *, site: str) -> str:
    width = max(len(account.user.get_username()) for account in accounts)
    lines = [
        "Demo accounts — development only; new passwords on every run of "
        "`manage.py demo_accounts` (and so of `make run`):",
        "",
        f"  {'role':<10} {'username':<{width}}  password",
    ]
    lines += [
        f"  {account.role:<10} {account.user.get_username():<{width}}  {account.password}"
        for account in accounts
    ]
    for account in accounts:
        username = account.user.get_username()
        lines += [
            "",
            f"{account.role} ({username}):",
            "  a bearer token (shown once):",
            f"    curl -X POST {site}/api/v1/auth/tokens/ -H 'Content-Type: application/json' "
            f"""-d '{{"username": "{username}", "password": "{account.password}", """
            """"name": "demo"}'""",
            *(f"  {line}" for line in account.tries),
        ]
    return "\n".join(lines)
