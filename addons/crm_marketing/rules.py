"""Save-time completion and checks of campaigns, participants and close-outs.

Called from `kehu_prepare_records` (the kernel's one flush listener), so the
pages, the API, imports and plain Python calls all go through them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from addons.crm_marketing.models import (
    Campaign,
    CampaignBudgetLine,
    CampaignCloseout,
    CampaignCostLine,
    CampaignParticipant,
)
from addons.crm_marketing.models.campaigns import APPROVED, CLOSED, DRAFT
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.org import department_in


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def _fill_organizer(session: Session, record: Any) -> None:
    """A new document belongs to the acting user and their department unless given."""
    actor = current_actor()
    if record.organizer_id is None and actor.user_id is not None:
        record.organizer_id = actor.user_id
    if record.department_id is None and record.organizer_id is not None:
        record.department_id = department_in(session, record.organizer_id, record.division_id)


def _editing(record: Any) -> bool:
    """A draft being edited (a transition has its own guard)."""
    return record.state in (None, DRAFT)


def check_campaign(campaign: Campaign) -> None:
    """Dates in order, budget lines above zero."""
    errors: dict[str, str] = {}
    if campaign.date_from and campaign.date_to and campaign.date_to < campaign.date_from:
        errors["date_to"] = _("The campaign ends before it starts.")
    if (campaign.expected_leads or 0) < 0:
        errors["expected_leads"] = _("Enter zero or more.")
    for index, line in enumerate(campaign.budget_lines, start=1):
        if line.amount is not None and line.amount <= 0:
            errors[f"budget_lines.{index}.amount"] = _(
                "Line {number}: enter an amount above zero.").format(number=index)
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)


def _campaign_of(session: Session, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    with system_context(), session.no_autoflush:
        return session.get(Campaign, campaign_id)


def prepare_closeout(session: Session, closeout: CampaignCloseout) -> None:
    """A close-out copies its campaign's organizer; only an approved campaign closes out."""
    campaign = _campaign_of(session, closeout.campaign_id)
    if campaign is None:
        raise _refuse("campaign_id", _("Choose the campaign to close out."))
    closeout.organizer_id = campaign.organizer_id
    closeout.department_id = campaign.department_id
    if not _editing(closeout):
        return
    if campaign.state != APPROVED:
        raise _refuse("campaign_id", _("Only an approved campaign can be closed out."))
    closeout.compute()
    errors: dict[str, str] = {}
    if (closeout.attendance or 0) < 0:
        errors["attendance"] = _("Enter zero or more.")
    for index, line in enumerate(closeout.lines, start=1):
        if line.amount is not None and line.amount <= 0:
            errors[f"lines.{index}.amount"] = _(
                "Line {number}: enter an amount above zero.").format(number=index)
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)


def _check_participant(session: Session, participant: CampaignParticipant) -> None:
    campaign = _campaign_of(session, participant.campaign_id)
    if campaign is None:
        raise _refuse("campaign_id", _("Choose the campaign."))
    if campaign.state == CLOSED and not current_actor().system:
        raise _refuse("campaign_id", _("The campaign is closed: its participants are final."))
    if not participant.name and participant.contact_id is None:
        raise _refuse("name", _("Enter the participant's name."))


def _lines_locked(session: Session, records: list[Any], deleted: list[Any]) -> None:
    """Lines edited on their own follow their document's lock."""
    if current_actor().system:
        return
    for line in [*records, *deleted]:
        parent: Any = None
        if isinstance(line, CampaignBudgetLine):
            parent = line.campaign
        elif isinstance(line, CampaignCostLine):
            parent = line.closeout
        if parent is not None and parent.state not in (None, DRAFT) \
                and session.is_modified(line):
            message = _("The document has been handed in: its lines cannot be changed.")
            raise ValidationError(message, fields={"lines": message})


