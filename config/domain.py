"""Errors raised by the services when a rule of the domain refuses a change.

Services raise these whatever called them (the API, the admin, a command); the API's exception
handler turns them into problem details: 409, or 412 for ``PreconditionFailed``.
"""

from django.utils.functional import Promise


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
