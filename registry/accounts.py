"""User accounts: self-registration of SME users."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction


class UsernameTaken(Exception):
    """Another account has this username, ignoring case."""


def username_taken(username: str) -> bool:
    """Whether an account's username equals ``username`` ignoring case ("Alice" takes "alice")."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    return user_model._default_manager.filter(**{f"{field}__iexact": username}).exists()


def user_register(*, username: str, email: str, password: str) -> Any:
    """A new, active SME user with no roles: no staff flag, no group, no platform.

    The password has been through the validators already (the serializer runs them with the
    username and e-mail, so a password like the username is refused).
    """
    user_model = get_user_model()
    if username_taken(username):
        raise UsernameTaken(username)
    try:
        with transaction.atomic():
            return user_model._default_manager.create_user(
                username=username, email=email, password=password
            )
    except IntegrityError as exc:  # registered concurrently under the same name
        raise UsernameTaken(username) from exc
