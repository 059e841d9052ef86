"""The base of every viewset whose writes go through services.

A ``ServiceViewSet`` declares what it is made of and names its services; the base does the rest::

    class ScenarioViewSet(ServiceModelViewSet):
        queryset = Scenario.objects.order_by("code")
        serializer_class = ScenarioSerializer
        write_serializer_class = ScenarioWriteSerializer
        filterset_class = ScenarioFilterSet
        create_service = services.scenario_create
        update_service = services.scenario_update
        service_key = "scenario_id"
        mark_implementable = transition(services.scenario_mark_implementable, rule=…, …)

- **Writes** validate the body with ``write_serializer_class`` and call the named service with the
  actor: ``create_service(actor=, data=)``, ``update_service(actor=, <service_key>=, data=,
  if_match=)``, ``destroy_service(actor=, <service_key>=)``. Which writes a view has is the mixins
  it takes (``ServiceCreateMixin``, ``ServiceUpdateMixin`` for PATCH, ``ServiceReplaceMixin`` for
  PUT too, ``ServiceDestroyMixin``), so the router offers nothing else.
- **Versioned** views (``versioned = True``, the default) answer every detail with an ETag, need
  If-Match on PATCH and PUT (missing → 428; the service compares it: stale → 412) and pass an
  optional one to the transitions.
- **The answer** to a write or a transition is the object read again through the view's queryset
  (``respond``), with its ETag, and its Location when created (201; ``located = False`` leaves
  it out).
- **The actor**: services get the request's user as ``actor=`` (``service_actor`` names another
  keyword, or ``None`` for services that take no actor: the owner's objects are the queryset).
- **History** (``HistoryMixin``): ``GET …/history/``, the object's audit trail, paged.
- **Transitions** (``config.api.transitions.transition``) become actions when the class is made,
  their rules and errors joining the view's ``permission_policy`` and ``error_statuses``.

A view whose representation is not its serializer's (rows rather than instances, an answer with
counts) overrides ``refreshed``, ``representation`` and ``etag``.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from config.api.conditional import if_match_versions, representation_etag
from config.api.permissions import Rule
from config.api.serializers import ChangeRecordSerializer
from config.api.transitions import Transition
from config.api.views import RegistryViewSet
from core.audit import history_of


class ServiceViewSet(RegistryViewSet):
    """Detail reads with an ETag, the refreshed answer of writes, and declared transitions."""

    #: The keyword that names the object to its services (``pilot_id``).
    service_key: ClassVar[str] = "pk"
    #: Whether the objects carry a ``version``: ETags, If-Match on writes.
    versioned: ClassVar[bool] = True
    #: Whether the answer to a create carries the new object's ``Location``.
    located: ClassVar[bool] = True
    #: The keyword that gives the services the request's user (``None``: they take none).
    service_actor: ClassVar[str | None] = "actor"
    #: The detail's schema in OpenAPI when it is not ``serializer_class`` (a polymorphic one).
    detail_schema: ClassVar[Any] = None
    #: The tags of every operation of the view in OpenAPI.
    schema_tags: ClassVar[list[str] | None] = None
    permission_policy: ClassVar[dict[str, Rule]] = {}
    error_statuses: ClassVar[dict[str, list[int]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = {
            name: value for name, value in vars(cls).items() if isinstance(value, Transition)
        }
        if not declared:
            return
        cls.permission_policy = dict(cls.permission_policy)
        cls.error_statuses = dict(cls.error_statuses)
        for name, declaration in declared.items():
            setattr(cls, name, declaration.build(name, cls))
            cls.permission_policy[name] = declaration.rule
            errors = [*declaration.errors, *([412] if cls.versioned else [])]
            cls.error_statuses[name] = sorted(set(errors))

    # Services ----------------------------------------------------------------------------------

    def run_service(self, service: Callable[..., Any], **arguments: Any) -> Any:
        """Runs ``service`` as the request's user (see ``service_actor``)."""
        if self.service_actor:
            arguments[self.service_actor] = self.request.user
        return service(**arguments)

    def call_service(self, name: str, **arguments: Any) -> Any:
        """Runs the service named by the attribute ``name``, as the request's user."""
        return self.run_service(getattr(type(self), name), **arguments)

    def object_key(self, obj: Model) -> dict[str, Any]:
        return {self.service_key: obj.pk}

    def run_transition(self, transition: Transition) -> Response:
        obj = self.get_object()
        arguments: dict[str, Any] = {}
        if transition.body is not None:
            body = transition.body(data=self.request.data)
            body.is_valid(raise_exception=True)
            arguments.update(body.validated_data)
        if self.versioned:
            arguments["if_match"] = if_match_versions(self.request, required=False)
        result = self.run_service(transition.service, **self.object_key(obj), **arguments)
        if transition.status == 204:
            return Response(status=204)
        return self.respond(result, status=transition.status)

    # Answers -----------------------------------------------------------------------------------

    def refreshed(self, obj: Model) -> Any:
        """The object as the view reads it, after a write."""
        return self.get_queryset().get(pk=obj.pk)

    def representation(self, instance: Any) -> Any:
        return self.get_serializer(instance).data

    def etag(self, instance: Any, data: Any) -> str | None:
        return representation_etag(instance.version, data) if self.versioned else None

    def answer(self, instance: Any, status: int = 200, location: str | None = None) -> Response:
        data = self.representation(instance)
        headers = {}
        etag = self.etag(instance, data)
        if etag:
            headers["ETag"] = etag
        if location:
            headers["Location"] = location
        return Response(data, status=status, headers=headers)

    def respond(self, obj: Model, status: int = 200) -> Response:
        """The answer to a write: the object read again, and where it lives when created."""
        located = status == 201 and self.located
        location = obj.get_absolute_url() if located else None  # type: ignore[attr-defined]
        return self.answer(self.refreshed(obj), status=status, location=location)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.answer(self.get_object())


