from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from config.api.serializers import StrictModelSerializer, StrictSerializer
from openness.models import Batch, Entry, Event
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
        fields = [
            "number",
            "url",
            "title",
            "title_en",
            "year",
            "document_reference",
            "submission_opens_at",
            "submission_closes_at",
            "status",
            "published_at",
            "entries_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_entries_url(self, batch: Batch) -> str:
        return reverse(
            "api:batch-entries",
            kwargs={"number": batch.number},
            request=self.context.get("request"),
        )


class BatchDetailSerializer(BatchSerializer):
    counts = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "counts"]
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


class BatchWriteSerializer(StrictModelSerializer):
    server_controlled = frozenset(
        {
            "number",
            "url",
            "status",
            "published_at",
            "entries_url",
            "counts",
            "created_at",
            "updated_at",
        }
    )

    class Meta:
        model = Batch
        fields = [
            "title",
            "title_en",
            "year",
            "document_reference",
            "submission_opens_at",
            "submission_closes_at",
        ]

    def validate_year(self, value: int) -> int:
        if not 2000 <= value <= 2100:
            raise serializers.ValidationError("Enter a year between 2000 and 2100.")
        return value

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


class EventSubjectSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    url = serializers.URLField(allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "type", "occurred_at", "subject", "data"]
        read_only_fields = fields

    @extend_schema_field(EventSubjectSerializer)
    def get_subject(self, event: Event) -> dict[str, Any]:
        path = event.data.get("url")
        request = self.context.get("request")
        url = request.build_absolute_uri(path) if (request and path) else path
        return {"type": event.subject_type, "id": event.subject_id, "url": url}


class DiffChangeSerializer(serializers.Serializer):
    resource = serializers.UUIDField()
    name = serializers.CharField()
    changes = serializers.DictField(
        child=serializers.DictField(), help_text='Each changed field: {"before": …, "after": …}.'
    )


class DiffResourceSerializer(serializers.Serializer):
    resource = serializers.UUIDField()
    name = serializers.CharField()
    citation = serializers.CharField()


class BatchDiffSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    against = serializers.IntegerField()
    added = DiffResourceSerializer(many=True, help_text="Listed in `batch`, not in `against`.")
    withdrawn = DiffResourceSerializer(
        many=True, help_text="Listed in `against`, no longer listed in `batch`."
    )
    changed = DiffChangeSerializer(many=True, help_text="Listed in both, with different snapshots.")
    unchanged = serializers.IntegerField(help_text="Listed in both, identical.")
