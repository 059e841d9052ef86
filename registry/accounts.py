"""User accounts: self-registration of SME users, and finding an account by its username.

Usernames are compared folded (``registry.validators.fold_name``: NFKC, then case folding), so
``ＰｕｂＡ``, ``PubA`` and ``pubA`` are one name, at registration and at member creation alike.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from registry.validators import fold_name, normalize_name

# Stored usernames of printable ASCII only: the database's case-insensitive match is exact for
# these; the others (few) are folded here in Python, which the database cannot do.
_ASCII_ONLY = r"^[ -~]*$"


class UsernameTaken(Exception):
    """Another account has this username, once both are folded."""


def user_by_username(username: str) -> Any | None:
    """The account whose username equals ``username`` once both are folded, or None."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    wanted = fold_name(username)
    candidates = user_model._default_manager.filter(
        Q(**{f"{field}__iexact": normalize_name(username)}) | ~Q(**{f"{field}__regex": _ASCII_ONLY})
    ).order_by("pk")
    match = None
    for user in candidates:
        name = user.get_username()
        if name == username:
            return user
        if match is None and fold_name(name) == wanted:
            match = user
    return match


def username_taken(username: str) -> bool:
    """Whether an account's username equals ``username`` once both are folded ("Alice" and
    "ａｌｉｃｅ" take "alice")."""
    return user_by_username(username) is not None


def user_register(*, username: str, email: str, password: str) -> Any:
    """A new, active SME user with no roles: no staff flag, no group, no platform.

    :class:`UsernameTaken` when the folded name is someone else's. The password has been through
    the validators already (the serializer runs them with the username and e-mail, so a password
    like the username is refused).
    """
    user_model = get_user_model()
    if username_taken(username):
        raise UsernameTaken(username)
    try:
        with transaction.atomic():
            return user_model._default_manager.create_user(
                username=normalize_name(username), email=email, password=password
            )
    except IntegrityError as exc:  # created concurrently under the same name
        raise UsernameTaken(username) from exc
