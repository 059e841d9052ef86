from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from config.api.fields import ChoiceField
from config.api.serializers import StrictModelSerializer, StrictSerializer
from core.event_body import event_body
from core.models import Event
from openness.diff import FROM_LIST, FROM_REGISTRY
from openness.field_lists import BATCH_EDITABLE, BATCH_SHOWN
from openness.models import Batch, Entry
from registry.models import Resource

SNAPSHOT_SCHEMA = {
    "type": ["object", "null"],
    "description": "The resource as it was listed (platform brief, fields, relations, SME terms, "
    "type attributes and version); null until the entry is listed.",
    "additionalProperties": True,
}


class BatchSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:batch-detail", lookup_field="number")
    entries_url = serializers.SerializerMethodField()

    class Meta:
        model = Batch
        fields: tuple[str, ...] = BATCH_SHOWN
        read_only_fields: tuple[str, ...] = fields

    def get_entries_url(self, batch: Batch) -> str:
        return reverse(
            "api:batch-entries",
            kwargs={"number": batch.number},
            request=self.context.get("request"),
        )


class BatchDetailSerializer(BatchSerializer):
    counts = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = (*BATCH_SHOWN, "counts")
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "by_status": {"type": "object", "additionalProperties": {"type": "integer"}},
                "by_type": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
            "description": "Entries visible to you, by status and, for listed ones, by type.",
        }
    )
    def get_counts(self, batch: Batch) -> dict[str, dict[str, int]]:
        return self.context.get("counts", {"by_status": {}, "by_type": {}})


YEAR_REFUSED = "Enter a year between 2000 and 2100."


class BatchWriteSerializer(StrictModelSerializer):
    # Declared, not derived from the column: the database's integer range differs by backend
    # (SQLite has none), and the document must not.
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={"min_value": YEAR_REFUSED, "max_value": YEAR_REFUSED},
    )
    server_controlled = frozenset([*BATCH_SHOWN, "counts"]).difference(BATCH_EDITABLE)

    class Meta:
        model = Batch
        fields = BATCH_EDITABLE

    def _within_years(self, value: Any) -> Any:
        # Outside the registry's years, local times carry historical offsets (+08:05:43 before
        # 1901 in Asia/Shanghai) that RFC 3339 cannot write.
        if value is not None and not 2000 <= value.year <= 2100:
            raise serializers.ValidationError("Enter a time between the years 2000 and 2100.")
        return value

    def validate_submission_opens_at(self, value: Any) -> Any:
        return self._within_years(value)

    def validate_submission_closes_at(self, value: Any) -> Any:
        return self._within_years(value)


class EntryCurrentSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The live resource.")
    version = serializers.IntegerField(help_text="The live resource's version.")
    changed = serializers.BooleanField(
        help_text="Whether the resource changed since it was listed."
    )


class EntrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:entry-detail")
    batch = serializers.IntegerField(source="batch.number", help_text="The batch's number.")
    resource = serializers.UUIDField(source="resource_id")
    platform: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    name = serializers.SerializerMethodField()
    snapshot = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()
    withdrawn_by: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field=get_user_model().USERNAME_FIELD, read_only=True, allow_null=True
    )

    class Meta:
        model = Entry
        fields = [
            "id",
            "url",
            "batch",
            "citation",
            "sequence",
            "status",
            "reason",
            "resource",
            "platform",
            "resource_type",
            "name",
            "snapshot",
            "current",
            "submitted_at",
            "decided_at",
            "listed_at",
            "withdrawn_at",
            "withdrawn_by",
        ]
        read_only_fields = fields

    def get_name(self, entry: Entry) -> str:
        return str((entry.snapshot or {}).get("name") or entry.resource.name)

    @extend_schema_field(SNAPSHOT_SCHEMA)
    def get_snapshot(self, entry: Entry) -> dict[str, Any] | None:
        return entry.snapshot

    @extend_schema_field(EntryCurrentSerializer)
    def get_current(self, entry: Entry) -> dict[str, Any]:
        resource = entry.resource
        return {
            "url": reverse(
                "api:resource-detail",
                kwargs={"pk": resource.pk},
                request=self.context.get("request"),
            ),
            "version": resource.version,
            "changed": entry.listed_version is not None
            and resource.version != entry.listed_version,
        }


