"""Company-wide lookups, pickers, the division boundary of references, folding (#14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer, Industry
from addons.crm_funnel.models import LostReason, Opportunity, SalesMode, Stage
from core.errors import ValidationError
from core.folding import fold_table
from core.lookups import HiddenLookup, set_hidden, usable_in
from core.testing.web import sign_in
from tests.addons.crm_funnel.funnel_fixtures import Funnel, app, funnel  # noqa: F401  (fixtures)
from tests.core.org_fixtures import PASSWORD

CLOSE = dt.date(2026, 12, 15)


def _own_entries(funnel: Funnel) -> dict[str, int]:
    """An industry of EAST's own and one of HQ's own, beside the company-wide ones."""
    with funnel.system() as session:
        east = Industry(division_id=funnel.org.divisions["EAST"], code="E-ONLY", name="华东专用行业")
        hq = Industry(division_id=funnel.org.divisions["HQ"], code="H-ONLY", name="总部专用行业")
        session.add_all([east, hq])
        session.flush()
        return {"east": east.id, "hq": hq.id}


def _login(app: object, login: str) -> TestClient:
    return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)  # type: ignore[arg-type]


def test_lookups_are_seeded_once_company_wide(funnel: Funnel) -> None:
    with funnel.system() as session:
        for model in (Industry, SalesMode, Stage, LostReason):
            divisions = set(session.scalars(sa.select(model.division_id).distinct()))
            assert divisions == {None}, model
        names = list(session.scalars(sa.select(Industry.name)))
        assert len(names) == len(set(names)) == 10


def test_an_hq_users_pickers_offer_each_entry_once_and_only_the_records_division(
        funnel: Funnel, app: object) -> None:
    own = _own_entries(funnel)
    east, hq = funnel.org.divisions["EAST"], funnel.org.divisions["HQ"]
    gm = _login(app, "gm.hq")
    for division, mine, other in ((hq, own["hq"], own["east"]), (east, own["east"], own["hq"])):
        rows = gm.get(f"/m/crm_industry/lookup?q=&division={division}").json()
        names = [row["name"] for row in rows]
        assert len(names) == len(set(names)) == 11
        assert mine in {row["id"] for row in rows} and other not in {row["id"] for row in rows}
    # The new-deal form of an HQ user hands its pickers the record's division.
    form = gm.get("/m/crm_opportunity/new")
    assert form.status_code == 200
    assert f"/m/crm_stage/lookup?division={hq}" in form.text
    assert 'data-depends="sales_mode_id=f-sales_mode_id"' in form.text
    # Stages follow the chosen sales mode.
    with funnel.system() as session:
        si = session.scalar(sa.select(SalesMode.id).where(SalesMode.code == "si_supply"))
    stages = gm.get(f"/m/crm_stage/lookup?q=&division={hq}&sales_mode_id={si}").json()
    assert len(stages) == 6 and all(row["name"].startswith("SI 供货") for row in stages)
    # The API's lookup search: the same rule.
    token = gm.post("/api/v1/auth/token", json={"login": "gm.hq", "password": PASSWORD}).json()
    api = gm.get(f"/api/v1/crm_industry?usable_in={east}&limit=200",
                 headers={"Authorization": f"Bearer {token['token']}"})
    assert api.status_code == 200, api.text
    ids = [row["id"] for row in api.json()["data"]]
    names = [row["name"] for row in api.json()["data"]]
    assert len(names) == len(set(names)) == 11 and own["hq"] not in ids and own["east"] in ids


def test_a_hidden_company_wide_entry_leaves_that_divisions_pickers(funnel: Funnel,
                                                                   app: object) -> None:
    east, hq = funnel.org.divisions["EAST"], funnel.org.divisions["HQ"]
    with funnel.system() as session:
        finance = session.scalar(sa.select(Industry.id).where(Industry.code == "FIN"))
        set_hidden(session, Industry, finance, east, hidden=True)
        assert session.scalar(sa.select(sa.func.count()).select_from(HiddenLookup)) == 1
    gm = _login(app, "gm.hq")
    assert finance not in {r["id"] for r in gm.get(f"/m/crm_industry/lookup?division={east}").json()}
    assert finance in {r["id"] for r in gm.get(f"/m/crm_industry/lookup?division={hq}").json()}
    with funnel.system() as session:
        set_hidden(session, Industry, finance, east, hidden=False)
        assert session.scalar(sa.select(Industry.id).where(
            Industry.id == finance, usable_in(Industry, east))) == finance


def test_a_reference_to_another_divisions_entry_is_refused_on_every_path(
        funnel: Funnel, app: object) -> None:
    own = _own_entries(funnel)
    customer = funnel.org.customers["nanjing"]  # an EAST customer
    # Below the web layer: a plain ORM change, even in the system context.
    with pytest.raises(ValidationError) as refused:
        with funnel.system() as session:
            session.get(Customer, customer).industry_id = own["hq"]
    assert "industry_id" in refused.value.fields and "Industry" in refused.value.message
    # A company-wide entry and the division's own are fine.
    with funnel.as_user("li.na") as session:
        session.get(Customer, customer).industry_id = own["east"]
    # The API refuses it with the field named.
    li = funnel.api(app, "li.na")
    record = li.get(f"/api/v1/crm_customer/{customer}").json()
    answer = li.patch(f"/api/v1/crm_customer/{customer}",
                      json={"industry_id": own["hq"], "version": record["version"]})
    assert answer.status_code in (404, 422), answer.text
    # An HQ user editing an EAST record: the HQ entry is another division's.
    gm = funnel.api(app, "gm.hq")
    record = gm.get(f"/api/v1/crm_customer/{customer}").json()
    answer = gm.patch(f"/api/v1/crm_customer/{customer}",
                      json={"industry_id": own["hq"], "version": record["version"]})
    assert answer.status_code == 422, answer.text
    assert "industry_id" in answer.json()["error"]["fields"]
    # A deal of EAST may not use an HQ customer either.
    with pytest.raises(ValidationError) as refused:
        with funnel.system() as session:
            deal = Opportunity(division_id=funnel.org.divisions["EAST"], name="跨事业部",
                               customer_id=funnel.org.customers["hq"], amount=Decimal("1"),
                               stage_id=funnel.stage("si_supply", "项目信息"),
                               expected_close=CLOSE, owner_id=funnel.org.users["li.na"])
            session.add(deal)
    assert "customer_id" in refused.value.fields


def test_folding_keeps_every_reference_and_every_total(funnel: Funnel) -> None:
    """Per-division copies (as before #14) fold into the company-wide entry."""
    east, hq = funnel.org.divisions["EAST"], funnel.org.divisions["HQ"]
    for login, customer in (("li.na", "nanjing"), ("wang.qiang", "hangzhou")):
        funnel.deal(login, customer=customer, name=f"{customer} deal", amount="1000",
                    stage="商务谈判", close=CLOSE)
    engine = funnel.kernel.engine
    with engine.begin() as connection:
        # Copy every industry into EAST and HQ (the old seeding) and use EAST's copies.
        for division in (east, hq):
            connection.execute(sa.text(
                "INSERT INTO crm_industry (division_id, code, name, name_en, sequence, active, "
                "version, create_date, write_date) SELECT :d, code, name, name_en, sequence, "
                "active, 1, create_date, write_date FROM crm_industry WHERE division_id IS NULL"),
                {"d": division})
        connection.execute(sa.text(
            "UPDATE crm_customer SET industry_id = (SELECT c.id FROM crm_industry c "
            "WHERE c.division_id = :d AND c.code = 'MFG')"), {"d": east})
        connection.execute(sa.text("DELETE FROM crm_industry WHERE division_id IS NULL"))
        # An entry only EAST has stays EAST's.
        connection.execute(sa.text(
            "INSERT INTO crm_industry (division_id, code, name, sequence, active, version, "
            "create_date, write_date) VALUES (:d, 'X', '华东独有', 10, :t, 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"d": east, "t": True})
        total = "SELECT i.name, count(*) FROM crm_customer c JOIN crm_industry i " \
                "ON i.id = c.industry_id GROUP BY i.name ORDER BY i.name"
        before = connection.execute(sa.text(total)).all()
        assert connection.execute(sa.text("SELECT count(*) FROM crm_industry")).scalar() == 21
        folded = fold_table(connection, "crm_industry")
        assert folded == 10
        assert connection.execute(sa.text(total)).all() == before
        rows = connection.execute(sa.text(
            "SELECT division_id, count(*) FROM crm_industry GROUP BY division_id "
            "ORDER BY division_id")).all()
        assert sorted(rows, key=str) == sorted([(None, 10), (east, 1)], key=str)
        assert connection.execute(sa.text(
            "SELECT count(*) FROM crm_customer WHERE industry_id NOT IN "
            "(SELECT id FROM crm_industry)")).scalar() == 0
        assert fold_table(connection, "crm_industry") == 0


def test_import_finds_a_stage_by_its_name_within_the_rows_sales_mode(funnel: Funnel) -> None:
    import csv
    import io

    from core.context import acting_as
    from core.dataexchange import run_import

    buffer = io.StringIO()
    csv.writer(buffer).writerows([
        ["名称", "客户", "销售模式", "阶段", "金额", "预计成交日期"],
        ["南京甲", "NANJING", "SI 供货", "商务谈判", "1000", "2026-12-31"],
        ["南京乙", "NANJING", "项目销售", "商务谈判", "2000", "2026-12-31"],
        ["南京丙", "NANJING", "project_sale", "SI 供货 · 05 商务谈判", "3000", "2026-12-31"],
    ])
    data = buffer.getvalue().encode("utf-8-sig")
    with acting_as(funnel.org.actor(funnel.kernel, "li.na")):
        refused = run_import(funnel.kernel, Opportunity, data, filename="商机.csv")
        # The full name still works, and still has to fit the row's mode.
        assert [e.row for e in refused.errors] == [4], refused.errors
        lines = data.decode("utf-8-sig").splitlines()
        result = run_import(funnel.kernel, Opportunity, "\n".join(lines[:3]).encode(),
                            filename="商机.csv")
        assert not result.errors, result.errors
    with funnel.system() as session:
        stages = dict(session.execute(sa.select(Opportunity.name, Stage.full_name)
                                      .join(Stage, Stage.id == Opportunity.stage_id)).all())
    assert stages == {"南京甲": "SI 供货 · 05 商务谈判", "南京乙": "项目销售 · 05 商务谈判"}


def test_an_administrator_hides_a_company_wide_entry_from_its_form(funnel: Funnel,
                                                                  app: object) -> None:
    from tests.conftest import ADMIN_PASSWORD

    with funnel.system() as session:
        finance = session.scalar(sa.select(Industry.id).where(Industry.code == "FIN"))
    admin = TestClient(app, headers={"Accept-Language": "en"})  # type: ignore[arg-type]
    token = admin.post("/api/v1/auth/token", json={"login": "admin", "password": ADMIN_PASSWORD})
    admin.headers["Authorization"] = f"Bearer {token.json()['token']}"
    hidden = admin.post(f"/api/v1/crm_industry/{finance}/actions/hide_here", json={"values": {}})
    assert hidden.status_code == 200, hidden.text
    rep = funnel.api(app, "li.na")
    refused = rep.post(f"/api/v1/crm_industry/{finance}/actions/offer_here", json={"values": {}})
    assert refused.status_code == 403
    with funnel.system() as session:
        assert session.scalar(sa.select(HiddenLookup.entry_id)) == finance
