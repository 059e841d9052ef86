"""The catalogue of problem types (RFC 9457) the API answers with.

Each problem's ``type`` is a URI reference to ``/api/problems/<slug>``, which serves the type's
title and description, so a client can compare ``type`` strings and a person can look one up.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str | Promise
    description: str | Promise

    @property
    def uri(self) -> str:
        return f"/api/problems/{self.slug}"


_TYPES = [
    ProblemType(
        "validation-error",
        _("Invalid request"),
        _(
            "A query parameter or a field of the body is missing, unknown or invalid; "
            "`errors` names each one."
        ),
    ),
    ProblemType("parse-error", _("Malformed request body"), _("The body could not be parsed.")),
    ProblemType(
        "not-authenticated",
        _("Authentication required"),
        _("The request needs credentials, or the credentials given are not valid."),
    ),
    ProblemType(
        "permission-denied",
        _("Permission denied"),
        _("The authenticated user may not perform this action."),
    ),
    ProblemType(
        "not-found",
        _("Not found"),
        _("Nothing exists at this address, or it is not visible to you."),
    ),
    ProblemType(
        "method-not-allowed",
        _("Method not allowed"),
        _("The resource does not support this HTTP method; the Allow header lists those it does."),
    ),
    ProblemType(
        "not-acceptable",
        _("Not acceptable"),
        _("The API cannot answer in any media type the Accept header allows."),
    ),
    ProblemType(
        "unsupported-media-type",
        _("Unsupported media type"),
        _("The body's Content-Type is not accepted; send application/json."),
    ),
    ProblemType(
        "throttled",
        _("Too many requests"),
        _("Too many requests from this client; retry after the number of seconds in Retry-After."),
    ),
    ProblemType(
        "search-unavailable",
        _("Search unavailable"),
        _(
            "The search index is missing or unreadable, so `q` cannot be answered until an "
            "operator rebuilds it; lists without `q` still work."
        ),
    ),
    ProblemType(
        "conflict",
        _("Conflict"),
        _("The request conflicts with the current state of the object."),
    ),
    ProblemType(
        "transition-not-allowed",
        _("Not allowed in this status"),
        _(
            "The object's status does not allow this action; the workflow's transition table says "
            "which actions each status allows."
        ),
    ),
    ProblemType(
        "incomplete-resource",
        _("Resource incomplete"),
        _("A draft must be complete before it becomes active; `errors` names what is missing."),
    ),
    ProblemType(
        "batch-final",
        _("Published batch"),
        _(
            "A published batch and its entries never change again; a listed entry can only be "
            "withdrawn."
        ),
    ),
    ProblemType(
        "batch-not-published",
        _("Batch not published"),
        _("This needs a published batch."),
    ),
    ProblemType(
        "entries-awaiting-review",
        _("Entries await review"),
        _("A batch cannot be published while any entry is still submitted: approve or reject it."),
    ),
    ProblemType(
        "already-submitted",
        _("Already in the batch"),
        _("A resource is submitted to a batch at most once."),
    ),
    ProblemType(
        "resource-not-active",
        _("Resource not active"),
        _("Only active resources can be submitted to a batch."),
    ),
    ProblemType(
        "subscription-quota",
        _("Too many subscriptions"),
        _("An account may have a limited number of subscriptions; delete one to add another."),
    ),
    ProblemType(
        "subscription-disabled",
        _("Subscription disabled"),
        _(
            "The subscription was disabled (see its `disabled_reason`); reactivate it before "
            "asking for deliveries."
        ),
    ),
    ProblemType(
        "no-webhook",
        _("No webhook"),
        _("The subscription has no webhook URL: its events are in its pull feed."),
    ),
    ProblemType(
        "delivery-in-progress",
        _("Delivery in progress"),
        _("The delivery is being sent right now; ask again once the attempt has finished."),
    ),
    ProblemType(
        "precondition-required",
        _("If-Match required"),
        _("Writes to versioned objects must carry If-Match with the ETag of the version changed."),
    ),
    ProblemType(
        "precondition-failed",
        _("Version changed"),
        _("Someone else changed the object since you read it; read it again, reapply the change."),
    ),
    ProblemType(
        "server-error",
        _("Internal server error"),
        _("The server failed to answer; the failure has been logged. The request may be retried."),
    ),
    ProblemType(
        "service-unavailable",
        _("Service unavailable"),
        _("The service cannot answer now (its database is unreachable or not migrated)."),
    ),
    ProblemType("bad-request", _("Bad request"), _("The request could not be understood.")),
]

PROBLEM_TYPES: dict[str, ProblemType] = {problem.slug: problem for problem in _TYPES}

STATUS_TO_TYPE: dict[int, str] = {
    400: "bad-request",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    415: "unsupported-media-type",
    428: "precondition-required",
    429: "throttled",
    500: "server-error",
    503: "service-unavailable",
}


def problem_type_for_status(status: int) -> ProblemType:
    return PROBLEM_TYPES[
        STATUS_TO_TYPE.get(status, "bad-request" if status < 500 else "server-error")
    ]
