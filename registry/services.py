"""Writes to platforms and resources: every change goes through here.

Each service runs in one transaction, locks the row it changes, checks the workflow's transition
table, bumps the version, and records the change with its actor (``core.audit``). Views,
the admin and commands call these; none of them saves a platform or resource itself.
"""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import State, apply_fields, model_state, record
from core.choices import EventType
from core.errors import IncompleteForActivation, TransitionNotAllowed, locked_at_version
from core.events import NewEvent, emit
from openness.selectors import withdraw_listings_of
from registry.accounts import username_taken
from registry.attributes import attribute_errors
from registry.choices import ResourceStatus
from registry.field_lists import PLATFORM_PROFILE, RESOURCE_AUDITED
from registry.models import Platform, Resource, Tag
from registry.validators import fold_name, normalize_name, validate_username

# The resource workflow: for each action, the statuses it may start from and the status it leads
# to. ``edit`` and ``delete`` keep or end the resource; everything not listed is a 409.
RESOURCE_TRANSITIONS: dict[str, dict[str, str | None]] = {
    "edit": {
        ResourceStatus.DRAFT: ResourceStatus.DRAFT,
        ResourceStatus.ACTIVE: ResourceStatus.ACTIVE,
    },
    "activate": {ResourceStatus.DRAFT: ResourceStatus.ACTIVE},
    "withdraw": {ResourceStatus.ACTIVE: ResourceStatus.WITHDRAWN},
    "delete": {ResourceStatus.DRAFT: None},
}

RESOURCE_FIELDS = list(RESOURCE_AUDITED)
RESOURCE_M2M = {"tags": "name", "industries": "code", "regions": "code"}
PLATFORM_FIELDS = list(PLATFORM_PROFILE)


def resource_state(resource: Resource) -> State:
    return model_state(resource, RESOURCE_FIELDS, RESOURCE_M2M)


def platform_state(platform: Platform) -> State:
    return model_state(platform, PLATFORM_FIELDS)


def _guard(resource: Resource, action: str) -> str | None:
    allowed = RESOURCE_TRANSITIONS[action]
    if resource.status not in allowed:
        raise TransitionNotAllowed(
            _("A %(status)s resource cannot be %(action)s.")
            % {"status": resource.get_status_display(), "action": _ACTION_PAST[action]}
        )
    return allowed[resource.status]


_ACTION_PAST = {
    "edit": gettext_lazy("edited"),
    "activate": gettext_lazy("activated"),
    "withdraw": gettext_lazy("withdrawn"),
    "delete": gettext_lazy("deleted"),
}


def ensure_editable(resource: Resource) -> None:
    """Raises TransitionNotAllowed unless the resource's status allows edits."""
    _guard(resource, "edit")


def _locked(resource_id: Any, if_match: frozenset[int] | None) -> Resource:
    return locked_at_version(Resource.objects.all(), resource_id, if_match)


def _apply(resource: Resource, data: dict[str, Any]) -> State:
    """Sets the scalar fields of ``data`` on ``resource``; returns the M2M part as state lists."""
    m2m: State = {}
    for name, value in data.items():
        if name in RESOURCE_M2M:
            m2m[name] = sorted(Tag.normalise(v) if name == "tags" else str(v) for v in value)
        else:
            setattr(resource, name, value)
    if resource.nationwide:
        m2m["regions"] = []
    return m2m


def _save_m2m(resource: Resource, m2m: State) -> None:
    if "tags" in m2m:
        tags = [Tag.objects.get_or_create(name=name)[0] for name in dict.fromkeys(m2m["tags"])]
        resource.tags.set(tags)
    if "industries" in m2m:
        resource.industries.set(m2m["industries"])
    if "regions" in m2m:
        resource.regions.set(m2m["regions"])


@transaction.atomic
def resource_create(*, actor: Any, platform: Platform, data: dict[str, Any]) -> Resource:
    """A new draft resource of ``platform``."""
    resource = Resource(platform=platform, status=ResourceStatus.DRAFT, version=1)
    m2m = _apply(resource, data)
    resource.full_clean(exclude=["tags", "industries", "regions"])
    resource.save()
    _save_m2m(resource, m2m)
    after = resource_state(resource)
    record(subject=resource, action="created", actor=actor, before=None, after=after, version=1)
    return resource


