"""OpenAPI generation: every operation gets a summary and its documented error responses."""

import copy
import inspect
from collections.abc import Iterable
from typing import Any

from drf_spectacular.openapi import AutoSchema

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

ERROR_DESCRIPTIONS = {
    400: "Invalid request: an unknown or invalid query parameter or body field (problem details "
    "name each one in `errors`).",
    401: "Authentication required or credentials invalid.",
    403: "Authenticated, but not allowed to do this.",
    404: "Not found, or not visible to you.",
    405: "Method not allowed.",
    406: "No acceptable media type (the API speaks JSON).",
    409: "Conflicts with the current state of the object.",
    412: "The If-Match ETag is stale: someone else changed the object first.",
    415: "Unsupported media type: send application/json.",
    428: "If-Match is required for this write.",
    429: "Too many requests: retry after Retry-After seconds.",
    500: "The server failed; nothing was changed.",
    503: "The search index is missing or unreadable: `q` cannot be answered until it is rebuilt "
    "(lists without `q` still work).",
}

STANDARD_ACTIONS = frozenset(
    {"list", "retrieve", "create", "update", "partial_update", "destroy", "metadata"}
)

_VERBS = {
    "list": "List",
    "retrieve": "Get",
    "create": "Create",
    "update": "Replace",
    "partial_update": "Update",
    "destroy": "Delete",
}


class RegistryAutoSchema(AutoSchema):
    """Adds problem+json error responses and a generated summary to every operation."""

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        if summary:
            return summary
        action = getattr(self.view, "action", None)
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if action in _VERBS and model is not None:
            meta = model._meta
            noun = meta.verbose_name_plural if action == "list" else meta.verbose_name
            return f"{_VERBS[action]} {noun}"
        return None

    def get_operation_id(self) -> str:
        """An extra action's id is its collection and its name (``batches_publish``,
        ``resources_history``), not DRF's ``batches_publish_create``; the rest keep theirs."""
        action = getattr(self.view, "action", None)
        if action and action not in STANDARD_ACTIONS:
            tokens = [token.replace("-", "_") for token in self._tokenize_path()]
            return f"{tokens[0]}_{action}"
        return super().get_operation_id()

    def get_tags(self) -> list[str]:
        """The view's ``schema_tags`` when it declares them, for every operation it serves."""
        tags = getattr(self.view, "schema_tags", None)
        return list(tags) if tags else super().get_tags()

    def get_auth(self) -> list[dict[str, Any]]:
        """The security requirements, with anonymous access where the policy says PUBLIC."""
        auths = super().get_auth()
        policy = getattr(self.view, "permission_policy", {})
        action = getattr(self.view, "action", None) or self.method.lower()
        if policy.get(action) == "public" and {} not in auths:
            auths.append({})
        return auths

    def error_statuses(self) -> list[int]:
        method = self.method.upper()
        statuses = [406, 429, 500]
        has_params = bool(self._get_filter_parameters() or self._get_pagination_parameters())
        if method in ("POST", "PUT", "PATCH") or has_params or self._is_list_view() is False:
            statuses.append(400)
        if self.path.rstrip("/").endswith("}") or "{" in self.path:
            statuses.append(404)
        if method not in ("GET", "HEAD", "OPTIONS"):
            statuses += [401, 403, 415]
        action = getattr(self.view, "action", None)
        statuses += list(getattr(self.view, "error_statuses", {}).get(action, []))
        return sorted(set(statuses))

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        self._document_http_caching(operation, responses)
        for status in self.error_statuses():
            responses.setdefault(
                str(status),
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                },
            )
        return operation

    def _document_http_caching(self, operation: dict[str, Any], responses: dict[str, Any]) -> None:
        """What every JSON answer carries: a GET's ETag (If-None-Match with it is a 304), a
        page's Link to the next and previous pages, a versioned write's ETag, and a created
        object's Location (``config.api.viewsets``: ``located``)."""
        answer = next((responses[code] for code in ("200", "201") if code in responses), None)
        if answer is None or "application/json" not in answer.get("content", {}):
            return  # no answer body, or a download the view streams (no ETag)
        headers = answer.setdefault("headers", {})
        method = self.method.upper()
        if method == "GET":
            operation.setdefault("parameters", []).append(IF_NONE_MATCH_PARAMETER)
            responses.setdefault("304", NOT_MODIFIED_RESPONSE)
            headers["ETag"] = ETAG_HEADER
            schema = answer["content"]["application/json"].get("schema", {})
            if str(schema.get("$ref", "")).startswith("#/components/schemas/Paginated"):
                headers["Link"] = LINK_HEADER
        elif method in ("POST", "PUT", "PATCH") and getattr(self.view, "versioned", False):
            headers["ETag"] = ETAG_HEADER
        created = "201" in responses and getattr(self.view, "action", None) == "create"
        if created and getattr(self.view, "located", False):
            headers["Location"] = LOCATION_HEADER


