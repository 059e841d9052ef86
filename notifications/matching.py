"""Which subscriptions an event concerns: "a subscription matches" means "the event's resource
would appear in the subscription's search".

A subscription's ``query`` is a resource search (the query string of ``GET /api/v1/resources/``),
checked when it is saved by the same filter set that answers searches, and evaluated here by that
same filter set (``ResourceFilterSet.matching``) over the resources the events are about. There is
no second implementation of search to drift apart from the first.

Events are matched in chunks, in id order, by ``notifications.tasks.match_pending_events`` (run
by a task that every public event enqueues). Each chunk is one transaction: the events are locked
(``SKIP LOCKED`` on PostgreSQL, so concurrent workers share the work), the deliveries written
(``delivery_rows``), the events marked matched, and one task enqueued that enqueues the
deliveries' senders — or none of it.

For speed, a chunk's searches are evaluated parameter by parameter (``Searches``): a search is the
conjunction of its parameters (the filter set applies each filter to what the ones before it left,
and no filter reads another's value), so the resources a query finds are those every one of its
parameters finds on its own. Subscriptions share parameters far more than whole queries (in the
benchmark, 10,000 subscriptions have about 5,000 distinct queries but 1,500 distinct parameters),
and each parameter is evaluated once per chunk, by the filter set, over all the chunk's resources
(on PostgreSQL 25 parameters to a statement, joined by ``UNION ALL``).

Two rules beyond the plain search:
- a withdrawal (``entry.withdrawn``, ``resource.withdrawn``) matches when the resource matched
  before it was withdrawn: unless the query names a ``status``, withdrawn resources count too;
- ``batch.published`` matches when the batch lists at least one matching resource.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as RequestValidationError

from config.api.filtersets import CommaSeparatedMultipleWidget
from core.choices import EventType
from core.models import Event
from notifications.models import Subscription
from notifications.parameter_searches import Searches
from openness.choices import EntryStatus
from openness.models import Entry
from registry.filtersets import ResourceFilterSet
from registry.models import Resource

CHUNK = 2000
MATCHING_LEASE = timedelta(minutes=15)  # a chunk taking longer than this is taken for lost
WITHDRAWALS = {EventType.ENTRY_WITHDRAWN.value, EventType.RESOURCE_WITHDRAWN.value}
# Search parameters that page, order or count the results but never change which resources match.
PRESENTATION_PARAMETERS = ("cursor", "page_size", "ordering", "facets", "highlight")
MATCHED_SAMPLE = 10
INDEX_RETRY = timedelta(seconds=2)  # when the search index lags: matching tries again after this


# Queries ----------------------------------------------------------------------------------------


def normalise_query(query: str) -> str:
    """``query`` checked like a resource search and written canonically (sorted parameters, the
    values of multi-valued ones comma-joined, presentation parameters dropped); raises
    ``ValidationError`` mapping each bad parameter to its messages.

    The canonical form searches exactly as the original does: a multi-valued filter reads repeated
    and comma-separated values alike, so those are merged; a single-valued one (``q``,
    ``updated_since``) reads its last value as it is, commas included, so that is what is kept.
    """
    data = QueryDict(query.lstrip("?"), mutable=True)
    known = ResourceFilterSet.parameter_names() | set(PRESENTATION_PARAMETERS)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(
            {name: [_("Unknown search parameter.")] for name in unknown}, code="unknown_parameter"
        )
    for name in PRESENTATION_PARAMETERS:
        data.pop(name, None)
    canonical: dict[str, str] = {}
    for name in sorted(data):
        if _multi_valued(name):
            values = dict.fromkeys(v.strip() for raw in data.getlist(name) for v in raw.split(","))
            canonical[name] = ",".join(v for v in values if v)
        else:
            canonical[name] = (data.get(name) or "").strip()  # the last value, as read
    canonical = {name: value for name, value in canonical.items() if value}
    filterset = ResourceFilterSet(
        data=QueryDict(urlencode(canonical)), queryset=Resource.objects.none()
    )
    try:
        # ``matching`` also runs the filters that check their values against the database.
        filterset.matching()
    except RequestValidationError as error:
        detail = error.detail if isinstance(error.detail, dict) else {"query": error.detail}
        raise ValidationError(
            {
                name: [ValidationError(str(m), code=getattr(m, "code", None)) for m in messages]
                for name, messages in detail.items()
            }
        ) from error
    return urlencode(canonical, safe=",")


def _multi_valued(name: str) -> bool:
    return isinstance(
        ResourceFilterSet.base_filters[name].field.widget, CommaSeparatedMultipleWidget
    )


def matching_resource_ids(
    query: str, resource_ids: Iterable[Any], *, withdrawn: bool = False
) -> set[str]:
    """The ids among ``resource_ids`` that the search ``query`` finds. With ``withdrawn``, and
    unless the query names a status, withdrawn resources are searched too."""
    return Searches(resource_ids).find(query, withdrawn=withdrawn)


# Events -----------------------------------------------------------------------------------------


@dataclass
class _Subjects:
    """What each event is about, indexed both ways."""

    types: dict[int, str] = field(default_factory=dict)  # event id → its type
    single: dict[int, str] = field(default_factory=dict)  # event id → its one resource
    many: dict[int, set[str]] = field(default_factory=dict)  # batch.published → listed resources
    by_resource: dict[str, list[int]] = field(default_factory=dict)  # resource → its single events

    def resources(self) -> set[str]:
        """Every resource the events are about."""
        ids = set(self.single.values())
        for listed in self.many.values():
            ids.update(listed)
        return ids


def _subjects(events: list[Event]) -> _Subjects:
    subjects = _Subjects()
    entry_events = {e.pk: int(e.subject_id) for e in events if e.subject_type == "entry"}
    entries = dict(
        Entry.objects.filter(pk__in=set(entry_events.values())).values_list("pk", "resource_id")
    )
    batch_events = {e.pk: int(e.subject_id) for e in events if e.type == EventType.BATCH_PUBLISHED}
    listed: dict[int, set[str]] = defaultdict(set)
    for number, resource_id in Entry.objects.filter(
        batch__number__in=set(batch_events.values()), status=EntryStatus.LISTED
    ).values_list("batch__number", "resource_id"):
        listed[number].add(str(resource_id))
    for event in events:
        subjects.types[event.pk] = event.type
        if event.subject_type == "resource":
            subjects.single[event.pk] = event.subject_id
        elif event.pk in entry_events and entry_events[event.pk] in entries:
            subjects.single[event.pk] = str(entries[entry_events[event.pk]])
        elif event.pk in batch_events:
            subjects.many[event.pk] = listed[batch_events[event.pk]]
    for event_id, subject in subjects.single.items():
        subjects.by_resource.setdefault(subject, []).append(event_id)
    return subjects


class Match(NamedTuple):
    """A delivery to make: this event concerns this subscription, for this reason."""

    subscription_id: int
    event_id: int
    webhook: bool
    why: dict[str, Any]  # shared by the subscriptions with the same query


def _hits(
    query: str, wanted: set[str], subjects: _Subjects, searches: Searches
) -> list[tuple[int, str, dict[str, Any]]]:
    """The events of the ``wanted`` types that ``query`` matches, in id order: (event id, type,
    why it matched). Walks the resources the query finds, not the chunk's events."""
    pools = []
    if wanted - WITHDRAWALS:
        pools.append((searches.find(query), wanted - WITHDRAWALS))
    if wanted & WITHDRAWALS:
        pools.append((searches.find(query, withdrawn=True), wanted & WITHDRAWALS))
    found: list[tuple[int, list[str]]] = []
    for pool, types in pools:
        for resource_id in pool:
            for event_id in subjects.by_resource.get(resource_id, ()):
                if subjects.types[event_id] in types:
                    found.append((event_id, [resource_id]))
        for event_id, listed in subjects.many.items():
            if subjects.types[event_id] in types and (matched := sorted(listed & pool)):
                found.append((event_id, matched))
    found.sort()
    return [
        (
            event_id,
            subjects.types[event_id],
            {
                "event_type": subjects.types[event_id],
                "query": query,
                "resources": matched[:MATCHED_SAMPLE],
                "count": len(matched),
            },
        )
        for event_id, matched in found
    ]


