"""The workflow's tables: transition history, approval chains as data, rounds and tasks.

Chains, their steps and delegations are business records an administrator
edits in the generated pages (one division each). Requests, tasks and the
history are written by the engine only; nobody edits them.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.org import ROLES
from core.orm import Base, Model, ref, utcnow
from core.workflow.declarations import OPERATOR_LABELS, STEP_KINDS

# Request (round) states, and task (step) states.
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
CANCELLED = "cancelled"
WAITING = "waiting"

_USER_FK = "kehu_user.id"


class TransitionLog(Base):
    """One fired transition: which document, from → to, who, when (UTC), comment.

    Immutable: a flush that changes or deletes a row is refused.
    """

    __tablename__ = "kehu_transition_log"
    __label__ = _l("Transition history")
    __table_args__ = (sa.Index("ix_kehu_transition_log_record", "model", "res_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_division.id"))
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    transition: Mapped[str] = mapped_column(sa.String(64))
    from_state: Mapped[str] = mapped_column(sa.String(32))
    to_state: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER_FK, ondelete="SET NULL"))
    date: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(sa.Text)


class ApprovalChain(Model):
    """A division's approval chain for one document type and approval transition."""

    __tablename__ = "kehu_approval_chain"
    __label__ = _l("Approval chain")
    __table_args__ = (sa.Index("ix_kehu_approval_chain_lookup", "division_id", "model"),)

    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Name")})
    # Choices are the workflow models and their approval transitions, set at boot.
    model: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("Document type")})
    transition: Mapped[str] = mapped_column(
        sa.String(64), default="submit", info={"label": _l("Approval of")}
    )
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})


class ChainStep(Model):
    """One ordered step of a chain: whom it asks, and when it applies."""

    __tablename__ = "kehu_approval_step"
    __label__ = _l("Approval step")
    __display__ = "name"

    chain_id: Mapped[int] = ref(ApprovalChain, ondelete="CASCADE", label=_l("Approval chain"))
    sequence: Mapped[int] = mapped_column(default=10, info={"label": _l("Sequence")})
    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Step")})
    kind: Mapped[str] = mapped_column(sa.String(32), info={
        "label": _l("Approver"), "choices": list(STEP_KINDS.items())})
    role: Mapped[str | None] = mapped_column(sa.String(32), info={
        "label": _l("Role"), "choices": list(ROLES.items())})
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            ondelete="SET NULL", label=_l("Department"))
    user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                      label=_l("User"))
    condition_field: Mapped[str | None] = mapped_column(
        sa.String(64), info={"label": _l("Only when field")})
    condition_op: Mapped[str | None] = mapped_column(sa.String(8), info={
        "label": _l("is"), "choices": list(OPERATOR_LABELS.items())})
    condition_value: Mapped[str | None] = mapped_column(
        sa.String(64), info={"label": _l("Value")})


class ApprovalDelegation(Model):
    """An administrator lets `delegate_id` decide for the absent `user_id` between two dates."""

    __tablename__ = "kehu_approval_delegation"
    __label__ = _l("Approval delegation")

    user_id: Mapped[int] = ref("kehu_user", ondelete="CASCADE", label=_l("Absent approver"))
    delegate_id: Mapped[int] = ref("kehu_user", ondelete="CASCADE", label=_l("Delegate"))
    date_from: Mapped[dt.date] = mapped_column(sa.Date, info={"label": _l("From")})
    date_to: Mapped[dt.date] = mapped_column(sa.Date, info={"label": _l("Until")})
    reason: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Reason")})


class ApprovalRequest(Base):
    """One submission round of one document: pending, then approved, rejected or cancelled."""

    __tablename__ = "kehu_approval_request"
    __label__ = _l("Approval request")
    __table_args__ = (
        sa.UniqueConstraint("model", "res_id", "round"),
        sa.Index("ix_kehu_approval_request_submitter", "submitter_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_division.id"),
                                                    index=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    transition: Mapped[str] = mapped_column(sa.String(64))
    round: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(sa.String(16), default=PENDING)
    submitter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(_USER_FK, ondelete="SET NULL"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column()


class ApprovalTask(Base):
    """One step of a round, resolved to its approvers when the document was submitted.

    Steps are decided in `sequence` order: one is `pending`, the later ones
    `waiting`. Each is decided once (a conditional UPDATE on `state`).
    """

    __tablename__ = "kehu_approval_task"
    __label__ = _l("Approval step")
    __table_args__ = (sa.Index("ix_kehu_approval_task_request", "request_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_approval_request.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(sa.String(128))
    reason: Mapped[str | None] = mapped_column(sa.String(255))
    step_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_approval_step.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(sa.String(16), default=WAITING)
    # Whom the step asks (core.workflow.approvers.Target), resolved again at decision
    # time so approvals follow the organisation as it is now (#13); NULL: a step of an
    # older round, decided by the approvers stored with it.
    target_kind: Mapped[str | None] = mapped_column(sa.String(32))
    target_role: Mapped[str | None] = mapped_column(sa.String(32))
    target_department_id: Mapped[int | None] = mapped_column()
    target_user_id: Mapped[int | None] = mapped_column()
    pending_since: Mapped[dt.datetime | None] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER_FK, ondelete="SET NULL"))
    # The approver a delegate decided for.
    on_behalf_of: Mapped[int | None] = mapped_column(
        sa.ForeignKey(_USER_FK, ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    comment: Mapped[str | None] = mapped_column(sa.Text)


class ApprovalApprover(Base):
    """A user who may decide a task (resolved at submit time)."""

    __tablename__ = "kehu_approval_approver"

    task_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_approval_task.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey(_USER_FK, ondelete="CASCADE"), primary_key=True, index=True)


ENGINE_TABLES = (TransitionLog, ApprovalRequest, ApprovalTask, ApprovalApprover)
