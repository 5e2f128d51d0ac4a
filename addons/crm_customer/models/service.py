"""Customer service (客户服务): complaints, inquiries and suggestions as tickets."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models.customer import Contact, Customer
from addons.crm_customer.models.lookups import Product
from core.i18n import _l
from core.orm import Model, ref

TICKET_KINDS = [("complaint", _l("Complaint")), ("inquiry", _l("Inquiry")),
                ("suggestion", _l("Suggestion"))]
TICKET_STATES = [
    ("new", _l("New")),
    ("assigned", _l("Assigned")),
    ("resolved", _l("Resolved")),
    ("confirmed", _l("Confirmed by the customer")),
    ("closed", _l("Closed")),
]
PRIORITIES = [("urgent", _l("Urgent")), ("high", _l("High")), ("normal", _l("Normal")),
              ("low", _l("Low"))]
# Hours to resolve a ticket by priority, when nobody sets a due time.
DUE_HOURS = {"urgent": 4, "high": 24, "normal": 72, "low": 168}
CHANNELS = [("phone", _l("Phone")), ("visit", _l("Visit")), ("email", _l("E-mail")),
            ("web", _l("Website")), ("other", _l("Other"))]
SATISFACTION = [("5", _l("5 - very satisfied")), ("4", _l("4 - satisfied")),
                ("3", _l("3 - acceptable")), ("2", _l("2 - dissatisfied")),
                ("1", _l("1 - very dissatisfied"))]


class ProblemType(Model):
    """A kind of problem a ticket is about (问题类型): quality, delivery, installation..."""

    __tablename__ = "crm_problem_type"
    __lookup__ = True
    __label__ = _l("Problem type")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("Name")})
    name_en: Mapped[str | None] = mapped_column(sa.String(128),
                                                info={"label": _l("English name")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class Ticket(Model):
    """A complaint, inquiry or suggestion from a customer, handled to its close (服务单)."""

    __tablename__ = "crm_ticket"
    __label__ = _l("Service ticket")
    __display__ = "subject"
    __owner__ = "assignee_id"
    __tracked__ = ("assignee_id", "priority", "due_at")

    subject: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Subject")})
    kind: Mapped[str] = mapped_column(sa.String(16), default="complaint",
                                      server_default="complaint",
                                      info={"label": _l("Kind"), "choices": TICKET_KINDS})
    customer_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Customer"))
    contact_id: Mapped[int | None] = ref(Contact, nullable=True, ondelete="SET NULL",
                                         label=_l("Contact"))
    product_id: Mapped[int | None] = ref(Product, nullable=True, label=_l("Product"))
    problem_type_id: Mapped[int | None] = ref(ProblemType, nullable=True,
                                              label=_l("Problem type"))
    channel: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Received by"), "choices": CHANNELS})
    priority: Mapped[str] = mapped_column(sa.String(8), default="normal",
                                          server_default="normal",
                                          info={"label": _l("Priority"), "choices": PRIORITIES})
    description: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Description")})
    state: Mapped[str] = mapped_column(sa.String(16), default="new", server_default="new",
                                       index=True,
                                       info={"label": _l("State"), "choices": TICKET_STATES})
    # Not the creator: the service person who handles it (assigned by a dispatcher).
    assignee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Assigned to")})
    due_at: Mapped[dt.datetime | None] = mapped_column(
        sa.DateTime, index=True, info={"label": _l("Due (UTC)")})
    resolution: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Resolution")})
    resolved_at: Mapped[dt.datetime | None] = mapped_column(
        sa.DateTime, info={"label": _l("Resolved at (UTC)")})
    satisfaction: Mapped[str | None] = mapped_column(
        sa.String(1), info={"label": _l("Satisfaction"), "choices": SATISFACTION})
    feedback: Mapped[str | None] = mapped_column(sa.String(500),
                                                 info={"label": _l("Customer feedback")})
