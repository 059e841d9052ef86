"""The admin's sign-in, rate-limited like the API's token endpoint.

Sign-in attempts (POSTs) are counted per client address (``config.api.throttling.client_address``:
``TRUSTED_PROXY_COUNT`` applies) at the ``auth`` rate, ``THROTTLE_AUTH`` (10/min by default), in
a count of their own. Beyond it the sign-in form comes back with an error and status 429, and
``Retry-After``; the password is not checked at all, so guessing gets no answers.
"""

import math
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from config.api.throttling import AuthRateThrottle


class AdminLoginRateThrottle(AuthRateThrottle):
    """The ``auth`` rate, per client address, counted apart from the API's auth endpoints."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return f"throttle_admin_login_{self.get_ident(request)}"


@sensitive_post_parameters()
@csrf_protect
@never_cache
def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    if request.method == "POST":
        throttle = AdminLoginRateThrottle()
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            return _refused(request, throttle.wait())
    return admin.site.login(request, extra_context)


def _refused(request: HttpRequest, wait: float | None) -> HttpResponse:
    site = admin.site
    form_class: Any = site.login_form or AdminAuthenticationForm
    form = form_class(request)
    message = _("Too many sign-in attempts from your address. Try again in a minute.")
    form._errors = ErrorDict({"__all__": form.error_class([message], error_class="nonfield")})
    context = {
        **site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": form,
    }
    response = TemplateResponse(request, site.login_template or "admin/login.html", context)
    response.status_code = 429
    if wait is not None:
        response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response
