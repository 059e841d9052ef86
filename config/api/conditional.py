"""Conditional writes: versioned objects answer with ``ETag: "<version>.<digest>"`` and writes to
them must carry ``If-Match`` with it (the version part is compared). Missing → 428; stale → 412
(raised by the service, which compares inside its transaction, so two writers can never both
win)."""

import hashlib
from typing import Any

import orjson
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException
from rest_framework.request import Request

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version being changed, as a detail GET returned it (e.g. `"3"`).',
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional: the ETag of the version acted on; a stale one is a 412.",
)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        "This write needs an If-Match header carrying the ETag of the version you changed."
    )
    default_code = "precondition_required"


def version_etag(version: int, marker: str = "") -> str:
    """``"3"``, or ``"3.<marker>"`` when the representation also shows state the version does not
    count (a resource's listings). If-Match compares the version part only."""
    return f'"{version}.{marker}"' if marker else f'"{version}"'


def representation_etag(version: int, data: Any) -> str:
    """``"<version>.<digest>"``: If-Match compares the version; the digest of everything the
    representation shows, embedded objects included, makes If-None-Match see the changes that do
    not bump the version (a renamed platform or scenario, a listing withdrawn, a pilot linked)."""
    raw = orjson.dumps(data, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return version_etag(version, hashlib.blake2b(raw, digest_size=6).hexdigest())


def if_match_versions(request: Request, *, required: bool = True) -> frozenset[int] | None:
    """The versions the client's If-Match accepts; ``None`` for ``*`` (or absent when optional).

    Weak tags never match (RFC 9110 compares If-Match strongly); a tag that is not one of ours
    matches nothing, so the service answers 412.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired()
        return None
    if header == "*":
        return None
    versions: set[int] = set()
    for tag in header.split(","):
        tag = tag.strip()
        version = tag[1:-1].split(".", 1)[0] if tag.startswith('"') and tag.endswith('"') else ""
        if version.isascii() and version.isdigit():
            versions.add(int(version))
    return frozenset(versions)
