"""Base classes every API view of the registry derives from."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from config.api.permissions import Rule

# Parameters any view accepts: DRF's format override (used by the browsable API's links).
ALWAYS_ALLOWED = frozenset({"format"})


class StrictQueryParamsMixin:
    """Refuses any query parameter the view does not declare: a 400 that names it.

    A list action knows its filter set's parameters and the paginator's; an extra action that
    pages (``@action(..., paginated=True)``: a history, the members) knows the paginator's; other
    actions know the names in ``extra_query_params``. A typo in a filter therefore never returns
    an unfiltered list.
    """

    extra_query_params: tuple[str, ...] = ()
    #: Set on an extra action (as an ``@action`` keyword) whose answer is a page.
    paginated = False
    #: Further names per action (``{"diff": ("against",)}``).
    extra_query_params_by_action: dict[str, tuple[str, ...]] = {}

    def allowed_query_params(self) -> set[str]:
        allowed = set(ALWAYS_ALLOWED) | set(self.extra_query_params)
        allowed |= set(
            self.extra_query_params_by_action.get(getattr(self, "action", None) or "", ())
        )
        action = getattr(self, "action", None)
        if action == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= filterset_class.parameter_names()
        if action == "list" or self.paginated:
            paginator = getattr(self, "paginator", None)
            if paginator is not None:
                allowed |= paginator.query_parameter_names()
        return allowed

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        unknown = sorted(set(request.query_params) - self.allowed_query_params())
        if unknown:
            raise ValidationError(
                {
                    name: [ErrorDetail(_("Unknown query parameter."), code="unknown_parameter")]
                    for name in unknown
                }
            )


class RegistryAPIView(StrictQueryParamsMixin, APIView):
    pass


class RegistryReadOnlyViewSet(StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):
    """A public, read-only collection."""

    permission_policy = {"list": Rule.PUBLIC, "retrieve": Rule.PUBLIC}


class RegistryViewSet(StrictQueryParamsMixin, viewsets.GenericViewSet):
    pass
