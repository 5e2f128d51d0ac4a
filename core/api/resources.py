"""The API's view of a model: which fields it shows, accepts and filters, and how.

A resource is built from the model's list and form views, like the pages:
the fields shown are the form's fields, then the list's other columns; the
fields accepted are the form's (`Records.editable`).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.errors import ValidationError
from core.fields import FieldInfo
from core.i18n import _
from core.kernel import Kernel
from core.records import Records

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def int_bounds(field: FieldInfo) -> tuple[int, int] | None:
    """The range of an integer field's column (None if it is not an integer)."""
    if field.kind not in ("int", "ref") or field.column is None:
        return None
    return INT64 if isinstance(field.column.type, sa.BigInteger) else INT32


def _as_int(value: Any) -> int | None:
    """`value` as an integer if it is one (42, "42", 42.0 as Decimal), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, str):
        text = value.strip().removeprefix("-").removeprefix("+")
        try:
            return int(value)
        except ValueError:
            # Longer than Python converts (4300 digits): certainly out of range.
            return 2**64 if text.isdigit() else None
    return None


def _out_of_range(bounds: tuple[int, int], value: Any) -> bool:
    number = _as_int(value)
    return number is not None and not bounds[0] <= number <= bounds[1]


def _range_message(bounds: tuple[int, int]) -> str:
    return _("Enter a whole number between {low} and {high}.").format(low=bounds[0], high=bounds[1])


@dataclass(frozen=True)
class Resource:
    """One model under /api/v1/<key>."""

    key: str
    model: type
    records: Records
    fields: tuple[FieldInfo, ...]

    @property
    def versioned(self) -> bool:
        """Whether the model has a `version` column (optimistic locking)."""
        return "version" in self.model.__table__.columns  # type: ignore[attr-defined]

    @property
    def stamped(self) -> bool:
        """Whether the model has a `write_date` column."""
        return "write_date" in self.model.__table__.columns  # type: ignore[attr-defined]

    @property
    def filters(self) -> dict[str, FieldInfo]:
        """The fields a list may be filtered and ordered by."""
        return dict(self.records.all_fields)

    def id_bounds(self) -> tuple[int, int]:
        """The range of the primary key."""
        column = self.model.__table__.c.id  # type: ignore[attr-defined]
        return INT64 if isinstance(column.type, sa.BigInteger) else INT32

    def check_ranges(self, data: dict[str, Any]) -> None:
        """422 for integers (and ids in lists) that the database columns cannot hold."""
        errors = {}
        for field in self.records.editable:
            value = data.get(field.name)
            if field.kind == "many" and isinstance(value, list):
                bounds = _target_bounds(field)
                if bounds and any(_out_of_range(bounds, item) for item in value):
                    errors[field.name] = _range_message(bounds)
                continue
            bounds = int_bounds(field)
            if bounds and _out_of_range(bounds, value):
                errors[field.name] = _range_message(bounds)
        if errors:
            raise ValidationError(_("Please correct the marked fields."), fields=errors)

    def filter_in_range(self, field: FieldInfo, op: str, value: str) -> str | None:
        """The message if a filter value does not fit the column, else None."""
        bounds = int_bounds(field)
        if bounds is None or op in ("isnull", "contains"):
            return None
        parts = value.split(",") if op == "in" else [value]
        return _range_message(bounds) if any(_out_of_range(bounds, p) for p in parts) else None


def _target_bounds(field: FieldInfo) -> tuple[int, int] | None:
    if field.target is None:
        return None
    key: sa.Column[Any] = sa.inspect(field.target).primary_key[0]
    if not isinstance(key.type, sa.Integer):
        return None
    return INT64 if isinstance(key.type, sa.BigInteger) else INT32


def _shown_fields(records: Records) -> tuple[FieldInfo, ...]:
    shown = {field.name: field for field in records.editable}
    for field in records.columns:
        shown.setdefault(field.name, field)
    return tuple(shown.values())


def resources(kernel: Kernel) -> dict[str, Resource]:
    """Every model with views and an `id` key, by its URL key (its table name).

    A kernel settings table keyed otherwise (a division's webhook, keyed by the
    division) has admin pages but no REST resource: /{id} would not name a row.
    """
    return {
        key: Resource(key, model, kernel.records[model], _shown_fields(kernel.records[model]))
        for key, model in kernel.model_keys.items()
        if "id" in model.__table__.c  # type: ignore[attr-defined]
    }
