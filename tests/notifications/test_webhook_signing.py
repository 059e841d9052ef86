"""Webhook signatures, checked by the reference ``standardwebhooks`` package as receivers would.

Verifying with an independent implementation, not with our own code, is what shows that any
Standard Webhooks library on the receiving side accepts our deliveries and refuses altered ones.
"""

import base64
import time

import pytest
import time_machine
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from notifications.webhooks.signing import (
    SECRET_PREFIX,
    generate_secret,
    sign,
    signature_header,
    webhook_headers,
)

BODY = b'{"type": "batch.published", "data": {"number": 7, "title": "\xe7\xac\xac\xe4\xb8\x83"}}'
MSG_ID = "msg_2b1f6d0c"


def _headers(secrets, *, timestamp=None, body=BODY, msg_id=MSG_ID):
    when = int(time.time()) if timestamp is None else timestamp
    return webhook_headers(secrets=secrets, msg_id=msg_id, timestamp=when, body=body)


def test_a_signed_delivery_is_verified_by_the_reference_implementation():
    secret = generate_secret()
    headers = _headers([secret])
    assert Webhook(secret).verify(BODY, headers)["data"]["number"] == 7


def test_the_signature_matches_the_published_standard_webhooks_test_vector():
    signature = sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_headers_carry_id_timestamp_signature_and_content_type():
    secret = generate_secret()
    headers = webhook_headers(secrets=[secret], msg_id=MSG_ID, timestamp=1_700_000_000, body=BODY)
    assert headers == {
        "content-type": "application/json",
        "webhook-id": MSG_ID,
        "webhook-timestamp": "1700000000",
        "webhook-signature": sign(secret, MSG_ID, 1_700_000_000, BODY),
    }
    assert headers["webhook-signature"].startswith("v1,")


def test_a_tampered_body_is_refused():
    secret = generate_secret()
    headers = _headers([secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"7", b"8"), headers)


def test_a_tampered_id_is_refused():
    secret = generate_secret()
    headers = {**_headers([secret]), "webhook-id": "msg_other"}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, headers)


def test_a_tampered_timestamp_is_refused():
    secret = generate_secret()
    headers = _headers([secret])
    headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) - 1)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, headers)


def test_a_delivery_signed_ten_minutes_ago_is_refused_as_stale():
    secret = generate_secret()
    headers = _headers([secret], timestamp=int(time.time()) - 10 * 60)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, headers)


def test_a_delivery_is_accepted_within_the_tolerance_and_refused_after_it():
    secret = generate_secret()
    with time_machine.travel(1_700_000_000, tick=False):
        headers = _headers([secret])
    with time_machine.travel(1_700_000_000 + 4 * 60, tick=False):
        Webhook(secret).verify(BODY, headers)
    with (
        time_machine.travel(1_700_000_000 + 6 * 60, tick=False),
        pytest.raises(WebhookVerificationError, match="too old"),
    ):
        Webhook(secret).verify(BODY, headers)


def test_a_secret_other_than_the_signing_one_is_refused():
    headers = _headers([generate_secret()])
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(BODY, headers)


def test_after_a_rotation_a_verifier_with_either_secret_accepts_the_delivery():
    new, old = generate_secret(), generate_secret()
    headers = _headers([new, old])
    signatures = headers["webhook-signature"].split(" ")
    assert len(signatures) == 2
    assert all(signature.startswith("v1,") for signature in signatures)
    for secret in (new, old):
        Webhook(secret).verify(BODY, headers)


def test_the_signature_header_has_one_signature_per_secret_in_order():
    first, second = generate_secret(), generate_secret()
    header = signature_header([first, second], MSG_ID, 1_700_000_000, BODY)
    assert header == (
        f"{sign(first, MSG_ID, 1_700_000_000, BODY)} {sign(second, MSG_ID, 1_700_000_000, BODY)}"
    )


def test_signing_without_any_secret_is_refused():
    with pytest.raises(ValueError, match="at least one secret"):
        signature_header([], MSG_ID, 1_700_000_000, BODY)


def test_a_generated_secret_is_whsec_and_32_random_bytes():
    secret = generate_secret()
    assert secret.startswith(SECRET_PREFIX)
    assert len(base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)) == 32


def test_two_generated_secrets_differ():
    assert generate_secret() != generate_secret()
