"""Division first on a new record's form, for a user of several divisions (#14)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_funnel.models import Opportunity, SalesMode
from core.models import Role, User
from core.testing.web import csrf_token, sign_in
from tests.addons.crm_funnel.funnel_fixtures import Funnel, app, funnel  # noqa: F401  (fixtures)
from tests.core.org_fixtures import PASSWORD


def _login(app: object, login: str) -> TestClient:
    return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)  # type: ignore[arg-type]


def _selected(html: str) -> str | None:
    select = re.search(r'<select id="f-division_id".*?</select>', html, re.S)
    if select is None:
        return None
    found = re.search(r'<option value="(\d+)" selected>', select.group(0))
    return found.group(1) if found else None


@pytest.mark.sqlite_only
def test_an_hq_user_chooses_the_division_first_and_a_deal_follows_its_customer(
        funnel: Funnel, app: object) -> None:
    east, hq = funnel.org.divisions["EAST"], funnel.org.divisions["HQ"]
    nanjing = funnel.org.customers["nanjing"]  # an EAST customer
    with funnel.system() as session:
        mode = session.scalar(sa.select(SalesMode.id).where(SalesMode.code == "si_supply"))
        # gm.hq also manages sales (the general manager's role reads deals only).
        user = session.get(User, funnel.org.users["gm.hq"])
        user.roles = [*user.roles, session.scalar(sa.select(Role).where(
            Role.code == "sales_manager"))]
    stage = funnel.stage("si_supply", "商务谈判")
    gm = _login(app, "gm.hq")
    # The form starts in the user's own division, with both divisions to choose from.
    form = gm.get("/m/crm_opportunity/new")
    assert form.status_code == 200
    assert _selected(form.text) == str(hq)
    assert f'<option value="{east}"' in form.text
    assert f"/m/crm_lost_reason/lookup?division={hq}" in form.text or \
        f"/m/crm_stage/lookup?division={hq}" in form.text
    # The customer picker offers the customers of every division of the user: picking
    # one moves the form to the customer's division.
    assert re.search(r'data-lookup="/m/crm_customer/lookup"[^>]*data-sets-division', form.text)
    assert "data-sets-division" in form.text and "data-follows-division" in form.text
    # Asked for EAST (or opened for an EAST customer): every picker asks for EAST's rows.
    for query in (f"division_id={east}", f"customer_id={nanjing}"):
        form = gm.get(f"/m/crm_opportunity/new?{query}")
        assert _selected(form.text) == str(east), query
        assert f"/m/crm_stage/lookup?division={east}" in form.text
        assert f"/m/kehu_user/lookup?division={east}" in form.text  # owners of EAST
    # The customer picker tells the page which division a customer is in.
    rows = gm.get(f"/m/crm_customer/lookup?q=南京华信&division={east}").json()
    assert rows == [{"id": nanjing, "name": "南京华信机电有限公司", "division": east}]
    # Owners offered for EAST: EAST's staff and headquarters', nobody else's.
    owners = {row["name"] for row in gm.get(f"/m/kehu_user/lookup?q=&division={east}").json()}
    assert {"li.na", "gm.hq"} <= owners
    deal = {"name": "南京地铁10号线", "customer_id": str(nanjing), "amount": "800000",
            "expected_close": "2026-12-20", "sales_mode_id": str(mode), "stage_id": str(stage),
            "csrf_token": csrf_token(form.text)}
    # Kept in HQ while the customer is EAST's: refused, the customer field named.
    refused = gm.post("/m/crm_opportunity/new", data={**deal, "division_id": str(hq)},
                      follow_redirects=False)
    assert refused.status_code == 422, refused.text
    assert 'id="e-customer_id"' in refused.text and "Customer: the chosen entry" in refused.text
    assert _selected(refused.text) == str(hq)  # the form comes back as it was sent
    # In EAST: saved there.
    saved = gm.post("/m/crm_opportunity/new", data={**deal, "division_id": str(east)},
                    follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with funnel.system() as session:
        record = session.scalar(sa.select(Opportunity).where(Opportunity.name == "南京地铁10号线"))
        assert record is not None and record.division_id == east
    # Through the API (no division given) the deal follows its customer.
    api = funnel.api(app, "gm.hq")
    answer = api.post("/api/v1/crm_opportunity", json={
        "name": "南京地铁11号线", "customer_id": nanjing, "amount": "1000",
        "expected_close": "2026-12-21", "sales_mode_id": mode, "stage_id": stage})
    assert answer.status_code == 201, answer.text
    with funnel.system() as session:
        assert session.scalar(sa.select(Opportunity.division_id).where(
            Opportunity.name == "南京地铁11号线")) == east


@pytest.mark.sqlite_only
def test_a_user_of_one_division_gets_no_division_choice(funnel: Funnel, app: object) -> None:
    li = _login(app, "li.na")
    form = gm_form = li.get("/m/crm_opportunity/new")
    assert form.status_code == 200 and 'id="f-division_id"' not in gm_form.text
    # Nor does an existing record's form: its division is fixed.
    deal = funnel.deal("li.na", customer="nanjing", name="南京一号", amount="1",
                       stage="商务谈判", close=__import__("datetime").date(2026, 12, 1))
    gm = _login(app, "gm.hq")
    page = gm.get(f"/m/crm_opportunity/{deal}?edit=1")  # the form, with its pickers (#19)
    assert page.status_code == 200 and 'id="f-division_id"' not in page.text
    assert f"/m/crm_stage/lookup?division={funnel.org.divisions['EAST']}" in page.text
