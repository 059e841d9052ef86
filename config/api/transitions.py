"""Workflow actions, declared: ``select = transition(services.pilot_select, body=…, …)``.

pretix's ``orders/{code}/mark_paid/`` as one line. A transition is a ``POST`` on the object that
validates its body (if it has one), runs the service with the actor (the view's
``service_actor``), the object's key (``ServiceViewSet.service_key``), the body's fields and, on
a versioned view, the optional If-Match, and answers the refreshed object (``status`` 200, or 202
for work started; 204 answers nothing, for a service that removes the object). The view it is
declared on (a ``ServiceViewSet``) turns each one into its ``@action`` when the class is made:
the action's name is the attribute's (its path with hyphens: ``mark_implementable`` →
``mark-implementable/``), its permission rule joins the view's ``permission_policy``, its
documented errors the view's ``error_statuses`` (412 added on a versioned view) and its OpenAPI
operation gets the summary, the description, the body, the response (the view's
``detail_schema``) and, on a versioned view, the optional If-Match.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from config.api.conditional import IF_MATCH_OPTIONAL
from config.api.permissions import Rule

if TYPE_CHECKING:
    from config.api.viewsets import ServiceViewSet


@dataclass(frozen=True)
class Transition:
    service: Callable[..., Any]
    rule: Rule
    summary: str
    description: str
    errors: Sequence[int] = (409,)
    body: type[BaseSerializer[Any]] | None = None
    examples: Sequence[OpenApiExample] = field(default_factory=tuple)
    status: int = 200
    response: Any = None

    def response_schema(self, view: type["ServiceViewSet"]) -> Any:
        """The answer's schema: none for 204, else the declared one or the view's detail."""
        if self.status == 204:
            return None
        return self.response or view.detail_schema or view.serializer_class

    def build(self, name: str, view: type["ServiceViewSet"]) -> Callable[..., Response]:
        """The ``@action`` named ``name`` on ``view``, with its OpenAPI operation."""
        transition = self

        def handler(self: "ServiceViewSet", request: Request, *args: Any, **kwargs: Any) -> Any:
            return self.run_transition(transition)

        handler.__name__ = handler.__qualname__ = name
        handler.__doc__ = self.summary
        built = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handler)
        return extend_schema(
            summary=self.summary,
            description=self.description,
            request=self.body,
            responses={self.status: self.response_schema(view)},
            parameters=[IF_MATCH_OPTIONAL] if view.versioned else None,
            examples=list(self.examples) or None,
        )(built)


def transition(
    service: Callable[..., Any],
    *,
    rule: Rule,
    summary: str,
    description: str,
    errors: Sequence[int] = (409,),
    body: type[BaseSerializer[Any]] | None = None,
    examples: Sequence[OpenApiExample] = (),
    status: int = 200,
    response: Any = None,
) -> Any:
    """A workflow action of a ``ServiceViewSet``: see the module's description.

    ``errors`` are the statuses the operation documents beyond those every write has (400, 401,
    403, 404, …): the domain error's 409 by default. ``body`` is the request's serializer (none
    when the action takes no body); its validated fields go to the service as keywords (a field's
    ``source`` renames one). ``status`` is the answer's (200; 202 when the work goes on after it;
    204, no body). ``response`` is the answer's schema when it is not the view's detail.
    """
    return Transition(
        service=service,
        rule=rule,
        summary=summary,
        description=description,
        errors=tuple(errors),
        body=body,
        examples=tuple(examples),
        status=status,
        response=response,
    )
