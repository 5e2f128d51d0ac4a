"""Opportunities and leads imported from a file get what a saved form gives them.

The kernel's import writes each chunk with one executemany, without a flush,
so `pipeline.follow_stages` does not see the rows. Here an import check refuses
rows whose stage does not fit (row by row, with the reason); each chunk's rows
are completed before the insert (kehu_prepare_import_rows): the sales mode and
probability from the stage, the placement from the owner and customer; after
it (kehu_on_rows_imported) the first entry of each deal's stage history is
written with one INSERT ... SELECT. Imported leads are routed by the
assignment rules like entered ones. Other bulk inserts (demo data,
benchmarks) write these themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_funnel.leads import route_new
from addons.crm_funnel.models import OPEN, Lead, Opportunity, Stage, StageMove
from core.context import current_actor, system_context
from core.dataexchange import ImportCheck
from core.dataexchange.rows import ImportRow, RowError
from core.i18n import _
from core.models import User
from core.orm import utcnow


def _stages(session: Session, ids: Iterable[Any]) -> dict[Any, Stage]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    with system_context(), session.no_autoflush:
        return {s.id: s for s in session.scalars(sa.select(Stage).where(Stage.id.in_(wanted)))}


def check_rows(session: Session, rows: Sequence[ImportRow]) -> list[RowError]:
    """Refuse rows whose stage is archived, of another mode or division, or that are closed."""
    stages = _stages(session, (row.values.get("stage_id") for row in rows))
    division = current_actor().division_id
    errors = []
    for row in rows:
        stage = stages.get(row.values.get("stage_id"))
        mode = row.values.get("sales_mode_id")
        if row.values.get("state") not in (None, OPEN):
            errors.append(row.error("state", _("A new opportunity is open: close it with its "
                                               "buttons.")))
        elif stage is None:
            errors.append(row.error("stage_id", _("Choose the stage of the opportunity.")))
        elif not stage.active:
            errors.append(row.error("stage_id", _("Stage {stage} is archived: choose an active "
                                                  "stage.").format(stage=stage.full_name)))
        elif mode is not None and stage.sales_mode_id != mode:
            errors.append(row.error("stage_id", _("Stage {stage} does not belong to the "
                                                  "opportunity's sales mode.").format(
                stage=stage.full_name)))
        elif division is not None and stage.division_id not in (None, division):
            errors.append(row.error("stage_id", _("Stage {stage} belongs to another division.")
                                    .format(stage=stage.full_name)))
    return errors


def _complete(session: Session, rows: list[dict[str, Any]]) -> None:
    """The sales mode and probability from the stage, the placement from the owner and customer."""
    stages = _stages(session, (row.get("stage_id") for row in rows))
    with system_context(), session.no_autoflush:
        owners: dict[Any, Any] = dict(session.execute(sa.select(User.id, User.department_id).where(
            User.id.in_(sorted({r["owner_id"] for r in rows if r.get("owner_id")})))).all())
        customers: dict[Any, Customer] = {c.id: c for c in session.scalars(sa.select(Customer).where(
            Customer.id.in_(sorted({r["customer_id"] for r in rows if r.get("customer_id")}))))}
    now = utcnow()
    for row in rows:
        stage = stages.get(row.get("stage_id"))
        if stage is not None:
            row["sales_mode_id"] = row.get("sales_mode_id") or stage.sales_mode_id
            row["probability"] = stage.probability
        row["state"] = OPEN
        row["stage_date"] = now
        if row.get("department_id") is None:
            row["department_id"] = owners.get(row.get("owner_id"))
        customer = customers.get(row.get("customer_id"))
        for key in ("region_id", "product_line_id"):
            if row.get(key) is None and customer is not None:
                row[key] = getattr(customer, key)


def write_history(session: Session, written: sa.ColumnElement[bool]) -> None:
    """The first stage-history entry of each deal an import chunk inserted (`written`
    selects them), with one INSERT ... SELECT."""
    source = sa.select(Opportunity.division_id, sa.literal(1), Opportunity.id,
                       Opportunity.stage_id, Opportunity.create_uid, Opportunity.stage_date,
                       Opportunity.create_date, Opportunity.create_date, Opportunity.create_uid,
                       Opportunity.create_uid).where(written)
    with system_context():
        session.execute(sa.insert(StageMove).from_select(
            ["division_id", "version", "opportunity_id", "to_stage_id", "user_id", "moved_at",
             "create_date", "write_date", "create_uid", "write_uid"], source))


_ROUTED = ("owner_id", "department_id", "state", "assigned_at", "deadline", "overdue")


def _route(session: Session, rows: list[dict[str, Any]]) -> None:
    """Imported leads are routed like entered ones (a trade show's list of contacts)."""
    columns = set(Lead.__table__.c.keys())
    for row in rows:
        lead = Lead(**{key: value for key, value in row.items() if key in columns})
        route_new(session, lead)
        row.update({key: getattr(lead, key) for key in _ROUTED})


def prepare_rows(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Complete an import chunk of opportunities or leads (kehu_prepare_import_rows)."""
    if model is Lead:
        _route(session, rows)
    elif model is Opportunity:
        _complete(session, rows)


# Collected by the kernel through kehu_register_import_checks (__init__.py).
IMPORT_CHECKS = [ImportCheck(Opportunity, check_rows)]
