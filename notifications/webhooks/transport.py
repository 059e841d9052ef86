"""One webhook delivery attempt: a POST to a vetted
:class:`~notifications.webhooks.addresses.Target`.

The transport is built on :mod:`http.client` rather than an HTTP library because delivery needs
three things libraries make awkward:

* **Dial the vetted address.** The socket goes to ``target.address``, chosen by the SSRF guard; the
  host name is never looked up again (a second lookup is what DNS rebinding exploits). The Host
  header and the TLS certificate check (``server_hostname``) still use the original host name.
* **A deadline for the whole attempt.** Socket timeouts apply to one operation each, so a receiver
  that sends a byte every second would hold a worker forever. Before every socket operation the
  timeout is set to the time left until one deadline (``timeout`` from the start of the attempt);
  the connect alone is also bounded by ``connect_timeout``.
* **Bounded and inert responses.** At most ``WEBHOOK_MAX_RESPONSE_BYTES`` of the body are read,
  redirects are not followed (a 3xx is a failed delivery, as Standard Webhooks asks), and network
  failures come back as a :class:`Reply` with ``error`` set instead of an exception, so the caller
  records them like any other outcome.

Tests observe the address dialled by replacing :func:`_dial`, and trust a test certificate
authority by replacing :func:`_tls_context`.
"""

import http.client
import io
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.conf import settings

from notifications.webhooks.addresses import DEFAULT_PORTS, Target

_ERROR_LENGTH = 200
# Set by post() itself; a caller's values would contradict the vetted target or the body.
_TRANSPORT_HEADERS = frozenset({"host", "content-length"})


@dataclass(frozen=True)
class Reply:
    """The outcome of one attempt: a response (``error == ""``) or why there was none."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""

    @property
    def ok(self) -> bool:
        """A 2xx response received in full; anything else (3xx included) is a failed delivery."""
        return not self.error and self.status is not None and 200 <= self.status < 300

    @property
    def retry_after_seconds(self) -> float | None:
        """The receiver's ``Retry-After``, in seconds from now; None when absent or unreadable."""
        return parse_retry_after(self.headers.get("retry-after", ""))


def parse_retry_after(value: str, *, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` value: delta-seconds or an HTTP-date (a past date gives 0)."""
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def post(
    target: Target,
    body: bytes,
    headers: dict[str, str],
    *,
    connect_timeout: float | None = None,
    timeout: float | None = None,
) -> Reply:
    """POST ``body`` with ``headers`` to ``target``, dialling ``target.address``; never raises
    for network or protocol failures."""
    if connect_timeout is None:
        connect_timeout = settings.WEBHOOK_CONNECT_TIMEOUT
    if timeout is None:
        timeout = settings.WEBHOOK_TIMEOUT
    clock = _Deadline(timeout)
    max_bytes = settings.WEBHOOK_MAX_RESPONSE_BYTES
    # Only used to write the request and parse the response: it is handed a connected socket and
    # so never connects (or resolves) by itself.
    connection = http.client.HTTPConnection(target.host, target.port)
    raw: socket.socket | None = None
    status: int | None = None
    reply_headers: dict[str, str] = {}
    content = bytearray()
    try:
        raw = _open(target, connect_timeout, clock)
        connection.sock = _DeadlineSocket(raw, clock)
        _send(connection, target, body, headers)
        response = connection.getresponse()
        status = response.status
        reply_headers = _header_dict(response.getheaders())
        while len(content) < max_bytes:
            chunk = response.read1(max_bytes - len(content))
            if not chunk:
                break
            content += chunk
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Reply(status, reply_headers, bytes(content), _describe(exc))
    finally:
        connection.close()
        if raw is not None:
            raw.close()
    return Reply(status, reply_headers, bytes(content))


def host_header(target: Target) -> str:
    """The Host header for ``target``: its name, bracketed if IPv6, with the port if not default."""
    host = f"[{target.host}]" if ":" in target.host else target.host
    if target.port == DEFAULT_PORTS[target.scheme]:
        return host
    return f"{host}:{target.port}"


def _dial(address: str, port: int, timeout: float) -> socket.socket:
    """Open the TCP connection; the seam tests replace to see (or refuse) the address dialled."""
    return socket.create_connection((address, port), timeout=timeout)


def _tls_context() -> ssl.SSLContext:
    """The TLS settings for https deliveries: the system trust store, hostname checking on."""
    return ssl.create_default_context()


def _open(target: Target, connect_timeout: float, clock: "_Deadline") -> socket.socket:
    sock = _dial(target.address, target.port, min(connect_timeout, clock.remaining()))
    if target.scheme != "https":
        return sock
    try:
        sock.settimeout(clock.remaining())  # the handshake as a whole is bounded by this timeout
        return _tls_context().wrap_socket(sock, server_hostname=target.host)
    except BaseException:
        sock.close()
        raise


def _send(
    connection: http.client.HTTPConnection, target: Target, body: bytes, headers: dict[str, str]
) -> None:
    connection.putrequest("POST", target.path, skip_host=True)
    connection.putheader("Host", host_header(target))
    for name, value in headers.items():
        if name.lower() not in _TRANSPORT_HEADERS:
            connection.putheader(name, value)
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)


def _header_dict(pairs: list[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _describe(exc: BaseException) -> str:
    """A short, loggable reason for a failed attempt."""
    if isinstance(exc, TimeoutError):
        text = "timeout"
    elif isinstance(exc, ssl.SSLCertVerificationError):
        text = f"tls: {exc.verify_message or exc.reason or exc}"
    elif isinstance(exc, ssl.SSLError):
        text = f"tls: {exc.reason or exc}"
    elif isinstance(exc, http.client.HTTPException):
        text = f"protocol: {type(exc).__name__}: {exc}".rstrip(": ")
    elif isinstance(exc, ConnectionRefusedError):
        text = f"connection refused: {exc.strerror or exc}"
    elif isinstance(exc, ConnectionResetError):
        text = f"connection reset: {exc.strerror or exc}"
    elif isinstance(exc, OSError):
        text = f"connection error: {exc.strerror or exc}"
    else:
        text = f"invalid request: {exc}"
    return text[:_ERROR_LENGTH]


class _Deadline:
    """The end of an attempt; ``remaining()`` raises TimeoutError once it has passed."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("timeout")
        return left


class _DeadlineSocket:
    """The socket as http.client sees it: every send and receive gets only the time left.

    Closing is left to :func:`post`, which owns the real socket: http.client closes the
    connection's socket while the response body may still be read from it.
    """

    def __init__(self, sock: socket.socket, clock: _Deadline) -> None:
        self._sock = sock
        self._clock = clock

    def sendall(self, data: bytes) -> None:
        view = memoryview(data).cast("B")
        while view:
            self._sock.settimeout(self._clock.remaining())
            sent = self._sock.send(view)
            view = view[sent:]

    def recv_into(self, buffer: memoryview) -> int:
        self._sock.settimeout(self._clock.remaining())
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        pass


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket) -> None:
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self._sock.recv_into(buffer)
