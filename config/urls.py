from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
from django.utils.translation import gettext as _
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt

from config import health
from config.api.errors import problem_response
from config.api.root import ApiRootView, ProblemTypeView
from config.docs import RedocView, SchemaView, SwaggerView
from config.front import front_page
from registry.admin_login import admin_login

api_v1: tuple[list[URLPattern | URLResolver], str] = (
    [
        path("", ApiRootView.as_view(), name="root"),
        path("", include("registry.api.urls")),
        path("", include("openness.api.urls")),
        path("", include("notifications.api.urls")),
        path("", include("pilots.api.urls")),
        path("", include("progress.api.urls")),
        path("", include("registry.api.auth_urls")),
    ],
    "api",
)

urlpatterns = [
    path("", front_page, name="front"),
    path("api/v1/", include(api_v1)),
    path("api/problems/<slug:slug>", ProblemTypeView.as_view(), name="problem-type"),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("progress.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Before the admin's own URLs: its sign-in, rate-limited like the API's token endpoint.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]


@csrf_exempt  # it changes nothing; else a POST to no address would get an HTML CSRF 403
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """A 404 problem; a GET lacking only its trailing slash is redirected (as APPEND_SLASH does)."""
    if not request.path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return problem_response(request, 404, _("Nothing exists at this address."))


# Last: any other path under /api/ is a problem+json 404, in DEBUG too (where Django would
# otherwise show its technical 404 page instead of calling handler404).
urlpatterns.append(re_path(r"^api/", api_not_found))


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 404, _("Nothing exists at this address."))
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 500, _("The server failed to answer this request."))
    return defaults.server_error(request)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 400, _("The request could not be understood."))
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a 403 problem under /api/, Django's page elsewhere."""
    if _is_api(request):
        return problem_response(
            request, 403, _("CSRF verification failed: %(reason)s") % {"reason": reason}
        )
    return csrf.csrf_failure(request, reason=reason)
