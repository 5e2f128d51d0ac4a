"""Satisfaction surveys (满意度调查): questionnaires, invitations with a token, answers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Contact, Customer
from core.i18n import _l
from core.orm import Model, ref

SURVEY_STATES = [("draft", _l("Draft")), ("open", _l("Open")), ("closed", _l("Closed"))]
QUESTION_KINDS = [("single", _l("Single choice")), ("multiple", _l("Multiple choice")),
                  ("score", _l("Score 1–5")), ("text", _l("Text"))]
CHANNELS = [("public", _l("Public link")), ("staff", _l("Entered by staff"))]


class Survey(Model):
    """A questionnaire sent to customers or contacts."""

    __tablename__ = "crm_marketing_survey"
    __label__ = _l("Survey")
    __display__ = "title"
    __owner__ = "owner_id"

    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    intro: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Introduction")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    state: Mapped[str] = mapped_column(sa.String(16), default="draft", server_default="draft",
                                       info={"label": _l("State"), "choices": SURVEY_STATES})

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", cascade="all, delete-orphan",
        order_by="SurveyQuestion.sequence, SurveyQuestion.id", info={"label": _l("Questions")})


class SurveyQuestion(Model):
    """A question: single or multiple choice (options one per line), a score 1–5, or text."""

    __tablename__ = "crm_marketing_survey_question"
    __label__ = _l("Survey question")
    __display__ = "text"

    survey_id: Mapped[int] = ref(Survey, ondelete="CASCADE", label=_l("Survey"))
    sequence: Mapped[int] = mapped_column(default=10, info={"label": _l("Sequence")})
    text: Mapped[str] = mapped_column(sa.String(300), info={"label": _l("Question")})
    kind: Mapped[str] = mapped_column(sa.String(16), default="score",
                                      info={"label": _l("Kind"), "choices": QUESTION_KINDS})
    options: Mapped[str | None] = mapped_column(sa.Text,
                                                info={"label": _l("Options (one per line)")})
    required: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                           info={"label": _l("Required")})

    survey: Mapped[Survey] = relationship(back_populates="questions")

    def choices(self) -> list[str]:
        """The options of a choice question, in order."""
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]


class SurveyInvitation(Model):
    """A survey sent to one customer or contact, with its unguessable link token."""

    __tablename__ = "crm_marketing_survey_invitation"
    __label__ = _l("Survey invitation")
    __display__ = "token"
    __table_args__ = (sa.UniqueConstraint("token"),
                      sa.UniqueConstraint("survey_id", "customer_id", "contact_id"))

    survey_id: Mapped[int] = ref(Survey, ondelete="CASCADE", label=_l("Survey"))
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, ondelete="CASCADE",
                                          label=_l("Customer"))
    contact_id: Mapped[int | None] = ref(Contact, nullable=True, ondelete="SET NULL",
                                         label=_l("Contact"))
    token: Mapped[str] = mapped_column(sa.String(64), default="",
                                       info={"label": _l("Link token")})
    answered_at: Mapped[dt.datetime | None] = mapped_column(info={"label": _l("Answered at")})
    channel: Mapped[str | None] = mapped_column(
        sa.String(8), info={"label": _l("Answered through"), "choices": CHANNELS})


class SurveyAnswer(Model):
    """One answer to one question (a multiple choice gives one row per option chosen)."""

    __tablename__ = "crm_marketing_survey_answer"
    __label__ = _l("Survey answer")
    __table_args__ = (sa.Index("ix_crm_marketing_survey_answer_question", "question_id",
                               "option"),)

    invitation_id: Mapped[int] = ref(SurveyInvitation, ondelete="CASCADE",
                                     label=_l("Survey invitation"))
    survey_id: Mapped[int] = ref(Survey, ondelete="CASCADE", label=_l("Survey"))
    question_id: Mapped[int] = ref(SurveyQuestion, ondelete="CASCADE", index=False,
                                   label=_l("Question"))
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, ondelete="CASCADE",
                                          label=_l("Customer"))
    option: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Option")})
    score: Mapped[int | None] = mapped_column(info={"label": _l("Score")})
    text: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Answer")})
