"""The webhook transport against real sockets: what a receiver sees, and what a receiver cannot do.

A receiver is someone else's server, so the transport must survive any of them: one that redirects
(never followed), answers with megabytes (cut at WEBHOOK_MAX_RESPONSE_BYTES), never answers or
drips a byte at a time (cut at the deadline), or is not there at all (an error reply, not an
exception). Receivers run on 127.0.0.1, allow-listed for these tests, and are reached through a
made-up name that a fake resolver maps to 127.0.0.1: the Host header and the TLS check then show
the name is kept while the vetted address is what gets dialled. The slow receivers are plain
sockets, which can stall exactly where a test wants and do not hold up the shared ``httpserver``.
"""

import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pytest_httpserver import HTTPServer
from werkzeug import Response

from notifications.webhooks import transport
from notifications.webhooks.addresses import Target, vet_url
from notifications.webhooks.transport import Reply, host_header, parse_retry_after, post

BODY = b'{"type": "batch.published", "data": {"number": 7}}'
HEADERS = {
    "Content-Type": "application/json",
    "User-Agent": "PlatformOpennessRegistry-Webhooks/1",
    "webhook-id": "msg_2b1f6d0c",
    "webhook-timestamp": "1767225600",
    "webhook-signature": "v1,c2lnbmF0dXJl",
}
DEADLINE_BOUND = 3.0  # seconds; generous, the point is that the attempt ends at all


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.DEBUG = False


def to_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def target_at(port: int, path: str = "/hook", *, scheme: str = "http", host: str = "receiver.test"):
    return vet_url(f"{scheme}://{host}:{port}{path}", resolver=to_loopback)


def test_a_2xx_is_ok_and_the_receiver_gets_the_headers_host_and_body(httpserver: HTTPServer):
    httpserver.expect_oneshot_request(
        "/hook", method="POST", headers=HEADERS, data=BODY
    ).respond_with_data("received", status=200)

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert reply.ok
    assert (reply.status, reply.body, reply.error) == (200, b"received", "")
    request, _ = httpserver.log[0]
    assert request.headers["Host"] == f"receiver.test:{httpserver.port}"
    assert request.headers["Content-Length"] == str(len(BODY))
    assert "Content-Encoding" not in request.headers
    assert request.get_data() == BODY


def test_the_connection_goes_to_the_vetted_address_not_to_the_name(httpserver, monkeypatch):
    httpserver.expect_request("/hook").respond_with_data("ok")
    dialled: list[tuple[str, int]] = []
    real_dial = transport._dial

    def recording_dial(address: str, port: int, timeout: float) -> socket.socket:
        dialled.append((address, port))
        return real_dial(address, port, timeout)

    monkeypatch.setattr(transport, "_dial", recording_dial)

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert reply.ok
    assert dialled == [("127.0.0.1", httpserver.port)]


def test_a_5xx_is_not_ok(httpserver: HTTPServer):
    httpserver.expect_request("/hook").respond_with_data("boom", status=500)

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert not reply.ok
    assert (reply.status, reply.body, reply.error) == (500, b"boom", "")


def test_a_redirect_is_not_followed_and_not_ok(httpserver: HTTPServer):
    elsewhere = f"http://receiver.test:{httpserver.port}/elsewhere"
    httpserver.expect_request("/hook").respond_with_response(
        Response(status=302, headers={"Location": elsewhere})
    )
    httpserver.expect_request("/elsewhere").respond_with_data("should not be reached")

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert not reply.ok
    assert reply.status == 302
    assert reply.headers["location"] == elsewhere
    assert [request.path for request, _ in httpserver.log] == ["/hook"]


def test_retry_after_in_seconds_is_read_from_the_reply(httpserver: HTTPServer):
    httpserver.expect_request("/hook").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert not reply.ok
    assert reply.retry_after_seconds == 120.0


def test_retry_after_as_an_http_date_is_read_from_the_reply(httpserver: HTTPServer):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    httpserver.expect_request("/hook").respond_with_data(
        "", status=503, headers={"Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    )

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert reply.retry_after_seconds is not None
    assert 540 < reply.retry_after_seconds <= 600


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        pytest.param("0", 0.0, id="zero"),
        pytest.param(" 30 ", 30.0, id="padded"),
        pytest.param("Wed, 01 Jan 2025 00:01:00 GMT", 60.0, id="http-date"),
        pytest.param("Tue, 31 Dec 2024 00:00:00 GMT", 0.0, id="http-date-in-the-past"),
        pytest.param("", None, id="empty"),
        pytest.param("-5", None, id="negative"),
        pytest.param("1.5", None, id="fraction"),
        pytest.param("soon", None, id="garbage"),
        pytest.param("²", None, id="non-ascii-digit"),
    ],
)
def test_retry_after_values_are_parsed_or_ignored(value, seconds):
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    assert parse_retry_after(value, now=now) == seconds


def test_a_reply_without_retry_after_has_none():
    assert Reply(status=503).retry_after_seconds is None


def test_a_large_body_is_cut_at_the_limit(httpserver: HTTPServer):
    httpserver.expect_request("/hook").respond_with_data(b"x" * (100 * 1024))

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert reply.ok
    assert len(reply.body) == 64 * 1024


def test_a_large_chunked_body_is_cut_at_the_limit(httpserver: HTTPServer):
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"y" * 1024

    httpserver.expect_request("/hook").respond_with_response(Response(chunks()))

    reply = post(target_at(httpserver.port), BODY, HEADERS)

    assert len(reply.body) == 64 * 1024


