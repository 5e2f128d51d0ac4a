""""Why can I (not) see this record?": the rights and rules of one actor on one row.

The explanation is worked out in the system context, since it must see the row
to explain it; callers decide who may ask about whom (it tells that a row exists).
It follows the order in which core/access/enforce.py decides: the addon enabled
for the actor's division, the right to read the model, the division boundary
(always AND-ed), then the record rules of the actor's roles (OR-ed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.policy import OPERATIONS, Policy, model_label, policy_of
from core.access.rules import Scope
from core.context import Actor, current_actor, system_context
from core.errors import AccessDenied
from core.i18n import _, _l
from core.models import Division
from core.org import ROLES
from core.orm import Model

OPERATION_LABELS = {"read": _l("read"), "create": _l("create"), "write": _l("change"),
                    "delete": _l("delete")}


def role_label(code: str) -> str:
    """A role's name in the current language (its code when unknown)."""
    return str(ROLES.get(code, code))


@dataclass(frozen=True)
class RuleCheck:
    """One record rule of the actor's roles, and whether it covers the row."""

    roles: tuple[str, ...]  # the actor's roles the rule is for
    scope: Scope
    matches: bool
    # Each condition of a combined scope ("own regions"...) and whether the row meets it.
    conditions: tuple[tuple[Scope, bool], ...] = ()

    def text(self) -> str:
        """The rule and its outcome, in the current language."""
        roles = ", ".join(role_label(code) for code in self.roles)
        outcome = _("matches this record") if self.matches else _("does not match this record")
        line = _("Rule for {roles}: {scope} — {outcome}").format(
            roles=roles, scope=self.scope.describe(), outcome=outcome)
        if self.conditions and not self.matches:
            line += " (" + "; ".join(_condition(scope, met) for scope, met in self.conditions) + ")"
        return line

    def as_dict(self) -> dict[str, Any]:
        """The check as JSON-safe data."""
        return {
            "roles": list(self.roles), "scope": self.scope.describe(), "matches": self.matches,
            "conditions": [{"scope": s.describe(), "met": met} for s, met in self.conditions],
        }


def _condition(scope: Scope, met: bool) -> str:
    text = _("{condition}: met") if met else _("{condition}: not met")
    return text.format(condition=scope.describe())


_REASONS = {
    "missing": _l("There is no {model} #{id}."),
    "system": _l("The system context sees every record."),
    "addon_disabled": _l(
        "The addon {addon} that provides {model} is not enabled for your division."),
    "no_read": _l("None of your roles may read {model}."),
    "outside_division": _l("It belongs to the division {division}, outside your division."),
    "admin": _l("You are an administrator: you see every record of your divisions."),
    "no_rules": _l("{model} has no record rules: the whole division."),
    "no_rule": _l("No record rule of your roles covers {model}."),
    "granted": _l("Granted by the rule for {roles}: {scope}."),
    "no_match": _l("No rule of your roles matches it (not met: {conditions})."),
}


@dataclass(frozen=True)
class Explanation:
    """Whether an actor sees one record, why, and each check on the way.

    `reason` is a code ("granted", "outside_division"...); the texts are made
    when asked for, in the current language.
    """

    model: type
    res_id: int
    exists: bool
    visible: bool
    reason: str
    addon: str = "core"
    addon_enabled: bool = True
    division: str | None = None  # the record's division, by name
    in_division: bool | None = None  # None: the model has no division
    admin: bool = False
    rights: tuple[tuple[str, tuple[str, ...]], ...] = ()  # role → operations granted
    has_rules: bool = False  # whether the model has record rules at all
    rules: tuple[RuleCheck, ...] = ()  # those of the actor's roles

    def reason_text(self) -> str:
        """The verdict's one-line reason."""
        return self._say(self.reason)

    def _say(self, code: str) -> str:
        granted = next((rule for rule in self.rules if rule.matches), None)
        return _REASONS[code].format(
            model=model_label(self.model), id=self.res_id, addon=self.addon,
            division=self.division, conditions=", ".join(self._unmet()),
            roles=", ".join(role_label(r) for r in granted.roles) if granted else "",
            scope=granted.scope.describe() if granted else "",
        )

    def _unmet(self) -> list[str]:
        unmet: dict[str, None] = {}
        for rule in self.rules:
            for scope, met in rule.conditions or ((rule.scope, rule.matches),):
                if not met:
                    unmet[scope.describe()] = None
        return list(unmet)

    def lines(self) -> list[str]:
        """Every check and the verdict, one line each, in the current language."""
        verdict = _("Visible: {reason}") if self.visible else _("Not visible: {reason}")
        if not self.exists:
            return [verdict.format(reason=self.reason_text())]
        lines = [_("{model} #{id} exists.").format(model=model_label(self.model), id=self.res_id)]
        if not self.addon_enabled:
            lines.append(self._say("addon_disabled"))
        if self.in_division is not None:
            lines.append((_("Its division {division} is one of yours.") if self.in_division
                          else _("Its division {division} is outside your division."))
                         .format(division=self.division))
        lines += self._rights_lines() + self._rule_lines()
        return [*lines, verdict.format(reason=self.reason_text())]

    def _rights_lines(self) -> list[str]:
        if self.admin:
            return [_("{role}: all rights").format(role=role_label("admin"))]
        lines = []
        for role, operations in self.rights:
            if operations:
                words = ", ".join(str(OPERATION_LABELS[op]) for op in operations)
                lines.append(_("{role}: {operations}").format(role=role_label(role),
                                                              operations=words))
            else:
                lines.append(_("{role}: no rights on {model}").format(
                    role=role_label(role), model=model_label(self.model)))
        return lines

    def _rule_lines(self) -> list[str]:
        if self.admin or self.in_division is None:
            return []
        if not self.has_rules:
            return [self._say("no_rules")]
        if not self.rules:
            return [self._say("no_rule")]
        return [rule.text() for rule in self.rules]

    def as_dict(self) -> dict[str, Any]:
        """The explanation as JSON-safe data, texts included (for the API)."""
        return {
            "model": self.model.__tablename__,  # type: ignore[attr-defined]
            "model_label": model_label(self.model),
            "res_id": self.res_id, "exists": self.exists, "visible": self.visible,
            "reason": self.reason, "reason_text": self.reason_text(),
            "addon": self.addon, "addon_enabled": self.addon_enabled,
            "division": self.division, "in_division": self.in_division, "admin": self.admin,
            "rights": {role: list(operations) for role, operations in self.rights},
            "rules": [rule.as_dict() for rule in self.rules],
            "lines": self.lines(),
        }


