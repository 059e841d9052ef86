"""Request bodies of the registry's writes. Responses use the read serializers
(``registry.api.serializers``); these say what a client may send and validate it."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from config.api.fields import ChoiceField
from config.api.serializers import StrictModelSerializer, StrictSerializer
from registry.accounts import user_by_username
from registry.api.auth_serializers import USERNAME_HELP
from registry.api.code_fields import RegionCodeField
from registry.attributes import TYPE_SPECS, attribute_errors
from registry.choices import EnterpriseSize
from registry.field_lists import PLATFORM_PROFILE, RESOURCE_WRITABLE
from registry.models import Platform, Region, Resource
from registry.validators import normalize_name, validate_username
from registry.vocabularies import industry_codes, region_codes


class SmeTermsWriteSerializer(StrictSerializer):
    free_quota = serializers.CharField(
        source="sme_free_quota", allow_blank=True, max_length=200, required=False
    )
    discount = serializers.CharField(
        source="sme_discount", allow_blank=True, max_length=200, required=False
    )
    eligible_sizes = serializers.ListField(
        child=ChoiceField(choices=EnterpriseSize.choices),
        required=False,
        max_length=3,
        help_text="Enterprise sizes the terms are open to (default: all three).",
    )
    conditions = serializers.CharField(source="sme_conditions", allow_blank=True, required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values = super().to_internal_value(data)
        sizes = values.pop("eligible_sizes", None)
        if sizes is not None:
            for size in EnterpriseSize:
                values[f"eligible_{size.value}"] = size.value in sizes
        return values


class ResourceWriteSerializer(StrictModelSerializer):
    """What a publisher sends to create or change a resource.

    ``platform`` (a slug) is given at creation only. ``attributes`` must satisfy the schema of
    ``resource_type`` (``/api/v1/resource-types/``); changing the type needs attributes valid for
    the new one. A nationwide resource lists no regions.
    """

    platform = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Platform.objects.all(),
        help_text="Slug of the platform that opens the resource (at creation only).",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        max_length=30,
        help_text="Keywords; stored lower-cased.",
    )
    industries = serializers.ListField(
        child=ChoiceField(choices=industry_codes()),
        required=False,
        max_length=20,
        help_text="GB/T 4754-2017 section codes (A–T).",
    )
    regions = serializers.ListField(
        child=ChoiceField(choices=region_codes()),
        required=False,
        max_length=34,
        help_text="GB/T 2260 codes of the regions where it is available; empty when nationwide.",
    )
    sme_terms = SmeTermsWriteSerializer(source="*", required=False)
    attributes = serializers.JSONField(
        help_text="Type attributes, valid for the schema of `resource_type`."
    )

    class Meta:
        model = Resource
        fields = list(RESOURCE_WRITABLE)

    server_controlled = frozenset(
        {"id", "url", "status", "version", "listed_at", "listings", "created_at", "updated_at"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["platform"].read_only = True

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Resource | None = self.instance
        resource_type = attrs.get("resource_type", instance.resource_type if instance else None)
        if "attributes" in attrs or "resource_type" in attrs:
            attributes = attrs.get("attributes", instance.attributes if instance else {})
            errors = attribute_errors(str(resource_type), attributes)
            if errors:
                grouped: dict[str, list[str]] = {}
                for path, message in errors:
                    grouped.setdefault(path or "non_field_errors", []).append(message)
                raise serializers.ValidationError({"attributes": grouped})
        nationwide = attrs.get("nationwide", instance.nationwide if instance else False)
        if nationwide and attrs.get("regions"):
            raise serializers.ValidationError(
                {"regions": [_("A nationwide resource lists no regions.")]}
            )
        return attrs


def _typed_write_serializer(key: str) -> type[ResourceWriteSerializer]:
    spec = TYPE_SPECS[key]
    camel = "".join(part.capitalize() for part in key.split("_"))
    field_class = extend_schema_field(spec.schema)(
        type(f"{camel}AttributesWriteField", (serializers.JSONField,), {})
    )
    return type(
        f"Resource{camel}WriteSerializer",
        (ResourceWriteSerializer,),
        {"attributes": field_class(), "__module__": __name__},
    )


TYPED_WRITE_SERIALIZERS: dict[str, Any] = {key: _typed_write_serializer(key) for key in TYPE_SPECS}


def resource_request_schema() -> PolymorphicProxySerializer:
    """A resource as a client sends it whole: ``oneOf`` by ``resource_type``, as on reads."""
    return PolymorphicProxySerializer(
        component_name="ResourceWrite",
        serializers=TYPED_WRITE_SERIALIZERS,
        resource_type_field_name="resource_type",
    )


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why; shown in the history and to integrators."
    )

    def validate_reason(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("A reason is required."))
        return value.strip()


class PlatformWriteSerializer(StrictModelSerializer):
    """A platform profile. ``slug``, ``credit_code`` and ``verified`` are for curators only."""

    headquarters_region = RegionCodeField(
        queryset=Region.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Platform
        fields = list(PLATFORM_PROFILE)

    CURATOR_ONLY = frozenset({"slug", "credit_code", "verified"})
    server_controlled = frozenset({"url", "resource_count", "created_at", "updated_at"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # A replace (PUT) keeps the curator-only fields it is not given: publishers, who may
            # not send them, can replace their profile too.
            for name in self.CURATOR_ONLY:
                self.fields[name].required = False


class MemberAddSerializer(StrictSerializer):
    """Creates a user (``{"username", "email", "password"?}``) and adds them, or, with
    ``"existing": true``, adds the existing account named ``username``.

    Adding an existing account is always explicit: a new username that, folded (NFKC and case),
    is already someone's is a 400 naming ``username``, never a silent hand-over of the role to
    whoever registered the name first. A new user without a ``password`` gets a one-time
    password, returned once in the response.
    """

    existing = serializers.BooleanField(
        default=False,
        help_text="true: add the existing account named `username` (no `email` or `password`); "
        "the response shows whose account it is. false (default): create a new account.",
    )
    username = serializers.CharField(max_length=150, help_text=USERNAME_HELP)
    email = serializers.EmailField(required=False, max_length=254)
    password = serializers.CharField(
        required=False,
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        found = user_by_username(attrs["username"])
        if attrs["existing"]:
            return self._existing(attrs, found)
        if found is not None:
            raise serializers.ValidationError(
                {
                    "username": [
                        ErrorDetail(
                            _(
                                "An account named %(name)s already exists. To add that account, "
                                'send "existing": true; to create a new one, choose another '
                                "username."
                            )
                            % {"name": found.get_username()},
                            code="unique",
                        )
                    ]
                }
            )
        username = normalize_name(attrs["username"])
        try:
            validate_username(username)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"username": list(exc.messages)}) from exc
        attrs["username"] = username
        attrs["user"] = None
        if not attrs.get("email"):
            raise serializers.ValidationError({"email": [_("A new user needs an e-mail address.")]})
        if "password" in attrs:
            candidate = get_user_model()(username=username, email=attrs["email"])
            try:
                validate_password(attrs["password"], candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs

    def _existing(self, attrs: dict[str, Any], found: Any | None) -> dict[str, Any]:
        if found is None:
            raise serializers.ValidationError(
                {
                    "username": [
                        ErrorDetail(str(_("No account has this username.")), code="not_found")
                    ]
                }
            )
        given = [name for name in ("email", "password") if name in attrs]
        if given:
            message = _("An existing account keeps its own e-mail address and password.")
            raise serializers.ValidationError({name: [message] for name in given})
        attrs["user"] = found
        attrs["username"] = found.get_username()
        return attrs


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.EmailField()
    date_joined = serializers.DateTimeField()


class MemberCreatedSerializer(MemberSerializer):
    one_time_password = serializers.CharField(
        required=False,
        help_text="Only when the user was created without a password: shown this once.",
    )
