"""Workflows at start-up: collected from addons, validated, kept by the kernel.

The kernel keeps them as `kernel.flows` (an `Installed`); the engine finds the ones
of the kernel a session belongs to with `workflows_of(session)` (#21).

A mistake in a declaration (an unknown state, an unreachable one, a required
field that is not a column) stops start-up with an error naming the addon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.addons import AddonError
from core.runtime import kernel_of
from core.views import ModelViews
from core.workflow.declarations import (
    DEPARTMENT_MANAGER,
    ROLE,
    STEP_KINDS,
    USER,
    ApprovalStep,
    Workflow,
)
from core.workflow.lines import LineLink, collect_links

if TYPE_CHECKING:
    from core.addons import Registry


def _column_of(model: type, attribute: Any) -> sa.Column[Any] | None:
    """The column behind `attribute` if it is a column of `model`, else None."""
    prop = getattr(attribute, "property", None)
    if getattr(attribute, "class_", None) is not model or not isinstance(prop, sa.orm.ColumnProperty):
        return None
    column = prop.columns[0]
    return column if isinstance(column, sa.Column) else None


def _reachable(workflow: Workflow) -> set[str]:
    seen = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        state = frontier.pop()
        for transition in workflow.transitions:
            if state in transition.sources and transition.target not in seen:
                seen.add(transition.target)
                frontier.append(transition.target)
    return seen


def _check_states(workflow: Workflow) -> list[str]:
    problems = []
    names = [state.name for state in workflow.states]
    if not names:
        problems.append("declares no states")
    if len(set(names)) != len(names):
        problems.append("declares a state twice")
    if workflow.states and _column_of(workflow.model, workflow.field) is None:
        problems.append(f"field {workflow.field!r} is not a column of the model")
    return problems


def _check_transitions(workflow: Workflow) -> list[str]:
    problems = []
    states = {state.name for state in workflow.states}
    names = [t.name for t in workflow.transitions]
    if len(set(names)) != len(names):
        problems.append("declares a transition twice")
    reserved = {f.name for f in workflow.__dataclass_fields__.values()} | set(dir(Workflow))
    for transition in workflow.transitions:
        where = f"transition '{transition.name}'"
        if transition.name in reserved:
            problems.append(f"{where}: the name is reserved")
        for state in (*transition.sources, transition.target):
            if state not in states:
                problems.append(f"{where}: unknown state '{state}'")
        for attribute in transition.requires:
            if _column_of(workflow.model, attribute) is None:
                problems.append(f"{where}: required field {attribute!r} is not a column of the model")
    return problems


def _check_approval(workflow: Workflow) -> list[str]:
    problems = []
    for transition in workflow.approval_transitions():
        where = f"approval transition '{transition.name}'"
        if not workflow.locked(transition.target):
            problems.append(f"{where}: its target state '{transition.target}' must be locked")
        for outcome in (workflow.approved, workflow.rejected):
            found = workflow.transition(outcome)
            if found is None:
                problems.append(f"{where}: no transition '{outcome}' to end the round")
            elif transition.target not in found.sources:
                problems.append(f"{where}: '{outcome}' does not leave '{transition.target}'")
    for step in workflow.chain:
        problems += [f"default chain: {problem}" for problem in step_problems(step)]
    return problems


def step_problems(step: ApprovalStep) -> list[str]:
    """What is wrong with a declared approval step (empty when it is valid)."""
    if step.kind not in STEP_KINDS:
        return [f"unknown step kind '{step.kind}'"]
    needs = {ROLE: step.role, DEPARTMENT_MANAGER: step.department, USER: step.user}
    if step.kind in needs and not needs[step.kind]:
        return [f"a '{step.kind}' step needs its {step.kind.split('_')[0]}"]
    return []


def validate(addon: str, workflow: Workflow) -> None:
    """Raise AddonError naming `addon` and every problem of `workflow`."""
    problems = _check_states(workflow)
    if not problems:
        problems = _check_transitions(workflow)
    if not problems:
        unreachable = [s.name for s in workflow.states if s.name not in _reachable(workflow)]
        problems += [f"state '{name}' cannot be reached from '{workflow.initial}'"
                     for name in unreachable]
        problems += _check_approval(workflow)
    if problems:
        model = getattr(workflow.model, "__name__", repr(workflow.model))
        raise AddonError(f"addon '{addon}': workflow of {model}: " + "; ".join(problems))


def collect_workflows(contributions: Iterable[tuple[str, Any]]) -> dict[type, Workflow]:
    """Validated workflows by model; two workflows for one model is an error."""
    result: dict[type, Workflow] = {}
    owners: dict[type, str] = {}
    for addon, item in contributions:
        if not isinstance(item, Workflow):
            raise AddonError(f"addon '{addon}' registered {item!r}, which is not a Workflow")
        validate(addon, item)
        if item.model in result:
            raise AddonError(
                f"addon '{addon}': {item.model.__name__} already has a workflow "
                f"(from addon '{owners[item.model]}')"
            )
        result[item.model], owners[item.model] = item, addon
    return result


@dataclass
class Installed:
    """The workflows of one kernel and the addon registry whose hooks they call."""

    by_model: dict[type, Workflow] = field(default_factory=dict)
    hooks: Registry | None = None
    # Child model → how it hangs under its document (forms' `Lines`), see lines.py (#13).
    lines: dict[type, list[LineLink]] = field(default_factory=dict)

    def for_model(self, model: type) -> Workflow | None:
        """The workflow of `model`, or None."""
        return self.by_model.get(model)

    def for_key(self, key: str) -> Workflow | None:
        """The workflow of the model whose table is `key`, or None."""
        return next((w for w in self.by_model.values() if w.key == key), None)


NONE_INSTALLED = Installed()  # for a session made outside any kernel: no workflow applies


def install_workflows(workflows: Mapping[type, Workflow], registry: Registry) -> Installed:
    """The kernel's workflows with the registry their hooks go to (its `kernel.flows`);
    state columns get their states as choices."""
    _describe_columns(workflows)
    return Installed(dict(workflows), registry)


def workflows_of(source: Any) -> Installed:
    """The workflows of the kernel a session, request or record belongs to (none
    for a session made outside any kernel)."""
    kernel = kernel_of(source)
    return kernel.flows if kernel is not None else NONE_INSTALLED


def _describe_columns(workflows: Mapping[type, Workflow]) -> None:
    """Give state columns their states as choices, and chains their document types."""
    from core.workflow.models import ApprovalChain

    for workflow in workflows.values():
        column = _column_of(workflow.model, workflow.field)
        if column is not None and not column.info.get("choices"):
            column.info["choices"] = [(s.name, s.label) for s in workflow.states]
    chains = ApprovalChain.__table__.c
    chains.model.info["choices"] = sorted(
        ((w.key, getattr(w.model, "__label__", w.key)) for w in workflows.values()
         if w.approval_transitions()), key=lambda pair: pair[0])
    transitions = {t.name: t.label for w in workflows.values() for t in w.approval_transitions()}
    chains.transition.info["choices"] = sorted(transitions.items()) or [("submit", "submit")]


def lock_forms(installed: Installed, views: Mapping[type, ModelViews]) -> None:
    """Show every field of a form read-only in its workflow's locked states
    (whatever the view declared: the flush refuses changes there anyway), and lock
    the lines that forms declare with their documents (core/workflow/lines.py). The
    forms are the kernel's copies (core.views.collect_views), not the declarations."""
    installed.lines = collect_links(views)
    workflows = installed.by_model
    for model, workflow in workflows.items():
        entry = views.get(model)
        if entry is None or entry.form is None:
            continue
        fields = entry.form.flat_fields()
        for state in workflow.states:
            if state.locked:
                entry.form.readonly_in[state.name] = fields
