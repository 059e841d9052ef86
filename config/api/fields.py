"""Serializer fields shared by every app."""

from typing import Any, NoReturn

from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty

from config.api.accepted import refusal_message


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


class ChoiceField(serializers.ChoiceField):
    """A choice field whose refusal lists the accepted values (``config.api.accepted``): every
    choice field of the API is one (``RegistryModelSerializer`` builds them for model choices)."""

    def fail(self, key: str, **kwargs: Any) -> NoReturn:
        if key == "invalid_choice":
            message, code = refusal_message(
                [str(kwargs.get("input", ""))], list(self.choice_strings_to_values)
            )
            raise serializers.ValidationError(message, code=code)
        super().fail(key, **kwargs)


class RegistryModelSerializer(serializers.ModelSerializer):
    """The base of every model serializer: optional URLs and e-mails are null when absent, and a
    refused choice lists the accepted ones."""

    serializer_choice_field = ChoiceField
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
