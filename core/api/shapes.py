"""JSON Schemas of the API, from the same field declarations as forms and validation.

Request bodies are the pydantic schemas of `core.schemas.schema_for` (what
`Records.validate` really accepts); responses and filter parameters follow
`core.api.representation` and `core.api.queries`.
"""

from __future__ import annotations

from typing import Any

from core import schemas
from core.api.resources import Resource, int_bounds
from core.fields import FieldInfo
from core.records import MAX_LINES

MONEY_PATTERN = r"^-?[0-9]{1,14}(\.[0-9]{1,2})?$"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
REF = "#/components/schemas/{name}"


def ref(name: str) -> dict[str, str]:
    """A $ref to the component schema `name`."""
    return {"$ref": REF.format(name=name)}


def _nullable(schema: dict[str, Any], nullable: bool) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]} if nullable else schema


def _value(field: FieldInfo) -> dict[str, Any]:
    """The JSON Schema of a field's value as the API answers it (not null)."""
    kind = field.kind
    if kind in ("int", "ref"):
        return {"type": "integer"}
    if kind == "money":
        return {"type": "string", "pattern": MONEY_PATTERN, "examples": ["1234.50"]}
    if kind == "decimal":
        return {"type": "string", "pattern": DECIMAL_PATTERN}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "datetime":
        return {"type": "string", "format": "date-time"}
    if kind == "choice":
        return {"type": "string", "enum": [str(value) for value, _label in field.choices]}
    schema: dict[str, Any] = {"type": "string"}
    if field.max_length:
        schema["maxLength"] = field.max_length
    return schema


def _output(field: FieldInfo) -> dict[str, Any]:
    if field.kind == "many":
        schema: dict[str, Any] = {"type": "array", "items": ref("Reference")}
    elif field.kind == "ref":
        schema = _nullable(ref("Reference"), field.column is None or field.column.nullable is True)
    else:
        nullable = field.column is None or field.column.nullable is True
        schema = _nullable(_value(field), nullable)
    return {**schema, "title": str(field.label)}


def record_schema(resource: Resource, *, lines: bool = True) -> dict[str, Any]:
    """A record as GET answers it (a list page's rows: without the inline lines)."""
    properties: dict[str, Any] = {"id": {"type": "integer"}}
    if resource.versioned:
        properties["version"] = {"type": "integer", "description": "Send back to change or delete"}
    for field in resource.fields:
        properties[field.name] = _output(field)
    if resource.stamped:
        properties["write_date"] = {"type": "string", "format": "date-time"}
    for line in resource.records.lines if lines else ():
        row = {"id": {"type": "integer"}} | {f.name: _output(f) for f in line.fields}
        properties[line.name] = {"type": "array", "title": str(line.label or line.name),
                                 "items": {"type": "object", "properties": row,
                                           "required": list(row),
                                           "additionalProperties": False}}
    return {"type": "object", "title": resource.model.__name__, "properties": properties,
            "required": list(properties), "additionalProperties": False}


def page_schema(resource: Resource) -> dict[str, Any]:
    """One page of a list."""
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": ref(
                f"{resource.key}_row" if resource.records.lines else resource.key)},
            "next_cursor": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "count": {"type": "integer", "minimum": 0,
                      "description": "Only with count=1: the matches, counted up to a cap"},
            "count_capped": {"type": "boolean",
                             "description": "Only with count=1: true if there are more"},
        },
        "required": ["data", "next_cursor"],
        "additionalProperties": False,
    }


def _strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` without its null alternative (a required field must have a value)."""
    options = [option for option in schema.get("anyOf", []) if option != {"type": "null"}]
    if len(options) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    return {**options[0], **rest}


def _bound_integers(schema: dict[str, Any], field: FieldInfo) -> None:
    bounds = int_bounds(field)
    if bounds is None:
        return
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "integer":
            option["minimum"], option["maximum"] = bounds


def input_schema(resource: Resource, *, partial: bool,
                 definitions: dict[str, Any]) -> dict[str, Any]:
    """The body of POST (`partial=False`) or PATCH, from the pydantic schema itself.

    Nested definitions are moved into `definitions` (components/schemas).
    """
    fields = resource.records.editable
    model = schemas.schema_for(resource.model, tuple(fields), partial)
    schema = model.model_json_schema(ref_template=REF.replace("{name}", "{model}"))
    definitions.update(schema.pop("$defs", {}))
    by_name = {field.name: field for field in fields}
    required = [] if partial else [f.name for f in fields if f.required]
    for name, prop in schema.get("properties", {}).items():
        field = by_name[name]
        prop["title"] = str(field.label)
        _bound_integers(prop, field)
        if name in required or (partial and field.required):
            schema["properties"][name] = _strip_null(prop)
    if required:
        schema["required"] = required
    for line in resource.records.lines:
        row_model = schemas.schema_for(line.child, line.fields, False)
        row = row_model.model_json_schema(ref_template=REF.replace("{name}", "{model}"))
        definitions.update(row.pop("$defs", {}))
        row.setdefault("properties", {})["id"] = {
            "type": "integer", "minimum": 1, "maximum": 2**31 - 1,
            "description": "An existing line's id, to keep and change it"}
        required_cells = [f.name for f in line.fields if f.required]
        if required_cells:
            row["required"] = required_cells
        schema.setdefault("properties", {})[line.name] = {
            "type": "array", "maxItems": MAX_LINES, "items": row,
            "description": "All the lines: rows without an id are added, lines left out "
                           "are removed"}
    if partial and resource.versioned:
        schema["properties"]["version"] = {
            "type": "integer", "minimum": 0, "maximum": 2**31 - 1,
            "description": "Required: the version you read (or send it as If-Match); "
                           "a stale one answers 409",
        }
    return schema


def filter_schema(field: FieldInfo, op: str) -> dict[str, Any]:
    """The schema of a filter parameter's value."""
    if op == "isnull":
        return {"type": "boolean"}
    if op in ("in", "contains"):
        return {"type": "string"}
    schema = _value(field)
    schema.pop("examples", None)
    schema.pop("maxLength", None)
    bounds = int_bounds(field)
    if bounds is not None:
        schema["minimum"], schema["maximum"] = bounds
    return schema
