"""What the registry below may ask of the openness lists: the one door through which a lower layer
reaches up into ``openness`` (the import contract in ``pyproject.toml`` allows ``registry`` this
module and nothing else of ``openness``).

A resource shows its listings, is searched and filtered by the batches that list it, and takes its
listings with it when it is withdrawn (the withdrawal cascade): each is one function here. These
modules import ``openness`` lazily, inside the functions, because ``registry``'s models are loaded
before ``openness``'s.
"""

from functools import cache
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch


def listings_prefetch(to_attr: str = "public_listings") -> Prefetch:
    """A resource's public listings (listed and withdrawn entries), batch by batch."""
    from openness.models import Entry

    return Prefetch(
        "entries",
        queryset=Entry.objects.filter(status__in=["listed", "withdrawn"])
        .select_related("batch")
        .order_by("batch__number"),
        to_attr=to_attr,
    )


@cache
def public_listing_rows_sql() -> str:
    """The statement that reads a page of resources' public listings (listed and withdrawn
    entries) for the resource list's fast path (``registry/api/resource_rows.py``): per row the
    resource's id, the entry's id, the batch number, the sequence and the status, in the order
    the listings are shown; ``{in_page}`` is the condition on the resource's id."""
    from openness.models import Batch, Entry
    from openness.models.entry import PUBLISHED_STATUSES

    statuses = ", ".join(f"'{status}'" for status in PUBLISHED_STATUSES)
    # Names from the models and the enumeration: nothing from a request.
    return (
        "SELECT entry.resource_id, entry.id, batch.number, entry.sequence, entry.status "  # noqa: S608
        f"FROM {Entry._meta.db_table} entry JOIN {Batch._meta.db_table} batch "
        "ON batch.id = entry.batch_id "
        f"WHERE entry.resource_id {{in_page}} AND entry.status IN ({statuses}) "
        "ORDER BY batch.number, entry.sequence, entry.id"
    )


def listed_in(numbers: list[int]) -> Exists:
    """For a resource queryset: listed (and not withdrawn) in one of the batches ``numbers``."""
    from openness.models import Entry

    return Exists(
        Entry.objects.filter(resource_id=OuterRef("pk"), batch__number__in=numbers, status="listed")
    )


def listed_batch_numbers(resource_ids: list[Any]) -> list[tuple[Any, int]]:
    """(resource id, batch number) for each listing of these resources that is still listed."""
    from openness.models import Entry

    return list(
        Entry.objects.filter(resource_id__in=resource_ids, status="listed").values_list(
            "resource_id", "batch__number"
        )
    )


def withdraw_listings_of(*, actor: Any, resource: Any, reason: str) -> int:
    """The withdrawal cascade: a resource being withdrawn leaves every list
    (``openness.services.withdraw_listings_of``); the number of entries it took out."""
    from openness import services

    return services.withdraw_listings_of(actor=actor, resource=resource, reason=reason)
