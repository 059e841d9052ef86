"""Serializer fields shared by every app."""

from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty


class BlankAsNullMixin:
    """An optional URL or e-mail: absent is ``null`` in the API and ``""`` in the database.

    ``""`` is no valid URI or address, so the API never shows it where the schema promises one;
    on input both ``null`` and ``""`` clear the value.
    """

    def run_validation(self, data: Any = empty) -> Any:
        if data is None or data == "":
            return ""
        return super().run_validation(data)  # type: ignore[misc]

    def to_representation(self, value: Any) -> Any:
        return value or None


class OptionalURLField(BlankAsNullMixin, serializers.URLField):
    pass


class OptionalEmailField(BlankAsNullMixin, serializers.EmailField):
    pass


class RegistryModelSerializer(serializers.ModelSerializer):
    """The base of every model serializer: optional URLs and e-mails are null when absent."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: OptionalURLField,
        models.EmailField: OptionalEmailField,
    }

    def build_standard_field(
        self, field_name: str, model_field: Any
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if issubclass(field_class, BlankAsNullMixin) and model_field.blank:
            kwargs["allow_null"] = True
        return field_class, kwargs