def prepare(session: Session, records: list[Any], deleted: list[Any]) -> None:
    """Fill and check crm_marketing's campaign documents of one flush."""
    from addons.crm_marketing import competitors, knowledge, surveys

    _lines_locked(session, records, deleted)
    competitors.prepare(session, records)
    prepare_material(session, records)
    knowledge.prepare(session, records)
    surveys.prepare(records)
    _prepare_inspection(records)
    touched: set[Any] = set()
    for record in records:
        if isinstance(record, CampaignBudgetLine) and record.campaign is not None:
            touched.add(record.campaign)
        elif isinstance(record, CampaignCostLine) and record.closeout is not None:
            touched.add(record.closeout)
        elif isinstance(record, (Campaign, CampaignCloseout)):
            touched.add(record)
        elif isinstance(record, CampaignParticipant):
            _check_participant(session, record)
    for document in touched:
        if isinstance(document, Campaign):
            _fill_organizer(session, document)
            if _editing(document):
                document.compute()
                check_campaign(document)
        else:
            prepare_closeout(session, document)
    for record in deleted:
        if isinstance(record, CampaignParticipant) and not current_actor().system:
            campaign = _campaign_of(session, record.campaign_id)
            if campaign is not None and campaign.state == CLOSED:
                raise _refuse("campaign_id",
                              _("The campaign is closed: its participants are final."))


# ----------------------------------------------------------------- guards


def has_budget(campaign: Campaign, _actor: Any = None) -> str | None:
    """Guard of `submit`: an application needs budget lines."""
    if not campaign.budget_lines:
        return _("Add at least one budget line before submitting.")
    return None


def closeout_ready(closeout: CampaignCloseout, _actor: Any = None) -> str | None:
    """Guard of the close-out's `submit`: it needs its actual cost lines."""
    if not closeout.lines:
        return _("Add the actual costs before submitting.")
    return None


def has_closeout_approved(campaign: Campaign, _actor: Any = None) -> str | None:
    """Guard of `close`: only an approved close-out closes a campaign."""
    session = object_session(campaign)
    assert session is not None, "guards run in a session"
    with system_context(), session.no_autoflush:
        found = session.scalar(sa.select(CampaignCloseout.id).where(
            CampaignCloseout.campaign_id == campaign.id, CampaignCloseout.state == APPROVED))
    return None if found is not None else _("File the close-out and have it approved first.")


def has_lines(document: Any, _actor: Any = None) -> str | None:
    """Guard: a receipt needs its items."""
    if not document.lines:
        return _("Add at least one item.")
    return None


def request_ready(request: Any, _actor: Any = None) -> str | None:
    """Guard of a material request's `submit`: items, and enough of them in stock now."""
    from addons.crm_marketing.stock import shortage

    if not request.lines:
        return _("Add at least one item.")
    session = object_session(request)
    assert session is not None, "guards run in a session"
    return shortage(session, request)


def prepare_material(session: Session, records: list[Any]) -> None:
    """Requests belong to their requester; lines carry the requester; quantities above zero."""
    from addons.crm_marketing.models.materials import (
        MaterialReceipt,
        MaterialReceiptLine,
        MaterialRequest,
        MaterialRequestLine,
    )

    documents: set[Any] = set()
    for record in records:
        if isinstance(record, (MaterialRequestLine, MaterialReceiptLine)):
            parent = record.request if isinstance(record, MaterialRequestLine) else record.receipt
            if parent is not None:
                documents.add(parent)
        elif isinstance(record, (MaterialRequest, MaterialReceipt)):
            documents.add(record)
    for document in documents:
        if isinstance(document, MaterialRequest):
            _fill_requester(session, document)
        errors: dict[str, str] = {}
        for index, line in enumerate(document.lines, start=1):
            if isinstance(document, MaterialRequest):
                line.requester_id = document.requester_id
            if line.quantity is not None and line.quantity <= 0:
                errors[f"lines.{index}.quantity"] = _(
                    "Line {number}: enter a quantity above zero.").format(number=index)
        if errors and document.state in (None, DRAFT):
            raise ValidationError(_("Please correct the marked fields."), fields=errors)


def _fill_requester(session: Session, request: Any) -> None:
    actor = current_actor()
    if request.requester_id is None and actor.user_id is not None:
        request.requester_id = actor.user_id
    if request.requester_id is not None and request.department_id is None:
        request.department_id = department_in(session, request.requester_id, request.division_id)


def has_questions(survey: Any, _actor: Any = None) -> str | None:
    """Guard of a survey's `open`: it needs questions, and choice questions their options."""
    if not survey.questions:
        return _("Add at least one question.")
    for question in survey.questions:
        if question.kind in ("single", "multiple") and len(question.choices()) < 2:
            return _("Question “{question}” needs at least two options.").format(
                question=question.text)
    return None


def _prepare_inspection(records: list[Any]) -> None:
    """A case belongs to whoever reported it."""
    from addons.crm_marketing.models.inspection import InspectionCase

    actor = current_actor()
    for record in records:
        if isinstance(record, InspectionCase) and record.reporter_id is None:
            record.reporter_id = actor.user_id
