"""Errors raised by the services when a rule of the domain refuses a change.

Services raise these whatever called them (the API, the admin, a command); the API's exception
handler turns them into problem details: 409, or 412 for ``PreconditionFailed``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A change the current state of the registry forbids."""

    status = 409
    problem = "conflict"

    def __init__(
        self,
        message: str | Promise,
        *,
        problem: str | None = None,
        errors: list[dict[str, str | None]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.errors = errors
        if problem is not None:
            self.problem = problem


class TransitionNotAllowed(DomainError):
    """A workflow action that the object's status does not allow (see the transition tables)."""

    problem = "transition-not-allowed"


class IncompleteForActivation(DomainError):
    """A draft that lacks what an active resource must have."""

    problem = "incomplete-resource"


class PreconditionFailed(DomainError):
    """The client's If-Match no longer names the current version: someone else wrote first."""

    status = 412
    problem = "precondition-failed"


def locked_at_version[M: Model](
    queryset: QuerySet[M], pk: Any, if_match: frozenset[int] | None
) -> M:
    """The row, locked for this transaction; 412 unless its ``version`` is one of ``if_match``
    (``None`` accepts any version: no If-Match, or ``*``)."""
    obj = queryset.select_for_update().get(pk=pk)
    version: int = getattr(obj, "version")  # noqa: B009  (every versioned model has one)
    if if_match is not None and version not in if_match:
        raise PreconditionFailed(
            _(
                "The %(kind)s is now at version %(current)d: someone else changed it first. "
                "Read it again and reapply your change."
            )
            % {"kind": obj._meta.verbose_name, "current": version}
        )
    return obj


def require_reason(reason: str) -> str:
    """``reason`` stripped; a 400 naming ``reason`` when there is none."""
    if not reason.strip():
        raise ValidationError({"reason": _("A reason is required.")})
    return reason.strip()