def _matches_for(
    query: str, subscriptions: list[Subscription], subjects: _Subjects, searches: Searches
) -> list[Match]:
    wanted = {t for s in subscriptions for t in s.event_types}
    hits = _hits(query, wanted & set(subjects.types.values()), subjects, searches)
    matches: list[Match] = []
    for subscription in subscriptions:
        pk, webhook, types = (
            subscription.pk,
            bool(subscription.webhook_url),
            set(subscription.event_types),
        )
        matches.extend(
            Match(pk, event_id, webhook, why) for event_id, kind, why in hits if kind in types
        )
    return matches


def match_events(events: list[Event]) -> list[Match]:
    """The deliveries ``events`` give rise to: one per matching active subscription."""
    public = [event for event in events if event.public and event.type != EventType.PING]
    if not public:
        return []
    types = {event.type for event in public}
    by_query: dict[str, list[Subscription]] = defaultdict(list)
    # A subscription hears only what happens once it exists: created at or before the event.
    occurred = {event.pk: event.occurred_at for event in public}
    candidates = Subscription.objects.filter(
        active=True, created_at__lte=max(occurred.values())
    ).only("pk", "query", "event_types", "webhook_url", "created_at")
    created: dict[int, Any] = {}
    for subscription in candidates.iterator(chunk_size=5000):
        if types.intersection(subscription.event_types):
            by_query[subscription.query].append(subscription)
            created[subscription.pk] = subscription.created_at
    subjects = _subjects(public)
    searches = Searches(subjects.resources())
    withdrawals = types & WITHDRAWALS
    searches.prepare(
        (query, withdrawn)
        for query in by_query
        for withdrawn in ([False, True] if withdrawals else [False])
        if withdrawn or types - WITHDRAWALS
    )
    matches: list[Match] = []
    for query, subscriptions in by_query.items():
        matches.extend(_matches_for(query, subscriptions, subjects, searches))
    if created and max(created.values()) > min(occurred.values()):  # some came after some events
        matches = [m for m in matches if created[m.subscription_id] <= occurred[m.event_id]]
    return matches
