"""Encryption of secrets at rest (webhook signing secrets), with Fernet.

These secrets are encrypted, not hashed: the registry must read them back to sign each delivery, so
a one-way hash would not do. A copy of the database alone then does not let anyone forge webhooks;
the keys live in the environment, not in the database.

Keys come from ``settings.ENCRYPTION_KEYS``, newest first: new tokens use the first key and any
listed key still decrypts, so a key is rotated in by putting it first and rotated out, once the
stored tokens have been re-encrypted, by removing it. When the list is empty one key is derived
from ``SECRET_KEY`` (see ``derive_key``): rotating ``SECRET_KEY`` then needs the old derived key
listed in ``ENCRYPTION_KEYS``.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DERIVATION_LABEL = b"openness-registry: secrets at rest"


class SecretUnreadable(Exception):
    """A token that none of the configured keys decrypts (another key, or corrupt data)."""


def derive_key(secret_key: str) -> str:
    """The Fernet key used when ``ENCRYPTION_KEYS`` is empty: HKDF-SHA256 of ``secret_key``."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_LABEL)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode())).decode("ascii")


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    # Keyed by the settings themselves, so ``override_settings`` needs no cache clearing.
    if not keys:
        return MultiFernet([Fernet(derive_key(secret_key))])
    fernets = []
    for position, key in enumerate(keys):
        try:
            fernets.append(Fernet(key))
        except ValueError:  # binascii.Error, raised on bad base64, is a ValueError too
            raise ImproperlyConfigured(
                f"ENCRYPTION_KEYS[{position}] is not a Fernet key (32 bytes, url-safe base64: "
                "generate one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            ) from None  # the chained error would print the key
    return MultiFernet(fernets)


def _current() -> MultiFernet:
    return _multi_fernet(tuple(settings.ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    """A token for ``plaintext``, made with the newest key; different on every call."""
    return _current().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token made by ``encrypt`` with any configured key.

    Raises ``SecretUnreadable`` when no configured key can read it.
    """
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "This secret was encrypted with a key that is not in ENCRYPTION_KEYS (or SECRET_KEY "
            "changed while ENCRYPTION_KEYS is empty), or it is corrupt."
        ) from None
