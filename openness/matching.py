"""Which subscriptions an event concerns: "a subscription matches" means "the event's resource
would appear in the subscription's search".

A subscription's ``query`` is a resource search (the query string of ``GET /api/v1/resources/``),
checked when it is saved by the same filter set that answers searches, and evaluated here by that
same filter set (``ResourceFilterSet.matching``) over the resources the events are about. There is
no second implementation of search to drift apart from the first.

Events are matched in chunks, in id order, by ``match_pending_events`` (run by a task that every
public event enqueues). Each chunk is one transaction: the events are locked (``SKIP LOCKED`` on
PostgreSQL, so concurrent workers share the work), the deliveries created, the events marked
matched, and the delivery tasks enqueued — or none of it.

For speed, a chunk's searches are evaluated parameter by parameter (``_Searches``): a search is the
conjunction of its parameters (the filter set applies each filter to what the ones before it left,
and no filter reads another's value), so the resources a query finds are those every one of its
parameters finds on its own. Subscriptions share parameters far more than whole queries (in the
benchmark, 10,000 subscriptions have about 5,000 distinct queries but 1,500 distinct parameters),
and each parameter is evaluated once per chunk, by the filter set, over all the chunk's resources.

Two rules beyond the plain search:
- a withdrawal (``entry.withdrawn``, ``resource.withdrawn``) matches when the resource matched
  before it was withdrawn: unless the query names a ``status``, withdrawn resources count too;
- ``batch.published`` matches when the batch lists at least one matching resource.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as RequestValidationError

from config.api.filtersets import CommaSeparatedMultipleWidget
from openness.choices import DeliveryStatus, EntryStatus, EventType
from openness.models import Delivery, Entry, Event, Subscription
from registry.choices import ResourceStatus
from registry.filtersets import ResourceFilterSet
from registry.models import Resource

CHUNK = 2000
MATCHING_LEASE = timedelta(minutes=15)  # a chunk taking longer than this is taken for lost
WITHDRAWALS = {EventType.ENTRY_WITHDRAWN.value, EventType.RESOURCE_WITHDRAWN.value}
# Search parameters that page, order or count the results but never change which resources match.
PRESENTATION_PARAMETERS = ("cursor", "page_size", "ordering", "facets", "highlight")
MATCHED_SAMPLE = 10


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
            {name: [str(m) for m in messages] for name, messages in detail.items()}
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
    return _Searches(resource_ids).find(query, withdrawn=withdrawn)


# Events -----------------------------------------------------------------------------------------


@dataclass
class _Subjects:
    """The resources each event is about."""

    single: dict[int, str] = field(default_factory=dict)  # event id → its one resource
    many: dict[int, set[str]] = field(default_factory=dict)  # batch.published → listed resources

    def resources(self) -> set[str]:
        """Every resource the events are about."""
        ids = set(self.single.values())
        for listed in self.many.values():
            ids.update(listed)
        return ids


class _Searches:
    """Searches over one set of resources, each (parameter, values, status) evaluated once.

    ``find(query)`` gives what ``matching_resource_ids(query, resource_ids)`` gives: the
    intersection of what each parameter of the query finds, each with the query's ``status`` (the
    one parameter with a default, which every filter set applies), each by ``ResourceFilterSet``.
    A parameter the filter set refuses makes the whole query find nothing, as it would.
    """

    def __init__(self, resource_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(resource_ids))
        self.empty = not ids
        # One queryset for every parameter: its thousands of ids are converted once.
        self.resources = Resource.objects.filter(pk__in=ids).order_by()
        self.found: dict[tuple[str, tuple[str, ...], tuple[str, ...]], frozenset[str] | None] = {}

    def find(self, query: str, *, withdrawn: bool = False) -> set[str]:
        """Like ``matching_resource_ids(query, …, withdrawn=withdrawn)``."""
        if self.empty:
            return set()
        data = QueryDict(query)
        status = tuple(data.getlist("status"))
        if withdrawn and not data.get("status"):
            status = (f"{ResourceStatus.ACTIVE},{ResourceStatus.WITHDRAWN}",)
        parameters = [(name, tuple(data.getlist(name))) for name in data if name != "status"]
        found: set[str] | None = None
        for name, values in sorted(parameters) or [("", ())]:  # no parameter: the status alone
            part = self._find(name, values, status)
            if part is None:
                return set()
            found = set(part) if found is None else found & part
        return found or set()

    def _find(
        self, name: str, values: tuple[str, ...], status: tuple[str, ...]
    ) -> frozenset[str] | None:
        key = (name, values, status)
        if key not in self.found:
            data = QueryDict(mutable=True)
            if name:
                data.setlist(name, list(values))
            if status:
                data.setlist("status", list(status))
            filterset = ResourceFilterSet(data=data, queryset=self.resources)
            try:
                found = filterset.matching().values_list("pk", flat=True)
                self.found[key] = frozenset(str(pk) for pk in found)
            except (ValidationError, RequestValidationError):
                self.found[key] = None
        return self.found[key]


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
        if event.subject_type == "resource":
            subjects.single[event.pk] = event.subject_id
        elif event.pk in entry_events and entry_events[event.pk] in entries:
            subjects.single[event.pk] = str(entries[entry_events[event.pk]])
        elif event.pk in batch_events:
            subjects.many[event.pk] = listed[batch_events[event.pk]]
    return subjects


def _deliveries_for(
    query: str,
    subscriptions: list[Subscription],
    events_by_type: dict[str, list[Event]],
    subjects: _Subjects,
    searches: _Searches,
) -> list[Delivery]:
    wanted = {t for s in subscriptions for t in s.event_types}
    events = sorted(
        (event for t in wanted for event in events_by_type.get(t, ())), key=lambda e: e.pk
    )
    if not events:
        return []
    found = searches.find(query) if any(e.type not in WITHDRAWALS for e in events) else set()
    found_withdrawn = (
        searches.find(query, withdrawn=True)
        if any(e.type in WITHDRAWALS for e in events)
        else set()
    )
    hits: list[tuple[Event, dict[str, Any]]] = []
    for event in events:
        pool = found_withdrawn if event.type in WITHDRAWALS else found
        if event.pk in subjects.single:
            matched = [subjects.single[event.pk]] if subjects.single[event.pk] in pool else []
        else:
            matched = sorted(subjects.many.get(event.pk, set()) & pool)
        if matched:
            why = {
                "event_type": event.type,
                "query": query,
                "resources": matched[:MATCHED_SAMPLE],
                "count": len(matched),
            }
            hits.append((event, why))
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        types = set(subscription.event_types)
        webhook = bool(subscription.webhook_url)
        for event, why in hits:
            if event.type not in types:
                continue
            deliveries.append(
                Delivery(  # ids rather than objects: a million of these take seconds
                    subscription_id=subscription.pk,
                    event_id=event.pk,
                    webhook_id=f"msg_{event.pk}_{subscription.pk}",
                    status=DeliveryStatus.PENDING if webhook else DeliveryStatus.PULL,
                    next_attempt_at=now if webhook else None,
                    matched=why,
                )
            )
    return deliveries


def match_events(events: list[Event]) -> list[Delivery]:
    """The deliveries ``events`` give rise to (unsaved): one per matching active subscription."""
    public = [event for event in events if event.public and event.type != EventType.PING]
    if not public:
        return []
    events_by_type: dict[str, list[Event]] = defaultdict(list)
    for event in public:
        events_by_type[event.type].append(event)
    types = set(events_by_type)
    by_query: dict[str, list[Subscription]] = defaultdict(list)
    candidates = Subscription.objects.filter(active=True).only(
        "pk", "query", "event_types", "webhook_url"
    )
    for subscription in candidates.iterator(chunk_size=5000):
        if types.intersection(subscription.event_types):
            by_query[subscription.query].append(subscription)
    subjects = _subjects(public)
    searches = _Searches(subjects.resources())
    deliveries: list[Delivery] = []
    for query, subscriptions in by_query.items():
        deliveries.extend(_deliveries_for(query, subscriptions, events_by_type, subjects, searches))
    return deliveries


def match_pending_events(*, chunk: int = CHUNK) -> int:
    """Matches every event not matched yet, a chunk per transaction; returns the deliveries made.

    Before any work, a follow-up run is enqueued (and committed) for ``MATCHING_LEASE`` later: if
    this worker dies mid-chunk, the chunk's transaction rolls back and the follow-up matches its
    events. When it finds nothing to do it enqueues nothing, so the chain ends.
    """
    from openness import tasks

    if not Event.objects.filter(matched_at__isnull=True).exists():
        return 0
    with transaction.atomic():
        run_after = timezone.now() + MATCHING_LEASE
        tasks.match_events.using(run_after=run_after).enqueue()
    made = 0
    while True:
        with transaction.atomic():
            events = list(
                Event.objects.filter(matched_at__isnull=True)
                .select_for_update(skip_locked=True)
                .order_by("id")[:chunk]
            )
            if not events:
                return made
            deliveries = match_events(events)
            Delivery.objects.bulk_create(deliveries, batch_size=5000, ignore_conflicts=True)
            Event.objects.filter(pk__in=[e.pk for e in events]).update(matched_at=timezone.now())
            for subscription_id in sorted(
                {d.subscription_id for d in deliveries if d.status == DeliveryStatus.PENDING}
            ):
                tasks.deliver.enqueue(subscription_id)
            made += len(deliveries)
