"""The candidate resources the demo batches (``openness.demo``) draw from."""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from registry import demo as registry_demo
from registry.choices import ResourceStatus
from registry.models import Resource

CANDIDATES = 400  # the demo resources 0..399 are the pool the batches draw from


class Pool:
    """The candidate demo resources in index order, with the time each was last changed."""

    def __init__(self) -> None:
        ids = [registry_demo.resource_id(index) for index in range(CANDIDATES)]
        order = {rid: index for index, rid in enumerate(ids)}
        rows = Resource.objects.filter(pk__in=ids, status=ResourceStatus.ACTIVE).values_list(
            "pk", "updated_at"
        )
        self.changed_at = dict(rows)
        self.ids = sorted(self.changed_at, key=order.__getitem__)
        self.withdrawn: set[Any] = set()

    def available(self, before: datetime, exclude: Collection[Any] = ()) -> list[Any]:
        """Active candidates last changed before ``before`` (so a snapshot never predates an
        edit), minus ``exclude``."""
        return [
            rid
            for rid in self.ids
            if self.changed_at[rid] < before and rid not in exclude and rid not in self.withdrawn
        ]

    def touch(self, rid: Any, moment: datetime) -> None:
        self.changed_at[rid] = moment
