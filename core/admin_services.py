"""The base of every admin whose writes go through services, and its declared actions.

A ``ServiceAdmin`` names its services, as the API's ``ServiceViewSet`` does; the base does the
rest::

    @admin.register(Scenario)
    class ScenarioAdmin(ServiceAdmin[Scenario]):
        create_service = services.scenario_create
        update_service = services.scenario_update
        service_key = "scenario_id"
        service_fields = SCENARIO_EDITABLE
        fixed_fields = ["code"]
        versioned = True
        mark_implementable_selected = ServiceAction(
            services.scenario_mark_implementable,
            description=_("Mark implementable"),
            done=ngettext_lazy("%(count)d scenario marked…", "%(count)d scenarios…", "count"),
        )

- **Saves** call ``create_service(actor=, data=)`` or ``update_service(actor=, <service_key>=,
  data=)`` (with ``if_match=None`` when ``versioned``) with the form's ``service_fields``; a
  refusal (``DomainError``) is an error message, not an error page. The relations go with the
  data (``save_related`` saves nothing itself). ``fixed_fields`` are set when the object is
  created and read-only afterwards (a code, a slug).
- **What a curator may do** is what the services offer: no ``create_service``, no "Add"; no
  ``update_service``, a read-only page; no ``delete_service``, nothing deleted (the audit trail
  would not see it). ``delete_service(actor=, <service_key>=)`` deletes one by one, each refusal
  reported.
- **Actions** (``ServiceAction``) run a service on each selected object, as the request's user,
  in ``action_ordering``: each refusal is reported by the object's name, the successes counted
  (or each announced). An action with a ``form`` (a reason, a year) or ``confirm`` asks first,
  on the one intermediate page (``admin/service_action.html``), whose values go to the service
  as keywords.
- **History** is the audit trail (``AuditedAdmin``).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AuditedAdmin
from core.errors import DomainError


class ServiceAction:
    """An admin action that runs ``service`` on each selected object (see the module's text).

    ``done`` is the message once some succeeded, formatted with their ``count`` (a lazy
    ``ngettext_lazy(…, "count")``; at ``done_level``, also for none with ``done_when_none``);
    ``done_each(obj)`` the message for each one instead. ``allowed``: the statuses the service
    accepts, so that the intermediate page warns about the others. ``page(objects)`` adds to (or
    replaces) what that page shows: a ``summary`` table, the ``submit`` button's label."""

    def __init__(
        self,
        service: Callable[..., Any],
        *,
        description: Any,
        done: Any = None,
        done_each: Callable[[Any], str] | None = None,
        done_level: int = messages.SUCCESS,
        done_when_none: bool = False,
        form: type[forms.Form] | None = None,
        confirm: bool = False,
        title: Any = "",
        question: Any = "",
        allowed: Sequence[str] = (),
        page: Callable[[list[Any]], dict[str, Any]] | None = None,
        permissions: Sequence[str] = (),
    ) -> None:
        self.service = service
        self.short_description = description  # what Django's action menu shows
        if permissions:  # Django offers an action with an empty list to nobody
            self.allowed_permissions = tuple(permissions)
        self.done, self.done_each = done, done_each
        self.done_level, self.done_when_none = done_level, done_when_none
        self.form, self.confirm = form, confirm
        self.title, self.question, self.allowed, self.page = title, question, allowed, page
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __call__(
        self, model_admin: "ServiceAdmin[Any]", request: HttpRequest, queryset: QuerySet[Any]
    ) -> TemplateResponse | None:
        return model_admin.run_action(self, request, queryset)

    @property
    def asks(self) -> bool:
        """Whether the action shows the intermediate page before it runs."""
        return self.form is not None or self.confirm


def reason_form(help_text: Any) -> type[forms.Form]:
    """The form of an action that asks why (a rejection, a withdrawal, a termination): the
    reason, required, passed to the service as ``reason``."""
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=help_text,
    )
    return type("ReasonForm", (forms.Form,), {"reason": reason})


