"""Declarations: model rights per role, and record rules built from scopes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.context import Actor
from core.i18n import LazyText, _, _l
from core.models import Department, Region, User

Expression = sa.ColumnElement[bool]


def _roles(roles: str | Iterable[str]) -> tuple[str, ...]:
    return (roles,) if isinstance(roles, str) else tuple(roles)


@dataclass(frozen=True)
class Access:
    """Rights that `roles` have on `model`: read, create, write, delete."""

    model: type
    roles: str | tuple[str, ...]
    read: bool = True
    create: bool = False
    write: bool = False
    delete: bool = False

    def grants(self) -> dict[str, bool]:
        return {"read": self.read, "create": self.create, "write": self.write,
                "delete": self.delete}

    @property
    def role_codes(self) -> tuple[str, ...]:
        return _roles(self.roles)


@dataclass(frozen=True)
class Scope:
    """Which rows of a model an actor may see, as a SQL condition.

    Scopes combine: `REGIONS & PRODUCT_LINES` needs both, `OWN | REGIONS` either.
    """

    label: LazyText | None
    build: Callable[[type, Actor], Expression]
    parts: tuple[Scope, ...] = ()
    both: bool = True

    def __call__(self, model: type, actor: Actor) -> Expression:
        return self.build(model, actor)

    def __and__(self, other: Scope) -> Scope:
        return Scope(None, lambda m, a: sa.and_(self(m, a), other(m, a)), (self, other), True)

    def __or__(self, other: Scope) -> Scope:
        return Scope(None, lambda m, a: sa.or_(self(m, a), other(m, a)), (self, other), False)

    def describe(self) -> str:
        """The scope in words, in the current language."""
        if self.label is not None:
            return str(self.label)
        first, second = (part.describe() for part in self.parts)
        text = _("{first} and {second}") if self.both else _("{first} or {second}")
        return text.format(first=first, second=second)


def field_of(model: type, role: str) -> Any:
    """The column a model names for `role` (`__owner__ = "owner_id"`...), or None."""
    name = getattr(model, f"__{role}__", None)
    return getattr(model, name) if name else None


def _own(model: type, actor: Actor) -> Expression:
    owner = field_of(model, "owner")
    column = owner if owner is not None else model.create_uid  # type: ignore[attr-defined]
    mine: Expression = column == actor.user_id
    return mine


def _in_departments(model: type, paths: Iterable[str]) -> Expression:
    """Rows owned by a user of, or placed in, a department under one of `paths`."""
    paths = list(paths)
    if not paths:
        return sa.false()
    subtree = sa.or_(*[Department.path.startswith(path, autoescape=True) for path in paths])
    departments = sa.select(Department.id).where(subtree).scalar_subquery()
    conditions = []
    department = field_of(model, "department")
    if department is not None:
        conditions.append(department.in_(departments))
    owner = field_of(model, "owner")
    column = owner if owner is not None else model.create_uid  # type: ignore[attr-defined]
    conditions.append(column.in_(sa.select(User.id).where(User.department_id.in_(departments))))
    return sa.or_(*conditions)


def _department(model: type, actor: Actor) -> Expression:
    paths = set(actor.managed_paths)
    if actor.department_path:
        paths.add(actor.department_path)
    return _in_departments(model, paths)


def _regions(model: type, actor: Actor) -> Expression:
    region = field_of(model, "region")
    if region is None or not actor.region_paths:
        return sa.false()
    covered = sa.or_(*[Region.path.startswith(p, autoescape=True) for p in actor.region_paths])
    inside: Expression = region.in_(sa.select(Region.id).where(covered).scalar_subquery())
    return inside


def _product_lines(model: type, actor: Actor) -> Expression:
    """Rows of the actor's product lines; a side that names none does not restrict."""
    line = field_of(model, "product_line")
    if line is None or not actor.product_line_ids:
        return sa.true()
    return sa.or_(line.is_(None), line.in_(sorted(actor.product_line_ids)))


def via(key: Any) -> Scope:
    """Rows whose parent, through the foreign key `key` (`Contact.customer_id`), the actor
    may see under the parent's own record rules: contacts follow their customer."""
    column = key.property.columns[0]
    (foreign,) = column.foreign_keys

    def build(model: type, actor: Actor) -> Expression:
        from core.access.policy import applying_policy

        policy = applying_policy()  # the policy whose rules are being built
        parent = policy.tables.get(foreign.column.table.name) if policy is not None else None
        if policy is None or parent is None:
            return sa.false()
        condition = policy.criteria(actor, parent)
        visible = sa.select(foreign.column)
        if condition is not None:
            visible = visible.where(condition)
        under_visible: Expression = key.in_(visible.scalar_subquery())
        return under_visible

    return Scope(_l("records whose parent record is visible"), build)


OWN = Scope(_l("own records"), _own)
DEPARTMENT = Scope(_l("own department and the departments managed"), _department)
REGIONS = Scope(_l("own regions"), _regions)
PRODUCT_LINES = Scope(_l("own product lines"), _product_lines)
DIVISION = Scope(_l("whole division"), lambda model, actor: sa.true())
ALL = Scope(_l("everything"), lambda model, actor: sa.true())


@dataclass(frozen=True)
class RecordRule:
    """Rows of `model` that `roles` may see: one scope (scopes combine with & and |)."""

    model: type
    roles: str | tuple[str, ...]
    scope: Scope

    @property
    def role_codes(self) -> tuple[str, ...]:
        return _roles(self.roles)


def check_rule_fields(addon: str, rule: RecordRule) -> None:
    """Fail at start-up when a rule's scope needs a field its model does not name."""
    needs = {REGIONS: "region", PRODUCT_LINES: "product_line"}

    def walk(scope: Scope) -> None:
        for part in scope.parts:
            walk(part)
        role = needs.get(scope)
        if role and field_of(rule.model, role) is None:
            raise TypeError(
                f"addon '{addon}': a {role} rule on {rule.model.__name__} needs "
                f"`__{role}__ = \"<column>\"` on the model"
            )

    walk(rule.scope)
