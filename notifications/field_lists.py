"""The fields of a subscription and of a delivery, named once (see ``registry/field_lists.py``)."""

# The subscription as the API shows it to its owner (its secret only once, when it is made).
SUBSCRIPTION_FIELDS = [
    "id",
    "url",
    "name",
    "query",
    "event_types",
    "webhook_url",
    "active",
    "disabled_reason",
    "disabled_at",
    "last_success_at",
    "failing_since",
    "created_at",
    "updated_at",
]
# What a client may set; every other field of the answer (and the secret) is the server's.
SUBSCRIPTION_WRITABLE = ["name", "query", "event_types", "webhook_url", "active"]

# What a delivery records of its attempts, as the API and the admin show them.
DELIVERY_ATTEMPTS = (
    "attempts",
    "next_attempt_at",
    "last_attempt_at",
    "last_status_code",
    "last_error",
    "last_response",
    "delivered_at",
)
