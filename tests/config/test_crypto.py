"""Encryption of secrets at rest: tokens round-trip, keys rotate, and a bad key fails loudly.

Webhook signing secrets are stored encrypted so that a copy of the database alone cannot forge
deliveries, yet the registry can still read them back to sign; these tests pin that contract.
"""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.crypto import SecretUnreadable, decrypt, derive_key, encrypt

PLAINTEXT = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_a_secret_round_trips_through_encryption():
    assert decrypt(encrypt(PLAINTEXT)) == PLAINTEXT


def test_the_stored_token_is_not_the_plaintext_and_differs_each_time():
    first, second = encrypt(PLAINTEXT), encrypt(PLAINTEXT)
    assert PLAINTEXT not in first
    assert first != second
    assert decrypt(first) == decrypt(second) == PLAINTEXT


def test_after_a_rotation_old_tokens_still_decrypt_and_new_ones_use_the_new_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    old_token = encrypt(PLAINTEXT)

    settings.ENCRYPTION_KEYS = [new, old]
    assert decrypt(old_token) == PLAINTEXT
    new_token = encrypt(PLAINTEXT)
    assert Fernet(new.encode()).decrypt(new_token.encode()).decode() == PLAINTEXT

    settings.ENCRYPTION_KEYS = [new]
    assert decrypt(new_token) == PLAINTEXT


def test_a_token_from_another_key_cannot_be_read(settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = encrypt(PLAINTEXT)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretUnreadable):
        decrypt(token)


def test_a_corrupt_token_cannot_be_read():
    with pytest.raises(SecretUnreadable):
        decrypt("not-a-token")


def test_without_encryption_keys_a_key_derived_from_secret_key_is_used(settings):
    settings.ENCRYPTION_KEYS = []
    token = encrypt(PLAINTEXT)
    derived = Fernet(derive_key(settings.SECRET_KEY).encode())
    assert derived.decrypt(token.encode()).decode() == PLAINTEXT

    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(SecretUnreadable):
        decrypt(token)


def test_the_old_derived_key_listed_in_encryption_keys_reads_tokens_after_secret_key_changes(
    settings,
):
    settings.ENCRYPTION_KEYS = []
    token = encrypt(PLAINTEXT)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), derive_key(settings.SECRET_KEY)]
    settings.SECRET_KEY = "another-secret-key"
    assert decrypt(token) == PLAINTEXT


@pytest.mark.parametrize("bad_key", ["too-short", "!" * 44])
def test_an_invalid_encryption_key_is_an_improper_configuration(settings, bad_key):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), bad_key]
    with pytest.raises(ImproperlyConfigured, match=r"ENCRYPTION_KEYS\[1\] is not a Fernet key"):
        encrypt(PLAINTEXT)
