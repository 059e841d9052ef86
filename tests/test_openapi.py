"""The OpenAPI document: valid 3.1 with no warnings, and true to what the API answers.

The schemathesis runs drive the operations in-process through the WSGI app with generated
requests, and check that no answer is a server error, every answer matches its schema and every
error is a problem document whose ``status`` is the HTTP status. The first run sends every
operation anonymously (so every write is a 401); the second sends the writes as a curator with a
bearer token, mostly at objects that exist. Both aim many requests at the openness lists the
fixtures build (batches in every status, entries listed, withdrawn, submitted and reviewed), and
at the pilots, scenarios and service platforms they build (pilots in every status).
"""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from openness import services as openness_services
from openness.models import Entry
from registry.attributes import TYPE_SPECS
from registry.models import Resource
from registry.tokens import token_issue
from tests.factories import (
    CuratorFactory,
    PilotProjectFactory,
    PlatformFactory,
    ResourceFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    UserFactory,
)
from tests.openness.helpers import new_batch, open_batch, published_batch, submit

pytestmark = pytest.mark.django_db


def test_the_openapi_document_validates_with_no_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text().startswith("openapi: 3.1.0")


COMMITTED = Path(django_settings.BASE_DIR) / "docs" / "openapi.yaml"


@pytest.mark.parametrize("language", ["zh-hans", "en", ""])
def test_the_served_document_is_the_committed_one_whatever_the_language(api_client, language):
    response = api_client.get(
        "/api/schema/", HTTP_ACCEPT_LANGUAGE=language, HTTP_ACCEPT="application/vnd.oai.openapi"
    )
    assert response.status_code == 200
    assert response.content.decode() == COMMITTED.read_text(), (
        "docs/openapi.yaml is not the served document: run `make schema` and commit it"
    )