class ServiceCreateMixin:
    """``POST`` on the collection: ``create_service(actor=, data=)``, answered 201."""

    write_serializer_class: type[BaseSerializer[Any]]
    create_service: ClassVar[Callable[..., Any]]

    def create_object(self: Any, data: dict[str, Any]) -> Model:
        created: Model = self.call_service("create_service", data=data)
        return created

    def create(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.write_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self.respond(self.create_object(dict(body.validated_data)), status=201)


class ServiceUpdateMixin:
    """``PATCH`` on the object: ``update_service(actor=, <key>=, data=, if_match=)``."""

    write_serializer_class: type[BaseSerializer[Any]]
    update_service: ClassVar[Callable[..., Any]]

    def check_update(self, obj: Model) -> None:
        """Refuses the request before its body is read, once the object is known."""

    def write_update(self: Any, *, partial: bool) -> Response:
        obj = self.get_object()
        self.check_update(obj)
        arguments: dict[str, Any] = {}
        if self.versioned:
            arguments["if_match"] = if_match_versions(self.request)
        body = self.write_serializer_class(obj, data=self.request.data, partial=partial)
        body.is_valid(raise_exception=True)
        arguments["data"] = dict(body.validated_data)
        updated = self.call_service("update_service", **self.object_key(obj), **arguments)
        return self.respond(updated)

    def partial_update(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.write_update(partial=True)


class ServiceReplaceMixin(ServiceUpdateMixin):
    """``PUT`` on the object too: every writable field, through ``update_service``."""

    def update(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.write_update(partial=False)


class ServiceDestroyMixin:
    """``DELETE`` on the object: ``destroy_service(actor=, <key>=)``, answered 204."""

    destroy_service: ClassVar[Callable[..., Any]]

    def destroy(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.call_service("destroy_service", **self.object_key(self.get_object()))
        return Response(status=204)


class HistoryMixin:
    """``GET …/history/``: every change to the object, oldest first, paged. A view documents it
    with ``extend_schema_view(history=extend_schema(summary=…, description=…))``."""

    @extend_schema(responses={200: ChangeRecordSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, paginated=True)
    def history(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(history_of(self.get_object()))
        return self.get_paginated_response(ChangeRecordSerializer(page, many=True).data)


class ServiceModelViewSet(
    mixins.ListModelMixin, ServiceCreateMixin, ServiceUpdateMixin, HistoryMixin, ServiceViewSet
):
    """The usual collection: a filtered list, a detail, create, PATCH and the history."""
