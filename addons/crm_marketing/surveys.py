"""Surveys: invitations with tokens, the answer form (public link or staff), results.

The public link is /a/crm_marketing/public/survey/<token>: no sign-in, the token
(32 random URL-safe bytes) is the only key. It is looked up as the system, and
answering claims the invitation with one conditional UPDATE (`answered_at IS
NULL`), so one token gives one answer set, even when the form is posted twice
at once; everything else under that path is 404.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_marketing.models.surveys import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
)
from core.context import Actor, system_context
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _


def new_token() -> str:
    """An unguessable link token."""
    return secrets.token_urlsafe(32)


def prepare(records: list[Any]) -> None:
    """New invitations get their token."""
    for record in records:
        if isinstance(record, SurveyInvitation) and not record.token:
            record.token = new_token()


def invite(session: Session, customer: Customer, actor: Actor, values: dict[str, Any]) -> str:
    """Record action on customers: send them a survey (an invitation with its own link)."""
    survey = values["survey"]
    survey_id = survey.id if isinstance(survey, Survey) else int(survey)
    found = session.scalar(sa.select(SurveyInvitation.id).where(
        SurveyInvitation.survey_id == survey_id, SurveyInvitation.customer_id == customer.id,
        SurveyInvitation.contact_id.is_(None)))
    if found is not None:
        return _("{customer} has this survey already.").format(customer=customer.name)
    session.add(SurveyInvitation(division_id=customer.division_id, survey_id=survey_id,
                                 customer_id=customer.id, token=new_token()))
    session.flush()
    return _("{customer} is invited.").format(customer=customer.name)


@dataclass
class Form:
    """What the answer form shows: the survey, its questions, and the errors of a post."""

    invitation_id: int
    title: str
    intro: str | None
    questions: list[SurveyQuestion]
    errors: dict[str, str] = field(default_factory=dict)


def _form(session: Session, invitation: SurveyInvitation) -> Form:
    survey = session.get(Survey, invitation.survey_id)
    assert survey is not None, "an invitation's survey exists (cascade)"
    return Form(invitation.id, survey.title, survey.intro, list(survey.questions))


def by_token(session: Session, token: str) -> SurveyInvitation:
    """The open, unanswered invitation of `token` (NotFound / Conflict otherwise)."""
    with system_context():
        invitation = session.scalar(sa.select(SurveyInvitation).where(
            SurveyInvitation.token == token)) if token else None
        survey = session.get(Survey, invitation.survey_id) if invitation else None
    if invitation is None or survey is None or survey.state != "open":
        raise NotFound(_("This survey link is not valid."))
    if invitation.answered_at is not None:
        raise Conflict(_("This survey has been answered already. Thank you!"))
    return invitation


def public_form(session: Session, token: str) -> Form:
    """The form behind a public link."""
    invitation = by_token(session, token)
    with system_context():
        return _form(session, invitation)


def _values(question: SurveyQuestion, data: Any) -> list[dict[str, Any]]:
    """The answer rows of one question from the posted form (raises on a bad value)."""
    name = f"q{question.id}"
    if question.kind == "multiple":
        picked = [value for value in data.getlist(name) if value in question.choices()]
        return [{"option": value} for value in picked]
    raw = (data.get(name) or "").strip()
    if not raw:
        return []
    if question.kind == "single":
        if raw not in question.choices():
            raise ValueError
        return [{"option": raw}]
    if question.kind == "score":
        score = int(raw)
        if not 1 <= score <= 5:
            raise ValueError
        return [{"score": score}]
    return [{"text": raw[:2000]}]


def _rows(form: Form, data: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for question in form.questions:
        try:
            values = _values(question, data)
        except ValueError:
            errors[f"q{question.id}"] = _("Choose one of the answers offered.")
            continue
        if not values and question.required:
            errors[f"q{question.id}"] = _("Please answer this question.")
        rows += [{"question_id": question.id, "option": None, "score": None, "text": None,
                  **value} for value in values]
    if errors:
        raise ValidationError(_("Please answer the marked questions."), fields=errors)
    return rows


def answer(session: Session, invitation: SurveyInvitation, data: Any, *, channel: str) -> None:
    """Store one answer set for the invitation: all questions checked, the token claimed once."""
    with system_context():
        form = _form(session, invitation)
        rows = _rows(form, data)
        claimed = session.execute(
            sa.update(SurveyInvitation)
            .where(SurveyInvitation.id == invitation.id, SurveyInvitation.answered_at.is_(None))
            .values(answered_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), channel=channel,
                    version=SurveyInvitation.version + 1)
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("This survey has been answered already. Thank you!"))
        if not rows:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        session.execute(sa.insert(SurveyAnswer), [
            {**row, "invitation_id": invitation.id, "survey_id": invitation.survey_id,
             "customer_id": invitation.customer_id, "division_id": invitation.division_id,
             "version": 1, "create_date": now, "write_date": now}
            for row in rows])


def staff_invitation(session: Session, invitation_id: int) -> SurveyInvitation:
    """An invitation the signed-in user may see (their record rules), for staff entry."""
    invitation = session.get(SurveyInvitation, invitation_id)
    if invitation is None:
        raise NotFound(_("No such record, or you may not see it."))
    if invitation.answered_at is not None:
        raise Conflict(_("This survey has been answered already. Thank you!"))
    return invitation


def staff_form(session: Session, invitation_id: int) -> Form:
    """The form for answers a colleague enters (a phone survey)."""
    return _form(session, staff_invitation(session, invitation_id))
