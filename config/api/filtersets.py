"""The base filter set and filters shared by every list endpoint.

- Multi-valued filters take repeated (``?type=a&type=b``) or comma-separated (``?type=a,b``) values.
- Filters apply to list actions only; detail lookups are never narrowed by a list filter.
- Unknown parameters are refused by ``StrictQueryParamsMixin`` (``config.api.views``), which asks
  the filter set which parameters it knows.
- A value outside a choice filter's list is refused with the accepted ones (``AcceptedValuesForm``).
"""

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field

from config.api.accepted import refusal


class CommaSeparatedMultipleWidget(forms.SelectMultiple):
    """Reads repeated parameters and splits comma-separated ones into a single list of values."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [
            part.strip()
            for value in raw
            if value is not None
            for part in str(value).split(",")
            if part.strip()
        ]


class MultipleValueField(forms.Field):
    widget = CommaSeparatedMultipleWidget

    def __init__(self, *args: Any, max_length: int = 100, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        values = list(value or [])
        for item in values:
            if len(item) > self.max_length:
                raise forms.ValidationError(
                    _("Each value may have at most %(max)d characters."),
                    code="max_length",
                    params={"max": self.max_length},
                )
            if "\x00" in item:
                raise forms.ValidationError(
                    _("Values may not contain NUL characters."), code="null"
                )
        return values


class MultipleNumberField(MultipleValueField):
    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        values = super().to_python(value)
        if any(not item.isascii() or not item.isdigit() or len(item) > 9 for item in values):
            raise forms.ValidationError(_("Enter whole numbers."), code="invalid")
        return [int(item) for item in values]


# Documented as arrays (``?tag=a&tag=b``), as the choice filters are: a client sends a list.
@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class MultipleNumberFilter(django_filters.Filter):
    """Whole numbers, repeated or comma-separated; filtered by ``method``."""

    field_class = MultipleNumberField


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class MultipleValueFilter(django_filters.Filter):
    """Free values (slugs, tags), repeated or comma-separated; filtered by ``method``."""

    field_class = MultipleValueField


class MultipleChoiceValueFilter(django_filters.MultipleChoiceFilter):
    """Values from a fixed vocabulary, repeated or comma-separated; any of them matches."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", CommaSeparatedMultipleWidget)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Iterable[str]) -> QuerySet[Any]:
        values = list(value or [])
        if not values or self.method is not None:
            return super().filter(qs, values)
        return qs.filter(**{f"{self.field_name}__in": values})


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (also ``1`` or ``0``); any other value is an error.

    Django's ``NullBooleanField`` reads an unknown value as "no filter", which would answer
    ``?verified=yes`` with an unfiltered list.
    """

    widget = forms.TextInput
    values = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:
        if value is None or value == "":
            return None
        try:
            return self.values[str(value).strip().lower()]
        except KeyError:
            # Django's own message, so its catalogues translate it.
            raise forms.ValidationError(
                _("“%(value)s” value must be either True or False."),
                code="invalid",
                params={"value": value},
            ) from None


class BooleanFilter(django_filters.BooleanFilter):
    """A boolean filter that refuses values other than true/false instead of ignoring them."""

    field_class = StrictBooleanField


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, converted to UTC; one that UTC cannot represent is an error.

    ``0001-01-01T00:00:00+08:00`` is a valid ISO 8601 string but falls before year 1 in UTC:
    without this check SQLite's adapter raises OverflowError and the request fails with a 500.
    """

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(_("Enter a valid date/time."), code="invalid") from None


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter that refuses moments out of range instead of failing."""

    field_class = UTCIsoDateTimeField


def updated_since_filter() -> IsoDateTimeFilter:
    """The ``updated_since`` parameter, the same on every list whose objects carry
    ``updated_at``: those changed at or after the moment given."""
    return IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated at or after (ISO 8601)")
    )


class AcceptedValuesForm(forms.Form):
    """The form of every filter set: a value outside a choice filter's list is refused with the
    list of accepted values (``config.api.accepted``), whichever kind of choice filter it is."""

    def add_error(self, field: str | None, error: Any) -> None:
        if (
            field is not None
            and isinstance(error, forms.ValidationError)
            and getattr(error, "code", None) == "invalid_choice"
        ):
            error = self._refusal(self.fields[field], self[field].data)
        super().add_error(field, error)

    @staticmethod
    def _refusal(field: Any, data: Any) -> forms.ValidationError:
        accepted = [str(key) for key, _label in field.choices if key not in ("", None)]
        given = data if isinstance(data, list | tuple) else [data]
        refused = [str(value) for value in given if not field.valid_value(value)]
        template, params, code = refusal(list(dict.fromkeys(refused)), accepted)
        return forms.ValidationError(template, code=code, params=params)


class _SharedFields(dict[str, forms.Field]):
    """A form's fields, copied shallowly for each form rather than deeply.

    Django deep-copies every field (its widget, choices, validators and messages) for each form,
    so that a form may change its own fields. A filter set's form never does, and the copying was
    about a third of the CPU time of an unfiltered list request (profiled).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: copy.copy(field) for name, field in self.items()}


class BaseFilterSet(django_filters.FilterSet):
    """Every filter set of the API derives from this one.

    Its filters and their form are built once per class, not once per request: django-filter
    deep-copies every filter for each filter set and builds a new form class from them, although
    none of ours depends on the request (no queryset-backed choices).
    """

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.model = queryset.model
            filter_.parent = self
            if base.method is not None:
                filter_.method = base.method  # binds the filter method to this copy
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        cached: type[forms.Form] | None = cls.__dict__.get("_form_class")
        if cached is not None:
            return cached
        fields = {name: base.field for name, base in cls.base_filters.items()}
        bases = (AcceptedValuesForm, cls._meta.form)
        form_class: Any = type(f"{cls.__name__}Form", bases, fields)
        form_class.base_fields = _SharedFields(form_class.base_fields)
        cls._form_class = form_class
        return form_class

    @classmethod
    def parameter_names(cls) -> set[str]:
        return set(cls.base_filters)

    def list_queryset(self) -> QuerySet[Any]:
        """What the list pages through: the filtered queryset (a filter set whose matching is
        done elsewhere, by a search index, returns what the paginator needs instead)."""
        return self.qs


class StrictFilterBackend(DjangoFilterBackend):
    """Applies the view's filter set to list actions only, and leaves it on the view
    (``view.filterset``) for the paginator, which may add to the page from it (facets)."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        if getattr(view, "action", "list") != "list":
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        view.filterset = filterset
        return filterset.list_queryset()

    def get_filterset_kwargs(
        self, request: Any, queryset: QuerySet[Any], view: Any
    ) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["request"] = request
        return kwargs
