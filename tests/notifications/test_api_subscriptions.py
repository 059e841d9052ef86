"""Subscriptions through the API, as their owner (and everyone else) meets them.

Host names resolve through a fake resolver (``hooks.example.com`` is public,
``internal.example.com`` private), so the SSRF guard judges the addresses a real resolver would
give, without a network. Deliveries that must really arrive go to a receiver on 127.0.0.1
(pytest-httpserver), allow-listed for the test; signatures are checked with the
``standardwebhooks`` package, an independent verifier.
"""

import base64
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone
from pytest_httpserver import HTTPServer
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from config import crypto
from core.models import Event
from notifications import services
from notifications.models import Delivery, Subscription
from tests.api_cases import assert_problem, rows
from tests.factories import PlatformFactory, UserFactory
from tests.notifications.helpers import ALL_EVENT_TYPES, run_tasks, subscription_of
from tests.openness.helpers import active_resource, curator_user, published_batch

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/api/v1/subscriptions/"
PUBLIC_HOOK = "https://hooks.example.com/registry"
DNS = {
    "hooks.example.com": ["93.184.216.34"],
    "internal.example.com": ["10.1.2.3"],
    "mixed.example.com": ["93.184.216.34", "192.168.1.10"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, port: int) -> list[str]:
        return DNS.get(host, [])

    monkeypatch.setattr("notifications.webhooks.addresses.resolve", resolve)


@pytest.fixture
def owner(sme_user: Any) -> Any:
    return sme_user


@pytest.fixture
def client(owner: Any) -> APIClient:
    client = APIClient()
    client.force_login(owner)
    return client


@pytest.fixture
def receiver(httpserver: HTTPServer, settings: Any) -> str:
    """A receiver on 127.0.0.1 that answers 200, allow-listed; returns its URL."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    return f"http://127.0.0.1:{httpserver.port}/hook"


def create(client: APIClient, **body: Any) -> Any:
    return client.post(SUBSCRIPTIONS, {"name": "广东算力", **body}, format="json")


def detail(subscription: Any, action: str = "") -> str:
    return f"{SUBSCRIPTIONS}{subscription.pk}/{action + '/' if action else ''}"


def webhooks_received(httpserver: HTTPServer) -> list[tuple[bytes, dict[str, str]]]:
    return [(request.get_data(), dict(request.headers)) for request, _ in httpserver.log]


# Creating, reading, changing, deleting ------------------------------------------------------------


def test_creating_a_subscription_answers_201_with_its_signing_secret(client, owner):
    response = create(client, query="type=compute&region=440000", webhook_url=PUBLIC_HOOK)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"), validate=True)) == 32
    assert body["query"] == "region=440000&type=compute"
    assert body["event_types"] == sorted(ALL_EVENT_TYPES)
    assert body["webhook_url"] == PUBLIC_HOOK
    assert (body["active"], body["disabled_reason"]) == (True, "")
    assert Subscription.objects.get(pk=body["id"]).owner == owner


def test_the_secret_is_never_shown_again(client):
    created = create(client).json()
    for url in (SUBSCRIPTIONS, f"{SUBSCRIPTIONS}{created['id']}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "secret" not in response.content.decode()
    patched = client.patch(f"{SUBSCRIPTIONS}{created['id']}/", {"name": "改名"}, format="json")
    assert "secret" not in patched.json()


def test_the_secret_is_stored_only_encrypted(client):
    secret = create(client).json()["secret"]
    stored = Subscription.objects.get()
    assert secret not in stored.secret_encrypted
    assert secret.removeprefix("whsec_") not in stored.secret_encrypted
    assert crypto.decrypt(stored.secret_encrypted) == secret


def test_two_subscriptions_get_different_secrets(client):
    assert create(client).json()["secret"] != create(client).json()["secret"]


def test_a_client_cannot_choose_its_own_secret(client):
    response = create(client, secret="whsec_" + base64.b64encode(b"x" * 32).decode())
    assert_problem(response, 400, attr="secret")
    assert not Subscription.objects.exists()


def test_without_a_webhook_url_the_subscription_is_pull_only(client):
    for body in ({}, {"webhook_url": ""}, {"webhook_url": None}):
        response = create(client, **body)
        assert response.status_code == 201, response.content
        assert response.json()["webhook_url"] is None
    assert set(Subscription.objects.values_list("webhook_url", flat=True)) == {""}


def test_the_list_shows_only_your_own_subscriptions(client, owner):
    mine, _ = subscription_of(owner, name="我的")
    subscription_of(UserFactory(username="someone-else"), name="别人的")
    assert [item["id"] for item in rows(client.get(SUBSCRIPTIONS))] == [mine.pk]


def test_changing_a_subscription_checks_and_saves_the_new_values(client, owner):
    subscription, _ = subscription_of(owner)
    response = client.patch(
        detail(subscription),
        {"query": "region=440000&type=data,compute", "webhook_url": PUBLIC_HOOK},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["query"] == "region=440000&type=data,compute"
    subscription.refresh_from_db()
    assert (subscription.query, subscription.webhook_url) == (
        "region=440000&type=data,compute",
        PUBLIC_HOOK,
    )


def test_a_refused_change_changes_nothing(client, owner):
    subscription, _ = subscription_of(owner, "type=compute", name="原名")
    response = client.patch(
        detail(subscription), {"name": "新名", "query": "type=nope"}, format="json"
    )
    assert_problem(response, 400, attr="query.type")
    subscription.refresh_from_db()
    assert (subscription.name, subscription.query) == ("原名", "type=compute")


def test_deleting_a_subscription_deletes_its_deliveries(client, owner):
    subscription, _ = subscription_of(owner)
    services.subscription_ping(subscription_id=subscription.pk)
    assert client.delete(detail(subscription)).status_code == 204
    assert not Subscription.objects.exists()
    assert not Delivery.objects.exists()


# The query --------------------------------------------------------------------------------------


def test_the_query_is_saved_in_its_canonical_form(client):
    response = create(client, query="?type=compute&region=440000&type=compute&ordering=name")
    assert response.json()["query"] == "region=440000&type=compute"


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("colour=blue", "query.colour"),
        ("type=compute&colour=blue", "query.colour"),
        ("type=nope", "query.type"),
        ("region=999999", "query.region"),
        ("industry=Z", "query.industry"),
        ("platform=unknown", "query.platform"),
        ("batch=first", "query.batch"),
        ("updated_since=yesterday", "query.updated_since"),
    ],
)
def test_a_query_the_search_would_refuse_is_a_400_naming_the_parameter(client, query, attr):
    body = assert_problem(create(client, query=query), 400, attr=attr)
    assert [error["attr"] for error in body["errors"]] == [attr]
    assert not Subscription.objects.exists()


def test_a_query_naming_a_platform_that_exists_is_accepted(client):
    PlatformFactory(slug="platform-a")
    assert create(client, query="platform=platform-a").status_code == 201


# Event types ------------------------------------------------------------------------------------


def test_event_types_are_a_subset_of_the_known_ones_saved_sorted_and_once(client):
    response = create(client, event_types=["resource.withdrawn", "entry.listed", "entry.listed"])
    assert response.json()["event_types"] == ["entry.listed", "resource.withdrawn"]


@pytest.mark.parametrize(
    "event_types",
    [["ping"], ["entry.listed", "resource.exploded"], ["batch.opened"], [], "entry.listed"],
)
def test_unknown_or_unsubscribable_event_types_are_refused(client, event_types):
    body = assert_problem(create(client, event_types=event_types), 400)
    assert all(error["attr"].startswith("event_types") for error in body["errors"]), body
    assert not Subscription.objects.exists()


# The webhook URL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://internal.example.com/hook",
        "https://mixed.example.com/hook",
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://nowhere.example.com/hook",
        "https://user:pass@hooks.example.com/hook",
        "ftp://hooks.example.com/hook",
    ],
)
def test_a_webhook_url_the_registry_will_not_call_is_a_400(client, url):
    assert_problem(create(client, webhook_url=url), 400, attr="webhook_url")
    assert not Subscription.objects.exists()


def test_plain_http_is_refused_unless_debug_is_on_or_the_address_is_allow_listed(client, settings):
    settings.DEBUG = False
    assert_problem(create(client, webhook_url="http://hooks.example.com/hook"), 400)

    settings.DEBUG = True
    assert create(client, webhook_url="http://hooks.example.com/hook").status_code == 201

    settings.DEBUG = False
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert create(client, webhook_url="http://internal.example.com/hook").status_code == 201
    assert Subscription.objects.count() == 2


def test_allow_listing_one_network_still_refuses_its_neighbours(client, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    assert create(client, webhook_url="http://127.0.0.2:8080/hook").status_code == 201
    assert_problem(create(client, webhook_url="http://127.0.0.1:8080/hook"), 400)


def test_a_private_address_is_refused_on_change_too(client, owner):
    subscription, _ = subscription_of(owner, webhook_url=PUBLIC_HOOK)
    response = client.patch(
        detail(subscription), {"webhook_url": "https://internal.example.com/x"}, format="json"
    )
    assert_problem(response, 400, attr="webhook_url")
    subscription.refresh_from_db()
    assert subscription.webhook_url == PUBLIC_HOOK


# The quota --------------------------------------------------------------------------------------


def test_past_the_quota_a_new_subscription_is_a_409_and_nothing_is_created(client, settings):
    settings.SUBSCRIPTIONS_PER_USER = 2
    assert [create(client).status_code for _ in range(2)] == [201, 201]
    body = assert_problem(create(client), 409)
    assert body["type"] == "/api/problems/subscription-quota"
    assert Subscription.objects.count() == 2

    other = APIClient()
    other.force_login(UserFactory(username="another-sme"))
    assert create(other).status_code == 201


def test_deleting_a_subscription_frees_a_place_in_the_quota(client, settings):
    settings.SUBSCRIPTIONS_PER_USER = 1
    first = create(client).json()
    assert create(client).status_code == 409
    client.delete(f"{SUBSCRIPTIONS}{first['id']}/")
    assert create(client).status_code == 201


# Who may do what: the owner, and nobody else ------------------------------------------------------

OWNER_ONLY = [
    ("GET", "{subscription}", None, 200),
    ("PATCH", "{subscription}", {"name": "改名"}, 200),
    ("DELETE", "{subscription}", None, 204),
    ("POST", "{subscription}rotate-secret/", None, 200),
    ("POST", "{subscription}reactivate/", None, 200),
    ("POST", "{subscription}ping/", None, 202),
    ("GET", "{subscription}events/", None, 200),
    ("GET", "{subscription}deliveries/", None, 200),
    ("GET", "{delivery}", None, 200),
    ("POST", "{delivery}redeliver/", None, 202),
]
ROLES = {"anonymous": 401, "owner": None, "other": 404, "curator": 404}


def client_as(role: str, owner: Any) -> APIClient:
    client = APIClient()
    users = {"owner": owner, "other": UserFactory(username="other"), "curator": curator_user()}
    if role in users:
        client.force_login(users[role])
    return client


def state(subscription: Subscription) -> tuple[Any, ...]:
    """What any owner-only request could change."""
    row = Subscription.objects.filter(pk=subscription.pk).values().first()
    deliveries = list(Delivery.objects.order_by("id").values())
    return row, deliveries, Event.objects.count()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "owner_status"), OWNER_ONLY)
def test_only_the_owner_may_see_or_touch_a_subscription(
    owner, role, method, url, body, owner_status
):
    subscription, _ = subscription_of(owner, webhook_url=PUBLIC_HOOK)
    delivery = services.subscription_ping(subscription_id=subscription.pk)
    target = url.format(
        subscription=detail(subscription), delivery=f"/api/v1/deliveries/{delivery.pk}/"
    )
    before = state(subscription)
    client = client_as(role, owner)
    response = getattr(client, method.lower())(target, body, format="json")
    if role == "owner":
        assert response.status_code == owner_status, response.content
        return
    assert_problem(response, ROLES[role])
    assert state(subscription) == before


def test_the_deliveries_of_someone_elses_subscription_are_not_listed_either(owner):
    subscription, _ = subscription_of(owner)
    services.subscription_ping(subscription_id=subscription.pk)
    response = client_as("curator", owner).get(f"{detail(subscription)}deliveries/")
    assert_problem(response, 404)


# Rotating the secret ----------------------------------------------------------------------------


def ping_and_deliver(client: APIClient, subscription: Any) -> None:
    assert client.post(detail(subscription, "ping")).status_code == 202
    run_tasks()


def test_rotating_the_secret_returns_a_new_one_and_signs_with_both_for_a_day(
    client, owner, receiver, httpserver
):
    subscription, old = subscription_of(owner, webhook_url=receiver)
    response = client.post(detail(subscription, "rotate-secret"))
    assert response.status_code == 200, response.content
    new = response.json()["secret"]
    assert new.startswith("whsec_")
    assert new != old
    assert "secret" not in client.get(detail(subscription)).json()

    ping_and_deliver(client, subscription)
    [(body, headers)] = webhooks_received(httpserver)
    assert len(headers["Webhook-Signature"].split(" ")) == 2
    assert Webhook(new).verify(body, headers)["type"] == "ping"
    assert Webhook(old).verify(body, headers)["type"] == "ping"

    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1), tick=False):
        httpserver.clear_log()
        ping_and_deliver(client, subscription)
        [(body, headers)] = webhooks_received(httpserver)
        assert len(headers["Webhook-Signature"].split(" ")) == 1
        assert Webhook(new).verify(body, headers)["type"] == "ping"
        with pytest.raises(WebhookVerificationError):
            Webhook(old).verify(body, headers)


def test_rotating_twice_keeps_only_the_secret_just_replaced(client, owner, receiver, httpserver):
    subscription, first = subscription_of(owner, webhook_url=receiver)
    second = client.post(detail(subscription, "rotate-secret")).json()["secret"]
    third = client.post(detail(subscription, "rotate-secret")).json()["secret"]
    ping_and_deliver(client, subscription)
    [(body, headers)] = webhooks_received(httpserver)
    Webhook(third).verify(body, headers)
    Webhook(second).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(first).verify(body, headers)


# Reactivating -----------------------------------------------------------------------------------


def disabled(owner: Any, **data: Any) -> Subscription:
    subscription, _ = subscription_of(owner, **data)
    Subscription.objects.filter(pk=subscription.pk).update(
        active=False,
        disabled_reason="The receiver answered 410 Gone: it wants no more events.",
        disabled_at=timezone.now(),
        failing_since=timezone.now(),
    )
    return subscription


def test_reactivating_clears_why_it_was_disabled(client, owner):
    subscription = disabled(owner)
    assert client.get(detail(subscription)).json()["disabled_reason"].startswith("The receiver")
    response = client.post(detail(subscription, "reactivate"))
    assert response.status_code == 200
    body = response.json()
    assert (body["active"], body["disabled_reason"], body["disabled_at"]) == (True, "", None)
    assert body["failing_since"] is None


def test_setting_active_to_true_reactivates_too(client, owner):
    subscription = disabled(owner)
    response = client.patch(detail(subscription), {"active": True}, format="json")
    assert (response.json()["active"], response.json()["disabled_reason"]) == (True, "")


def test_reactivating_sends_the_deliveries_still_pending(client, owner, receiver, httpserver):
    subscription, _ = subscription_of(owner, webhook_url=receiver)
    delivery = services.subscription_ping(subscription_id=subscription.pk)
    Subscription.objects.filter(pk=subscription.pk).update(active=False)
    run_tasks()
    assert webhooks_received(httpserver) == []

    client.post(detail(subscription, "reactivate"))
    run_tasks()
    [(_, headers)] = webhooks_received(httpserver)
    assert headers["Webhook-Id"] == delivery.webhook_id


# Ping -------------------------------------------------------------------------------------------


def test_a_ping_answers_202_with_the_delivery_it_made(client, owner):
    subscription, _ = subscription_of(owner, webhook_url=PUBLIC_HOOK)
    response = client.post(detail(subscription, "ping"))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    assert body["event"]["type"] == "ping"
    assert body["matched"] == {"event_type": "ping", "requested": True}
    assert Delivery.objects.get().webhook_id == body["webhook_id"]


def test_a_ping_without_a_webhook_goes_to_the_pull_feed(client, owner):
    subscription, _ = subscription_of(owner)
    assert client.post(detail(subscription, "ping")).json()["status"] == "pull"
    feed = client.get(detail(subscription, "events")).json()["results"]
    assert [event["type"] for event in feed] == ["ping"]


def test_a_ping_is_not_in_the_public_feed_nor_anyone_elses(client, owner):
    subscription, _ = subscription_of(owner)
    someone_else, _ = subscription_of(UserFactory(username="other"))
    client.post(detail(subscription, "ping"))
    run_tasks()
    assert rows(client.get("/api/v1/events/")) == []
    assert not Delivery.objects.filter(subscription=someone_else).exists()


def test_a_disabled_subscription_cannot_be_pinged(client, owner):
    subscription = disabled(owner)
    body = assert_problem(client.post(detail(subscription, "ping")), 409)
    assert body["type"] == "/api/problems/subscription-disabled"
    assert not Delivery.objects.exists()


@pytest.fixture
def pings_limited(throttling: Any) -> None:
    throttling(ping="2/min")


def test_pings_are_rate_limited_per_user(client, owner, pings_limited):
    subscription, _ = subscription_of(owner)
    statuses = [client.post(detail(subscription, "ping")).status_code for _ in range(3)]
    assert statuses == [202, 202, 429]
    assert_problem(client.post(detail(subscription, "ping")), 429)
    assert Delivery.objects.count() == 2
    assert client.get(detail(subscription)).status_code == 200  # other requests are not limited

    other = APIClient()
    other_owner = UserFactory(username="other")
    other.force_login(other_owner)
    theirs, _ = subscription_of(other_owner)
    assert other.post(detail(theirs, "ping")).status_code == 202


# Redelivering -----------------------------------------------------------------------------------


def test_redelivering_a_dead_delivery_sends_it_again_with_the_same_webhook_id(
    client, owner, receiver, httpserver
):
    subscription, _ = subscription_of(owner, webhook_url=receiver)
    delivery = services.subscription_ping(subscription_id=subscription.pk)
    run_tasks()
    Delivery.objects.filter(pk=delivery.pk).update(status="dead")  # as after its last retry

    response = client.post(f"/api/v1/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    run_tasks()
    ids = [headers["Webhook-Id"] for _, headers in webhooks_received(httpserver)]
    assert ids == [delivery.webhook_id, delivery.webhook_id]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


def test_a_pull_only_subscription_has_nothing_to_redeliver(client, owner):
    subscription, _ = subscription_of(owner)
    delivery = services.subscription_ping(subscription_id=subscription.pk)
    body = assert_problem(client.post(f"/api/v1/deliveries/{delivery.pk}/redeliver/"), 409)
    assert body["type"] == "/api/problems/no-webhook"
    delivery.refresh_from_db()
    assert delivery.status == "pull"


def test_a_delivery_being_sent_cannot_be_redelivered_meanwhile(client, owner):
    subscription, _ = subscription_of(owner, webhook_url=PUBLIC_HOOK)
    delivery = services.subscription_ping(subscription_id=subscription.pk)
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", lease_until=timezone.now() + timedelta(seconds=30)
    )
    body = assert_problem(client.post(f"/api/v1/deliveries/{delivery.pk}/redeliver/"), 409)
    assert body["type"] == "/api/problems/delivery-in-progress"


# Deliveries and the pull feed -------------------------------------------------------------------


def test_the_deliveries_list_is_newest_first_and_filters_by_status(client, owner):
    subscription, _ = subscription_of(owner, webhook_url=PUBLIC_HOOK)
    first = services.subscription_ping(subscription_id=subscription.pk)
    second = services.subscription_ping(subscription_id=subscription.pk)
    Delivery.objects.filter(pk=first.pk).update(status="dead", attempts=8, last_status_code=500)
    url = detail(subscription, "deliveries")

    assert [d["id"] for d in rows(client.get(url))] == [second.pk, first.pk]
    dead = rows(client.get(url, {"status": "dead"}))
    assert [(d["id"], d["attempts"], d["last_status_code"]) for d in dead] == [(first.pk, 8, 500)]
    assert [d["id"] for d in rows(client.get(url, {"status": "pending"}))] == [second.pk]
    assert rows(client.get(url, {"status": "succeeded"})) == []
    assert_problem(client.get(url, {"status": "lost"}), 400, attr="status")


@pytest.fixture
def matched_feed(owner: Any) -> tuple[Subscription, list[int]]:
    """A pull-only subscription to Guangdong compute after a batch listed three such resources
    and one in Beijing; returns it and the ids of the events it matched."""
    subscription, _ = subscription_of(owner, "type=compute&region=440000")
    platform = PlatformFactory(slug="platform-a")
    resources = [active_resource(platform) for _ in range(3)]
    published_batch(curator_user(), [*resources, active_resource(platform, regions=["110000"])])
    run_tasks()
    matched = sorted(Delivery.objects.values_list("event_id", flat=True))
    assert len(matched) == 4  # batch.published and three entry.listed
    return subscription, matched


def test_the_pull_feed_lists_the_matched_events_in_order_with_why(client, matched_feed):
    subscription, matched = matched_feed
    feed = client.get(detail(subscription, "events"), {"page_size": 100}).json()
    assert [event["id"] for event in feed["results"]] == matched
    assert [event["type"] for event in feed["results"]] == ["batch.published"] + 3 * [
        "entry.listed"
    ]
    for event in feed["results"]:
        assert event["delivery"]["matched"]["query"] == "region=440000&type=compute"
        assert event["delivery"]["webhook_id"].startswith("msg_")
    assert feed["next"] is not None


def test_the_pull_feed_pages_by_cursor_and_its_next_link_never_ends(client, owner, matched_feed):
    subscription, matched = matched_feed
    seen: list[int] = []
    page = client.get(detail(subscription, "events"), {"page_size": 3}).json()
    for _ in range(3):
        seen.extend(event["id"] for event in page["results"])
        assert page["next"] is not None
        page = client.get(page["next"]).json()
    assert seen == matched
    assert page["results"] == []

    # Caught up: the same link shows what matches next.
    services.subscription_ping(subscription_id=subscription.pk)
    later = client.get(page["next"]).json()
    assert [event["type"] for event in later["results"]] == ["ping"]
    assert urlsplit(later["next"]).path == detail(subscription, "events")


def test_the_pull_feed_refuses_a_cursor_it_did_not_make(client, matched_feed):
    subscription, _ = matched_feed
    assert_problem(client.get(detail(subscription, "events"), {"cursor": "not-a-cursor"}), 400)


@pytest.mark.parametrize("action", ["", "events", "deliveries"])
def test_an_unknown_query_parameter_is_a_400_naming_it(client, owner, action):
    subscription, _ = subscription_of(owner)
    assert_problem(client.get(detail(subscription, action), {"colour": "blue"}), 400, attr="colour")


def test_an_unknown_query_parameter_on_the_list_is_a_400_naming_it(client):
    assert_problem(client.get(SUBSCRIPTIONS, {"status": "dead"}), 400, attr="status")
