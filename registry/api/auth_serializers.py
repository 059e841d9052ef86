"""Request and response bodies of registration and API tokens."""

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from config.api.serializers import StrictSerializer
from registry.accounts import username_taken
from registry.models import ApiToken
from registry.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from registry.validators import normalize_name, validate_username

USERNAME_HELP = (
    "Letters, digits and @ . + - _ only; unique, ignoring case and full-width forms "
    "(ＰｕｂＡ, PubA and puba are one name)."
)


class NewUsernameField(serializers.CharField):
    """The username of an account about to be created: NFKC-normalized (full-width letters
    become ASCII), then checked by the rules registration and member creation share."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("help_text", USERNAME_HELP)
        super().__init__(**kwargs)
        self.validators.append(validate_username)  # DRF turns its Django ValidationError into a 400

    def to_internal_value(self, data: Any) -> str:
        return normalize_name(super().to_internal_value(data))


class RegistrationSerializer(StrictSerializer):
    username = NewUsernameField()
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
        help_text="Checked by the password rules: long enough, not common, not all digits, "
        "not like the username or e-mail.",
    )

    def validate_username(self, value: str) -> str:
        if username_taken(value):
            raise serializers.ValidationError(
                _("A user with that username already exists."), code="unique"
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = get_user_model()(username=attrs["username"], email=attrs["email"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {
                    "password": [
                        ErrorDetail(message, code=error.code or "invalid")
                        for error in exc.error_list
                        for message in error.messages
                    ]
                }
            ) from exc
        return attrs


class RegisteredUserSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=4096, style={"input_type": "password"}
    )
    name = serializers.CharField(
        max_length=100, help_text="What the token is for, so you can tell your tokens apart."
    )
    lifetime_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        default=DEFAULT_LIFETIME_DAYS,
        help_text=f"Days until the token expires (default {DEFAULT_LIFETIME_DAYS}).",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    revoked = serializers.BooleanField(
        read_only=True, help_text="Revoked tokens authenticate no request."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked"]
        read_only_fields = fields


class IssuedTokenSerializer(serializers.Serializer):
    """A token just issued (``registry.tokens.IssuedToken``): the only answer that holds it."""

    id = serializers.IntegerField(source="token.id", read_only=True)
    name = serializers.CharField(source="token.name", read_only=True)
    token = serializers.CharField(
        source="secret",
        read_only=True,
        help_text="The token. Shown only in this response: store it now; only a digest is kept.",
    )
    prefix = serializers.CharField(source="token.prefix", read_only=True)
    created_at = serializers.DateTimeField(source="token.created_at", read_only=True)
    expires_at = serializers.DateTimeField(source="token.expires_at", read_only=True)
