"""A region (GB/T 2260) or an industry section (GB/T 4754-2017) by its code, read or written.

They are primary keys of the vocabulary tables. The OpenAPI document declares them as the one
enum of each set (``RegionsEnum``, ``IndustriesEnum``: ``ENUM_NAME_OVERRIDES``) in reads and
writes alike, so a generated client has one type for a region code wherever it meets one."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from config.api.fields import ChoiceField
from registry.vocabularies import industry_codes, region_codes


class CodeField(serializers.PrimaryKeyRelatedField):
    """The primary key of a code list's row: the code."""

    @staticmethod
    def codes() -> tuple[str, ...]:
        raise NotImplementedError


class RegionCodeField(CodeField):
    codes = staticmethod(region_codes)


class IndustryCodeField(CodeField):
    codes = staticmethod(industry_codes)


class CodeFieldExtension(OpenApiSerializerFieldExtension):
    """Documents a code field as the choice field of its codes (nullable when it is)."""

    target_class = CodeField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field = self.target
        as_choice = ChoiceField(choices=field.codes(), allow_null=field.allow_null)
        return auto_schema._map_serializer_field(as_choice, direction)