class EntrySubmitSerializer(StrictSerializer):
    resource = serializers.UUIDField(help_text="The id of one of your active resources.")

    def validate_resource(self, value: Any) -> Resource:
        user = self.context["request"].user
        resource = (
            Resource.objects.visible_to(user).select_related("platform").filter(pk=value).first()
        )
        if resource is None:
            raise serializers.ValidationError("No resource with this id is visible to you.")
        return resource


class EventSerializer(serializers.BaseSerializer[Event]):
    """An event of the change feed (``core.event_body``; documented as ``core.event_schemas``'
    ``Event``), its URLs on the request's host."""

    def to_representation(self, instance: Event) -> dict[str, Any]:
        return event_body(instance, self.context["request"].build_absolute_uri)


class DiffResourceSerializer(serializers.Serializer):
    resource = serializers.UUIDField()
    name = serializers.CharField(help_text="The resource's name as listed.")
    citation = serializers.CharField(help_text="Its entry: `batch-2/117`.")


class DiffChangeSerializer(DiffResourceSerializer):
    against_citation = serializers.CharField(help_text="Its entry in `against`.")
    changes = serializers.DictField(
        child=serializers.DictField(), help_text='Each changed field: {"before": …, "after": …}.'
    )


class DiffListedAgainSerializer(serializers.Serializer):
    changed = DiffChangeSerializer(
        many=True, help_text="Listed again with a snapshot that differs, field by field."
    )
    unchanged = serializers.IntegerField(help_text="How many are listed again unchanged.")


class DiffWithdrawnSerializer(DiffResourceSerializer):
    withdrawn_from = ChoiceField(
        choices=[FROM_REGISTRY, FROM_LIST],
        help_text="`registry`: the resource itself has been withdrawn; `list`: it is still "
        "active, but an entry of it (in `batch` or in `against`) has been withdrawn.",
    )
    withdrawn_citation = serializers.CharField(
        allow_null=True, help_text="The withdrawn entry (for `list`); null for `registry`."
    )
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_blank=True, help_text="Why it was withdrawn.")


@extend_schema_serializer(deprecate_fields=["added", "changed", "unchanged"])
class BatchDiffSerializer(serializers.Serializer):
    """What batch `batch` lists compared with batch `against`, each resource in one case; `added`,
    `changed` and `unchanged` are the first version's keys, deprecated."""

    batch = serializers.IntegerField()
    against = serializers.IntegerField()
    newly_listed = DiffResourceSerializer(
        many=True, help_text="Listed in `batch`, never in `against` (citations in `batch`)."
    )
    listed_again = DiffListedAgainSerializer(
        help_text="Listed in `batch` and in `against`: changed or unchanged (citations in `batch`)."
    )
    not_listed_again = DiffResourceSerializer(
        many=True,
        help_text="Listed in `against`, still listed there and still active in the registry, but "
        "not in `batch` (citations in `against`).",
    )
    withdrawn = DiffWithdrawnSerializer(
        many=True,
        help_text="In `against`, not listed in `batch`, because it has been withdrawn since: the "
        "resource from the registry, or an entry from its list (citations in `against`).",
    )
    added = DiffResourceSerializer(
        many=True, source="newly_listed", help_text="Deprecated: the same as `newly_listed`."
    )
    changed = DiffChangeSerializer(
        many=True,
        source="listed_again.changed",
        help_text="Deprecated: the same as `listed_again.changed`.",
    )
    unchanged = serializers.IntegerField(
        source="listed_again.unchanged",
        help_text="Deprecated: the same as `listed_again.unchanged`.",
    )
