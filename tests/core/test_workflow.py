"""Workflows and approval chains (#4), on the sample expense note, on both databases."""

from __future__ import annotations

import decimal

import pytest
import sqlalchemy as sa

from core.context import acting_as, system_context
from core.errors import AccessDenied, Conflict, NotFound, TransitionRefused, ValidationError
from core.workflow import act, available_transitions, pending_for, trail
from core.workflow.models import (
    ApprovalChain,
    ApprovalRequest,
    ChainStep,
    TransitionLog,
)
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)

MANAGER = {"kind": "direct_manager", "name": "Direct manager"}
ABOVE = {"kind": "manager_above", "name": "Manager above"}
FINANCE = {"kind": "role", "role": "finance", "name": "Finance"}
GM_OVER_5000 = {"kind": "role", "role": "general_manager", "name": "General manager",
                "condition_field": "amount", "condition_op": "gt", "condition_value": "5000"}


def approve_all(flow, note: int, deciders: list[str]) -> None:
    for task, login in zip(flow.tasks(note), deciders, strict=True):
        flow.decide(login, task.id, True)


def test_a_one_step_chain_approves_the_note(flow) -> None:
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na")
    log = flow.fire("li.na", note, "submit", comment="请审批")
    assert (log.from_state, log.to_state, log.user_id) == ("draft", "submitted", flow.users["li.na"])
    [task] = flow.tasks(note)
    assert task.state == "pending" and task.pending_since is not None
    flow.decide("lead", task.id, True)
    assert flow.state(note) == "approved"
    with system_context(), flow.kernel.session() as session:
        request = session.scalar(sa.select(ApprovalRequest))
        history = [(h.transition, h.from_state, h.to_state, h.user_id, h.comment)
                   for h in session.scalars(sa.select(TransitionLog).order_by(TransitionLog.id))]
    assert (request.state, request.round, request.submitter_id) == ("approved", 1, flow.users["li.na"])
    assert history == [("submit", "draft", "submitted", flow.users["li.na"], "请审批"),
                       ("approve", "submitted", "approved", flow.users["lead"], None)]


def test_a_two_step_chain_goes_to_the_superior_then_finance(flow) -> None:
    flow.chain("EAST", [MANAGER, FINANCE])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    first, second = flow.tasks(note)
    assert (first.state, second.state) == ("pending", "waiting")
    with pytest.raises(TransitionRefused, match="comes after 'Direct manager'"):
        flow.decide("fin", second.id, True)
    with acting_as(flow.actor("fin")), flow.kernel.sessions.begin() as session:
        assert available_transitions(session, flow.load(session, note)) == []
        with pytest.raises(TransitionRefused, match="No step of this Expense note waits"):
            act(session, flow.load(session, note), "approve")
    flow.decide("lead", first.id, True)
    assert flow.state(note) == "submitted"
    flow.decide("fin2", second.id, True, "ok")
    assert flow.state(note) == "approved"
    assert [(t.state, t.decided_by, t.comment) for t in flow.tasks(note)] == [
        ("approved", flow.users["lead"], None), ("approved", flow.users["fin2"], "ok")]


def test_a_three_step_chain_climbs_to_the_manager_above(flow) -> None:
    flow.chain("EAST", [MANAGER, ABOVE, FINANCE])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    with system_context(), flow.kernel.session() as session:
        approvers = [sorted(flow.users[login] for login in expected) for expected in
                     (["lead"], ["mgr"], ["fin", "fin2"])]
        resolved = [sorted(session.scalars(sa.text(
            "SELECT user_id FROM kehu_approval_approver WHERE task_id = :t"), {"t": t.id}))
            for t in flow.tasks(note)]
    assert resolved == approvers
    approve_all(flow, note, ["lead", "mgr", "fin"])
    assert flow.state(note) == "approved"


def test_the_manager_above_a_department_head_is_their_own_superior(flow) -> None:
    """lead's direct manager is the manager of the department above (mgr); mgr's is gm.east."""
    flow.chain("EAST", [MANAGER, ABOVE])
    note = flow.note("lead")
    flow.fire("lead", note, "submit")
    approve_all(flow, note, ["mgr", "gm.east"])
    assert flow.state(note) == "approved"


@pytest.mark.parametrize(("amount", "steps"), [("5000.00", 2), ("5000.01", 3)])
def test_an_amount_over_the_threshold_adds_the_general_manager(flow, amount, steps) -> None:
    flow.chain("EAST", [MANAGER, FINANCE, GM_OVER_5000])
    note = flow.note("li.na", amount=amount)
    flow.fire("li.na", note, "submit")
    names = [t.name for t in flow.tasks(note)]
    assert len(names) == steps
    approve_all(flow, note, ["lead", "fin", "gm.east"][:steps])
    assert flow.state(note) == "approved"


def test_without_a_configured_chain_the_workflows_default_applies(flow) -> None:
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    assert [t.name for t in flow.tasks(note)] == ["Direct manager", "Finance"]
    flow.chain("EAST", [FINANCE])  # a chain added later applies to the next submission
    second = flow.note("li.na")
    flow.fire("li.na", second, "submit")
    assert [t.name for t in flow.tasks(second)] == ["Finance"]


