"""Merging a duplicate customer into the one that stays (合并客户).

Every row that points at the duplicate moves to the survivor: the foreign keys
to crm_customer are read from the SQLAlchemy metadata, so the tables of other
addons (opportunities, orders, expenses...) move too without this addon
knowing them. Notes, activities and tracked changes move with the record; the
duplicate's name and aliases become aliases of the survivor.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer, CustomerRelation
from core.audit import Activity, FieldChange, Note
from core.context import Actor, system_context
from core.errors import NotFound, ValidationError
from core.i18n import _
from core.orm import Base

ALIASES_MAX = 500


def customer_references(session: Session) -> list[sa.Column[Any]]:
    """Every column that is a foreign key to crm_customer.id, in the tables of the
    metadata that exist in this database (addons imported but not installed have none)."""
    target = Customer.__table__.c.id
    existing = set(sa.inspect(session.connection()).get_table_names())
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        for column in table.columns:
            if any(fk.column is target for fk in column.foreign_keys):
                found.append(column)
    return found


def _merged_aliases(survivor: Customer, duplicate: Customer) -> str | None:
    names = [*survivor.alias_list(), duplicate.name, *duplicate.alias_list()]
    kept = [name for name in dict.fromkeys(names) if name != survivor.name]
    text = ", ".join(kept)
    if len(text) > ALIASES_MAX:
        message = _("The aliases would be longer than {count} characters: shorten them first.") \
            .format(count=ALIASES_MAX)
        raise ValidationError(message, fields={"aliases": message})
    return text or None


def _fill_blanks(survivor: Customer, duplicate: Customer) -> None:
    """Details only the duplicate knows are kept on the survivor."""
    for name in ("phone", "fax", "email", "website", "address", "county", "tax_code",
                 "region_id", "type_id", "industry_id", "source_id", "trade", "level",
                 "warehouse_address", "warehouse_area", "annual_sales", "staff_count"):
        if getattr(survivor, name) is None and getattr(duplicate, name) is not None:
            setattr(survivor, name, getattr(duplicate, name))


def _drop_clashing_relations(session: Session, survivor_id: int, duplicate_id: int) -> None:
    """Relations that would become a customer's relation to itself or a repeat."""
    relations = cast(sa.Table, CustomerRelation.__table__)
    both = (survivor_id, duplicate_id)
    session.execute(sa.delete(relations).where(relations.c.customer_id.in_(both),
                                               relations.c.related_id.in_(both)))
    for mine, other in (("customer_id", "related_id"), ("related_id", "customer_id")):
        kept = sa.select(relations.c[other]).where(relations.c[mine] == survivor_id)
        session.execute(sa.delete(relations).where(relations.c[mine] == duplicate_id,
                                                   relations.c[other].in_(kept)))


def _move_references(session: Session, survivor_id: int, duplicate_id: int) -> dict[str, int]:
    """Point every reference to the duplicate at the survivor; {table: rows moved}."""
    moved: dict[str, int] = {}
    for column in customer_references(session):
        table = column.table
        values: dict[str, Any] = {column.name: survivor_id}
        if "version" in table.c:  # open forms of the moved rows must reload
            values["version"] = table.c.version + 1
        statement = sa.update(table).where(column == duplicate_id).values(values)
        if table is Customer.__table__:
            statement = statement.where(table.c.id != survivor_id)
        try:
            with session.begin_nested():
                count = cast(sa.CursorResult[Any], session.execute(statement)).rowcount
        except sa.exc.IntegrityError:
            message = _("Both customers have {table} records that may exist only once per "
                        "customer: remove one of them first.").format(table=table.name)
            raise ValidationError(message, fields={"survivor": message}) from None
        if count:
            moved[table.name] = moved.get(table.name, 0) + count
    customers = cast(sa.Table, Customer.__table__)
    session.execute(sa.update(customers).where(
        customers.c.id == survivor_id, customers.c.upstream_id == survivor_id)
        .values(upstream_id=None))
    return moved


def _move_chatter(session: Session, survivor_id: int, duplicate_id: int) -> None:
    table = Customer.__tablename__
    for model in (Note, Activity, FieldChange):
        session.execute(sa.update(model).where(model.model == table, model.res_id == duplicate_id)
                        .values(res_id=survivor_id))


MERGING = "crm_customer_merging"


def merging(session: Session, customer_id: int | None) -> bool:
    """Whether `customer_id` is a survivor taking over a duplicate in this session."""
    return customer_id in session.info.get(MERGING, set())


def _check_pair(duplicate: Customer, survivor: Customer | None) -> Customer:
    if survivor is None:
        message = _("No such record, or you may not see it.")
        raise NotFound(message, fields={"survivor": message})
    if survivor.id == duplicate.id:
        message = _("Choose another customer than this one.")
        raise ValidationError(message, fields={"survivor": message})
    if survivor.division_id != duplicate.division_id:
        message = _("Both customers must belong to the same division.")
        raise ValidationError(message, fields={"survivor": message})
    return survivor


def merge_customers(session: Session, duplicate: Customer, survivor_id: int, *,
                    actor: Actor) -> dict[str, int]:
    """Move everything of `duplicate` to the customer `survivor_id` and delete it.

    The actor must see both customers and may change and delete customers (the
    ORM checks both); the rows of other tables move whatever their rules, as the
    company's records follow their customer. Returns {table: rows moved}.
    """
    survivor = _check_pair(duplicate, session.get(Customer, survivor_id))
    aliases = _merged_aliases(survivor, duplicate)
    duplicate_id, name, code = duplicate.id, duplicate.name, duplicate.code
    taking_over = session.info.setdefault(MERGING, set())
    taking_over.add(survivor.id)
    try:
        _fill_blanks(survivor, duplicate)
        session.flush()  # as the actor: their rights and rules on the survivor
        with system_context():
            _drop_clashing_relations(session, survivor.id, duplicate_id)
            moved = _move_references(session, survivor.id, duplicate_id)
            _move_chatter(session, survivor.id, duplicate_id)
            session.add(Note(model=Customer.__tablename__, res_id=survivor.id,
                             user_id=actor.user_id,
                             body=_("Merged the duplicate customer {name} ({code}) into this "
                                    "one.").format(name=name, code=code)))
            session.flush()
        session.refresh(duplicate)
        session.delete(duplicate)
        session.flush()
        session.refresh(survivor)
        survivor.aliases = aliases
        session.flush()
    finally:
        taking_over.discard(survivor.id)
    return moved


def merge_action(session: Session, customer: Any, actor: Actor, values: dict[str, Any]) -> str:
    """RecordAction handler: merge this customer into the chosen survivor."""
    moved = merge_customers(session, customer, int(values["survivor"]), actor=actor)
    total = sum(moved.values())
    return _("Merged: {count} linked records moved to the remaining customer.").format(count=total)
