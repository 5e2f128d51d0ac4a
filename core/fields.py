"""What the kernel knows about a model's fields: labels, kinds, choices, references.

A column's label and choices come from `mapped_column(info={...})`:

    level: Mapped[str | None] = mapped_column(
        sa.String(1), info={"label": _l("Level"), "choices": LEVELS})

where `choices` is a list of (value, LazyText) pairs. A column without a
label shows its name.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from core.i18n import LazyText
from core.orm import Money

# Columns a user never types: the kernel fills them.
SYSTEM_COLUMNS = frozenset({"id", "version", "create_uid", "create_date", "write_uid", "write_date"})


def system_columns(model: type) -> frozenset[str]:
    """The columns of `model` the kernel fills; a business record's division too."""
    from core.orm import Model

    return SYSTEM_COLUMNS | {"division_id"} if issubclass(model, Model) else SYSTEM_COLUMNS


@dataclass(frozen=True)
class FieldInfo:
    """One column of a model as forms, lists, API and import see it."""

    name: str
    label: LazyText | str
    kind: str  # text, longtext, int, decimal, money, bool, date, datetime, choice, ref
    required: bool
    max_length: int | None
    choices: tuple[tuple[str, Any], ...]
    target: type | None  # the referenced model of a `ref` or `many` field
    column: sa.Column[Any] | None  # None for a `many` field (a relationship)

    @property
    def attribute(self) -> str:
        return self.name


def _kind(column: sa.Column[Any], choices: Any) -> str:
    if choices:
        return "choice"
    if column.foreign_keys:
        return "ref"
    type_ = column.type
    if isinstance(type_, Money):
        return "money"
    if isinstance(type_, sa.Boolean):
        return "bool"
    if isinstance(type_, sa.DateTime):
        return "datetime"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.Numeric):
        return "decimal"
    if isinstance(type_, sa.Integer):
        return "int"
    if isinstance(type_, sa.Text) or (isinstance(type_, sa.String) and (type_.length or 0) > 255):
        return "longtext"
    return "text"


def _target(column: sa.Column[Any]) -> type | None:
    from core.orm import Base

    for foreign_key in column.foreign_keys:
        table = foreign_key.column.table
        for mapper in Base.registry.mappers:
            if mapper.local_table is table:
                return mapper.class_
    return None


def _many(attribute: InstrumentedAttribute[Any]) -> FieldInfo:
    relationship = attribute.property
    info = relationship.info
    return FieldInfo(
        name=attribute.key, label=info.get("label", attribute.key), kind="many",
        required=False, max_length=None, choices=(), target=relationship.mapper.class_,
        column=None,
    )


def field_info(attribute: InstrumentedAttribute[Any] | sa.Column[Any]) -> FieldInfo:
    """The FieldInfo of a mapped attribute (`Customer.level`, or `User.roles`, a many-to-many)."""
    if not isinstance(attribute, sa.Column) and isinstance(attribute.property, sa.orm.RelationshipProperty):
        return _many(attribute)
    column = attribute if isinstance(attribute, sa.Column) else attribute.property.columns[0]
    info = column.info
    choices = tuple(info.get("choices", ()))
    length = getattr(column.type, "length", None)
    required = not column.nullable and column.default is None and column.server_default is None
    return FieldInfo(
        name=column.key,
        label=info.get("label", column.key),
        kind=_kind(column, choices),
        required=required and not column.primary_key,
        max_length=length if isinstance(length, int) else None,
        choices=choices,
        target=_target(column),
        column=column,
    )


def model_fields(model: type, absent: frozenset[str] = frozenset()) -> list[FieldInfo]:
    """Every column of `model` a user may see, in table order (no secrets); `absent`:
    extension columns of addons this database does not have (core.orm.Extension)."""
    result = []
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        if column.info.get("hidden") or column.key in absent:
            continue
        result.append(field_info(column))
    return result


def python_type(field: FieldInfo) -> type:
    """The Python type a field's values have."""
    return {
        "int": int, "ref": int, "decimal": decimal.Decimal, "money": decimal.Decimal,
        "bool": bool, "date": dt.date, "datetime": dt.datetime,
    }.get(field.kind, str)


def display_name_column(model: type) -> Any:
    """The column that names a record in pickers and links (`__display__` or name)."""
    name = getattr(model, "__display__", None) or ("name" if hasattr(model, "name") else "id")
    return getattr(model, name)


def model_label(model: type) -> str:
    """The model's label in the current language."""
    return str(getattr(model, "__label__", model.__name__))


def display_text(model: type, value: Any) -> str:
    """A record's name as shown; models whose names are msgids (roles) are translated."""
    if getattr(model, "__translated__", False):
        from core.i18n import gettext

        return gettext(str(value))
    return str(value)
