"""The policy of one kernel: who may do what on which model, and which rows.

It lives on the kernel (`kernel.policy`); code finds the one that applies with
`policy_of(session)` (core.runtime.kernel_of), never through a process-wide global (#21).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import visitors

from core import security_log
from core.access.rules import Access, Expression, RecordRule
from core.context import Actor
from core.errors import AccessDenied
from core.i18n import _
from core.orm import Base, Model
from core.runtime import kernel_of

OPERATIONS = ("read", "create", "write", "delete")
_OPERATION_WORDS = {
    "read": "read", "create": "create", "write": "change", "delete": "delete",
}


def model_label(model: type) -> str:
    """A model's name for messages: its table name (views give nicer labels)."""
    return getattr(model, "__label__", None) and str(model.__label__) or model.__tablename__  # type: ignore[attr-defined]


@dataclass
class Policy:
    """Rights and record rules of the installed addons, and which addon owns each model."""

    rights: dict[type, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    rules: dict[type, list[RecordRule]] = field(default_factory=lambda: defaultdict(list))
    owner_addon: dict[type, str] = field(default_factory=dict)
    enabled: Callable[[int | None], frozenset[str]] = lambda division_id: frozenset()
    tables: dict[str, type] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        access: Iterable[tuple[str, Access]],
        rules: Iterable[tuple[str, RecordRule]],
        owner_addon: dict[type, str],
        enabled: Callable[[int | None], frozenset[str]],
    ) -> Policy:
        policy = cls(owner_addon=owner_addon, enabled=enabled)
        for _addon, item in access:
            for role in item.role_codes:
                ops = policy.rights[item.model].setdefault(role, set())
                ops.update(op for op, granted in item.grants().items() if granted)
        for _addon, rule in rules:
            policy.rules[rule.model].append(rule)
        policy.add_sharing()
        for mapper in Base.registry.mappers:
            model = mapper.class_
            if isinstance(getattr(model, "__table__", None), sa.Table):
                policy.tables[model.__table__.name] = model
        return policy

    def add_sharing(self) -> None:
        """Every role that may read a shareable model also sees the records shared
        with its users or their team (#14), ORed with its own rules."""
        from core.sharing import shareable, sharing_scopes  # its table imports the organisation

        for model, rules in list(self.rules.items()):
            if not shareable(model) or not rules:
                continue
            roles = tuple(sorted(role for role, ops in self.rights.get(model, {}).items()
                                 if "read" in ops))
            if roles:
                rules.extend(RecordRule(model, roles, scope) for scope in sharing_scopes(model))

    # ------------------------------------------------------------ rights

    def addon_enabled(self, actor: Actor, model: type) -> bool:
        addon = self.owner_addon.get(model, "core")
        return addon == "core" or addon in self.enabled(actor.division_id)

    def allowed(self, actor: Actor, model: type, operation: str) -> bool:
        """Whether `actor` may `operation` ("read", "create"...) rows of `model`."""
        if actor.system:
            return True
        if not self.addon_enabled(actor, model):
            return False
        if actor.is_admin:
            return True
        granted = self.rights.get(model, {})
        return any(operation in granted.get(role, ()) for role in actor.roles)

    def check(self, actor: Actor, model: type, operation: str) -> None:
        """Raise AccessDenied (and log it) unless `actor` may `operation` on `model`."""
        if self.allowed(actor, model, operation):
            return
        security_log.event("access.denied", actor=actor, model=model.__tablename__,  # type: ignore[attr-defined]
                           operation=operation)
        raise AccessDenied(
            _("Your roles do not allow you to {operation} {model}.").format(
                operation=_(_OPERATION_WORDS[operation]), model=model_label(model)
            )
        )

    # ------------------------------------------------------------- rows

    def criteria(self, actor: Actor, model: type) -> Expression | None:
        """The rows of `model` that `actor` may touch, or None for all."""
        if actor.system or not issubclass(model, Model):
            return None
        boundary: Expression = model.division_id.in_(sorted(actor.division_ids))
        if getattr(model, "__lookup__", False):
            # A lookup's company-wide entries (no division) are everybody's (#14).
            boundary = sa.or_(boundary, model.division_id.is_(None))
        if actor.is_admin:
            return boundary
        rules = self.rules.get(model)
        if not rules:
            return boundary
        token = _applying.set(self)  # scopes that follow a parent's rules ask for them
        try:
            grants = [rule.scope(model, actor) for rule in rules
                      if set(rule.role_codes) & actor.roles]
        finally:
            _applying.reset(token)
        if not grants:
            return sa.false()
        return sa.and_(boundary, sa.or_(*grants))

    def models_in(self, statement: Any) -> list[type]:
        """The mapped classes whose tables a statement reads or writes."""
        found: dict[str, type] = {}
        for element in visitors.iterate(statement):
            if isinstance(element, sa.Table):
                model = self.tables.get(element.name)
                if model is not None:
                    found[element.name] = model
        return list(found.values())


# The policy whose record rules are being built, for the scopes that follow a
# parent's own rules (core.access.rules.via): set by Policy.criteria, in this context only.
_applying: ContextVar[Policy | None] = ContextVar("kehu_applying_policy", default=None)


def applying_policy() -> Policy | None:
    """Inside a record rule's scope: the policy building it (None outside one)."""
    return _applying.get()


def policy_of(source: Any) -> Policy | None:
    """The policy of the kernel a session, request or record belongs to (None for a
    session made outside any kernel: `core.access.enforce` refuses users there)."""
    kernel = kernel_of(source)
    return kernel.policy if kernel is not None else None
