"""Base serializers of the API: strict about what a request body may contain."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from config.api.fields import RegistryModelSerializer


class StrictFieldsMixin:
    """Refuses body fields the serializer does not accept: a 400 naming each one.

    An unknown field (a typo, or mass assignment of something the API does not expose) and a
    server-controlled field (read-only: ids, versions, statuses, timestamps) are both errors, so a
    client never believes it set something that was silently dropped.
    """

    #: Fields the representation shows but the server alone sets (ids, versions, timestamps):
    #: sending one is a "read-only" error rather than an "unknown field" one.
    server_controlled: frozenset[str] = frozenset()

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields = self.fields  # type: ignore[attr-defined]
            errors: dict[str, list[ErrorDetail]] = {}
            for key in data:
                field = fields.get(key)
                if field is None and key in self.server_controlled:
                    errors[key] = [
                        ErrorDetail(str(_("This field is read-only.")), code="read_only")
                    ]
                elif field is None:
                    errors[key] = [ErrorDetail(str(_("Unknown field.")), code="unknown_field")]
                elif field.read_only:
                    errors[key] = [
                        ErrorDetail(str(_("This field is read-only.")), code="read_only")
                    ]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFieldsMixin, RegistryModelSerializer):
    pass


# One entry of an object's audit trail (core.audit.history_of). No docstring: it would become
# the component's description in OpenAPI.
class ChangeRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField(help_text="created, updated, activated, withdrawn, deleted, …")
    version = serializers.IntegerField(allow_null=True, help_text="The version after the change.")
    actor = serializers.CharField(source="actor_name", help_text="Username of who changed it.")
    at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)
    changes = serializers.DictField(
        child=serializers.DictField(),
        help_text='Each changed field: {"before": …, "after": …}.',
    )