class ServiceAdmin[M: Model](AuditedAdmin, admin.ModelAdmin[M]):
    """The admin of an audited model whose writes go through its services."""

    #: The services (called through the class, so that they are not bound as methods).
    create_service: ClassVar[Callable[..., Any] | None] = None
    update_service: ClassVar[Callable[..., Any] | None] = None
    delete_service: ClassVar[Callable[..., Any] | None] = None
    #: The keyword that names the object to its services (``pilot_id``).
    service_key: ClassVar[str] = "pk"
    #: The form's fields the services take; relations as lists of objects, or of their
    #: ``related_keys`` (tags by ``name``).
    service_fields: ClassVar[Sequence[str]] = ()
    related_keys: ClassVar[Mapping[str, str]] = {}
    #: Fields set at creation and read-only afterwards.
    fixed_fields: ClassVar[Sequence[str]] = ()
    #: Whether ``update_service`` takes ``if_match`` (the admin edits the current version).
    versioned: ClassVar[bool] = False
    #: What the admin reads back from the saved object besides its key (for its messages).
    refreshed_fields: ClassVar[Sequence[str]] = ()
    #: The order the actions take the selected objects in.
    action_ordering: ClassVar[Sequence[str]] = ()
    #: How a refusal of the services is reported.
    refusal_level: ClassVar[int] = messages.ERROR

    # What a curator may do ---------------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return type(self).create_service is not None and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return type(self).update_service is not None and allowed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return type(self).delete_service is not None and allowed

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *self.fixed_fields] if obj is not None else fields

    # Saves and deletions -----------------------------------------------------------------------

    def object_key(self, obj: M) -> dict[str, Any]:
        return {self.service_key: obj.pk}

    def service_data(self, form: Any, change: bool) -> dict[str, Any]:
        """The form's values as the services take them."""
        data: dict[str, Any] = {}
        for name in self.service_fields:
            if name not in form.cleaned_data or (change and name in self.fixed_fields):
                continue
            value = form.cleaned_data[name]
            if isinstance(value, QuerySet):
                key = self.related_keys.get(name)
                value = [getattr(item, key) for item in value] if key else list(value)
            data[name] = value
        return data

    def create_object(self, request: HttpRequest, data: dict[str, Any]) -> M:
        service: Any = type(self).create_service
        created: M = service(actor=request.user, data=data)
        return created

    def update_object(self, request: HttpRequest, obj: M, data: dict[str, Any]) -> M:
        service: Any = type(self).update_service
        version = {"if_match": None} if self.versioned else {}
        updated: M = service(actor=request.user, **self.object_key(obj), data=data, **version)
        return updated

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        """Saves through the services (validated, versioned, recorded); a refusal is reported."""
        data = self.service_data(form, change)
        try:
            saved = (
                self.update_object(request, obj, data)
                if change
                else self.create_object(request, data)
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return
        obj.pk = saved.pk
        for name in self.refreshed_fields:
            setattr(obj, name, getattr(saved, name))
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the relations went to the services with the data

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        service: Any = type(self).delete_service
        service(actor=request.user, **self.object_key(obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        """The bulk delete action, through the services: each refusal reported, the rest gone."""
        service: Any = type(self).delete_service
        for obj in queryset:
            try:
                service(actor=request.user, **self.object_key(obj))
            except DomainError as exc:
                self.refused(request, obj, str(exc.message))

    # Actions -----------------------------------------------------------------------------------

    def refusal(self, obj: M, message: str) -> str:
        """A refusal of the services about ``obj``, as the curator reads it."""
        return f"{obj}: {message}"

    def refused(self, request: HttpRequest, obj: M, message: str) -> None:
        messages.add_message(request, self.refusal_level, self.refusal(obj, message))

    def action_objects(self, queryset: QuerySet[M]) -> QuerySet[M]:
        return queryset.order_by(*self.action_ordering) if self.action_ordering else queryset

    def run_action(
        self, action: ServiceAction, request: HttpRequest, queryset: QuerySet[M]
    ) -> TemplateResponse | None:
        """Runs ``action`` on the selected objects, or shows the page asking for it first."""
        confirmed = request.POST.get("post") == "yes"
        form = action.form(request.POST if confirmed else None) if action.form else None
        if action.asks and not (confirmed and (form is None or form.is_valid())):
            return self.action_page(action, request, queryset, form)
        self.run_service(action, request, queryset, form.cleaned_data if form else {})
        return None

    def run_service(
        self,
        action: ServiceAction,
        request: HttpRequest,
        queryset: QuerySet[M],
        values: dict[str, Any],
    ) -> None:
        """Calls the action's service on each object; each refusal is reported."""
        count = 0
        for obj in self.action_objects(queryset):
            try:
                action.service(actor=request.user, **self.object_key(obj), **values)
            except DomainError as exc:
                self.refused(request, obj, str(exc.message))
            except ValidationError as exc:
                self.refused(request, obj, "; ".join(exc.messages))
            else:
                count += 1
                if action.done_each is not None:
                    messages.success(request, action.done_each(obj))
        if action.done is not None and (count or action.done_when_none):
            messages.add_message(request, action.done_level, action.done % {"count": count})

    # The intermediate page ---------------------------------------------------------------------

    def action_label(self, obj: M) -> str:
        """A selected object as the intermediate page lists it."""
        status = getattr(obj, "get_status_display", None)
        return f"{obj} ({status()})" if status else str(obj)

    def skipped_note(self, count: int) -> str:
        """The warning about selected objects the action will refuse."""
        return ngettext(
            "%(counter)s selected object is not in a status that allows this and will be refused.",
            "%(counter)s selected objects are not in a status that allows this and will be "
            "refused.",
            count,
        ) % {"counter": count}

    def action_page(
        self,
        action: ServiceAction,
        request: HttpRequest,
        queryset: QuerySet[M],
        form: forms.Form | None,
    ) -> TemplateResponse:
        objects = list(self.action_objects(queryset))
        allowed = action.allowed
        skipped = [
            obj for obj in objects if allowed and getattr(obj, "status", None) not in allowed
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": action.title,
            "subtitle": None,
            "question": action.question,
            "opts": self.opts,
            "form": form,
            "objects": objects,
            "labels": [self.action_label(obj) for obj in objects],
            "summary": None,
            "skipped": skipped,
            "skipped_note": self.skipped_note(len(skipped)) if skipped else "",
            "submit": action.title,
            "action": action.name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
            **(action.page(objects) if action.page else {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/service_action.html", context)
