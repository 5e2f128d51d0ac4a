"""The customer and service reports count what the reader may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from starlette.testclient import TestClient

from addons.crm_customer.models import Customer, Ticket
from addons.crm_customer.reports import customers, service
from core.context import acting_as, system_context
from core.orm import utcnow
from core.reports import run_report
from core.testing.web import sign_in
from tests.core.org_fixtures import PASSWORD


def test_the_customer_spread_counts_by_level_within_the_managers_reach(kernel, org) -> None:
    with system_context(), kernel.sessions.begin() as session:
        for key, level, sales in (("nanjing", "A", "1200000.00"), ("hangzhou", "A", "800000.50"),
                                  ("second", "C", None), ("shanghai", "B", None)):
            customer = session.get(Customer, org.customers[key])
            customer.level, customer.annual_sales = level, sales and Decimal(sales)
    with acting_as(org.actor(kernel, "mgr")), kernel.session() as session:
        result = run_report(session, customers, rows="level", columns="")
    # The manager's department holds nanjing, hangzhou and second; shanghai is not his.
    assert result.row_totals["A"]["count"] == 2 and result.row_totals["C"]["count"] == 1
    assert "B" not in result.row_totals
    assert result.totals["annual_sales"] == Decimal("2000000.50")
    with acting_as(org.actor(kernel, "gm.east")), kernel.session() as session:
        everything = run_report(session, customers, rows="level", columns="")
    assert everything.totals["count"] == 4 and everything.row_totals["B"]["in_pool"] == 1


def test_the_service_report_averages_satisfaction_and_counts_late_tickets(app, kernel,
                                                                         org) -> None:
    now = utcnow()
    with system_context(), kernel.sessions.begin() as session:
        for subject, score, late in (("报警 E07", "5", False), ("到货延误", "2", True),
                                     ("安装指导", "4", False)):
            session.add(Ticket(division_id=org.divisions["EAST"], customer_id=org.customers["nanjing"],
                               subject=subject, kind="complaint", state="closed", satisfaction=score,
                               due_at=now, resolved_at=now + dt.timedelta(hours=5 if late else -5)))
    with acting_as(org.actor(kernel, "svc")), kernel.session() as session:
        result = run_report(session, service, rows="kind", columns="")
    assert result.totals["count"] == 3 and result.totals["late"] == 1
    assert result.totals["satisfaction"] == Decimal("3.67")
    manager = sign_in(TestClient(app), "mgr", PASSWORD)
    assert manager.get("/r/crm_service_quality").status_code == 200
    rep = sign_in(TestClient(app), "li.na", PASSWORD)
    assert rep.get("/r/crm_service_quality").status_code in (403, 404)