def test_a_closed_port_gives_an_error_reply_not_an_exception():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]

    reply = post(target_at(port), BODY, HEADERS)

    assert not reply.ok
    assert reply.status is None
    assert reply.error.startswith("connection refused")


# --- receivers that stall ------------------------------------------------------------------------

Script = Callable[[socket.socket, threading.Event], None]


@pytest.fixture
def raw_receiver() -> Iterator[Callable[[Script], int]]:
    """Start a one-connection receiver on 127.0.0.1 that reads the request, then runs a script."""
    stop = threading.Event()
    started: list[tuple[socket.socket, threading.Thread]] = []

    def start(script: Script) -> int:
        listener = socket.create_server(("127.0.0.1", 0))

        def serve() -> None:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                try:
                    read_request(conn)
                    script(conn, stop)
                except OSError:
                    pass  # the client gave up, as it should

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        started.append((listener, thread))
        return listener.getsockname()[1]

    yield start
    stop.set()
    for listener, thread in started:
        listener.close()
        thread.join(timeout=5)


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(4096)
    return body


def drip(conn: socket.socket, stop: threading.Event, byte: bytes) -> None:
    while not stop.wait(0.05):
        conn.sendall(byte)


def never_answers(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(10)


def drips_headers(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    drip(conn, stop, b"z")


def drips_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nstart")
    drip(conn, stop, b".")


def post_within_the_deadline(port: int) -> Reply:
    """Posts with a 0.5 s timeout to the receiver on ``port``; the attempt must end well within
    ``DEADLINE_BOUND``, however the receiver stalls."""
    started = time.monotonic()
    reply = post(target_at(port), BODY, HEADERS, timeout=0.5)
    assert time.monotonic() - started < DEADLINE_BOUND
    return reply


def test_a_receiver_slower_than_the_timeout_gives_a_timeout(raw_receiver):
    reply = post_within_the_deadline(raw_receiver(never_answers))
    assert (reply.status, reply.error) == (None, "timeout")


def test_a_receiver_dripping_its_headers_is_cut_off_at_the_deadline(raw_receiver):
    reply = post_within_the_deadline(raw_receiver(drips_headers))
    assert (reply.status, reply.error) == (None, "timeout")


def test_a_receiver_dripping_its_body_is_cut_off_and_the_delivery_is_not_ok(raw_receiver):
    reply = post_within_the_deadline(raw_receiver(drips_body))
    assert (reply.status, reply.error) == (200, "timeout")
    assert reply.body.startswith(b"start")
    assert not reply.ok


# --- TLS -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_receiver(tmp_path_factory) -> Iterator[tuple[HTTPServer, ssl.SSLContext]]:
    """An https receiver for "receiver.test" with a certificate from a throwaway authority.

    Yields the server and a client context trusting that authority, to stand in for the system
    trust store.
    """
    ca_cert, ca_key = make_certificate("Webhook Test CA")
    leaf_cert, leaf_key = make_certificate("receiver.test", issuer=(ca_cert, ca_key))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "leaf.pem").write_bytes(leaf_cert.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.key").write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(folder / "leaf.pem", folder / "leaf.key")
    client_context = ssl.create_default_context(
        cadata=ca_cert.public_bytes(serialization.Encoding.PEM).decode()
    )
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=server_context)
    server.start()
    yield server, client_context
    server.clear()
    server.stop()


def make_certificate(name: str, issuer=None):
    key = ec.generate_private_key(ec.SECP256R1())
    is_ca = issuer is None
    signer_cert, signer_key = issuer if issuer else (None, key)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer_cert.subject if signer_cert else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
    )
    if is_ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(signer_key, hashes.SHA256()), key


def test_https_dials_the_vetted_address_and_verifies_the_certificate_for_the_name(
    tls_receiver, monkeypatch
):
    server, trusted = tls_receiver
    monkeypatch.setattr(transport, "_tls_context", lambda: trusted)
    server.expect_request("/hook", method="POST").respond_with_data("ok")

    reply = post(target_at(server.port, scheme="https"), BODY, HEADERS)

    assert reply.ok, reply.error
    request, _ = server.log[-1]
    assert request.headers["Host"] == f"receiver.test:{server.port}"


def test_https_refuses_a_certificate_for_another_name(tls_receiver, monkeypatch):
    server, trusted = tls_receiver
    monkeypatch.setattr(transport, "_tls_context", lambda: trusted)

    reply = post(target_at(server.port, scheme="https", host="other.test"), BODY, HEADERS)

    assert reply.status is None
    assert reply.error.startswith("tls:")


def test_https_refuses_a_certificate_the_system_does_not_trust(tls_receiver):
    server, _ = tls_receiver

    reply = post(target_at(server.port, scheme="https"), BODY, HEADERS)

    assert reply.status is None
    assert reply.error.startswith("tls:")


# --- Host header ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "host", "port", "expected"),
    [
        pytest.param("https", "receiver.example", 443, "receiver.example", id="https-default"),
        pytest.param("http", "receiver.example", 80, "receiver.example", id="http-default"),
        pytest.param("https", "receiver.example", 8443, "receiver.example:8443", id="other-port"),
        pytest.param("http", "receiver.example", 443, "receiver.example:443", id="port-of-https"),
        pytest.param("https", "2606:4700::1111", 443, "[2606:4700::1111]", id="ipv6"),
        pytest.param("https", "2606:4700::1111", 8443, "[2606:4700::1111]:8443", id="ipv6-port"),
    ],
)
def test_the_host_header_names_the_host_with_a_port_only_when_not_the_default(
    scheme, host, port, expected
):
    target = Target(url="", scheme=scheme, host=host, port=port, path="/", address="192.0.2.1")

    assert host_header(target) == expected
