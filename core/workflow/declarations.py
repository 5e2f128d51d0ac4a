"""What an addon declares about a document's life: states, transitions, approval steps.

    ExpenseFlow = Workflow(
        ExpenseNote,
        field=ExpenseNote.state,
        states=[State("draft", _l("Draft")), State("submitted", _l("Submitted"), locked=True),
                State("approved", _l("Approved"), locked=True)],
        transitions=[
            Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True),
            Transition("approve", _l("Approve"), source="submitted", target="approved"),
            Transition("reject", _l("Reject"), source="submitted", target="draft",
                       comment_required=True),
        ],
        chain=[ApprovalStep.direct_manager(), ApprovalStep.by_role(FINANCE)],
    )

States are participles, transitions verbs. The first state is where new
documents start. A transition with `approval=True` opens an approval round;
the chain's outcome then fires the workflow's `approved` or `rejected`
transition, which nobody fires by hand.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.context import Actor
from core.i18n import LazyText, _l

Label = LazyText | str
# guard(record, actor) -> None when allowed, else the refusal shown to the user.
Guard = Callable[[Any, Actor], "str | None"]
# when(document) -> whether a declared approval step applies to this document.
Condition = Callable[[Any], bool]

# Approval step kinds: whom a step asks.
DIRECT_MANAGER = "direct_manager"
MANAGER_ABOVE = "manager_above"
DEPARTMENT_MANAGER = "department_manager"
ROLE = "role"
USER = "user"
STEP_KINDS: dict[str, LazyText] = {
    DIRECT_MANAGER: _l("Direct manager of the submitter"),
    MANAGER_ABOVE: _l("Manager above the direct manager"),
    DEPARTMENT_MANAGER: _l("Manager of a department"),
    ROLE: _l("Any holder of a role"),
    USER: _l("A named user"),
}

# Comparisons a chain step's condition may use (`amount` `gt` `5000`).
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
    "eq": operator.eq, "ne": operator.ne,
}
OPERATOR_LABELS: dict[str, LazyText] = {
    "gt": _l("greater than"), "gte": _l("at least"), "lt": _l("less than"),
    "lte": _l("at most"), "eq": _l("equal to"), "ne": _l("not equal to"),
}


@dataclass(frozen=True)
class State:
    """A state of a document; in a `locked` state nobody edits the document."""

    name: str
    label: Label
    locked: bool = False


def _names(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Transition:
    """A move from one of the `source` states to `target`, and who may make it.

    `roles=None` lets anybody with the write right fire it; `requires` names
    fields that must have a value (the caller may fill them in the same call);
    `guard(record, actor)` returns a refusal message or None.
    """

    name: str
    label: Label
    source: str | Sequence[str]
    target: str
    roles: tuple[str, ...] | None = None
    guard: Guard | None = None
    requires: tuple[Any, ...] = ()
    approval: bool = False
    comment_required: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", _names(self.source))
        if self.roles is not None:
            object.__setattr__(self, "roles", _names(self.roles))
        object.__setattr__(self, "requires", tuple(self.requires))

    @property
    def sources(self) -> tuple[str, ...]:
        """The states the transition leaves from."""
        return tuple(self.source)


@dataclass(frozen=True)
class ApprovalStep:
    """One step of a default chain or an addon's extra step: whom it asks.

    Build it with the constructors: `ApprovalStep.by_role(FINANCE)`,
    `ApprovalStep.direct_manager(when=lambda doc: doc.amount > 5000)`.
    """

    kind: str
    label: Label | None = None
    role: str | None = None
    department: str | None = None  # a department code in the document's division
    user: str | None = None  # a login
    when: Condition | None = None
    reason: Label | None = None

    @classmethod
    def direct_manager(cls, **options: Any) -> ApprovalStep:
        """The submitter's direct superior (else their department's manager, upwards)."""
        return cls(DIRECT_MANAGER, **options)

    @classmethod
    def manager_above(cls, **options: Any) -> ApprovalStep:
        """The direct manager's own direct manager."""
        return cls(MANAGER_ABOVE, **options)

    @classmethod
    def department_manager(cls, code: str, **options: Any) -> ApprovalStep:
        """The manager of the department `code` in the document's division."""
        return cls(DEPARTMENT_MANAGER, department=code, **options)

    @classmethod
    def by_role(cls, role: str, **options: Any) -> ApprovalStep:
        """Any holder of `role` in the document's division (one of them decides)."""
        return cls(ROLE, role=role, **options)

    @classmethod
    def by_user(cls, login: str, **options: Any) -> ApprovalStep:
        """The user `login`."""
        return cls(USER, user=login, **options)

    def applies_to(self, document: Any) -> bool:
        """Whether the step's condition (if any) holds for `document`."""
        return self.when is None or bool(self.when(document))


@dataclass(frozen=True, eq=False)
class Workflow:
    """The state machine of one model, and its default approval chain.

    `approved` and `rejected` name the transitions the approval engine fires
    when a round ends; `chain` is used in divisions without an active chain of
    their own. Transitions are reachable as attributes: `ExpenseFlow.submit`.
    """

    model: type
    states: Sequence[State]
    transitions: Sequence[Transition]
    field: Any
    chain: Sequence[ApprovalStep] = ()
    approved: str = "approve"
    rejected: str = "reject"
    _by_name: dict[str, Transition] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", tuple(self.states))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        object.__setattr__(self, "chain", tuple(self.chain))
        object.__setattr__(self, "_by_name", {t.name: t for t in self.transitions})

    def __getattr__(self, name: str) -> Transition:
        by_name = self.__dict__.get("_by_name", {})
        if name in by_name:
            return by_name[name]  # type: ignore[no-any-return]
        raise AttributeError(name)

    @property
    def key(self) -> str:
        """The model's table name: how history and approval rows name it."""
        return str(self.model.__tablename__)  # type: ignore[attr-defined]

    @property
    def initial(self) -> str:
        """The state new documents start in."""
        return self.states[0].name

    @property
    def state_key(self) -> str:
        """The attribute holding the state (`state`)."""
        return str(self.field.key)

    def transition(self, name: str) -> Transition | None:
        """The transition called `name`, or None."""
        return self._by_name.get(name)

    def state(self, name: str) -> State | None:
        """The state called `name`, or None."""
        return next((s for s in self.states if s.name == name), None)

    def locked(self, name: str | None) -> bool:
        """Whether a document in state `name` may not be edited."""
        found = self.state(name) if name else None
        return found is not None and found.locked

    def approval_transitions(self) -> list[Transition]:
        """The transitions that open an approval round."""
        return [t for t in self.transitions if t.approval]

    def engine_transitions(self) -> set[str]:
        """Transitions only the approval engine fires (the outcome of a round)."""
        return {self.approved, self.rejected} if self.approval_transitions() else set()

    def current(self, record: Any) -> str:
        """The state `record` is in."""
        return str(getattr(record, self.state_key))
