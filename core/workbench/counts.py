"""The approvals badge: how many steps wait for my decision (one count)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import Actor, system_context
from core.workflow import approvers
from core.workflow.models import PENDING, ApprovalApprover, ApprovalRequest, ApprovalTask


def approvals_waiting_count(session: Session, actor: Actor) -> int:
    """Pending steps where the actor (or a colleague they stand in for) is an approver,
    never of documents the actor submitted: the number the inbox lists."""
    if actor.user_id is None:
        return 0
    with system_context():
        users = [actor.user_id, *approvers.absent_for(session, actor.user_id)]
        return int(session.scalar(
            sa.select(sa.func.count(sa.distinct(ApprovalTask.id)))
            .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
            .join(ApprovalApprover, ApprovalApprover.task_id == ApprovalTask.id)
            .where(ApprovalTask.state == PENDING, ApprovalApprover.user_id.in_(users),
                   ApprovalRequest.submitter_id.is_distinct_from(actor.user_id))) or 0)