def test_nobody_decides_a_step_of_their_own_document(flow) -> None:
    flow.chain("EAST", [{"kind": "role", "role": "sales_manager", "name": "Any manager"}])
    note = flow.note("lead")
    flow.fire("lead", note, "submit")
    [task] = flow.tasks(note)
    with pytest.raises(TransitionRefused, match="own document"):
        flow.decide("lead", task.id, True)
    with acting_as(flow.actor("lead")), flow.kernel.session() as session:
        assert pending_for(session, flow.actor("lead")) == []
    flow.decide("deputy", task.id, True)
    assert flow.state(note) == "approved"


def test_a_step_nobody_but_the_submitter_could_decide_refuses_the_submission(flow) -> None:
    flow.chain("EAST", [{"kind": "user", "user_id": flow.users["li.na"], "name": "Li Na"}])
    note = flow.note("li.na")
    with pytest.raises(TransitionRefused, match="Nobody can approve the step 'Li Na'"):
        flow.fire("li.na", note, "submit")
    assert flow.state(note) == "draft"
    assert flow.tasks(note) == []


def test_a_step_is_decided_once(flow) -> None:
    flow.chain("EAST", [FINANCE, MANAGER])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    first = flow.tasks(note)[0]
    flow.decide("fin", first.id, True)
    for login in ("fin2", "fin"):
        with pytest.raises(Conflict, match="decided already"):
            flow.decide(login, first.id, False, "too late")
    assert flow.tasks(note)[0].decided_by == flow.users["fin"]


def test_only_an_approver_decides(flow) -> None:
    flow.chain("EAST", [FINANCE])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    [task] = flow.tasks(note)
    with pytest.raises(AccessDenied, match="not an approver"):
        flow.decide("gm.east", task.id, True)
    with pytest.raises(NotFound):  # may not even see the document
        flow.decide("wang.qiang", task.id, True)
    with pytest.raises(NotFound):
        flow.decide("fin", 999_999, True)


def test_reject_needs_a_comment_then_edit_and_resubmit_starts_a_new_round(flow) -> None:
    flow.chain("EAST", [MANAGER, FINANCE])
    note = flow.note("li.na", amount="800")
    flow.fire("li.na", note, "submit")
    first = flow.tasks(note)[0]
    with pytest.raises(ValidationError, match="rejection needs a comment") as refused:
        flow.decide("lead", first.id, False, "  ")
    assert "comment" in refused.value.fields
    flow.decide("lead", first.id, True)
    flow.decide("fin", flow.tasks(note)[1].id, False, "发票缺失")
    assert flow.state(note) == "draft"
    assert [t.state for t in flow.tasks(note)] == ["approved", "rejected"]
    with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
        flow.load(session, note).amount = decimal.Decimal("750")
    flow.fire("li.na", note, "submit")
    assert [t.state for t in flow.tasks(note)] == ["pending", "waiting"]
    assert [t.state for t in flow.tasks(note, 1)] == ["approved", "rejected"]
    with acting_as(flow.actor("li.na")), flow.kernel.session() as session:
        rounds = trail(session, flow.load(session, note))
    assert [(r.round, r.state) for r in rounds] == [(1, "rejected"), (2, "pending")]
    assert rounds[0].steps[1].comment == "发票缺失"
    assert rounds[0].steps[1].decided_by == "fin"
    approve_all(flow, note, ["lead", "fin"])
    assert flow.state(note) == "approved"


def test_a_submitted_note_cannot_be_edited_even_through_the_orm(flow) -> None:
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    with pytest.raises(ValidationError, match="is Submitted: it cannot be changed") as refused:
        with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
            flow.load(session, note).amount = decimal.Decimal("1")
    assert set(refused.value.fields) == {"amount"}
    with pytest.raises(ValidationError, match="cannot be deleted"):
        with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
            session.delete(flow.load(session, note))
    with pytest.raises(ValidationError, match="only through the document's actions"):
        with acting_as(flow.actor("lead")), flow.kernel.sessions.begin() as session:
            flow.load(session, note).state = "approved"
    with pytest.raises(ValidationError, match="starts as Draft"):
        with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
            session.add(flow.model(title="x", amount=decimal.Decimal(1), state="approved"))
    assert flow.state(note) == "submitted"


def test_the_generic_records_service_meets_the_lock(flow) -> None:
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    records = flow.kernel.records[flow.model]
    with pytest.raises(ValidationError, match="cannot be changed"):
        with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
            records.update(session, note, {"title": "改了"}, version=None)
    form = flow.kernel.views[flow.model].form
    assert "submitted" in form.readonly_in and "draft" not in form.readonly_in


