"""The OpenAPI document's ``webhooks`` section (``SPECTACULAR_SETTINGS["WEBHOOKS"]``): what a
subscription's receiver gets. docs/webhooks.md tells the whole story."""

from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema

from core.event_schemas import event_union

event = OpenApiWebhook(
    name="event",
    decorator=extend_schema(
        operation_id="event_webhook",
        summary="An event a subscription matched",
        description=(
            "POSTed to the subscription's `webhook_url` as JSON, following Standard Webhooks: "
            "`webhook-id` (the same on every retry: deduplicate on it), `webhook-timestamp` "
            "(seconds since 1970, when this attempt was sent) and `webhook-signature` (`v1,` and "
            "the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the "
            "subscription's secret, the base64 after `whsec_`; during a rotation, one signature "
            "per secret, separated by spaces). The body is the event as the change feed shows "
            "it, with `delivery`: the same item as the subscription's pull feed. Answer 2xx "
            "within the timeout; anything else is retried about 5 s, 5 min, 30 min, 2 h, 5 h, "
            "10 h and 10 h later, or after `Retry-After`."
        ),
        request=event_union(),
        responses={
            200: OpenApiResponse(description="Received (any 2xx will do; the body is ignored)."),
            410: OpenApiResponse(description="Gone: the subscription is disabled, no more events."),
        },
    ),
)
