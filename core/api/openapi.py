"""The OpenAPI 3.1 document of the API, generated from the models' declarations.

The document describes what the caller can reach: the models of the addons
enabled in their division that their roles may read. Every operation names
its parameters and its error answers, all in the one error shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.api import shapes
from core.api.queries import DEFAULT_LIMIT, MAX_LIMIT, MAX_SEARCH
from core.api.resources import Resource
from core.fields import model_label
from core.lists import operators

PREFIX = "/api/v1"
JSON = "application/json"
ERRORS = {
    "400": ("BadRequest", "A parameter or the body cannot be read"),
    "401": ("Unauthenticated", "No valid session or bearer token"),
    "403": ("Forbidden", "The caller's roles do not allow this"),
    "404": ("NotFound", "No such model or record, or not visible to the caller"),
    "409": ("Conflict", "Somebody else changed the record first (stale version)"),
    "413": ("PayloadTooLarge", "The body is larger than 1 MiB"),
    "415": ("UnsupportedMediaType", "The body is not JSON"),
    "422": ("ValidationFailed", "Some fields are not valid: `fields` names each"),
    "429": ("TooManyRequests", "Too many expensive requests; see Retry-After"),
    "500": ("InternalError", "Unexpected error; quote error_id to support"),
}
OPERATION_ERRORS = {
    "list": ("400", "401", "403", "404", "429", "500"),
    "create": ("400", "401", "403", "404", "409", "413", "415", "422", "500"),
    "read": ("401", "403", "404", "500"),
    "update": ("400", "401", "403", "404", "409", "413", "415", "422", "500"),
    "delete": ("400", "401", "403", "404", "409", "422", "500"),
    "action": ("400", "401", "403", "404", "409", "413", "415", "422", "500"),
    "explain": ("400", "401", "403", "404", "422", "500"),
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "error_id": {"type": "string"},
        },
        "required": ["code", "message", "fields"],
    }},
    "required": ["error"],
}
REFERENCE_SCHEMA = {
    "type": "object",
    "properties": {"id": {"type": ["integer", "string"]},
                   "name": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    "required": ["id", "name"],
    "additionalProperties": False,
}


def _error_responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, (name, text) in ERRORS.items():
        response: dict[str, Any] = {"description": text,
                                    "content": {JSON: {"schema": shapes.ref("Error")}}}
        if status == "429":
            response["headers"] = {"Retry-After": {
                "description": "Seconds to wait", "schema": {"type": "integer"}}}
        responses[name] = response
    return responses


def _parameters() -> dict[str, Any]:
    query = "query"
    return {
        "Limit": {"name": "limit", "in": query, "description": "Rows per page",
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                             "default": DEFAULT_LIMIT}},
        "Cursor": {"name": "cursor", "in": query, "schema": {"type": "string"},
                   "description": "next_cursor of the previous page (same order)"},
        "Order": {"name": "order", "in": query, "schema": {"type": "string"},
                  "description": "Fields, comma-separated; '-' sorts descending: -level,name"},
        "Search": {"name": "q", "in": query, "schema": {"type": "string", "maxLength": MAX_SEARCH},
                   "description": "Free-text search over the list's search fields (rate limited)"},
        "Count": {"name": "count", "in": query, "schema": {"type": "integer", "enum": [0, 1]},
                  "description": "1: also answer count and count_capped (rate limited)"},
        "IfMatch": {"name": "If-Match", "in": "header", "schema": {"type": "string"},
                    "description": "The version read, instead of `version`"},
    }


def _errors(operation: str) -> dict[str, Any]:
    return {status: {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
            for status in OPERATION_ERRORS[operation]}


def _filters(resource: Resource) -> list[dict[str, Any]]:
    result = []
    for name, field in resource.filters.items():
        for op in operators(field):
            text = {"in": "Comma-separated values", "isnull": "true: empty; false: filled",
                    "contains": "Contains the text (case-insensitive)"}.get(op, op)
            result.append({"name": name if op == "eq" else f"{name}__{op}", "in": "query",
                           "description": f"{field.label}: {text}",
                           "schema": shapes.filter_schema(field, op)})
    return result


def _id_parameter(resource: Resource) -> dict[str, Any]:
    _low, high = resource.id_bounds()
    return {"name": "id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": high}}


def _json_body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": shapes.ref(name)}}}


def _record_response(resource: Resource, text: str, **headers: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": text,
                                "content": {JSON: {"schema": shapes.ref(resource.key)}}}
    if headers:
        response["headers"] = {name: {"description": description, "schema": {"type": "string"}}
                               for name, description in headers.items()}
    return response


def _collection(resource: Resource, label: str) -> dict[str, Any]:
    common = [{"$ref": f"#/components/parameters/{name}"}
              for name in ("Limit", "Cursor", "Order", "Search", "Count")]
    return {
        "get": {
            "operationId": f"list_{resource.key}", "tags": [resource.key],
            "summary": f"List {label}", "parameters": common + _filters(resource),
            "responses": {"200": {"description": "One page",
                                  "content": {JSON: {"schema": shapes.ref(f"{resource.key}_page")}}},
                          **_errors("list")},
        },
        "post": {
            "operationId": f"create_{resource.key}", "tags": [resource.key],
            "summary": f"Create {label}", "requestBody": _json_body(f"{resource.key}_input"),
            "responses": {"201": _record_response(resource, "Created",
                                                  Location="The new record's address"),
                          **_errors("create")},
        },
    }


def _member(resource: Resource, label: str) -> dict[str, Any]:
    etag = {"ETag": "The record's version"} if resource.versioned else {}
    if_match = [{"$ref": "#/components/parameters/IfMatch"}] if resource.versioned else []
    delete_params = if_match + ([{"name": "version", "in": "query", "description":
                                  "The version read (optional)",
                                  "schema": {"type": "integer", "minimum": 0,
                                             "maximum": 2**31 - 1}}]
                                if resource.versioned else [])
    return {
        "parameters": [_id_parameter(resource)],
        "get": {"operationId": f"read_{resource.key}", "tags": [resource.key],
                "summary": f"Read {label}",
                "responses": {"200": _record_response(resource, "The record", **etag),
                              **_errors("read")}},
        "patch": {"operationId": f"update_{resource.key}", "tags": [resource.key],
                  "summary": f"Change {label}", "parameters": if_match,
                  "requestBody": _json_body(f"{resource.key}_patch"),
                  "responses": {"200": _record_response(resource, "The changed record", **etag),
                                **_errors("update")}},
        "delete": {"operationId": f"delete_{resource.key}", "tags": [resource.key],
                   "summary": f"Delete {label}", "parameters": delete_params,
                   "responses": {"204": {"description": "Deleted"}, **_errors("delete")}},
    }


def _action(resource: Resource, label: str) -> dict[str, Any]:
    declared = ", ".join(f"`{action.key}` ({action.label})"
                         for action in resource.records.views.actions)
    body = {"type": "object", "properties": {
        "values": {"type": "object", "description": "Fields the transition requires, or the "
                   "parameters of a record action"},
        "comment": {"type": "string", "maxLength": 10_000,
                    "description": "Comment of a transition or an approval decision"}}}
    outcome = {"oneOf": [shapes.ref(resource.key), {
        "type": "object", "required": ["message", "record"],
        "properties": {"message": {"type": ["string", "null"]},
                       "record": {"anyOf": [shapes.ref(resource.key), {"type": "null"}]}}}]}
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "A workflow transition, `approve` / `reject` on a pending approval"
                           + (f", or a record action: {declared}" if declared else "")}
    return {"post": {
        "operationId": f"act_{resource.key}", "tags": [resource.key],
        "summary": f"Run a workflow transition or action on {label}",
        "parameters": [_id_parameter(resource), name],
        "requestBody": {"required": True, "content": {JSON: {"schema": body}}},
        "responses": {"200": {"description": "The record after the action (a record action "
                                             "answers {message, record})",
                              "content": {JSON: {"schema": outcome}}}, **_errors("action")},
    }}


def _explain(resource: Resource, label: str) -> dict[str, Any]:
    login = {"name": "login", "in": "query", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": 64}}
    return {"get": {
        "operationId": f"explain_{resource.key}", "tags": [resource.key],
        "summary": f"Why a user may or may not see {label} (administrators)",
        "parameters": [_id_parameter(resource), login],
        "responses": {"200": {"description": "The rights and rules that decide",
                              "content": {JSON: {"schema": {"type": "object"}}}},
                      **_errors("explain")},
    }}


def _schemas(resources: Sequence[Resource]) -> dict[str, Any]:
    result: dict[str, Any] = {"Error": ERROR_SCHEMA, "Reference": REFERENCE_SCHEMA}
    for resource in resources:
        result[resource.key] = shapes.record_schema(resource)
        if resource.records.lines:
            result[f"{resource.key}_row"] = shapes.record_schema(resource, lines=False)
        result[f"{resource.key}_page"] = shapes.page_schema(resource)
        result[f"{resource.key}_input"] = shapes.input_schema(resource, partial=False,
                                                              definitions=result)
        result[f"{resource.key}_patch"] = shapes.input_schema(resource, partial=True,
                                                              definitions=result)
    return result


def _document_path() -> dict[str, Any]:
    return {"get": {"operationId": "openapi", "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1",
                                          "content": {JSON: {"schema": {"type": "object"}}}},
                                  **_errors("read")}}}


def _token_path() -> dict[str, Any]:
    body = {"type": "object", "additionalProperties": False, "required": ["login", "password"],
            "properties": {"login": {"type": "string", "minLength": 1, "maxLength": 64},
                           "password": {"type": "string", "minLength": 1, "maxLength": 1024},
                           "name": {"type": "string", "minLength": 1, "maxLength": 128}}}
    token = {"type": "object", "required": ["token", "id", "expires"],
             "properties": {"token": {"type": "string"}, "id": {"type": "integer"},
                            "expires": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}
    errors = {status: {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
              for status in ("400", "401", "500")}
    return {"post": {
        "operationId": "create_token", "summary": "Exchange a login and password for a token",
        "security": [], "tags": ["auth"],
        "requestBody": {"required": True, "content": {JSON: {"schema": body}}},
        "responses": {"201": {"description": "The token, shown once",
                              "content": {JSON: {"schema": token}}}, **errors},
    }}


def document(resources: Sequence[Resource], *, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document for `resources` (labels in the current language)."""
    paths: dict[str, Any] = {f"{PREFIX}/openapi.json": _document_path(),
                             f"{PREFIX}/auth/token": _token_path()}
    for resource in resources:
        label = model_label(resource.model)
        paths[f"{PREFIX}/{resource.key}"] = _collection(resource, label)
        paths[f"{PREFIX}/{resource.key}/{{id}}"] = _member(resource, label)
        paths[f"{PREFIX}/{resource.key}/{{id}}/actions/{{name}}"] = _action(resource, label)
        paths[f"{PREFIX}/{resource.key}/{{id}}/access"] = _explain(resource, label)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kehu API", "version": version,
                 "description": "Records of every model with views; errors are "
                                '{"error": {"code", "message", "fields"}}.'},
        "paths": paths,
        "components": {
            "schemas": _schemas(resources),
            "responses": _error_responses(),
            "parameters": _parameters(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A token from POST /api/v1/auth/token"}},
        },
        "security": [{"bearer": []}],
    }
