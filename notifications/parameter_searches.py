"""A chunk's searches, evaluated parameter by parameter (``Searches``), for the matching.

A search is the conjunction of its parameters (the filter set applies each filter to what the ones
before it left, and no filter reads another's value), so the resources a query finds are those every
one of its parameters finds on its own. Each (parameter, values, status) is evaluated once per
chunk, by ``ResourceFilterSet``, over all the chunk's resources; on PostgreSQL ``PER_STATEMENT``
parameters to a statement, joined by ``UNION ALL``. ``notifications.matching`` says why.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from rest_framework.exceptions import ValidationError as RequestValidationError

from registry import search
from registry.choices import ResourceStatus
from registry.filtersets import ResourceFilterSet
from registry.models import Resource

PER_STATEMENT = 25  # parameters evaluated by one UNION ALL statement


# (parameter, its values, the query's status): what one filter finds is fixed by these.
_Key = tuple[str, tuple[str, ...], tuple[str, ...]]


class Searches:
    """Searches over one set of resources, each (parameter, values, status) evaluated once.

    ``find(query)`` gives what ``matching_resource_ids(query, resource_ids)`` (in
    ``notifications.matching``) gives: the intersection of what each parameter of the query finds,
    each with the query's ``status`` (the one parameter with a default, which every filter set
    applies), each by ``ResourceFilterSet``.
    A parameter the filter set refuses makes the whole query find nothing, as it would.
    """

    def __init__(self, resource_ids: Iterable[str]) -> None:
        ids = [str(pk) for pk in dict.fromkeys(resource_ids)]
        self.ids = ids
        self.empty = not ids
        self.resources = Resource.objects.filter(pk__in=_id_list(ids)).order_by()
        self.found: dict[_Key, frozenset[str] | None] = {}

    def prepare(self, queries: Iterable[tuple[str, bool]]) -> None:
        """Evaluates every parameter of these (query, withdrawn) searches, many per statement."""
        if self.empty:
            return
        keys = {key for query, withdrawn in queries for key in _keys(query, withdrawn)}
        pending: list[tuple[_Key, QuerySet[Resource]]] = []
        for key in sorted(keys - set(self.found)):
            found = self._queryset(key)
            if found is None:
                self.found[key] = None
            else:
                pending.append((key, found))
        # SQLite has no array parameter: each of its statements would repeat every id.
        per_statement = PER_STATEMENT if connection.vendor == "postgresql" else 1
        for start in range(0, len(pending), per_statement):
            group = pending[start : start + per_statement]
            labelled = [
                found.order_by().annotate(key=Value(n)).values_list("key", "pk")
                for n, (_key, found) in enumerate(group)
            ]
            rows: dict[int, set[str]] = defaultdict(set)
            combined = labelled[0].union(*labelled[1:], all=True).order_by()  # not Meta's
            for n, pk in combined:
                rows[n].add(str(pk))
            for n, (key, _found) in enumerate(group):
                self.found[key] = frozenset(rows.get(n, ()))

    def find(self, query: str, *, withdrawn: bool = False) -> set[str]:
        """Like ``notifications.matching.matching_resource_ids(query, …, withdrawn=withdrawn)``."""
        if self.empty:
            return set()
        found: set[str] | None = None
        for key in _keys(query, withdrawn):
            part = self._find(key)
            if part is None:
                return set()
            found = set(part) if found is None else found & part
        return found or set()

    def _find(self, key: _Key) -> frozenset[str] | None:
        if key not in self.found:
            found = self._queryset(key)
            self.found[key] = (
                None
                if found is None
                else frozenset(str(pk) for pk in found.values_list("pk", flat=True))
            )
        return self.found[key]

    def _queryset(self, key: _Key) -> QuerySet[Resource] | None:
        """The resources the parameter finds (unevaluated); None when the filter set refuses it.
        ``q`` is asked of the search index, among this set's resources: every term must match."""
        name, values, status = key
        data = QueryDict(mutable=True)
        resources = self.resources
        if name == "q":
            resources = resources.filter(pk__in=self._found_by_index(values[-1] if values else ""))
        elif name:
            data.setlist(name, list(values))
        if status:
            data.setlist("status", list(status))
        try:
            return ResourceFilterSet(data=data, queryset=resources).matching()
        except (ValidationError, RequestValidationError):
            return None

    def _found_by_index(self, q: str) -> list[str]:
        terms = search.parse(q)
        if not q.strip():
            return self.ids
        return sorted(search.matching_ids(terms, self.ids, list(ResourceStatus.values)))


def _keys(query: str, withdrawn: bool) -> list[_Key]:
    """The parameters a query's search is the conjunction of, each with the query's status."""
    data = QueryDict(query)
    status = tuple(data.getlist("status"))
    if withdrawn and not data.get("status"):
        status = (f"{ResourceStatus.ACTIVE},{ResourceStatus.WITHDRAWN}",)
    parameters = [(name, tuple(data.getlist(name)), status) for name in data if name != "status"]
    return sorted(parameters) or [("", (), status)]  # no parameter: the status alone


def _id_list(ids: list[str]) -> Any:
    """``ids`` as the right side of ``pk__in``: on PostgreSQL one text parameter rather than a
    parameter per id (a statement evaluating many search parameters repeats it for each)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(string_to_array(%s, ',')::uuid[])", [",".join(ids)])
    return ids