ETAG_HEADER = {
    "description": "The answer's entity tag: send it back in If-None-Match (a 304 while "
    'unchanged) or, for a versioned object (`"<version>.<digest>"`), in If-Match to change it.',
    "required": True,
    "schema": {"type": "string"},
}
LOCATION_HEADER = {
    "description": "The created object's URL (the `url` of the body).",
    "required": True,
    "schema": {"type": "string", "format": "uri-reference"},
}
LINK_HEADER = {
    "description": 'RFC 8288 links to the other pages: `<…>; rel="next"` and `<…>; rel="prev"`, '
    "the same URLs as the body's `next` and `previous`; absent on a single page.",
    "schema": {"type": "string"},
}
IF_NONE_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "An ETag this client holds: a 304 with no body while the answer is unchanged.",
}
NOT_MODIFIED_RESPONSE = {
    "description": "Not modified: the ETag sent in If-None-Match is current (no body).",
    "headers": {"ETag": ETAG_HEADER},
}


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {
            "type": "string",
            "format": "uri-reference",
            "description": "Identifies the kind of problem; dereference it for its description.",
            "examples": ["/api/problems/validation-error"],
        },
        "title": {"type": "string", "description": "Short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code.", "examples": [400]},
        "detail": {"type": "string", "description": "What went wrong with this request."},
        "instance": {"type": "string", "description": "The path and query of the request."},
        "errors": {
            "type": "array",
            "description": "One item per invalid parameter or field.",
            "items": {
                "type": "object",
                "required": ["attr", "code", "detail"],
                "properties": {
                    "attr": {
                        "type": ["string", "null"],
                        "description": "Dotted name of the parameter or field; null for the "
                        "request as a whole.",
                    },
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                    "choices": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "For a value outside a fixed list (`invalid_choice`): "
                        "the accepted values, when they are at most 20.",
                    },
                    "choices_url": {
                        "type": "string",
                        "format": "uri-reference",
                        "description": "Instead of `choices` when there are more: the endpoint "
                        "that lists the accepted values (`/api/v1/regions/`).",
                    },
                },
            },
        },
    },
}


def drop_base_class_docstrings(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A serializer without a docstring of its own inherits its base's, which says how the base
    works, not what the object is: such descriptions are dropped."""
    from config.api.fields import RegistryModelSerializer
    from config.api.serializers import StrictModelSerializer, StrictSerializer

    bases = (RegistryModelSerializer, StrictModelSerializer, StrictSerializer)
    inherited = {inspect.getdoc(base) for base in bases}
    for schema in result.get("components", {}).get("schemas", {}).values():
        if schema.get("description") in inherited:
            del schema["description"]
    return result


def reference_shared_enums(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A query parameter whose values are a component enum's (the region codes, the industry
    sections, the statuses…) refers to it instead of repeating the list, so a generated client
    has one type per set of values. Runs after drf-spectacular has made the components."""
    schemas = result.get("components", {}).get("schemas", {})
    by_values = {
        frozenset(map(str, schema["enum"])): name
        for name, schema in schemas.items()
        if "enum" in schema
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                target = schema.get("items", {}) if schema.get("type") == "array" else schema
                name = by_values.get(frozenset(map(str, target.get("enum", []))))
                if target.get("enum") and name:
                    target.clear()
                    target["$ref"] = f"#/components/schemas/{name}"
    return result


#: Components written as schemas rather than serializers (``shared_component``), by name.
SHARED_COMPONENTS: dict[str, dict[str, Any]] = {}


def shared_component(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Declares the component ``name`` (``add_shared_components`` adds it to the document) and
    returns a reference to it: one schema, one generated class, wherever it is used."""
    SHARED_COMPONENTS[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def add_shared_components(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update({"Problem": PROBLEM_SCHEMA, **SHARED_COMPONENTS})
    return dict(
        result, components=dict(result["components"], schemas=dict(sorted(schemas.items())))
    )


def require_polymorphic_request_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular marks a request body required when its serializer has a required field, but
    cannot see inside a polymorphic one (``oneOf`` on a discriminator: a resource's body per type):
    such a body is required when every one of its alternatives has a required field."""
    schemas = result.get("components", {}).get("schemas", {})

    def component(reference: dict[str, Any]) -> dict[str, Any]:
        return schemas.get(reference.get("$ref", "").rpartition("/")[2], reference)

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body or body.get("required"):
                continue
            media_types = body["content"].values()
            alternatives = [component(each.get("schema", {})).get("oneOf") for each in media_types]
            if all(alternatives) and all(
                component(each).get("required") for one_of in alternatives for each in one_of or []
            ):
                body["required"] = True
    return result


def declare_webhooks_unauthenticated(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A webhook is a request the registry sends to a receiver, which authenticates it by its
    signature headers (described in the operation), not by one of the API's security schemes:
    its security is declared empty rather than left unsaid."""
    for operations in result.get("webhooks", {}).values():
        for operation in operations.values():
            operation.setdefault("security", [])
    return result


FILTERS_OF = "x-filters-of"


def filters_of(operation_id: str, names: Iterable[str]) -> dict[str, Any]:
    """For ``extend_schema(extensions=…)``: this operation takes the query parameters ``names``
    of the operation ``operation_id`` (an export takes the list's filters), declared there."""
    return {FILTERS_OF: {"operation": operation_id, "parameters": sorted(names)}}


def copy_filters(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """The parameters an operation declared with ``filters_of`` are copied from the operation
    named, so a filter is documented once, with its type, values and description."""
    operations = [
        operation
        for path_item in result.get("paths", {}).values()
        for operation in path_item.values()
        if isinstance(operation, dict)
    ]
    by_id = {operation.get("operationId"): operation for operation in operations}
    for operation in operations:
        marker = operation.pop(FILTERS_OF, None)
        if marker is None:
            continue
        names = set(marker["parameters"])
        source = by_id[marker["operation"]]
        copied = [
            copy.deepcopy(parameter)
            for parameter in source.get("parameters", [])
            if parameter["in"] == "query" and parameter["name"] in names
        ]
        missing = names - {parameter["name"] for parameter in copied}
        assert not missing, f"{marker['operation']} has no parameters {sorted(missing)}"
        kept = [
            parameter
            for parameter in operation.get("parameters", [])
            if not (parameter["in"] == "query" and parameter["name"] in names)
        ]
        operation["parameters"] = sorted(kept + copied, key=lambda parameter: parameter["name"])
    return result
