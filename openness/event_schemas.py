"""The ``data`` of the batch and entry events (``openness.services``), for the OpenAPI document
(``core.event_schemas``). ``batch.opened`` and ``batch.closed`` are private: no feed shows them."""

from typing import Any

from rest_framework import serializers

from config.api.fields import ChoiceField
from core.choices import EventType
from core.event_schemas import event_schema, register
from openness.choices import BatchStatus, EntryStatus
from registry.choices import ResourceType


class BatchDiffCountsSerializer(serializers.Serializer[Any]):
    newly_listed = serializers.IntegerField()
    listed_again = serializers.IntegerField()
    not_listed_again = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class BatchPublishedEventDataSerializer(serializers.Serializer[Any]):
    batch = serializers.IntegerField(help_text="The batch's number.")
    title = serializers.CharField()
    status = ChoiceField(choices=BatchStatus.choices)
    url = serializers.URLField()
    listed = serializers.IntegerField(help_text="How many entries it lists.")
    against = serializers.IntegerField(
        allow_null=True, help_text="The last batch published before it; null for the first."
    )
    diff = BatchDiffCountsSerializer(
        allow_null=True, help_text="How many resources each case of the diff against it has."
    )
    diff_url = serializers.URLField(allow_null=True, help_text="The diff against it.")


class EntryEventDataSerializer(serializers.Serializer[Any]):
    entry = serializers.IntegerField()
    batch = serializers.IntegerField(help_text="The batch's number.")
    sequence = serializers.IntegerField(allow_null=True, help_text="序号 in the batch.")
    citation = serializers.CharField(allow_null=True, help_text="`batch-2/117`.")
    status = ChoiceField(choices=EntryStatus.choices)
    resource = serializers.UUIDField()
    resource_type = ChoiceField(choices=ResourceType.choices)
    platform = serializers.SlugField(allow_null=True, help_text="The platform's slug.")
    name = serializers.CharField(allow_null=True, help_text="The resource's name as listed.")
    version = serializers.IntegerField(allow_null=True, help_text="The version listed.")
    url = serializers.URLField()
    resource_url = serializers.URLField()


class EntryWithdrawnEventDataSerializer(EntryEventDataSerializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why it was withdrawn.")


def register_list_events() -> None:
    register(
        event_schema(
            EventType.BATCH_PUBLISHED,
            "BatchPublished",
            BatchPublishedEventDataSerializer,
            "A batch was published: its entries are listed (an `entry.listed` each).",
        ),
        event_schema(
            EventType.ENTRY_LISTED,
            "EntryListed",
            EntryEventDataSerializer,
            "A resource was listed in a published batch.",
        ),
        event_schema(
            EventType.ENTRY_WITHDRAWN,
            "EntryWithdrawn",
            EntryWithdrawnEventDataSerializer,
            "A listed entry was withdrawn.",
        ),
    )
