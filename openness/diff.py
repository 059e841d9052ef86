"""The diff of two published batches: what one lists compared with the other, resource by resource.

Every resource with an entry in either batch falls in one case (of ``batch`` against ``against``):

- **newly listed**: listed in ``batch``, never in ``against``;
- **listed again**: listed in ``batch`` and in ``against`` (there still, or withdrawn since), and
  either *changed* (the snapshots differ, field by field) or *unchanged*;
- **not listed again**: listed in ``against`` and still listed there, the resource still active in
  the registry, but not submitted to ``batch`` (or not accepted there): simply not listed again;
- **withdrawn**: in ``against``, not listed in ``batch``, because it has been withdrawn since:
  the resource itself *from the registry*, or one of its two entries *from its list*.

A resource that ``against`` never listed and whose entry in ``batch`` has been withdrawn is in none
of them: ``batch`` lists it no more, and ``against`` never did (``batch``'s entries show it).

Snapshots are compared as frozen at publication; an entry's current state (listed or withdrawn)
and its resource's status are read now. Three queries at most, whatever the batches' sizes: the
entries of each batch (with their resource's status), and the withdrawal records of the resources
withdrawn from the registry (when there are any).
"""

from datetime import datetime
from typing import Any

from django.db.models import F

from core.models import ChangeRecord
from openness.choices import EntryStatus
from openness.models import Batch, Entry
from openness.models.entry import PUBLISHED_STATUSES
from registry.choices import ResourceStatus

# Snapshot fields that always differ between two listings and say nothing about the resource.
DIFF_IGNORED = {"id", "version"}

#: The cases, in the order the diff gives them (also the keys of ``batch_diff_counts``).
CASES = ("newly_listed", "listed_again", "not_listed_again", "withdrawn")

#: ``withdrawn_from``: the resource was withdrawn from the registry, or an entry from its list.
FROM_REGISTRY = "registry"
FROM_LIST = "list"


def _published_entries(batch: Batch) -> dict[str, Entry]:
    """The entries ``batch`` listed at publication (listed still, or withdrawn since), by
    resource id, each with its resource's current status as ``resource_status``."""
    entries = (
        batch.entries.filter(status__in=PUBLISHED_STATUSES)
        .annotate(resource_status=F("resource__status"))
        .select_related("batch")
        .order_by("sequence")
    )
    return {str(entry.resource_id): entry for entry in entries}


def _brief(entry: Entry) -> dict[str, Any]:
    return {
        "resource": str(entry.resource_id),
        "name": (entry.snapshot or {}).get("name", ""),
        "citation": entry.citation,
    }


def _changes(before: Entry, after: Entry) -> dict[str, dict[str, Any]]:
    old, new = before.snapshot or {}, after.snapshot or {}
    return {
        name: {"before": old.get(name), "after": new.get(name)}
        for name in sorted(set(old) | set(new))
        if name not in DIFF_IGNORED and old.get(name) != new.get(name)
    }


def _registry_withdrawals(resource_ids: list[str]) -> dict[str, tuple[datetime, str]]:
    """When and why each resource was withdrawn from the registry (its change record)."""
    if not resource_ids:
        return {}
    records = ChangeRecord.objects.filter(
        subject_type__app_label="registry",
        subject_type__model="resource",
        subject_id__in=resource_ids,
        action="withdrawn",
    ).order_by("at", "id")
    rows = records.values_list("subject_id", "at", "reason")
    return {subject: (at, reason) for subject, at, reason in rows}


def _withdrawal(
    earlier: Entry, later: Entry | None, registry: dict[str, tuple[datetime, str]]
) -> dict[str, Any] | None:
    """Why a resource of ``against`` is not listed in ``batch``, if it was withdrawn; None when it
    simply was not listed again."""
    resource_id = str(earlier.resource_id)
    if earlier.resource_status == ResourceStatus.WITHDRAWN:  # type: ignore[attr-defined]
        at, reason = registry.get(resource_id, (earlier.withdrawn_at, earlier.reason))
        return {
            "withdrawn_from": FROM_REGISTRY,
            "withdrawn_citation": None,
            "withdrawn_at": at,
            "reason": reason,
        }
    # ``later`` exists only withdrawn (it would be listed again otherwise); it is the more recent
    # reason for not being in ``batch``.
    for entry in (later, earlier):
        if entry is not None and entry.status == EntryStatus.WITHDRAWN:
            return {
                "withdrawn_from": FROM_LIST,
                "withdrawn_citation": entry.citation,
                "withdrawn_at": entry.withdrawn_at,
                "reason": entry.reason,
            }
    return None


def batch_diff(*, batch: Batch, against: Batch) -> dict[str, Any]:
    """What ``batch`` lists compared with ``against``, in the four cases of this module's
    docstring. Each item names the resource, its name and citation as listed (in ``batch`` for
    the first two cases, in ``against`` for the other two); a withdrawn one also says from what,
    when and why. Items come in the order of their citations."""
    this, other = _published_entries(batch), _published_entries(against)
    listed = {key: entry for key, entry in this.items() if entry.status == EntryStatus.LISTED}

    newly_listed = [_brief(entry) for key, entry in listed.items() if key not in other]
    changed: list[dict[str, Any]] = []
    unchanged = 0
    for key, entry in listed.items():
        if key not in other:
            continue
        changes = _changes(other[key], entry)
        if changes:
            changed.append(
                {**_brief(entry), "against_citation": other[key].citation, "changes": changes}
            )
        else:
            unchanged += 1

    gone = {key: entry for key, entry in other.items() if key not in listed}
    registry = _registry_withdrawals(
        [
            key
            for key, entry in gone.items()
            if entry.resource_status == ResourceStatus.WITHDRAWN  # type: ignore[attr-defined]
        ]
    )
    not_listed_again: list[dict[str, Any]] = []
    withdrawn: list[dict[str, Any]] = []
    for key, entry in gone.items():
        withdrawal = _withdrawal(entry, this.get(key), registry)
        if withdrawal is None:
            not_listed_again.append(_brief(entry))
        else:
            withdrawn.append({**_brief(entry), **withdrawal})

    return {
        "batch": batch.number,
        "against": against.number,
        "newly_listed": newly_listed,
        "listed_again": {"changed": changed, "unchanged": unchanged},
        "not_listed_again": not_listed_again,
        "withdrawn": withdrawn,
    }


def batch_diff_counts(diff: dict[str, Any]) -> dict[str, int]:
    """How many resources each case has (listed again: changed and unchanged together)."""
    again = diff["listed_again"]
    return {
        "newly_listed": len(diff["newly_listed"]),
        "listed_again": len(again["changed"]) + again["unchanged"],
        "not_listed_again": len(diff["not_listed_again"]),
        "withdrawn": len(diff["withdrawn"]),
    }
