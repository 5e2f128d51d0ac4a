"""Pydantic schemas generated from a model's fields: validation for forms, API, import.

One schema per model and purpose validates JSON from the API, strings from
HTML forms and cells from import files alike; its errors come back as one
translated message per field.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BeforeValidator, Field

from core.errors import ValidationError
from core.fields import FieldInfo
from core.i18n import _


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _money(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(",", "").replace("¥", "").replace("￥", "").strip() or None
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"on", "yes", "y", "是", "true", "1"}:
            return True
        if lowered in {"", "off", "no", "n", "否", "false", "0"}:
            return False
    return value


def _id_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(part) for part in value]
    return value


def _annotation(field: FieldInfo) -> Any:
    if field.kind == "many":
        return Annotated[list[str], BeforeValidator(_id_list)]
    if field.kind == "choice":
        base: Any = Literal[tuple(str(value) for value, _label in field.choices)]
    elif field.kind in ("int", "ref"):
        base = int
    elif field.kind == "money":
        base = Annotated[decimal.Decimal, Field(max_digits=16, decimal_places=2),
                         BeforeValidator(_money)]
    elif field.kind == "decimal":
        # The column's precision and scale (Numeric(7, 4)): more digits are refused, not
        # silently rounded or stored as a float on SQLite.
        numeric = field.column.type if field.column is not None else None
        limits = {key: value for key, value in (
            ("max_digits", getattr(numeric, "precision", None)),
            ("decimal_places", getattr(numeric, "scale", None))) if value is not None}
        base = Annotated[decimal.Decimal, Field(**limits), BeforeValidator(_money)]
    elif field.kind == "bool":
        base = Annotated[bool, BeforeValidator(_bool)]
    elif field.kind == "date":
        base = dt.date
    elif field.kind == "datetime":
        base = dt.datetime
    else:
        base = Annotated[str, Field(max_length=field.max_length)] if field.max_length else str
    return Annotated[base | None, BeforeValidator(_blank_is_none)]


@lru_cache(maxsize=512)
def schema_for(model: type, fields: tuple[FieldInfo, ...], partial: bool) -> type[pydantic.BaseModel]:
    """A pydantic model with one optional attribute per field; required-ness is checked after."""
    attributes: dict[str, Any] = {
        field.name: (_annotation(field), [] if field.kind == "many" else None) for field in fields
    }
    name = f"{model.__name__}{'Patch' if partial else 'Input'}"
    config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)
    return pydantic.create_model(name, __config__=config, **attributes)


def _message(error: dict[str, Any], field: FieldInfo | None) -> str:
    kind = error["type"]
    if kind == "missing" or kind == "required":
        return _("This field is required.")
    if kind == "string_too_long":
        return _("At most {count} characters.").format(count=error["ctx"]["max_length"])
    if kind.startswith("int_") or kind == "int_type":
        return _("Enter a whole number.")
    if kind in ("decimal_max_places", "decimal_max_digits", "decimal_whole_digits"):
        numeric = field.column.type if field is not None and field.column is not None else None
        digits, places = getattr(numeric, "precision", None), getattr(numeric, "scale", None)
        if digits is not None and places is not None:
            return _("At most {digits} digits, {places} of them after the decimal point.").format(
                digits=digits, places=places)
    if kind.startswith("decimal_"):
        return _("Enter an amount such as 1234.50.")
    if kind.startswith("bool"):
        return _("Enter yes or no.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date such as 2026-11-24.")
    if kind == "literal_error":
        return _("Choose one of the listed values.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return _("This value is not valid.")


def validate(
    model: type, fields: Sequence[FieldInfo], data: dict[str, Any], *, partial: bool
) -> dict[str, Any]:
    """Checked, converted values of `data`; ValidationError names each bad field."""
    by_name = {field.name: field for field in fields}
    schema = schema_for(model, tuple(fields), partial)
    errors: dict[str, str] = {}
    try:
        parsed = schema.model_validate(data)
    except pydantic.ValidationError as error:
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "_"
            errors.setdefault(name, _message(dict(item), by_name.get(name)))
        for field in fields:  # name every missing required field, not only the first errors
            raw = data.get(field.name)
            blank = raw is None or (isinstance(raw, str) and not raw.strip())
            if field.required and blank and (not partial or field.name in data):
                errors.setdefault(field.name, _("This field is required."))
        raise ValidationError(_("Please correct the marked fields."), fields=errors) from None
    values = parsed.model_dump(exclude_unset=partial)
    for field in fields:
        present = field.name in values
        if field.required and (not partial or present) and values.get(field.name) is None:
            errors[field.name] = _("This field is required.")
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)
    return values
