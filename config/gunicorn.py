"""gunicorn configuration for production (docker-compose, benchmarks), from the environment.

The access log never holds a credential: an API token sent in a URL (refused, and revoked, by
``config.api.authentication``) is written as ``[REDACTED]``, as are the values of the query
parameters that usually carry one. ``redact_url_secrets`` and ``SecretsRedactingFilter`` (which
Django's own logging uses, ``config.settings.LOGGING``) live here, standard library only, because
gunicorn reads this file before Django is set up.
"""

import logging
import os
import re
from typing import Any

from gunicorn.glogging import Logger

# A token anywhere (``opr_`` and its URL-safe secret), and the value of a query parameter named
# like a credential, wherever it appears in a URL, a request line or a Referer.
SECRET_QUERY_PARAMS = ("access_token", "token", "api_key", "apikey", "key", "password")
_TOKEN = re.compile(r"opr_[A-Za-z0-9_-]+")
_SECRET_PARAM = re.compile(
    r"(?i)(?<![A-Za-z0-9_])((?:" + "|".join(SECRET_QUERY_PARAMS) + r")=)[^&#\s\"]*"
)
REDACTED = "[REDACTED]"


def redact_url_secrets(text: str) -> str:
    """``text`` (a URL, a query string, a log line) with every credential replaced."""
    if "=" not in text and "opr_" not in text:
        return text
    return _SECRET_PARAM.sub(rf"\g<1>{REDACTED}", _TOKEN.sub(f"opr_{REDACTED}", text))


class SecretsRedactingFilter(logging.Filter):
    """Rewrites each record's message with ``redact_url_secrets`` (Django's ``django.server``
    and ``django.request`` lines carry the request's URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_url_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingLogger(Logger):
    """gunicorn's logger, with every access-log field passed through ``redact_url_secrets``."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact_url_secrets(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = 200
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
# gunicorn's default format; the request line ("%(r)s") and the Referer ("%(f)s") are redacted.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
logger_class = RedactingLogger
errorlog = "-"
