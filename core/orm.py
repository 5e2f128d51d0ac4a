"""The ORM base: common columns, money, references and model extensions."""

from __future__ import annotations

import datetime as dt
import decimal
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    declared_attr,
    mapped_column,
)
from sqlalchemy.types import TypeDecorator

from core.i18n import _l

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Timezone-naive UTC now, as stored in every date column."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Money(TypeDecorator[decimal.Decimal]):
    """An exact amount in yuan, stored as integer fen so SQL sums stay exact."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> int | None:
        if value is None:
            return None
        amount = decimal.Decimal(value)
        return int((amount * 100).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> decimal.Decimal | None:
        if value is None:
            return None
        return (decimal.Decimal(int(value)) / 100).quantize(decimal.Decimal("0.01"))


class Base(DeclarativeBase):
    """The single declarative base of every table, kernel's and addons'."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: sa.String(255),
        decimal.Decimal: Money(),
        dt.datetime: sa.DateTime(),
    }


class Model(Base):
    """A business record: id, division, create/write stamps and a version.

    `version` drives optimistic locking: an UPDATE that finds another version
    than the one it read fails with StaleDataError instead of overwriting.
    """

    __abstract__ = True
    # Set by the addon loader: the addon that declared the model.
    __addon__: ClassVar[str] = ""
    # A lookup list (基础资料): entries are company-wide (division NULL) or one
    # division's, and a record may reference only those of its division (#14).
    __lookup__: ClassVar[bool] = False

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1,
                                         info={"label": _l("Version")})
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                     info={"label": _l("Created on")})
    write_date: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow,
                                                    info={"label": _l("Changed on")})

    @declared_attr
    @classmethod
    def division_id(cls) -> Mapped[int]:
        # A lookup list's entry may be company-wide: no division (#14, core.lookups).
        return mapped_column(sa.ForeignKey("kehu_division.id"), index=True,
                             nullable=bool(getattr(cls, "__lookup__", False)),
                             info={"label": _l("Division")})

    @declared_attr
    @classmethod
    def create_uid(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"),
                             info={"label": _l("Created by")})

    @declared_attr
    @classmethod
    def write_uid(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"),
                             info={"label": _l("Changed by")})

    @declared_attr.directive
    @classmethod
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


def current_user() -> int | None:
    """The acting user's id: the default of `ref("kehu_user", default=current_user)`.

    A new record whose column is still empty when it is flushed gets the user
    who saves it (forms, API, actions, plain ORM code); a Core insert that
    leaves the column out gets it from the column default.
    """
    from core.context import current_actor

    return current_actor().user_id


# Column.info key: the column defaults to the acting user, filled before each flush.
DEFAULT_USER = "default_user"


def ref(
    target: type[Base] | str,
    *,
    nullable: bool = False,
    ondelete: str | None = None,
    index: bool = True,
    label: Any = None,
    default: Any = None,
) -> Any:
    """A many-to-one foreign key column to `target`'s id, with its label.

    `default` is a fixed id or `current_user` (the user who saves the record).
    """
    table = target if isinstance(target, str) else target.__tablename__
    info: dict[str, Any] = {"label": label} if label is not None else {}
    if default is current_user:
        info[DEFAULT_USER] = True
    return mapped_column(
        sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable, index=index,
        info=info, default=default,
    )


# ---------------------------------------------------------------- extensions

_PYTHON_TYPES: dict[Any, Callable[[], sa.types.TypeEngine[Any]]] = {
    str: lambda: sa.String(255),
    int: sa.Integer,
    bool: sa.Boolean,
    float: sa.Float,
    decimal.Decimal: Money,
    dt.date: sa.Date,
    dt.datetime: sa.DateTime,
}


@dataclass
class Extension:
    """Columns that one addon adds to another addon's model (Odoo's _inherit)."""

    target: type[Model]
    cls: type
    columns: dict[str, MappedColumn[Any]] = field(default_factory=dict)
    applied: bool = False

    def apply(self) -> None:
        """Add the columns to the target's table and mapper (once per process).

        Mapping is process-wide, but a process may open databases where the
        declaring addon is not installed (tests, `kehu init`): the columns are
        mapped *deferred* and left out of INSERTs that do not set them, so no
        statement names them unless asked, and
        the kernel undefers them in the sessions of databases that have them
        (`loaded_extensions`, `_load_extension_columns`).
        """
        if self.applied:
            return
        for key, column in self.columns.items():
            if hasattr(self.target, key):
                raise TypeError(
                    f"{self.cls.__name__} adds '{key}' to {self.target.__name__}, "
                    "which already has it"
                )
            column.deferred = True
            column.column.info["extension"] = True  # absent where its addon is not installed
            # A plain nullable column goes into every INSERT as an explicit NULL;
            # one that "evaluates None" is named only when the record sets it.
            column.column.type = column.column.type.evaluates_none()
            setattr(self.target, key, column)
        self.applied = True

    def attributes(self) -> list[Any]:
        """The mapped attributes the extension added (after `apply`)."""
        return [getattr(self.target, key) for key in self.columns]


