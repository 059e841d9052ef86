"""The openness lists' API: numbered batches, their entries and the public change feed.

Reads are public (what each role sees is the querysets' ``visible_to``); writes are the
curators', submissions and withdrawals the platform's publishers' too. Batches and entries carry
no version: no ETag, no If-Match. Every change goes through ``openness.services``
(``config.api.viewsets`` does the plumbing, ``transition(...)`` declares the workflow actions).
"""

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.pagination import KeysetPagination
from config.api.permissions import Rule, require_publisher_of
from config.api.transitions import transition
from config.api.views import RegistryViewSet
from config.api.viewsets import ServiceCreateMixin, ServiceUpdateMixin, ServiceViewSet
from core.errors import DomainError
from core.event_schemas import event_union
from core.models import Event
from openness import services
from openness.api.annex import ENTRY_FILTER_PARAMETERS, BatchAnnexMixin
from openness.api.serializers import (
    BatchDetailSerializer,
    BatchDiffSerializer,
    BatchSerializer,
    BatchWriteSerializer,
    EntrySerializer,
    EntrySubmitSerializer,
    EventSerializer,
)
from openness.choices import BatchStatus, EntryStatus
from openness.filtersets import BatchFilterSet, EntryFilterSet, EventFilterSet
from openness.models import Batch, Entry
from registry.api.write_serializers import ReasonSerializer

TAGS = ["openness lists"]
#: What a workflow action documents it may refuse: not allowed (403), the wrong state (409).
REFUSED = (403, 409)


def _entries(user: Any) -> QuerySet[Entry]:
    return Entry.objects.visible_to(user).select_related(
        "batch", "resource", "platform", "withdrawn_by"
    )


