"""The resource workflow, straight through the services: the transition table, versions and
the audit trail, whatever calls them."""

import pytest

from core.audit import history_of
from core.errors import IncompleteForActivation, PreconditionFailed, TransitionNotAllowed
from registry import services
from registry.choices import ResourceStatus
from registry.models import Resource
from tests.factories import ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

STATUSES = [ResourceStatus.DRAFT, ResourceStatus.ACTIVE, ResourceStatus.WITHDRAWN]


def complete_resource(status: str) -> Resource:
    return ResourceFactory(
        status=status, summary="面向中小企业", contact="sme@example.cn", industries=["I"]
    )


def run(action: str, resource: Resource, actor) -> None:
    if action == "edit":
        services.resource_update(
            actor=actor, resource_id=resource.pk, data={"name": "改过的名字"}, if_match=None
        )
    elif action == "activate":
        services.resource_activate(actor=actor, resource_id=resource.pk)
    elif action == "withdraw":
        services.resource_withdraw(actor=actor, resource_id=resource.pk, reason="停止开放")
    elif action == "delete":
        services.resource_delete(actor=actor, resource_id=resource.pk)


@pytest.mark.parametrize("action", list(services.RESOURCE_TRANSITIONS))
@pytest.mark.parametrize("status", STATUSES)
def test_every_status_and_action_is_allowed_exactly_as_the_transition_table_says(status, action):
    actor = UserFactory()
    resource = complete_resource(status)
    allowed = services.RESOURCE_TRANSITIONS[action]
    if status in allowed:
        run(action, resource, actor)
        target = allowed[status]
        if target is None:
            assert not Resource.objects.filter(pk=resource.pk).exists()
        else:
            resource.refresh_from_db()
            assert resource.status == target
            assert resource.version == 2
    else:
        with pytest.raises(TransitionNotAllowed):
            run(action, resource, actor)
        resource.refresh_from_db()
        assert (resource.status, resource.version) == (status, 1)
        assert not history_of(resource).exists()


def test_every_allowed_action_leaves_a_change_record_naming_its_actor():
    actor = UserFactory(username="publisher")
    resource = complete_resource(ResourceStatus.DRAFT)
    run("edit", resource, actor)
    run("activate", resource, actor)
    run("withdraw", resource, actor)
    records = list(history_of(resource))
    assert [(r.action, r.version, r.actor_name) for r in records] == [
        ("updated", 2, "publisher"),
        ("activated", 3, "publisher"),
        ("withdrawn", 4, "publisher"),
    ]
    assert records[0].changes == {"name": {"before": resource.name, "after": "改过的名字"}}
    assert records[2].reason == "停止开放"
    assert records[2].changes == {"status": {"before": "active", "after": "withdrawn"}}


def test_an_update_that_changes_nothing_keeps_the_version_and_records_nothing():
    resource = complete_resource(ResourceStatus.ACTIVE)
    services.resource_update(
        actor=None, resource_id=resource.pk, data={"name": resource.name}, if_match=None
    )
    resource.refresh_from_db()
    assert resource.version == 1
    assert not history_of(resource).exists()


def test_relations_are_part_of_the_recorded_change():
    resource = complete_resource(ResourceStatus.ACTIVE)
    services.resource_update(
        actor=None,
        resource_id=resource.pk,
        data={"tags": ["GPU", "算力"], "regions": ["110000", "440000"]},
        if_match=None,
    )
    change = history_of(resource).get().changes
    assert change["tags"] == {"before": [], "after": ["gpu", "算力"]}
    assert change["regions"] == {"before": ["440000"], "after": ["110000", "440000"]}
    assert sorted(resource.tags.values_list("name", flat=True)) == ["gpu", "算力"]


def test_a_stale_version_is_refused_and_the_other_writers_change_survives():
    resource = complete_resource(ResourceStatus.ACTIVE)
    read_version = frozenset({resource.version})
    services.resource_update(
        actor=None, resource_id=resource.pk, data={"name": "第一位"}, if_match=read_version
    )
    with pytest.raises(PreconditionFailed):
        services.resource_update(
            actor=None, resource_id=resource.pk, data={"name": "第二位"}, if_match=read_version
        )
    resource.refresh_from_db()
    assert (resource.name, resource.version) == ("第一位", 2)


def test_an_incomplete_draft_cannot_be_activated_and_is_told_what_is_missing():
    resource = ResourceFactory(status=ResourceStatus.DRAFT, summary="", industries=[], regions=[])
    with pytest.raises(IncompleteForActivation) as refused:
        services.resource_activate(actor=None, resource_id=resource.pk)
    missing = {problem["attr"] for problem in refused.value.errors or []}
    assert {"summary", "industries", "regions", "application_url"} <= missing
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DRAFT


def test_a_nationwide_resource_drops_its_regions():
    resource = complete_resource(ResourceStatus.ACTIVE)
    services.resource_update(
        actor=None, resource_id=resource.pk, data={"nationwide": True}, if_match=None
    )
    assert list(resource.regions.all()) == []


def test_deleting_a_draft_keeps_its_history():
    resource = complete_resource(ResourceStatus.DRAFT)
    services.resource_delete(actor=None, resource_id=resource.pk)
    record = history_of(resource).get()
    assert record.action == "deleted"
    assert record.changes["name"] == {"before": resource.name, "after": None}
