"""The reimbursement voucher (报销凭证) of an approved claim: its data, and a PDF.

The voucher is read as the signed-in user, so the record rules decide who may
print it: the claimant, their managers, finance and the general manager.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_expense import links
from addons.crm_expense.models import ExpenseClaim, ExpenseType
from core.errors import NotFound, TransitionRefused
from core.fields import display_text
from core.i18n import _, format_money
from core.models import Department, Division, User
from core.workflow import HistoryEntry, TrailRound, history, trail

PRINTABLE = ("approved", "paid")


def printable(claim: Any) -> bool:
    """Whether `claim` has a voucher yet: the print page and the form's link ask this (#19)."""
    return claim.state in PRINTABLE
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿", "万亿"]


def _yuan_words(yuan: int) -> str:
    """Whole yuan in capital numerals: 100500 → 壹拾万零伍佰."""
    digits = str(yuan)
    words, zero = "", False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        if char == "0":
            zero = True
        else:
            words += ("零" if zero and words else "") + _DIGITS[int(char)] + _UNITS[position % 4]
            zero = False
        group = position // 4
        if position % 4 == 0 and group and int(digits[max(0, index - 3):index + 1]):
            words += _GROUPS[group]
    return words


def amount_in_words(amount: Decimal) -> str:
    """An amount in Chinese capital numerals as written on vouchers: 壹仟贰佰叁拾元伍角."""
    fen = int((amount * 100).quantize(Decimal(1)))
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    words = _yuan_words(yuan) + "元" if yuan else ""
    if not jiao and not cents:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    return words + (_DIGITS[cents] + "分" if cents else "")


@dataclass(frozen=True)
class VoucherLine:
    """One line as printed."""

    date: dt.date
    type: str
    customer: str
    project: str
    description: str
    amount: Decimal


@dataclass
class Voucher:
    """Everything the print view and the PDF show."""

    claim: Any
    division: str
    claimant: str
    department: str
    lines: list[VoucherLine]
    rounds: list[TrailRound]
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"BX{self.claim.date_to:%Y%m}-{self.claim.id:05d}"

    @property
    def total_words(self) -> str:
        return amount_in_words(self.claim.total)

    @property
    def approved_round(self) -> TrailRound | None:
        """The round that approved the claim (the last one)."""
        return self.rounds[-1] if self.rounds else None

    @property
    def paid(self) -> HistoryEntry | None:
        return next((h for h in reversed(self.history) if h.to_state == _state_paid()), None)


def _state_paid() -> str:
    from addons.crm_expense.workflows import ClaimFlow

    state = ClaimFlow.state("paid")
    return str(state.label) if state else "paid"


def _names(session: Session, model: Any, ids: set[Any], column: Any) -> dict[Any, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    rows = session.execute(sa.select(model.id, column).where(model.id.in_(wanted)))
    return {row[0]: display_text(model, row[1]) for row in rows}


def load(session: Session, claim_id: int) -> Voucher:
    """The voucher of claim `claim_id` as the current user may see it.

    NotFound when the claim is not visible; TransitionRefused before approval.
    """
    claim = session.get(ExpenseClaim, claim_id)
    if claim is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    if not printable(claim):
        raise TransitionRefused(_("A voucher is printed once the claim is approved."))
    lines = list(claim.lines)
    types = _names(session, ExpenseType, {line.type_id for line in lines}, ExpenseType.name)
    customers = _names(session, Customer, {line.customer_id for line in lines}, Customer.name)
    projects = links.targets(session, lines, claim.division_id)
    campaigns = links.names(session, links.CAMPAIGN, {line.campaign_id for line in lines
                                                      if line.campaign_id is not None},
                            claim.division_id)
    people = _names(session, User, {claim.claimant_id}, User.name)
    departments = _names(session, Department, {claim.department_id}, Department.name)
    division = _names(session, Division, {claim.division_id}, Division.name)
    printed = [VoucherLine(
        line.date, types.get(line.type_id, ""), customers.get(line.customer_id, ""),
        projects.get(id(line), "") or campaigns.get(line.campaign_id or 0, ""),
        line.description, line.amount) for line in lines]
    return Voucher(claim, division.get(claim.division_id, ""), people.get(claim.claimant_id, ""),
                   departments.get(claim.department_id, ""), printed, trail(session, claim),
                   history(session, claim))


# -------------------------------------------------------------------- PDF


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped]

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light", "Helvetica"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def pdf(voucher: Voucher) -> bytes:
    """The voucher as a one-page A4 PDF (reportlab; STSong-Light renders Chinese)."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.lib.units import mm  # type: ignore[import-untyped]
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # type: ignore[import-untyped]

    song, _latin = _fonts()
    title = ParagraphStyle("title", fontName=song, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=song, fontSize=9, leading=13)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm,
                                 title=f"{_('Expense voucher')} {voucher.number}")
    claim = voucher.claim

    def cell(text: Any) -> Paragraph:
        return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;"), body)

    header = [
        [cell(_("Voucher no.")), cell(voucher.number), cell(_("Division")), cell(voucher.division)],
        [cell(_("Claimant")), cell(voucher.claimant), cell(_("Department")), cell(voucher.department)],
        [cell(_("Title")), cell(claim.title), cell(_("Period")),
         cell(f"{claim.date_from:%Y-%m-%d} – {claim.date_to:%Y-%m-%d}")],
    ]
    rows = [[cell(_("Date")), cell(_("Expense type")), cell(_("Customer")),
             cell(_("Opportunity or campaign")), cell(_("Description")), cell(_("Amount"))]]
    rows += [[cell(f"{line.date:%Y-%m-%d}"), cell(line.type), cell(line.customer),
              cell(line.project), cell(line.description), cell(format_money(line.amount))]
             for line in voucher.lines]
    rows.append([cell(_("Total")), cell(voucher.total_words), "", "", "",
                 cell(format_money(claim.total))])
    trail_rows = [[cell(_("Step")), cell(_("Decision")), cell(_("By")), cell(_("When")),
                   cell(_("Comment"))]]
    approved = voucher.approved_round
    for step in approved.steps if approved else []:
        trail_rows.append([cell(step.name), cell(step.state_label), cell(step.decided_by or ""),
                           cell(_when(step.decided_at)), cell(step.comment or "")])
    if voucher.paid is not None:
        trail_rows.append([cell(_("Payment")), cell(voucher.paid.to_state), cell(voucher.paid.user),
                           cell(_when(voucher.paid.date)), cell(voucher.paid.comment or "")])
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                       ("VALIGN", (0, 0), (-1, -1), "TOP")])
    lines_style = TableStyle([*grid.getCommands(), ("SPAN", (1, -1), (4, -1)),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])
    width = A4[0] - 30 * mm
    story = [
        Paragraph(_("Expense voucher"), title), Spacer(1, 6 * mm),
        Table(header, colWidths=[width * 0.15, width * 0.35, width * 0.15, width * 0.35],
              style=grid),
        Spacer(1, 5 * mm),
        Table(rows, colWidths=[width * w for w in (0.13, 0.12, 0.2, 0.18, 0.22, 0.15)],
              style=lines_style, repeatRows=1),
        Spacer(1, 5 * mm), Paragraph(_("Approval trail"), body), Spacer(1, 2 * mm),
        Table(trail_rows, colWidths=[width * w for w in (0.2, 0.15, 0.2, 0.2, 0.25)],
              style=TableStyle([*grid.getCommands(),
                                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])),
    ]
    document.build(story)
    return buffer.getvalue()
