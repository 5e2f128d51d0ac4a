"""Checks on customers, contacts and categories: formats, the category tree, duplicates.

They run below the web layer on every flush made for a user (forms, API,
actions) and on every import chunk, so all paths refuse the same input with
the same messages. The system context (installs, demo data, jobs) is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Contact, Customer, ProductCategory, split_aliases
from core.context import current_actor, system_context
from core.dataexchange import ImportCheck
from core.dataexchange.checks import IMPORT_DIVISION
from core.dataexchange.importing import ImportRow, RowError
from core.db import serialise
from core.errors import ValidationError
from core.i18n import _
from core.models import User

_PHONE = re.compile(r"^[0-9+()（）\-\s/#转extEXT.]{3,40}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEBSITE = re.compile(r"^(https?://)?[\w\-]+(\.[\w\-]+)+([/?#].*)?$")
# Unified social credit code (18), or an older tax registration number (15 or 20).
_TAX_CODE = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{18}$|^[0-9A-Z]{20}$")


def _phone_ok(text: str) -> bool:
    return bool(_PHONE.match(text)) and sum(c.isdigit() for c in text) >= 3


def format_problems(values: dict[str, Any], *, phones: Sequence[str] = ("phone",)) -> dict[str, str]:
    """A message per field whose value is not a phone, e-mail, website or tax code."""
    problems: dict[str, str] = {}
    for name in (*phones, "fax", "mobile"):
        text = values.get(name)
        if text and not _phone_ok(str(text)):
            problems[name] = _("Enter a phone number such as 025-84561234 or 13912345678.")
    if values.get("email") and not _EMAIL.match(str(values["email"])):
        problems["email"] = _("Enter an e-mail address such as wang@example.cn.")
    if values.get("website") and not _WEBSITE.match(str(values["website"])):
        problems["website"] = _("Enter a website such as www.example.cn.")
    if values.get("tax_code") and not _TAX_CODE.match(str(values["tax_code"]).upper()):
        problems["tax_code"] = _("A tax code has 18 letters and digits (older ones 15 or 20).")
    for name in ("warehouse_area", "staff_count", "annual_sales"):
        number = values.get(name)
        if number is not None and number < 0:
            problems[name] = _("Cannot be negative.")
    return problems


# ---------------------------------------------------------------- duplicates


@dataclass
class Match:
    """An existing customer that looks like the one being saved, and why.

    `visible`: whether the user may read it. A customer the user's rules hide is
    never named, not even its owner (#13): the message says one exists and to ask
    a manager.
    """

    id: int
    code: str
    name: str
    owner: str | None
    reasons: list[str] = field(default_factory=list)
    visible: bool = True

    def describe(self) -> str:
        if not self.visible:
            return _("a customer you may not see")
        owner = self.owner or _("the public pool")
        return _("{name} ({code}, {owner})").format(name=self.name, code=self.code, owner=owner)


@dataclass(frozen=True)
class Candidate:
    """What identifies a customer being saved or imported."""

    name: str | None
    aliases: tuple[str, ...]
    phone: str | None
    tax_code: str | None
    exclude_id: int | None = None

    @classmethod
    def of(cls, values: dict[str, Any], exclude_id: int | None = None) -> Candidate:
        tax = values.get("tax_code")
        return cls(values.get("name"), tuple(split_aliases(values.get("aliases"))),
                   values.get("phone") or None, str(tax).upper() if tax else None, exclude_id)

    @property
    def names(self) -> set[str]:
        return {n for n in (self.name, *self.aliases) if n}


REASON_FIELDS = {"name": "name", "alias": "aliases", "phone": "phone", "tax_code": "tax_code"}


def _reasons(candidate: Candidate, name: str, aliases: str | None, phone: str | None,
             tax_code: str | None) -> list[str]:
    reasons = []
    if candidate.name and candidate.name == name:
        reasons.append("name")
    theirs = {name, *split_aliases(aliases)}
    if (candidate.names & theirs) and "name" not in reasons:
        reasons.append("alias")
    if candidate.phone and candidate.phone == phone:
        reasons.append("phone")
    if candidate.tax_code and tax_code and candidate.tax_code == tax_code.upper():
        reasons.append("tax_code")
    return reasons


class DuplicateIndex:
    """The identifying values of a division's customers, for checking many rows at once.

    One query per chunk of rows finds the customers sharing a name, phone or
    tax code; alias lists are one text column, compared in Python.
    """

    def __init__(self, session: Session, division_id: int) -> None:
        self.session = session
        self.division_id = division_id

    def _rows(self, candidates: Sequence[Candidate]) -> list[Any]:
        names = set().union(*(c.names for c in candidates)) if candidates else set()
        phones = {c.phone for c in candidates if c.phone}
        taxes = {c.tax_code for c in candidates if c.tax_code}
        has_aliases = sa.and_(Customer.aliases.is_not(None), Customer.aliases != "")
        if len(names) <= 10:  # a form: search the alias lists in SQL
            conditions = [Customer.aliases.contains(name, autoescape=True) for name in names]
        else:  # an import chunk: every customer that has aliases, compared below
            conditions = [has_aliases]
        if names:
            conditions.append(Customer.name.in_(names))
        if phones:
            conditions.append(Customer.phone.in_(phones))
        if taxes:
            conditions.append(sa.func.upper(Customer.tax_code).in_(taxes))
        if not conditions:
            return []
        statement = (
            sa.select(Customer.id, Customer.code, Customer.name, Customer.aliases,
                      Customer.phone, Customer.tax_code, User.name.label("owner"))
            .outerjoin(User, User.id == Customer.owner_id)
            .where(Customer.division_id == self.division_id, sa.or_(*conditions))
        )
        # Another rep's customer counts too: that is what the check is for (#6). Two
        # users saving the same customer at once are serialised here (#13).
        serialise(self.session, "crm_customer.duplicates", self.division_id)
        with system_context(), self.session.no_autoflush:
            return list(self.session.execute(statement))

    def _visible(self, ids: set[int]) -> set[int]:
        """Which of `ids` the current user's record rules show."""
        if not ids or current_actor().system:
            return ids
        with self.session.no_autoflush:
            return set(self.session.scalars(sa.select(Customer.id).where(Customer.id.in_(sorted(ids)))))

    def matches(self, candidates: Sequence[Candidate]) -> list[list[Match]]:
        """For each candidate, the existing customers it duplicates."""
        by_key: dict[tuple[str, str], list[Any]] = {}
        found_rows = self._rows(candidates)
        visible = self._visible({row.id for row in found_rows})
        for row in found_rows:
            keys = [("name", n) for n in {row.name, *split_aliases(row.aliases)}]
            keys += [("phone", row.phone)] if row.phone else []
            keys += [("tax_code", row.tax_code.upper())] if row.tax_code else []
            for key in keys:
                by_key.setdefault(key, []).append(row)
        result = []
        for candidate in candidates:
            keys = [("name", n) for n in candidate.names]
            keys += [("phone", candidate.phone)] if candidate.phone else []
            keys += [("tax_code", candidate.tax_code)] if candidate.tax_code else []
            rows = {row.id: row for key in keys for row in by_key.get(key, ())}
            found = []
            for row in rows.values():
                if row.id == candidate.exclude_id:
                    continue
                reasons = _reasons(candidate, row.name, row.aliases, row.phone, row.tax_code)
                if reasons:
                    found.append(Match(row.id, row.code, row.name, row.owner, reasons,
                                       visible=row.id in visible))
            result.append(sorted(found, key=lambda match: match.id))
        return result


def duplicate_message(matches: Sequence[Match]) -> str:
    """"Looks like an existing customer: ..." naming up to five of those the user may
    read; customers the user may not see are only said to exist (#13)."""
    shown = [match for match in matches if match.visible]
    if not shown:
        return _("A customer with this name, phone or tax code already exists; "
                 "ask your manager.")
    names = "; ".join(match.describe() for match in shown[:5])
    if len(shown) < len(matches):
        return _("This looks like an existing customer: {names}, and a customer you may not "
                 "see. Ask your manager before saving.").format(names=names)
    return _("This looks like an existing customer: {names}. Merge it, or tick "
             "\"Not a duplicate\" to save anyway.").format(names=names)


def duplicate_fields(matches: Sequence[Match]) -> dict[str, str]:
    """The fields that matched, each with the customers it matched (hidden ones unnamed)."""
    fields: dict[str, list[Match]] = {}
    for match in matches:
        for reason in match.reasons:
            fields.setdefault(REASON_FIELDS[reason], []).append(match)
    result = {}
    for name, found in fields.items():
        shown = [m for m in found if m.visible]
        result[name] = _("Same as {names}.").format(
            names="; ".join(m.describe() for m in shown[:3])) if shown else _(
            "A customer with this value already exists; ask your manager.")
    return result


def find_duplicates(session: Session, values: dict[str, Any], *, division_id: int,
                    exclude_id: int | None = None) -> list[Match]:
    """Customers of the division with the same name, alias, phone or tax code as `values`."""
    candidate = Candidate.of(values, exclude_id)
    return DuplicateIndex(session, division_id).matches([candidate])[0]


# -------------------------------------------------------------- on flush

IDENTITY = ("name", "aliases", "phone", "tax_code")


def _changed(record: Any, names: Iterable[str]) -> list[str]:
    """Which of `names` a new record has, or an existing one changes in this flush."""
    state = sa.inspect(record)
    if state.transient or state.pending:
        return list(names)
    return [name for name in names if state.attrs[name].history.has_changes()]


def _values(record: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _check_formats(record: Any, names: Iterable[str]) -> None:
    """Check the formats of the fields that change (old data is left as it was)."""
    problems = format_problems(_values(record, _changed(record, names)))
    if problems:
        raise ValidationError(_("Please correct the marked fields."), fields=problems)


def check_customer(session: Session, customer: Customer) -> None:
    """Refuse a badly formatted customer, or one that duplicates another unless ticked."""
    from addons.crm_customer.merge import merging

    if merging(session, customer.id):
        return
    _check_formats(customer, ("phone", "fax", "email", "website", "tax_code", "warehouse_area",
                              "staff_count", "annual_sales"))
    if customer.not_duplicate or not _changed(customer, IDENTITY) or customer.division_id is None:
        return
    matches = find_duplicates(session, _values(customer, IDENTITY),
                              division_id=customer.division_id, exclude_id=customer.id)
    if matches:
        raise ValidationError(duplicate_message(matches), fields=duplicate_fields(matches))


def check_contact(contact: Contact) -> None:
    """Refuse a contact whose phones or e-mail are not valid."""
    _check_formats(contact, ("phone", "mobile", "email"))


def check_category(session: Session, category: ProductCategory) -> None:
    """A category's code extends its parent's code (A → A01 → A0101)."""
    if category.parent_id is None:
        return
    with session.no_autoflush:
        parent = session.get(ProductCategory, category.parent_id)
    if parent is not None and not _extends(category.code, parent.code):
        message = _("The code must start with the parent's code {code} and be longer.") \
            .format(code=parent.code)
        raise ValidationError(message, fields={"code": message})
    if parent is not None and parent.id == category.id:
        message = _("A category cannot be its own parent.")
        raise ValidationError(message, fields={"parent_id": message})


def _extends(code: str, parent_code: str) -> bool:
    return code.startswith(parent_code) and len(code) > len(parent_code)


def check_records(session: Session, records: list[Any]) -> None:
    """Customers, contacts and categories a user saves (kehu_prepare_records)."""
    if current_actor().system:
        return
    for record in records:
        if isinstance(record, Customer):
            check_customer(session, record)
        elif isinstance(record, Contact):
            check_contact(record)
        elif isinstance(record, ProductCategory):
            check_category(session, record)


# --------------------------------------------------------------- on import


def _import_customers(session: Session, rows: Sequence[ImportRow]) -> list[RowError]:
    """Format problems, and rows that duplicate a customer or an earlier row of the file."""
    errors: list[RowError] = []
    checked: list[ImportRow] = []
    for row in rows:
        problems = format_problems(row.values)
        errors += [row.error(name, message) for name, message in problems.items()]
        if not problems and not row.values.get("not_duplicate"):
            checked.append(row)
    if not checked:
        return errors
    division_id = session.info.get(IMPORT_DIVISION, current_actor().division_id)
    if division_id is None:
        return errors
    index = DuplicateIndex(session, division_id)
    candidates = [Candidate.of(row.values) for row in checked]
    for row, matches in zip(checked, index.matches(candidates), strict=True):
        if matches:
            fields = duplicate_fields(matches)
            name = next(iter(fields))
            errors.append(row.error(name, duplicate_message(matches)))
    errors += _within_chunk(checked, candidates, {e.row for e in errors})
    return errors


def _within_chunk(rows: Sequence[ImportRow], candidates: Sequence[Candidate],
                  refused: set[int]) -> list[RowError]:
    """Rows of the same chunk that name the same customer as an earlier row."""
    seen: dict[tuple[str, str], int] = {}
    errors = []
    for row, candidate in zip(rows, candidates, strict=True):
        keys = [("name", n) for n in candidate.names]
        keys += [("phone", candidate.phone)] if candidate.phone else []
        keys += [("tax_code", candidate.tax_code)] if candidate.tax_code else []
        match = next((key for key in keys if key in seen), None)
        if match is not None and row.number not in refused:
            errors.append(row.error(match[0], _("Row {row} of this file names the same "
                                                "customer.").format(row=seen[match])))
        for key in keys:
            seen.setdefault(key, row.number)
    return errors


def _import_contacts(session: Session, rows: Sequence[ImportRow]) -> list[RowError]:
    errors = []
    for row in rows:
        problems = format_problems(row.values)
        errors += [row.error(name, message) for name, message in problems.items()]
    return errors


def _import_categories(session: Session, rows: Sequence[ImportRow]) -> list[RowError]:
    parents = {row.values["parent_id"] for row in rows if row.values.get("parent_id")}
    with session.no_autoflush:
        codes = dict(session.execute(sa.select(ProductCategory.id, ProductCategory.code)
                                     .where(ProductCategory.id.in_(parents))).all()) if parents else {}
    errors = []
    for row in rows:
        parent = codes.get(row.values.get("parent_id") or 0)
        if parent is not None and not _extends(row.values["code"], parent):
            errors.append(row.error("code", _("The code must start with the parent's code "
                                              "{code} and be longer.").format(code=parent)))
    return errors


# Collected by the kernel through kehu_register_import_checks (__init__.py).
IMPORT_CHECKS = [ImportCheck(Customer, _import_customers), ImportCheck(Contact, _import_contacts),
                 ImportCheck(ProductCategory, _import_categories)]
