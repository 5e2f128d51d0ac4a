"""The reports of the installed addons, checked at start-up, and who may open them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.access.policy import Policy
from core.addons import AddonError
from core.context import Actor
from core.errors import AccessDenied, NotFound
from core.i18n import _
from core.reports.declarations import Report


@dataclass(frozen=True)
class RegisteredReport:
    """A report and the addon that declared it."""

    addon: str
    report: Report

    @property
    def key(self) -> str:
        return self.report.key


def collect_reports(contributions: Sequence[tuple[str, Any]], models: set[type]) -> dict[str, RegisteredReport]:
    """Check and index the reports addons returned from `kehu_register_reports`.

    A report that is not a `Report`, names an unregistered model, repeats
    another report's key or is malformed stops start-up with the addon's name.
    """
    found: dict[str, RegisteredReport] = {}
    for addon, report in contributions:
        if not isinstance(report, Report):
            raise AddonError(f"addon '{addon}' registered {report!r}, which is not a Report")
        problems = report.problems()
        if report.model not in models:
            problems.append(f"model {report.model.__name__} is not registered by any addon")
        if report.key in found:
            problems.append(f"key also used by addon '{found[report.key].addon}'")
        if problems:
            raise AddonError(f"addon '{addon}', report '{report.key}': {'; '.join(problems)}")
        found[report.key] = RegisteredReport(addon, report)
    return found


def may_open(policy: Policy, actor: Actor, entry: RegisteredReport) -> bool:
    """Whether `actor` sees the report: its addon is enabled in their division, they
    may read its model (which also needs the model's addon) and hold one of its roles."""
    report = entry.report
    if entry.addon != "core" and entry.addon not in policy.enabled(actor.division_id) \
            and not actor.system:
        return False
    if not policy.allowed(actor, report.model, "read"):
        return False
    return not report.roles or actor.is_admin or actor.system or bool(set(report.roles) & actor.roles)


def open_report(reports: dict[str, RegisteredReport], policy: Policy, actor: Actor,
                key: str) -> RegisteredReport:
    """The report `key` for `actor`: NotFound when unknown or its addon is off in their
    division, AccessDenied when their roles may not read its model or open it."""
    entry = reports.get(key)
    addon_on = entry is not None and (
        entry.addon == "core" or actor.system or entry.addon in policy.enabled(actor.division_id))
    if entry is None or not addon_on or not policy.addon_enabled(actor, entry.report.model):
        raise NotFound(_("There is no such report."))
    policy.check(actor, entry.report.model, "read")
    if not may_open(policy, actor, entry):
        raise AccessDenied(_("Your roles do not allow you to open this report."))
    return entry
