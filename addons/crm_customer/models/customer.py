"""The customer record and its contacts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models.lookups import CustomerType, Industry, LeadSource
from core.i18n import _l
from core.orm import Model, Money, ref

LEVELS = [("A", _l("A: key account")), ("B", _l("B: important")), ("C", _l("C: ordinary")),
          ("D", _l("D: small"))]
STATUSES = [
    ("to_identify", _l("To identify")),
    ("prospect", _l("Prospect")),
    ("opportunity", _l("Opportunity customer")),
    ("converting", _l("Conversion awaiting approval")),
    ("formal", _l("Formal customer")),
    ("lost", _l("Lost")),
    ("stopped", _l("Stopped trading")),
    ("bankrupt", _l("Bankrupt")),
]
TRADES = [("direct", _l("Direct trade")), ("indirect", _l("Indirect trade (through distributors)"))]
RELATION_KINDS = [
    ("group", _l("Same group")),
    ("partner", _l("Partner")),
    ("designer", _l("Design institute of")),
    ("other", _l("Other")),
]
DECISION_ROLES = [
    ("decision_maker", _l("Decision maker")),
    ("influencer", _l("Influencer")),
    ("user", _l("User of the product")),
    ("gatekeeper", _l("Gatekeeper")),
    ("other", _l("Other")),
]

class Customer(Model):
    """A customer of the company (客户): a company resource, not a rep's."""

    __tablename__ = "crm_customer"
    __shareable__ = True  # an account team serving a national account (#14)
    __label__ = _l("Customer")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)
    # The columns record rules read: owner (业务员), region, product line, department.
    __owner__ = "owner_id"
    __region__ = "region_id"
    __product_line__ = "product_line_id"
    __department__ = "department_id"
    # Changes of these show in the chatter: who, when, old → new (#18).
    __tracked__ = ("owner_id", "level", "status", "name", "phone", "email", "address", "county",
                   "region_id", "type_id", "tax_code")

    name: Mapped[str] = mapped_column(sa.String(200), index=True, info={"label": _l("Name")})
    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Phone")})
    level: Mapped[str | None] = mapped_column(
        sa.String(1), info={"label": _l("Level"), "choices": LEVELS}
    )
    status: Mapped[str] = mapped_column(
        sa.String(16), default="prospect", server_default="prospect", index=True,
        info={"label": _l("Status"), "choices": STATUSES},
    )
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True,
                                        label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))

    # Classification and contact details (crm_customer_0004).
    aliases: Mapped[str | None] = mapped_column(
        sa.String(500), info={"label": _l("Aliases (separated by commas)")})
    type_id: Mapped[int | None] = ref(CustomerType, nullable=True, label=_l("Customer type"))
    industry_id: Mapped[int | None] = ref(Industry, nullable=True, label=_l("Industry"))
    source_id: Mapped[int | None] = ref(LeadSource, nullable=True, label=_l("Source"))
    county: Mapped[str | None] = mapped_column(sa.String(64), info={"label": _l("County / district")})
    address: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Address")})
    fax: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Fax")})
    email: Mapped[str | None] = mapped_column(sa.String(254), info={"label": _l("E-mail")})
    website: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Website")})
    trade: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Trade"), "choices": TRADES})
    upstream_id: Mapped[int | None] = ref("crm_customer", nullable=True, ondelete="SET NULL",
                                          label=_l("Upstream customer"))
    tax_code: Mapped[str | None] = mapped_column(
        sa.String(32), index=True, info={"label": _l("Tax code (unified social credit code)")})
    # Type-specific: what a distributor or chain reports about itself.
    warehouse_address: Mapped[str | None] = mapped_column(
        sa.String(255), info={"label": _l("Warehouse address")})
    warehouse_area: Mapped[int | None] = mapped_column(
        sa.Integer, info={"label": _l("Warehouse area (m²)")})
    annual_sales: Mapped[Decimal | None] = mapped_column(
        Money(), info={"label": _l("Annual sales (yuan)")})
    staff_count: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Staff")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
    # The public pool (公海): since when the owner has the customer, why it went back.
    owner_since: Mapped[dt.datetime | None] = mapped_column(
        sa.DateTime, info={"label": _l("Owner since (UTC)")})
    pool_reason: Mapped[str | None] = mapped_column(
        sa.String(255), info={"label": _l("Why in the pool")})
    pool_date: Mapped[dt.datetime | None] = mapped_column(
        sa.DateTime, info={"label": _l("In the pool since (UTC)")})
    # Ticked by whoever saves a customer that looks like an existing one (#6).
    not_duplicate: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(),
        info={"label": _l("Not a duplicate (checked)")})

    def alias_list(self) -> list[str]:
        """The aliases one by one."""
        return split_aliases(self.aliases)


def split_aliases(text: str | None) -> list[str]:
    """Aliases as typed ("华信机电，华信; 南京华信") one by one, trimmed, without repeats."""
    if not text:
        return []
    for separator in ("，", "、", ";", "；", "\n"):
        text = text.replace(separator, ",")
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


class Contact(Model):
    """A person at a customer (联系人) and their part in buying decisions (决策树)."""

    __tablename__ = "crm_contact"
    __label__ = _l("Contact")
    # Changes of these show in the chatter of the contact (#18).
    __tracked__ = ("customer_id", "name", "title", "department", "mobile", "phone", "email",
                   "decision_role", "is_key")

    customer_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Customer"))
    name: Mapped[str] = mapped_column(sa.String(64), index=True, info={"label": _l("Full name")})
    title: Mapped[str | None] = mapped_column(sa.String(64), info={"label": _l("Job title")})
    department: Mapped[str | None] = mapped_column(sa.String(64),
                                                   info={"label": _l("Department")})
    mobile: Mapped[str | None] = mapped_column(sa.String(40), index=True,
                                               info={"label": _l("Mobile")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Office phone")})
    email: Mapped[str | None] = mapped_column(sa.String(254), info={"label": _l("E-mail")})
    decision_role: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Role in the decision"), "choices": DECISION_ROLES})
    is_key: Mapped[bool] = mapped_column(default=False, server_default=sa.false(),
                                         info={"label": _l("Key person")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})


class CustomerRelation(Model):
    """Another customer related to a customer: same group, partner, design institute (关联客户)."""

    __tablename__ = "crm_customer_relation"
    __label__ = _l("Related customer")
    __table_args__ = (sa.UniqueConstraint("customer_id", "related_id"),)

    customer_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Customer"))
    related_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Related customer"))
    kind: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Relation"), "choices": RELATION_KINDS})
    note: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Note")})