def _column_type(annotation: Any) -> tuple[sa.types.TypeEngine[Any], bool]:
    args = typing.get_args(annotation)
    inner = args[0] if typing.get_origin(annotation) is Mapped else annotation
    nullable = False
    options = typing.get_args(inner)
    if options and type(None) in options:
        nullable = True
        inner = next(option for option in options if option is not type(None))
    factory = _PYTHON_TYPES.get(inner)
    if factory is None:
        raise TypeError(f"no column type for {inner!r}: give mapped_column() a type")
    return factory(), nullable


def extends(target: type[Model]) -> Callable[[type[T]], type[T]]:
    """Declare a class whose mapped columns an addon adds to `target`.

    The columns reach the table through the declaring addon's own migration
    branch, and are mapped only when that addon is installed.
    """

    def wrap(cls: type[T]) -> type[T]:
        hints = typing.get_type_hints(cls, include_extras=True)
        extension = Extension(target=target, cls=cls)
        for key, value in list(vars(cls).items()):
            if not isinstance(value, MappedColumn):
                continue
            if isinstance(value.column.type, sa.types.NullType):
                value.column.type, nullable = _column_type(hints[key])
                if not value._has_nullable:
                    value.column.nullable = nullable
            extension.columns[key] = value
            delattr(cls, key)
        cls.__extension__ = extension  # type: ignore[attr-defined]
        cls.of = classmethod(lambda _cls, record: record)  # type: ignore[attr-defined]
        return cls

    return wrap


def extension_of(cls: type) -> Extension | None:
    """The Extension an @extends class declares, or None for a plain model."""
    return getattr(cls, "__extension__", None)


# Session.info key: model → the extension attributes its database has (core.kernel).
EXTENSIONS_KEY = "kehu_extensions"


@sa.event.listens_for(sa.orm.Session, "do_orm_execute")
def _load_extension_columns(state: sa.orm.ORMExecuteState) -> None:
    """Load the installed extensions' columns with their rows, as plain columns are."""
    extended: dict[type, list[Any]] | None = state.session.info.get(EXTENSIONS_KEY)
    if not extended or not state.is_select or state.is_column_load:
        return
    statement = state.statement
    if not isinstance(statement, sa.Select):
        return
    # Only whole entities (select(Customer), not select(Customer.id)) load columns.
    options = [
        sa.orm.undefer(attribute)
        for description in statement.column_descriptions
        if description["expr"] is description.get("entity") is not None
        for attribute in extended.get(description["entity"], ())
    ]
    if options:
        state.statement = state.statement.options(*options)


# ------------------------------------------------------------------- stamps


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _stamp(session: sa.orm.Session, _context: Any, _instances: Any) -> None:
    """Fill create/write user and the division from the acting user."""
    from core.context import current_actor

    actor = current_actor()
    for record in session.new:
        if isinstance(record, Model):
            if record.create_uid is None:
                record.create_uid = actor.user_id
            for key in _user_defaults(type(record)):
                if getattr(record, key) is None:
                    setattr(record, key, actor.user_id)
            record.write_uid = actor.user_id
            if record.division_id is None and actor.division_id is not None:
                record.division_id = actor.division_id
    for record in session.dirty:
        if isinstance(record, Model) and session.is_modified(record, include_collections=False):
            record.write_uid = actor.user_id


_USER_DEFAULTS: dict[type, tuple[int, tuple[str, ...]]] = {}


def _user_defaults(model: type) -> tuple[str, ...]:
    """The attributes of `model` declared `ref(..., default=current_user)`
    (extensions add columns at start-up: read again when the mapper grew)."""
    mapper: sa.orm.Mapper[Any] = sa.inspect(model)
    attributes = mapper.column_attrs
    known = _USER_DEFAULTS.get(model)
    if known is not None and known[0] == len(attributes):
        return known[1]
    found = tuple(
        attribute.key for attribute in attributes
        if any(column.info.get(DEFAULT_USER) for column in attribute.columns)
    )
    _USER_DEFAULTS[model] = (len(attributes), found)
    return found