def test_fire_checks_state_rights_roles_guard_and_required_fields(flow) -> None:
    note = flow.note("li.na")
    with pytest.raises(TransitionRefused, match="Cannot Recall: this Expense note is Draft"):
        flow.fire("li.na", note, "recall")
    with pytest.raises(NotFound):  # another rep may not see it
        flow.fire("wang.qiang", note, "submit")
    with pytest.raises(AccessDenied):  # finance reads but may not change notes
        flow.fire("fin", note, "submit")
    with pytest.raises(TransitionRefused, match="follows from the approval chain"):
        flow.fire("li.na", note, "approve")
    with pytest.raises(ValidationError, match="To Cancel, fill in: Why cancelled") as refused:
        flow.fire("li.na", note, "cancel")
    assert list(refused.value.fields) == ["cancel_reason"]
    with pytest.raises(ValidationError, match="does not take these fields"):
        flow.fire("li.na", note, "cancel", values={"amount": "1"})
    flow.fire("li.na", note, "cancel", values={"cancel_reason": "行程取消"})
    assert flow.state(note) == "cancelled"


def test_recall_is_guarded_and_cancels_the_round(flow) -> None:
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    with pytest.raises(TransitionRefused, match="Only the submitter may recall"):
        flow.fire("lead", note, "recall")
    with acting_as(flow.actor("li.na")), flow.kernel.session() as session:
        names = [a.name for a in available_transitions(session, flow.load(session, note))]
    assert names == ["recall"]
    task = flow.tasks(note)[0]
    flow.fire("li.na", note, "recall")
    assert flow.state(note) == "draft"
    assert flow.tasks(note)[0].state == "cancelled"
    with pytest.raises(Conflict):
        flow.decide("lead", task.id, True)


def test_available_actions_include_the_approvers_decision(flow) -> None:
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na")
    with acting_as(flow.actor("li.na")), flow.kernel.session() as session:
        assert [a.name for a in available_transitions(session, flow.load(session, note))] == [
            "submit", "cancel"]
    flow.fire("li.na", note, "submit")
    with acting_as(flow.actor("lead")), flow.kernel.sessions.begin() as session:
        record = flow.load(session, note)
        actions = [(a.name, a.kind, a.comment_required) for a in available_transitions(session, record)]
        assert actions == [("approve", "decision", False), ("reject", "decision", True)]
        act(session, record, "reject", comment="请补充说明")
    assert flow.state(note) == "draft"


def test_a_disabled_addons_extra_step_and_veto_do_not_apply_in_that_division(flow) -> None:
    import wf_extra

    wf_extra.FIRED.clear()
    hq_note = flow.note("hq.rep")
    flow.fire("hq.rep", hq_note, "submit")
    assert [(t.name, t.reason) for t in flow.tasks(hq_note)] == [
        ("Direct manager", None), ("Finance", None), ("Audit", "compliance")]
    east_note = flow.note("li.na")
    flow.fire("li.na", east_note, "submit")
    assert [t.name for t in flow.tasks(east_note)] == ["Direct manager", "Finance"]
    with pytest.raises(TransitionRefused, match="refused by wf_extra"):
        flow.fire("hq.rep", flow.note("hq.rep", title="forbidden trip"), "submit")
    flow.fire("li.na", flow.note("li.na", title="forbidden trip"), "submit")  # no veto in EAST
    approve_all(flow, hq_note, ["hq.mgr", "hq.fin", "auditor"])
    assert flow.state(hq_note) == "approved"
    assert wf_extra.FIRED == [(hq_note, "submit", "hq.rep"), (hq_note, "approve", "auditor")]


def test_the_history_cannot_be_changed(flow) -> None:
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    with pytest.raises(AccessDenied, match="history cannot be changed"):
        with system_context(), flow.kernel.sessions.begin() as session:
            session.scalar(sa.select(TransitionLog)).comment = "edited"
    with pytest.raises(AccessDenied, match="history cannot be changed"):
        with acting_as(flow.actor("admin")), flow.kernel.sessions.begin() as session:
            session.execute(sa.delete(TransitionLog))


def test_chain_settings_are_checked_when_saved(flow) -> None:
    chain = flow.chain("EAST", [FINANCE])
    bad = [
        ({"kind": "role", "name": "x"}, "role"),
        ({"kind": "department_manager", "name": "x"}, "department_id"),
        ({**FINANCE, "condition_field": "nope", "condition_op": "gt", "condition_value": "1"},
         "condition_field"),
        ({**FINANCE, "condition_field": "amount", "condition_op": "gt", "condition_value": "x"},
         "condition_value"),
        ({**FINANCE, "condition_field": "amount"}, "condition_op"),
    ]
    for values, field in bad:
        with pytest.raises(ValidationError) as refused:
            with acting_as(flow.actor("admin")), flow.kernel.sessions.begin() as session:
                session.add(ChainStep(chain_id=chain, division_id=flow.division("EAST"), **values))
        assert field in refused.value.fields, values
    with pytest.raises(ValidationError) as refused:
        with acting_as(flow.actor("admin")), flow.kernel.sessions.begin() as session:
            session.add(ApprovalChain(name="x", model="crm_contact", transition="submit",
                                      division_id=flow.division("EAST")))
    assert "model" in refused.value.fields  # contacts have no workflow
    with pytest.raises(AccessDenied), acting_as(flow.actor("mgr")), flow.kernel.sessions.begin() as session:
        session.add(ChainStep(chain_id=chain, division_id=flow.division("EAST"), **MANAGER))