@transaction.atomic
def resource_update(
    *, actor: Any, resource_id: Any, data: dict[str, Any], if_match: frozenset[int] | None
) -> Resource:
    """Changes the fields in ``data``; a change that changes nothing keeps the version."""
    resource = _locked(resource_id, if_match)
    _guard(resource, "edit")
    before = resource_state(resource)
    m2m = _apply(resource, data)
    after = {
        **model_state(resource, RESOURCE_FIELDS),
        **{k: before[k] for k in RESOURCE_M2M},
        **m2m,
    }
    if after == before:
        return resource
    resource.full_clean(exclude=["tags", "industries", "regions"])
    resource.version += 1
    resource.save()
    _save_m2m(resource, m2m)
    changed = sorted(name for name in after if after[name] != before.get(name))
    record(
        subject=resource,
        action="updated",
        actor=actor,
        before=before,
        after=after,
        version=resource.version,
        event=_resource_event(EventType.RESOURCE_UPDATED, resource, changed=changed)
        if resource.status != ResourceStatus.DRAFT
        else None,
    )
    return resource


def activation_problems(resource: Resource) -> list[dict[str, str | None]]:
    """What a draft lacks before it can be active (empty when it is complete)."""
    problems: list[dict[str, str | None]] = []

    def missing(attr: str, detail: str) -> None:
        problems.append({"attr": attr, "code": "required", "detail": detail})

    if not resource.summary.strip():
        missing("summary", _("An active resource needs a summary."))
    if not resource.industries.exists():
        missing("industries", _("An active resource names at least one industry."))
    if not resource.nationwide and not resource.regions.exists():
        missing("regions", _("An active resource is nationwide or names its regions."))
    if not (resource.eligible_micro or resource.eligible_small or resource.eligible_medium):
        missing("sme_terms.eligible_sizes", _("An active resource is open to at least one size."))
    if not (resource.application_url or resource.documentation_url or resource.contact):
        missing("application_url", _("An active resource says how to apply or whom to contact."))
    for path, message in attribute_errors(resource.resource_type, resource.attributes):
        problems.append(
            {
                "attr": f"attributes.{path}" if path else "attributes",
                "code": "invalid",
                "detail": message,
            }
        )
    return problems


@transaction.atomic
def resource_activate(
    *, actor: Any, resource_id: Any, if_match: frozenset[int] | None = None
) -> Resource:
    resource = _locked(resource_id, if_match)
    new_status = _guard(resource, "activate")
    problems = activation_problems(resource)
    if problems:
        raise IncompleteForActivation(
            _("The draft is not complete enough to be active."), errors=problems
        )
    return _change_status(
        resource, new_status, actor=actor, action="activated", event=EventType.RESOURCE_ACTIVATED
    )


@transaction.atomic
def resource_withdraw(
    *, actor: Any, resource_id: Any, reason: str, if_match: frozenset[int] | None = None
) -> Resource:
    resource = _locked(resource_id, if_match)
    new_status = _guard(resource, "withdraw")
    resource = _change_status(resource, new_status, actor=actor, action="withdrawn", reason=reason)
    withdraw_listings_of(actor=actor, resource=resource, reason=reason)
    # After the cascade's changes and events: the listings go first, then the resource.
    emit(_resource_event(EventType.RESOURCE_WITHDRAWN, resource, reason=reason))
    return resource


def _change_status(
    resource: Resource,
    status: str | None,
    *,
    actor: Any,
    action: str,
    reason: str = "",
    event: str | None = None,
) -> Resource:
    """Moves the resource to ``status`` and records it, with an ``event`` of that type if given."""
    before = resource_state(resource)
    resource.status = status or resource.status
    resource.version += 1
    resource.save(update_fields=["status", "version", "updated_at"])
    record(
        subject=resource,
        action=action,
        actor=actor,
        before=before,
        after={**before, "status": resource.status},
        reason=reason,
        version=resource.version,
        event=_resource_event(event, resource) if event else None,
    )
    return resource


