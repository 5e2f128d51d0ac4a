"""How values look in lists and forms, in the current language."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from core.fields import FieldInfo
from core.i18n import _, format_money, format_when


def show(field: FieldInfo, value: Any, names: dict[int, str] | None = None) -> str:
    """`value` of `field` as text for a cell (refs need their display names)."""
    if value is None or value == "":
        return ""
    if field.kind == "ref":
        return (names or {}).get(value, f"#{value}")
    if field.kind == "choice":
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    if field.kind == "money":
        return format_money(decimal.Decimal(value))
    if field.kind == "bool":
        return _("Yes") if value else _("No")
    if isinstance(value, (dt.date, dt.datetime)):
        return format_when(value)
    return str(value)


def form_value(field: FieldInfo, value: Any) -> str:
    """`value` as an HTML input holds it."""
    if value is None:
        return ""
    if field.kind == "bool":  # a checkbox is ticked by any non-empty text, "False" too
        return "y" if value else ""
    if field.kind == "datetime" and isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if field.kind == "money" and isinstance(value, decimal.Decimal):
        return f"{value:.2f}"
    return str(value)
