"""Validation of the unified social credit code (统一社会信用代码), GB 32100-2015, and of the names
people choose (usernames, platform slugs: see ``fold_name``).

The code has 18 characters drawn from the digits and the capital letters less I, O, S, V and Z:
position 1 is the registration authority, 2 the kind of organisation, 3–8 the administrative
division (digits), 9–17 the organisation code, and 18 a check character computed from the first 17
with the weights 3^(i) mod 31.
"""

import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(CREDIT_CODE_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(value)},
        )
    bad = sorted({char for char in value if char not in _VALUE})
    if bad:
        raise ValidationError(
            _("A unified social credit code may not contain %(chars)s."),
            code="credit_code_characters",
            params={"chars": ", ".join(repr(char) for char in bad)},
        )
    if not value[2:8].isdigit():
        raise ValidationError(
            _("Characters 3–8 of a unified social credit code are the division code (digits)."),
            code="credit_code_division",
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."),
            code="credit_code_check",
        )


# Names people choose: usernames and platform slugs --------------------------------------------


def fold_name(value: str) -> str:
    """The form two names are compared in: Unicode compatibility folding (NFKC: full-width
    ``Ｐ`` is ``P``) then case folding. ``ＰｕｂＡ``, ``PubA`` and ``pubA`` are one name."""
    return unicodedata.normalize("NFKC", value).casefold()


def normalize_name(value: str) -> str:
    """The form a name is stored in: NFKC, as ``AbstractBaseUser.normalize_username`` keeps it."""
    return unicodedata.normalize("NFKC", value)


_username_characters = UnicodeUsernameValidator()


def validate_username(value: str) -> None:
    """What registration and member creation both accept as a new username: letters, digits and
    ``@ . + - _`` after NFKC folding. Refuses quotes, spaces and semicolons, and invisible or
    reordering characters (zero-width space U+200B, right-to-left override U+202E)."""
    _username_characters(normalize_name(value))