# ------------------------------------------------------------------ working out


def explain(session: Session, actor: Actor, model_cls: type, res_id: int) -> Explanation:
    """Explain whether `actor` sees row `res_id` of `model_cls`, and why (or why not).

    Asked by an administrator (or the system) only: the answer tells what exists."""
    policy = policy_of(session)
    assert policy is not None, "explain on a session of a kernel (kernel.session())"
    asking = current_actor()
    if not (asking.system or asking.is_admin):
        raise AccessDenied(_("Only an administrator may ask why somebody sees a record."))
    # System context to see the row; no autoflush, or pending changes would be
    # written with the system's powers.
    with system_context(), session.no_autoflush:
        row = _row(session, model_cls, res_id)
        if row is None:
            return Explanation(model_cls, res_id, exists=False, visible=False, reason="missing")
        facts = _facts(session, policy, actor, model_cls, res_id, row)
    visible, reason = _verdict(policy, actor, model_cls, facts)
    return Explanation(model_cls, res_id, exists=True, visible=visible, reason=reason, **facts)


def _row(session: Session, model_cls: Any, res_id: int) -> tuple[int, int | None] | None:
    """The row's id and division, or None when there is no such row."""
    division = model_cls.division_id if issubclass(model_cls, Model) else sa.null()
    found = session.execute(
        sa.select(model_cls.id, division).where(model_cls.id == res_id)).first()
    return (found[0], found[1]) if found else None


def _facts(session: Session, policy: Policy, actor: Actor, model_cls: type, res_id: int,
           row: tuple[int, int | None]) -> dict[str, Any]:
    division_id = row[1]
    division = session.get(Division, division_id) if division_id is not None else None
    has_division = issubclass(model_cls, Model)
    granted = policy.rights.get(model_cls, {})
    return {
        "addon": policy.owner_addon.get(model_cls, "core"),
        "addon_enabled": policy.addon_enabled(actor, model_cls),
        "division": division.name if division else None,
        "in_division": division_id in actor.division_ids if has_division else None,
        "admin": actor.is_admin,
        "rights": tuple((role, tuple(op for op in OPERATIONS if op in granted.get(role, ())))
                        for role in sorted(actor.roles)),
        "has_rules": bool(policy.rules.get(model_cls)),
        "rules": _rule_checks(session, policy, actor, model_cls, res_id),
    }


def _rule_checks(session: Session, policy: Policy, actor: Actor, model_cls: type,
                 res_id: int) -> tuple[RuleCheck, ...]:
    checks = []
    for rule in policy.rules.get(model_cls, []):
        roles = tuple(sorted(set(rule.role_codes) & actor.roles))
        if not roles:
            continue
        leaves = _leaves(rule.scope)
        conditions = tuple(
            (leaf, _matches(session, model_cls, res_id, leaf(model_cls, actor))) for leaf in leaves
        ) if len(leaves) > 1 else ()
        matches = _matches(session, model_cls, res_id, rule.scope(model_cls, actor))
        checks.append(RuleCheck(roles, rule.scope, matches, conditions))
    return tuple(checks)


def _leaves(scope: Scope) -> list[Scope]:
    """The named scopes a combined scope is made of, once each, in order."""
    if not scope.parts:
        return [scope]
    found: list[Scope] = []
    for part in scope.parts:
        found += [leaf for leaf in _leaves(part) if leaf not in found]
    return found


def _matches(session: Session, model_cls: Any, res_id: int, condition: Any) -> bool:
    count = session.scalar(sa.select(sa.func.count()).select_from(model_cls)
                           .where(model_cls.id == res_id, condition))
    return bool(count)


def _verdict(policy: Policy, actor: Actor, model_cls: type,
             facts: dict[str, Any]) -> tuple[bool, str]:
    """Visible or not, and the reason's code: the first check that decides."""
    if actor.system:
        return True, "system"
    if not facts["addon_enabled"]:
        return False, "addon_disabled"
    if not policy.allowed(actor, model_cls, "read"):
        return False, "no_read"
    if facts["in_division"] is False:
        return False, "outside_division"
    if actor.is_admin:
        return True, "admin"
    if not facts["has_rules"] or facts["in_division"] is None:
        return True, "no_rules"
    if not facts["rules"]:
        return False, "no_rule"
    if any(rule.matches for rule in facts["rules"]):
        return True, "granted"
    return False, "no_match"
