"""Signing of webhook deliveries, after Standard Webhooks (https://www.standardwebhooks.com/).

A receiver checks that a delivery comes from this registry, unaltered and recent, with any Standard
Webhooks library or a few lines of HMAC (docs/webhooks.md): the signed content is
``"{webhook-id}.{webhook-timestamp}.{body}"``, signed with HMAC-SHA256 under the bytes of the
subscription's secret (the base64 after ``whsec_``). The id lets receivers drop replays, the
timestamp lets them refuse old messages. After a secret is rotated the old one still counts for a
while, so a delivery then carries one signature per secret, separated by spaces.
"""

import base64
import binascii
import hashlib
import hmac
import secrets as _random
from collections.abc import Sequence

SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)
SIGNATURE_VERSION = "v1"
_SECRET_BYTES = 32


def generate_secret() -> str:
    """A new signing secret: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(_SECRET_BYTES)).decode("ascii")


def _secret_bytes(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise ValueError("A webhook secret is 'whsec_' followed by base64.") from None
    if not key:
        raise ValueError("A webhook secret may not be empty.")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one delivery under one secret."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_bytes(secret), content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_header(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one signature per secret, separated by spaces."""
    if not secrets:
        raise ValueError("A delivery needs at least one secret to be signed with.")
    return " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets)


def webhook_headers(
    *, secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The headers of one delivery of ``body`` (JSON), signed with every secret in ``secrets``."""
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets, msg_id, timestamp, body),
    }