@transaction.atomic
def resource_delete(*, actor: Any, resource_id: Any) -> None:
    """Deletes a draft (anything published is withdrawn instead, never deleted)."""
    resource = _locked(resource_id, None)
    _guard(resource, "delete")
    before, version = resource_state(resource), resource.version
    record(
        subject=resource, action="deleted", actor=actor, before=before, after=None, version=version
    )
    resource.delete()


def _resource_event(event_type: str, resource: Resource, **extra: Any) -> NewEvent:
    return NewEvent(
        event_type,
        subject_type="resource",
        subject_id=resource.pk,
        data={
            "resource": str(resource.pk),
            "platform": resource.platform.slug,
            "resource_type": resource.resource_type,
            "name": resource.name,
            "status": resource.status,
            "version": resource.version,
            "url": resource.get_absolute_url(),
            **extra,
        },
        public=resource.status != ResourceStatus.DRAFT,
    )


# Platforms --------------------------------------------------------------------------------------


@transaction.atomic
def platform_create(*, actor: Any, data: dict[str, Any]) -> Platform:
    """A new platform. Its slug must differ, folded (NFKC and case), from every other platform's:
    ``Yunqi`` beside ``yunqi`` would be two addresses, and two organisations, for one name."""
    platform = Platform(**data)
    if platform.slug:
        platform.slug = normalize_name(platform.slug)
        taken = Platform.objects.filter(slug__iexact=platform.slug).values_list("slug", flat=True)
        clash = next((slug for slug in taken if fold_name(slug) == fold_name(platform.slug)), None)
        if clash is not None:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _("The platform %(slug)s already has this slug, ignoring case."),
                        code="unique",
                        params={"slug": clash},
                    )
                }
            )
    platform.full_clean()
    platform.save()
    record(
        subject=platform, action="created", actor=actor, before=None, after=platform_state(platform)
    )
    return platform


@transaction.atomic
def platform_update(*, actor: Any, platform_id: int, data: dict[str, Any]) -> Platform:
    platform = Platform.objects.select_for_update().get(pk=platform_id)
    before, after = apply_fields(platform, data, platform_state)
    if after == before:
        return platform
    platform.full_clean()
    platform.save()
    record(subject=platform, action="updated", actor=actor, before=before, after=after)
    return platform


@transaction.atomic
def member_add(
    *,
    actor: Any,
    platform: Platform,
    user: Any | None,
    username: str = "",
    email: str = "",
    password: str | None = None,
) -> tuple[Any, str | None]:
    """Adds ``user`` to the platform's publishers, creating the user first when it is None.

    Creating never adopts an existing account: a ``username`` that, folded (NFKC and case), is
    already someone's is a ValidationError naming ``username`` (the caller adds an existing
    account by passing it as ``user``). A user created without a password gets a one-time
    password, returned (once) beside the user.
    """
    one_time_password = None
    if user is None:
        if password is None:
            one_time_password = password = secrets.token_urlsafe(12)
        try:
            validate_username(username)
        except ValidationError as exc:
            raise ValidationError({"username": exc}) from exc
        if username_taken(username):
            raise ValidationError(
                {
                    "username": ValidationError(
                        _("A user with that username already exists."), code="unique"
                    )
                }
            )
        # Created concurrently under the same name: the IntegrityError is a 409.
        user = get_user_model().objects.create_user(
            username=normalize_name(username), email=email, password=password
        )
    if platform.members.filter(pk=user.pk).exists():
        return user, one_time_password
    before = {"members": sorted(platform.members.values_list("username", flat=True))}
    platform.members.add(user)
    after = {"members": sorted([*before["members"], user.get_username()])}
    record(subject=platform, action="member_added", actor=actor, before=before, after=after)
    return user, one_time_password


@transaction.atomic
def member_remove(*, actor: Any, platform: Platform, user: Any) -> None:
    before = {"members": sorted(platform.members.values_list("username", flat=True))}
    platform.members.remove(user)
    after = {"members": [name for name in before["members"] if name != user.get_username()]}
    record(subject=platform, action="member_removed", actor=actor, before=before, after=after)
