"""crm_team takes crm_funnel's visits over with every row; the funnel still counts them (#17)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from core import migrate
from core.context import system_context
from core.installer import initialise, upgrade_database
from core.kernel import boot
from core.models import Division, DivisionAddon, InstalledAddon
from core.settings import Settings

STAMP = dt.datetime(2026, 6, 1)


def _old_database(settings: Settings) -> None:
    """A database as it was before #17: crm_funnel at its head owning `crm_visit`, no crm_team."""
    # The other addons the test databases have stay (their columns are mapped in this process).
    before = [[a for a in d.addons if a not in ("crm_funnel", "crm_team")] for d in settings.divisions]
    initialise(settings.model_copy(update={"divisions": [
        d.model_copy(update={"addons": addons}) for d, addons in zip(settings.divisions, before, strict=True)]}))
    probe = boot(settings, installed=sorted({a for addons in before for a in addons}))
    with probe.engine.begin() as connection:
        migrate.upgrade(connection, probe.catalog, "crm_funnel")
        connection.execute(sa.insert(InstalledAddon.__table__).values(
            name="crm_funnel", version="0.1.0", install_date=STAMP, upgrade_date=STAMP))
        for division_id in connection.scalars(sa.select(Division.id)):
            connection.execute(sa.insert(DivisionAddon.__table__).values(
                division_id=division_id, addon="crm_funnel"))
        _old_rows(connection)
    probe.engine.dispose()


def _old_rows(connection: sa.Connection) -> None:
    """A customer, its decision maker, and three visits recorded the old way."""
    meta = sa.MetaData()
    customer, contact, visit = (sa.Table(name, meta, autoload_with=connection)
                                for name in ("crm_customer", "crm_contact", "crm_visit"))
    hq = connection.scalar(sa.select(Division.id).where(Division.code == "HQ"))
    base = {"division_id": hq, "version": 1, "create_date": STAMP, "write_date": STAMP}
    customer_id = connection.execute(sa.insert(customer).values(
        name="老客户药房", code="OLD1", status="formal", not_duplicate=False,
        **base)).inserted_primary_key[0]
    boss = connection.execute(sa.insert(contact).values(
        customer_id=customer_id, name="孙总", decision_role="decision_maker", is_key=True,
        **base)).inserted_primary_key[0]
    for kind, person in (("visit", boss), ("meeting", None), ("call", boss)):
        connection.execute(sa.insert(visit).values(
            visited_on=dt.date(2026, 6, 2), kind=kind, customer_id=customer_id,
            contact_id=person, summary=f"旧{kind}", **base))


@pytest.mark.empty_db
def test_old_visits_survive_the_takeover_and_the_funnel_counts_old_and_new(
        settings: Settings) -> None:
    _old_database(settings)
    assert "crm_team" in upgrade_database(settings)

    kernel = boot(settings)
    from addons.crm_funnel import reports as funnel_reports
    from addons.crm_team.models import Visit
    from core.reports import run_report

    with system_context(), kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division.id).where(Division.code == "HQ"))
        assert "crm_team" in kernel.registry.enabled_for(hq)
        old = list(session.scalars(sa.select(Visit).order_by(Visit.id)))
        assert [(v.kind, v.state, v.without_checkin, v.met_decision_maker) for v in old] == [
            ("visit", "done", True, True), ("meeting", "done", True, False),
            ("call", "done", True, False)]
        new = Visit(customer_id=old[0].customer_id, contact_id=old[0].contact_id,
                    division_id=hq, visited_on=dt.date(2026, 6, 3), summary="新拜访")
        session.add(new)
        session.flush()
        result = run_report(session, funnel_reports.process, columns="")
    assert (result.totals["visits"], result.totals["decision_makers"],
            result.totals["calls"], result.totals["all"]) == (2, 2, 1, 4)
    kernel.engine.dispose()
