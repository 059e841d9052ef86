"""HTTP caching of the API's reads: who may keep an answer, and for how long.

Every GET answer carries an ETag (the resources' and the other versioned objects' their version;
the rest a digest of the body, by ``ConditionalGetMiddleware``), so a client that sends it back in
``If-None-Match`` gets a 304 without the body. This adds ``Cache-Control``:

- an anonymous read (no ``Authorization`` header, no session cookie) answered 200 or 304 is
  ``public, max-age=PUBLIC_CACHE_SECONDS`` (30 by default): the same for everyone, so a portal's
  or a CDN's cache may serve it for that long, and revalidate it with the ETag afterwards;
- a signed-in read, and any read whose answer sets a cookie (the browsable API and Swagger UI set
  ``csrftoken``), is ``private, no-cache``: it may show drafts, a subscriber's own data or a
  cookie meant for one client, so only that client keeps it, and it revalidates every time.

``Vary`` names what changes the answer: ``Accept``, ``Accept-Language``, ``Authorization`` and
``Cookie``. Errors and writes are left alone.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

READ_METHODS = frozenset({"GET", "HEAD"})
CACHEABLE_STATUSES = frozenset({200, 304})
VARY = ("Accept", "Accept-Language", "Authorization", "Cookie")


def is_anonymous(request: HttpRequest) -> bool:
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ApiCacheControlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in READ_METHODS
            and response.status_code in CACHEABLE_STATUSES
            and request.path.startswith("/api/")
            and not response.has_header("Cache-Control")
        ):
            # An answer that sets a cookie (a page with a form sets ``csrftoken``) is this
            # client's alone: a shared cache would hand the cookie to everyone.
            if is_anonymous(request) and not response.cookies:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            else:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, VARY)
        return response