@extend_schema_view(
    list=extend_schema(
        summary="List batches",
        description="The numbered openness lists: published ones to everyone, open ones to "
        "publishers too, all to curators.",
    ),
    retrieve=extend_schema(
        summary="Get a batch",
        description="One batch by number, with its entries counted by status and type.",
        responses={200: BatchDetailSerializer},
    ),
    create=extend_schema(
        summary="Create a batch",
        description="Curators create the next numbered batch, as a draft.",
        request=BatchWriteSerializer,
        responses={201: BatchDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Update a batch",
        description="Curators change a batch's title, year, document reference or submission "
        "window until it is published (409 after).",
        request=BatchWriteSerializer,
        responses={200: BatchDetailSerializer},
    ),
)
class BatchViewSet(
    BatchAnnexMixin,
    mixins.ListModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    ServiceViewSet,
):
    queryset = Batch.objects.all()
    serializer_class = BatchSerializer
    write_serializer_class = BatchWriteSerializer
    detail_schema = BatchDetailSerializer
    filterset_class = BatchFilterSet
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,9}"
    schema_tags = TAGS
    versioned = False
    located = False
    create_service = services.batch_create
    update_service = services.batch_update
    service_key = "batch_id"
    permission_policy = {
        "list": Rule.PUBLIC,
        "retrieve": Rule.PUBLIC,
        "entries": Rule.PUBLIC,
        "diff": Rule.PUBLIC,
        "annex": Rule.PUBLIC,
        "create": Rule.CURATOR,
        "partial_update": Rule.CURATOR,
        "submit": Rule.PUBLISHER,
    }
    error_statuses = {
        "create": [403],
        "partial_update": [403, 409],
        "submit": [403, 409],
        "diff": [409],
        "annex": [409],
    }
    extra_query_params_by_action = {"diff": ("against",)}

    open = transition(
        services.batch_open,
        rule=Rule.CURATOR,
        errors=REFUSED,
        summary="Open a batch",
        description="draft → open: publishers may submit.",
    )
    close = transition(
        services.batch_close,
        rule=Rule.CURATOR,
        errors=REFUSED,
        summary="Close a batch for review",
        description="open → review: no more submissions; curators finish the review.",
    )
    publish = transition(
        services.batch_publish,
        rule=Rule.CURATOR,
        errors=REFUSED,
        summary="Publish a batch",
        description="review → published, in one transaction: every approved entry is listed with "
        "its number and a frozen snapshot, the events are written. Refused (409) while entries "
        "await review; a published batch is final.",
    )

    def get_queryset(self) -> QuerySet[Batch]:
        return Batch.objects.visible_to(self.request.user).order_by("number")

    def allowed_query_params(self) -> set[str]:
        allowed = super().allowed_query_params()
        if self.action == "entries" and self.request.method == "GET":
            allowed |= EntryFilterSet.parameter_names() | {"cursor", "page_size"}
        if self.action == "annex":
            allowed |= EntryFilterSet.parameter_names()
        return allowed

    def representation(self, instance: Batch) -> Any:
        """The batch with its entries visible to the reader counted by status and type."""
        entries = Entry.objects.visible_to(self.request.user).filter(batch=instance)
        by_status = dict(entries.values_list("status").annotate(n=Count("pk")).order_by())
        by_type = dict(
            entries.filter(status=EntryStatus.LISTED)
            .values_list("resource_type")
            .annotate(n=Count("pk"))
            .order_by()
        )
        context = {
            **self.get_serializer_context(),
            "counts": {"by_status": by_status, "by_type": by_type},
        }
        return BatchDetailSerializer(instance, context=context).data

    @extend_schema(
        summary="List a batch's entries",
        description="Entries visible to you, filtered on what was listed (the snapshot). Without "
        "`status`, withdrawn entries are left out.",
        responses={200: EntrySerializer(many=True)},
        parameters=[
            *ENTRY_FILTER_PARAMETERS,
            OpenApiParameter("cursor", str, required=False),
            OpenApiParameter("page_size", int, required=False),
        ],
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def entries(self, request: Request, number: str) -> Response:
        entries = _entries(request.user).filter(batch=self.get_object())
        filterset = EntryFilterSet(data=request.query_params, queryset=entries, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(filterset.qs)  # the registry's keyset pages
        context = self.get_serializer_context()
        return self.get_paginated_response(EntrySerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Submit a resource to a batch",
        description="A publisher submits one of their active resources to an open batch, once.",
        request=EntrySubmitSerializer,
        responses={201: EntrySerializer},
    )
    @entries.mapping.post
    def submit(self, request: Request, number: str) -> Response:
        batch = self.get_object()  # the publisher is checked against the resource's platform
        body = EntrySubmitSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        resource = body.validated_data["resource"]
        require_publisher_of(request.user, resource.platform)
        entry = services.entry_submit(actor=request.user, batch_id=batch.pk, resource=resource)
        entry = _entries(request.user).get(pk=entry.pk)
        return Response(
            EntrySerializer(entry, context=self.get_serializer_context()).data, status=201
        )

    @extend_schema(
        summary="Compare two batches",
        description="What this batch lists compared with batch `against`, resource by resource: "
        "**newly listed** (not in `against`), **listed again** (in both: changed field by field "
        "between the two snapshots, or unchanged), **not listed again** (in `against`, still "
        "listed there and active in the registry, but not in this batch) and **withdrawn** (in "
        "`against`, not listed here because the resource was withdrawn from the registry or an "
        "entry of it from its list since: when and why). Both batches must be published. "
        "`added`, `changed` and `unchanged` are deprecated aliases of `newly_listed`, "
        "`listed_again.changed` and `listed_again.unchanged`.",
        parameters=[
            OpenApiParameter("against", int, required=True, description="The other batch's number.")
        ],
        responses={200: BatchDiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, number: str) -> Response:
        batch = self.get_object()
        against_number = request.query_params.get("against", "")
        if not against_number.isascii() or not against_number.isdigit() or len(against_number) > 9:
            raise ValidationError({"against": [_("Give the number of a published batch.")]})
        against = get_object_or_404(self.get_queryset(), number=int(against_number))
        for each in (batch, against):
            if each.status != BatchStatus.PUBLISHED:
                raise DomainError(
                    _("Batch %(number)d is not published yet.") % {"number": each.number},
                    problem="batch-not-published",
                )
        diff = services.batch_diff(batch=batch, against=against)
        return Response(BatchDiffSerializer(diff, context=self.get_serializer_context()).data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Get an entry",
        description="One entry: the snapshot as listed, and the live resource's link and version "
        "with whether it changed since.",
    ),
)
class EntryViewSet(ServiceViewSet):
    queryset = Entry.objects.all()
    serializer_class = EntrySerializer
    schema_tags = TAGS
    versioned = False
    service_key = "entry_id"
    permission_policy = {"retrieve": Rule.PUBLIC}

    approve = transition(
        services.entry_approve,
        rule=Rule.CURATOR,
        errors=REFUSED,
        summary="Approve an entry",
        description="Curators, while the batch is open or in review.",
    )
    reject = transition(
        services.entry_reject,
        rule=Rule.CURATOR,
        errors=REFUSED,
        body=ReasonSerializer,
        summary="Reject an entry",
        description="Curators, with a reason, while the batch is open or in review.",
    )
    withdraw = transition(
        services.entry_withdraw,
        rule=Rule.OWN_PLATFORM,
        errors=REFUSED,
        body=ReasonSerializer,
        summary="Withdraw a listed entry",
        description="Curators or the platform's "
        "publishers, with a reason. The entry keeps its number and stays readable.",
    )
    retract = transition(
        services.entry_retract,
        rule=Rule.OWN_PLATFORM,
        errors=REFUSED,
        status=204,
        summary="Retract a submission",
        description="The platform's publishers take "
        "a submission back while the batch is open; the entry is gone.",
    )

    def get_queryset(self) -> QuerySet[Entry]:
        return _entries(self.request.user)


class FeedPagination(KeysetPagination):
    """The feed never ends: its last page still links ``next`` (after the last event seen, or the
    same cursor when nothing is new), so a reader who has caught up polls that link for more."""

    def get_next_link(self) -> str | None:
        if self.rows:
            return self._link(self.rows[-1], reverse=False)
        return self.request.build_absolute_uri()

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["next"] = {
            "type": "string",
            "format": "uri",
            "description": "Poll this for the events after this page; never null.",
        }
        return response


@extend_schema_view(
    list=extend_schema(
        summary="The change feed",
        description="Every change to public objects, oldest first; follow `next` to keep up "
        "(the cursor is the last event's id, which only grows). Each event has the shape of a "
        "webhook's body (`Event`, one schema per `type`), without its `delivery`.",
        responses={200: event_union(many=True)},
    ),
)
class EventViewSet(mixins.ListModelMixin, RegistryViewSet):
    queryset = Event.objects.filter(public=True).order_by("id")
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    pagination_class = FeedPagination
    schema_tags = TAGS
    permission_policy = {"list": Rule.PUBLIC}