def test_the_document_names_its_license_and_a_server_and_gives_actions_readable_ids(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    assert document["info"]["license"] == {"name": "Apache-2.0", "identifier": "Apache-2.0"}
    assert document["servers"] == [
        {"url": "/", "description": "The registry serving this document."}
    ]
    publish = document["paths"]["/api/v1/batches/{number}/publish/"]["post"]
    assert publish["operationId"] == "batches_publish"
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_every_json_get_documents_its_etag_and_the_304_of_if_none_match(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    gets = [(path, ops["get"]) for path, ops in document["paths"].items() if "get" in ops]
    json_gets = [
        (path, op) for path, op in gets if "application/json" in op["responses"]["200"]["content"]
    ]
    assert len(json_gets) >= 30
    for path, op in json_gets:
        assert "ETag" in op["responses"]["200"]["headers"], path
        assert "304" in op["responses"], path
        assert "If-None-Match" in [p["name"] for p in op["parameters"] if p["in"] == "header"], path
    pages = [path for path, op in json_gets if "Link" in op["responses"]["200"]["headers"]]
    assert "/api/v1/resources/" in pages
    assert "/api/v1/events/" in pages


def test_each_set_of_values_is_one_enum_that_parameters_refer_to(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    schemas = document["components"]["schemas"]
    enums = {
        name: frozenset(schema["enum"]) for name, schema in schemas.items() if "enum" in schema
    }
    assert len(set(enums.values())) == len(enums)  # no two components with the same values
    region = next(
        p
        for p in document["paths"]["/api/v1/resources/"]["get"]["parameters"]
        if p["name"] == "region"
    )
    assert region["schema"]["items"] == {"$ref": "#/components/schemas/RegionsEnum"}
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                inline = schema.get("enum") or schema.get("items", {}).get("enum") or []
                assert frozenset(inline) not in enums.values() or not inline, (path, parameter)


def test_no_component_is_described_by_a_base_classs_docstring(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    leaked = [
        name
        for name, schema in document["components"]["schemas"].items()
        if schema.get("description", "").startswith(("The base of every", "Refuses body fields"))
    ]
    assert leaked == []


def test_every_operation_has_a_summary_and_documents_its_errors(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            errors = [status for status in operation["responses"] if status.startswith(("4", "5"))]
            assert "500" in errors, f"{method.upper()} {path} does not document its errors"
            for status in errors:
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content


def test_resource_attributes_are_a_oneof_discriminated_by_resource_type(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    resource = document["components"]["schemas"]["Resource"]
    assert resource["discriminator"]["propertyName"] == "resource_type"
    assert set(resource["discriminator"]["mapping"]) == set(TYPE_SPECS)
    compute = document["components"]["schemas"]["ResourceCompute"]
    assert "capacity_pflops" in compute["properties"]["attributes"]["properties"]


def test_a_resources_polymorphic_body_is_required_where_every_type_has_required_fields(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    resource = document["paths"]["/api/v1/resources/{id}/"]
    assert document["paths"]["/api/v1/resources/"]["post"]["requestBody"]["required"] is True
    assert resource["put"]["requestBody"]["required"] is True
    assert "required" not in resource["patch"]["requestBody"]  # a patch may change nothing


def test_the_webhook_has_an_operation_id_and_no_security_scheme_of_the_api(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    webhook = document["webhooks"]["event"]["post"]
    assert webhook["operationId"] == "event_webhook"
    assert webhook["security"] == []  # the receiver checks the signature headers instead
    assert "webhook-signature" in webhook["description"]


def test_region_and_industry_codes_are_their_one_enum_in_reads_and_writes_alike(api_client):
    schemas = api_client.get("/api/schema/?format=json").json()["components"]["schemas"]
    regions = {"$ref": "#/components/schemas/RegionsEnum"}
    industries = {"$ref": "#/components/schemas/IndustriesEnum"}
    assert schemas["ResourceData"]["properties"]["regions"]["items"] == regions
    assert schemas["ResourceData"]["properties"]["industries"]["items"] == industries
    assert schemas["ServicePlatform"]["properties"]["regions"]["items"] == regions
    assert schemas["Pilot"]["properties"]["region"]["allOf"] == [regions]
    assert schemas["PilotWriteRequest"]["properties"]["industry"]["allOf"] == [industries]
    nullable = schemas["Platform"]["properties"]["headquarters_region"]["oneOf"]
    assert nullable == [regions, {"$ref": "#/components/schemas/NullEnum"}]


def test_multi_valued_filters_are_arrays_and_an_export_takes_the_lists_own(api_client):
    paths = api_client.get("/api/schema/?format=json").json()["paths"]

    def query(path: str) -> dict[str, Any]:
        parameters = paths[path]["get"]["parameters"]
        return {p["name"]: p for p in parameters if p["in"] == "query"}

    listed, exported = query("/api/v1/resources/"), query("/api/v1/exports/resources/")
    assert listed["tag"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert listed["batch"]["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert query("/api/v1/pilots/")["platform"]["schema"]["type"] == "array"
    assert {"q", "cursor", "facets", "ordering"}.isdisjoint(exported)
    for name in ("region", "type", "platform", "tag", "batch", "updated_since"):
        assert exported[name] == listed[name], name


def test_a_created_objects_answer_documents_its_location_and_a_facet_its_buckets(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    created = document["paths"]["/api/v1/resources/"]["post"]["responses"]["201"]["headers"]
    assert created["Location"]["required"] is True
    assert created["ETag"]["required"] is True
    tokens = document["paths"]["/api/v1/auth/tokens/"]["post"]["responses"]["201"]
    assert "Location" not in tokens.get("headers", {})  # a token has no page of its own
    facets = document["components"]["schemas"]["PaginatedResourceList"]["properties"]["facets"]
    assert set(facets["properties"]) == {"type", "region", "platform", "industry", "access_model"}
    assert facets["properties"]["region"]["items"] == {"$ref": "#/components/schemas/FacetBucket"}


def test_the_docs_pages_load_every_asset_from_the_registry_itself(client):
    for page in ("/api/docs/", "/api/redoc/"):
        html = client.get(page).content.decode()
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html


def errors_are_problem_details(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx and 5xx is application/problem+json whose ``status`` is the HTTP status."""
    if response.status_code < 400 or case.method.upper() == "HEAD":
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == "application/problem+json", (
        f"{case.operation.label} answered {response.status_code} as {content_type!r}"
    )
    body = json.loads(response.content)
    assert body.get("status") == response.status_code, (
        f"{case.operation.label} answered {response.status_code} with status {body.get('status')!r}"
    )


CHECKS = [not_a_server_error, response_schema_conformance, errors_are_problem_details]


def fuzzing(*, max_examples: int) -> settings:
    """A run's Hypothesis settings: ``max_examples`` an operation, the same ones every run, no
    deadline; an operation's examples share its function-scoped fixtures (built once, slowly)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Generating the document touches no table, so it can be loaded when the module is collected.
app = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", app)


# The batches' numbers and the entries' ids of the openness lists the fixtures build (entry ids
# differ from test to test on PostgreSQL), so generated requests can name objects that exist.
PUBLISHED_BATCHES = ["1", "2"]
KNOWN_LISTS: dict[str, list[Any]] = {"number": ["1", "2", "3", "4", "5"], "entry": []}


def openness_lists(resources: list[Any]) -> None:
    """Batches 1 and 2 published (so their diff has content: one added, one withdrawn, one kept;
    one listing withdrawn since, one submission rejected), 3 open with a submission, 4 in review
    with an approved entry, 5 a draft. Needs six active resources; the first stays unsubmitted
    to batch 3."""
    r = resources
    first = published_batch(None, r[:3], rejected=[r[3]], title="第一批")
    openness_services.entry_withdraw(
        actor=None, entry_id=first.entries.get(sequence=3).pk, reason="停止开放"
    )
    published_batch(None, [r[1], r[4]], title="第二批")
    submit(open_batch(None, title="第三批"), r[5])
    review = open_batch(None, title="第四批")
    openness_services.entry_approve(actor=None, entry_id=submit(review, r[3]).pk)
    openness_services.batch_close(actor=None, batch_id=review.pk)
    new_batch(None, title="第五批")
    KNOWN_LISTS["entry"] = list(Entry.objects.order_by("pk").values_list("pk", flat=True))


# The pilots, scenarios and service platforms ``pilots_world`` builds, by the path they live under.
KNOWN_PILOTS = {
    "/api/v1/pilots/": ["PILOT-1", "PILOT-2", "PILOT-3", "PILOT-4", "PILOT-5"],
    "/api/v1/scenarios/": ["SCN-1", "SCN-2"],
    "/api/v1/service-platforms/": ["hub-1"],
}


def pilots_world(platform: Any, resources: list[Any]) -> None:
    """A candidate and an implementable scenario, a service platform, and a pilot in every status
    (the first led by an SME and using ``resources``), so answers exercise every schema."""
    ScenarioFactory(code="SCN-1")
    scenario = ScenarioFactory(code="SCN-2", maturity="implementable")
    scenario.implementable_at = scenario.created_at
    scenario.save()
    hub = ServicePlatformFactory(slug="hub-1", operator=platform, regions=["440000"])
    for index, status in enumerate(
        ["proposed", "selected", "in_progress", "completed", "terminated"], start=1
    ):
        lead: dict[str, Any] = {"lead_platform": platform}
        if index == 1:
            lead = {
                "lead_platform": None,
                "lead_sme_name": "深圳示例科技有限公司",
                "lead_sme_credit_code": platform.credit_code,
                "participants": [{"name": "甲公司", "credit_code": None}],
                "milestones": [{"title": "启动", "date": "2026-05-01", "done": True}],
                "evidence_links": ["https://example.cn/pilot"],
            }
        PilotProjectFactory(
            code=f"PILOT-{index}",
            status=status,
            year_selected=None if status == "proposed" else 2026,
            termination_reason="资金未落实" if status == "terminated" else "",
            scenario=scenario,
            service_platform=hub,
            resources=resources[:2] if index == 1 else [],
            **lead,
        )


def on_the_pilots(request: Any) -> bool:
    """Whether the operation under test reads or writes something that shows pilots."""
    operation = request.node.name.partition("[")[2]
    return any(
        part in operation
        for part in ("/pilots/", "/scenarios/", "/service-platforms/", "/platforms/", "/resources/")
    )


def known_path_values(ctx: Any, name: str, generated: Any) -> list[Any]:
    """The generated value, and the objects of the openness lists and the pilots that exist."""
    if name == "number":
        return [generated, *KNOWN_LISTS["number"]]
    if name == "id" and ctx.operation.path.startswith("/api/v1/entries/"):
        return [generated, *KNOWN_LISTS["entry"]]
    for prefix, known in KNOWN_PILOTS.items():
        if name in ("code", "slug") and ctx.operation.path.startswith(prefix):
            return [generated, *known]
    return [generated]


def reads_name_known_lists(ctx: Any, path_parameters: Any) -> Any:
    """Anonymous reads: the generated value, or a batch or entry that exists; published batches
    (the ones anonymous readers see) twice as often as the others."""
    if not path_parameters:
        return st.just(path_parameters)

    def choice(name: str, generated: Any) -> Any:
        known = known_path_values(ctx, name, generated)[1:]
        if not known:
            return st.just(generated)
        if name == "number":
            known_strategy = st.one_of(st.sampled_from(PUBLISHED_BATCHES), st.sampled_from(known))
        else:
            known_strategy = st.sampled_from(known)
        return st.one_of(st.just(generated), known_strategy)

    return st.fixed_dictionaries(
        {name: choice(name, value) for name, value in path_parameters.items()}
    )


def diffs_name_known_batches(ctx: Any, query: Any) -> Any:
    """The generated ``against`` or a published batch (so diffs are computed, not refused)."""
    if not isinstance(query, dict) or "against" not in query:
        return st.just(query)
    known = [{**query, "against": int(number)} for number in PUBLISHED_BATCHES]
    return st.one_of(st.just(query), st.sampled_from(known))


schema.hook("flatmap_path_parameters")(reads_name_known_lists)
schema.hook("flatmap_query")(diffs_name_known_batches)


def on_the_lists(request: Any, methods: tuple[str, ...]) -> bool:
    """Whether the operation under test (named in the test's id) reads or writes the openness
    lists, or resources, which show their listings: only those need the lists built."""
    operation = request.node.name.partition("[")[2]
    return operation.startswith(methods) and any(
        part in operation for part in ("/batches/", "/entries/", "/events/", "/resources/")
    )


@pytest.fixture
def catalogue(db, keep_test_connection, request):
    """One resource of every type (and a withdrawn one), so answers exercise every schema; for
    the reads that show them, openness lists built from them: batches in every status, entries
    in most."""
    platform = PlatformFactory(slug="schemathesis")
    resources = [
        ResourceFactory(
            platform=platform,
            resource_type=resource_type,
            tags=["gpu", "数据集"],
            summary="面向中小企业",
            contact="sme@example.cn",
        )
        for resource_type in TYPE_SPECS
    ]
    ResourceFactory(platform=platform, nationwide=True, status="withdrawn")
    if on_the_lists(request, ("GET ",)):  # anonymous writes are all 401s
        openness_lists(resources)
    if on_the_pilots(request):
        pilots_world(platform, resources)


@pytest.mark.slow
@pytest.mark.usefixtures("catalogue")
@schema.parametrize()
@fuzzing(max_examples=25)
def test_every_operation_answers_within_its_schema_and_never_with_a_server_error(case):
    case.call_and_validate(checks=CHECKS)


# Writes, as a curator ----------------------------------------------------------------------------
# A schema of its own, so its hooks and settings leave the anonymous run above alone. The anonymous
# run already sends each write its coverage-phase requests (all 401); this one only fuzzes
# (negative cases included), aiming most requests at objects that exist and half of the If-Match
# headers at any version, so bodies are validated and written rather than all 404 and 412.
write_schema = schemathesis.openapi.from_wsgi("/api/schema/", app).include(
    method=["POST", "PUT", "PATCH", "DELETE"]
)
write_schema.config.phases.coverage.enabled = False

WRITE_PLATFORM = "schemathesis-writes"
WRITE_MEMBER = "schemathesis-member"
# Fixed ids, so the generated requests can name resources that exist.
WRITE_RESOURCES = {
    "active": uuid.UUID("5c4e0a4e-0000-4000-8000-000000000001"),
    "draft": uuid.UUID("5c4e0a4e-0000-4000-8000-000000000002"),
    "withdrawn": uuid.UUID("5c4e0a4e-0000-4000-8000-000000000003"),
}
KNOWN_PATH_VALUES = {
    "slug": [WRITE_PLATFORM],
    "username": [WRITE_MEMBER],
    "id": [str(pk) for pk in WRITE_RESOURCES.values()],
}


@write_schema.hook
def flatmap_path_parameters(ctx: Any, path_parameters: Any) -> Any:
    """The generated value or an object that exists, so writes get past the 404."""
    if not path_parameters:
        return st.just(path_parameters)
    on_resources = "/resources/" in ctx.operation.path

    on_pilots = ctx.operation.path.startswith(tuple(KNOWN_PILOTS))

    def candidates(name: str, generated: Any) -> list[Any]:
        if name in ("number", "id") and not on_resources:  # a batch, an entry or a token
            return known_path_values(ctx, name, generated)
        if on_pilots:  # a pilot, a scenario or a service platform
            return known_path_values(ctx, name, generated)
        return [generated, *KNOWN_PATH_VALUES.get(name, [])]

    return st.fixed_dictionaries(
        {name: st.sampled_from(candidates(name, value)) for name, value in path_parameters.items()}
    )


@write_schema.hook
def flatmap_headers(ctx: Any, headers: Any) -> Any:
    """The generated If-Match or ``*``, so valid bodies are written rather than all 412."""
    if not headers or "If-Match" not in headers:
        return st.just(headers)
    return st.sampled_from([headers, {**headers, "If-Match": "*"}])


@write_schema.hook
def flatmap_body(ctx: Any, body: Any) -> Any:
    """Submissions name the generated resource or the active one, and new batches have a year
    the registry accepts (2000–2100) now and then, so some of each are accepted."""
    operation = ctx.operation
    if operation.method.upper() != "POST":
        return st.just(body)
    if operation.path == "/api/v1/batches/{number}/entries/":
        return st.sampled_from([body, {"resource": str(WRITE_RESOURCES["active"])}])
    if operation.path == "/api/v1/batches/" and isinstance(body, dict):
        return st.sampled_from([body, {**body, "year": 2027}])
    if operation.path in VALID_PILOT_BODIES:
        return st.sampled_from([body, VALID_PILOT_BODIES[operation.path]])
    return st.just(body)


# Bodies the pilots' writes accept (given objects that exist), sent now and then.
VALID_PILOT_BODIES: dict[str, Any] = {
    "/api/v1/pilots/": {
        "code": "PILOT-NEW",
        "name": "新试点",
        "lead": {"platform": WRITE_PLATFORM},
        "region": "440000",
        "industry": "C",
        "scenario": "SCN-1",
        "service_platform": "hub-1",
    },
    "/api/v1/pilots/{code}/select/": {"year": 2027},
    "/api/v1/pilots/{code}/terminate/": {"reason": "资金未落实"},
    "/api/v1/scenarios/": {
        "code": "SCN-NEW",
        "name": "智能客服",
        "industry": "I",
        "ai_capability": "agent",
    },
    "/api/v1/service-platforms/": {
        "slug": "hub-new",
        "name": "新服务平台",
        "operator": WRITE_PLATFORM,
        "launched_year": 2026,
    },
}


@write_schema.hook
def flatmap_query(ctx: Any, query: Any) -> Any:
    return diffs_name_known_batches(ctx, query)


@pytest.fixture
def curator_token(db, keep_test_connection, request) -> str:
    """A platform with a member and a resource in each status, and a curator's bearer token; for
    the operations on them, openness lists in every status (the active resource listed in batch 1,
    so withdrawing it withdraws a listing)."""
    platform = PlatformFactory(slug=WRITE_PLATFORM)
    platform.members.add(UserFactory(username=WRITE_MEMBER))
    complete = {"summary": "面向中小企业", "contact": "sme@example.cn", "tags": ["gpu"]}
    for status, pk in WRITE_RESOURCES.items():
        ResourceFactory(id=pk, platform=platform, status=status, **complete)
    if on_the_lists(request, ("POST ", "PUT ", "PATCH ", "DELETE ")):
        active = Resource.objects.get(pk=WRITE_RESOURCES["active"])
        others = [ResourceFactory(platform=platform, **complete) for _ in range(5)]
        openness_lists([active, *others])
    if on_the_pilots(request):
        pilots_world(platform, [])
    curator = CuratorFactory(username="schemathesis-curator")
    return token_issue(user=curator, name="schemathesis").secret


@pytest.mark.slow
@write_schema.parametrize()
@fuzzing(max_examples=40)
def test_every_write_answers_within_its_schema_and_never_with_a_server_error(case, curator_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {curator_token}"}, checks=CHECKS)


def test_the_docs_pages_forbid_the_browser_to_fetch_from_anywhere_else(client):
    for page in ("/api/docs/", "/api/redoc/"):
        policy = client.get(page)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "img-src 'self' data:" in policy


# Subscriptions, as their owner ------------------------------------------------------------------
# Everyone else gets 401 or 404 from these (the runs above); this one reads and writes them as the
# owner of a pull-only and a webhook subscription with deliveries, so bodies are validated and
# written, and names them by id half of the time. Webhook host names resolve to a public address
# without DNS, so saving a generated URL never waits on the network.
owner_schema = schemathesis.openapi.from_wsgi("/api/schema/", app).include(
    path_regex="^/api/v1/(subscriptions|deliveries)/"
)
KNOWN_SUBSCRIPTIONS: dict[str, list[str]] = {"subscriptions": [], "deliveries": []}


@owner_schema.hook("flatmap_path_parameters")
def names_owned_subscriptions(ctx: Any, path_parameters: Any) -> Any:
    if not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    collection = ctx.operation.path.split("/")[3]
    known = KNOWN_SUBSCRIPTIONS[collection]
    return st.sampled_from([path_parameters, *({"id": pk} for pk in known)])


@pytest.fixture
def owner_token(db, keep_test_connection, monkeypatch) -> str:
    from notifications.services import subscription_ping
    from tests.notifications.helpers import subscription_of

    monkeypatch.setattr(
        "notifications.webhooks.addresses.resolve", lambda host, port: ["93.184.215.14"]
    )
    owner = UserFactory(username="schemathesis-owner")
    pull, _ = subscription_of(owner, "type=compute")
    hook, _ = subscription_of(owner, "region=440000", webhook_url="https://hooks.example.com/r")
    deliveries = [subscription_ping(subscription_id=s.pk) for s in (pull, hook)]
    KNOWN_SUBSCRIPTIONS["subscriptions"] = [str(pull.pk), str(hook.pk)]
    KNOWN_SUBSCRIPTIONS["deliveries"] = [str(d.pk) for d in deliveries]
    return token_issue(user=owner, name="schemathesis").secret


@pytest.mark.slow
@owner_schema.parametrize()
@fuzzing(max_examples=40)
def test_every_subscription_operation_answers_its_owner_within_its_schema(case, owner_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {owner_token}"}, checks=CHECKS)
