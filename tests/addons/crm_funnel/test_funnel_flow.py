"""From a lead to a signed contract through the REST API (#7), and the refusals on the way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Contact, Customer
from addons.crm_funnel import reports
from addons.crm_funnel.models import (
    CompetitorCompany,
    Contract,
    FunnelSetting,
    Lead,
    LeadRule,
    Opportunity,
    PriceHistory,
    Quote,
    QuoteLine,
    SalesMode,
    StageMove,
)
from core.lookups import usable_in
from core.models import Region
from core.reports import run_report
from core.testing.web import csrf_token, sign_in
from core.workflow import fire
from tests.addons.crm_funnel.funnel_fixtures import Funnel, app, funnel  # noqa: F401  (fixtures)
from tests.core.org_fixtures import PASSWORD

API = "/api/v1"


def _region(funnel: Funnel, code: str) -> int:
    with funnel.system() as session:
        return int(session.scalar(sa.select(Region.id).where(Region.code == code)))


def _mode(funnel: Funnel, code: str) -> int:
    with funnel.system() as session:
        return int(session.scalar(sa.select(SalesMode.id).where(
            SalesMode.code == code, usable_in(SalesMode, funnel.org.divisions["EAST"]))))


def _forecast(funnel: Funnel) -> Decimal:
    """The weighted forecast as the sales manager sees it."""
    with funnel.as_user("mgr") as session:
        return Decimal(run_report(session, reports.forecast, rows="month", columns="")
                       .totals["weighted"])


def test_a_lead_becomes_a_signed_contract(funnel: Funnel, app) -> None:
    with funnel.system() as session:
        session.add(LeadRule(division_id=funnel.org.divisions["EAST"], name="江苏线索",
                             region_id=_region(funnel, "320000"),
                             user_id=funnel.org.users["li.na"], follow_up_days=2))
    pump = funnel.product("P-PUMP", "智能变频水泵", price="10000", floor="9500")

    # Marketing enters a lead from a trade show; the rule routes it to li.na (江苏).
    marketing = funnel.api(app, "mkt")
    answer = marketing.post(f"{API}/crm_lead", json={
        "name": "苏州工业园区污水厂泵站改造", "company": "苏州园区清源水务有限公司",
        "contact_name": "周建国", "phone": "13951100000",
        "region_id": _region(funnel, "320500"), "amount": "500000"})
    assert answer.status_code == 201, answer.text
    lead = answer.json()
    assert (lead["state"], lead["owner_id"]["id"]) == ("assigned", funnel.org.users["li.na"])
    assert lead["deadline"] == str(dt.date.today() + dt.timedelta(days=2))

    # A rep may not qualify; the manager does (认定), which opens the opportunity.
    values = {"sales_mode": _mode(funnel, "si_supply"), "expected_close": "2026-12-20",
              "amount": "600000"}
    li = funnel.api(app, "li.na")
    refused = li.post(f"{API}/crm_lead/{lead['id']}/actions/qualify", json={"values": values})
    assert refused.status_code == 403
    manager = funnel.api(app, "mgr")
    answer = manager.post(f"{API}/crm_lead/{lead['id']}/actions/qualify", json={"values": values})
    assert answer.status_code == 200, answer.text
    assert answer.json()["record"]["state"] == "converted"
    with funnel.system() as session:
        converted = session.get(Lead, lead["id"])
        deal_id = converted.opportunity_id
        customer = session.get(Customer, converted.customer_id)
        assert customer.name == "苏州园区清源水务有限公司"
        assert session.scalar(sa.select(Contact.name).where(Contact.customer_id == customer.id)) \
            == "周建国"

    assert _forecast(funnel) == Decimal("60000.00")  # 600,000 × 10%

    # The rep works the deal: two stage moves, each in the history.
    deal = li.get(f"{API}/crm_opportunity/{deal_id}").json()
    assert (deal["probability"], deal["amount"], deal["owner_id"]["id"]) == (
        10, "600000.00", funnel.org.users["li.na"])
    for stage in ("方案提供", "商务谈判"):
        deal = li.patch(f"{API}/crm_opportunity/{deal_id}", json={
            "stage_id": funnel.stage("si_supply", stage), "version": deal["version"]}).json()
    assert deal["probability"] == 80
    assert _forecast(funnel) == Decimal("480000.00")
    # Probability and status are not typed in: the stage and the closing buttons set them.
    for field, value in (("probability", 95), ("state", "won")):
        refused = li.patch(f"{API}/crm_opportunity/{deal_id}",
                           json={field: value, "version": deal["version"]})
        assert refused.status_code == 422 and field in refused.json()["error"]["fields"]

    # A quote below the floor price cannot be confirmed: it goes to the manager.
    answer = li.post(f"{API}/crm_quote", json={
        "opportunity_id": deal_id, "customer_id": customer.id,
        "lines": [{"product_id": pump, "quantity": 40, "price": "9000"}]})
    assert answer.status_code == 201, answer.text
    quote = answer.json()
    assert quote["total"] == "360000.00" and quote["number"].startswith("BJ-")
    assert "floor price" in quote["approval_reason"]
    refused = li.post(f"{API}/crm_quote/{quote['id']}/actions/confirm", json={})
    assert refused.status_code == 409 and "approval" in refused.json()["error"]["message"]
    assert li.post(f"{API}/crm_quote/{quote['id']}/actions/submit", json={}).status_code == 200
    answer = manager.post(f"{API}/crm_quote/{quote['id']}/actions/approve", json={})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "approved"

    # Won: the contract takes the approved quote's lines.
    answer = li.post(f"{API}/crm_opportunity/{deal_id}/actions/close_won", json={"values": {}})
    assert answer.status_code == 200, answer.text
    won = answer.json()["record"]
    assert (won["state"], won["probability"], won["amount"]) == ("won", 100, "360000.00")
    assert won["stage_id"]["id"] == funnel.stage("si_supply", "签订合同")
    with funnel.system() as session:
        contract = session.scalar(sa.select(Contract).where(Contract.opportunity_id == deal_id))
        assert contract.number.startswith("HT-") and contract.amount == Decimal("360000.00")
        assert [(line.product_id, line.quantity, line.price) for line in contract.lines] == [
            (pump, 40, Decimal("9000.00"))]
        assert contract.quote_id == quote["id"]
        assert session.scalar(sa.select(sa.func.count()).select_from(StageMove)
                              .where(StageMove.opportunity_id == deal_id)) == 4
        assert session.scalar(sa.select(PriceHistory.price).where(
            PriceHistory.customer_id == customer.id)) == Decimal("9000.00")
    # The manager's forecast no longer counts it; the win/loss report does.
    assert _forecast(funnel) == Decimal("0.00")
    with funnel.as_user("mgr") as session:
        assert run_report(session, reports.win_loss, rows="state").totals["won"] == 1
    # A won deal is closed: its stage no longer moves.
    answer = li.patch(f"{API}/crm_opportunity/{deal_id}", json={
        "stage_id": funnel.stage("si_supply", "项目信息"), "version": won["version"]})
    assert answer.status_code == 422


def test_lost_needs_a_reason_and_the_winner_when_a_competitor_won(funnel: Funnel, app) -> None:
    deal = funnel.deal("li.na", customer="nanjing", name="南京地铁7号线综合监控",
                       amount="900000", stage="确定方案", close=dt.date(2026, 12, 1))
    with funnel.system() as session:
        rival = CompetitorCompany(division_id=funnel.org.divisions["EAST"], name="北京华控科技")
        session.add(rival)
        session.flush()
        rival_id = rival.id
        reasons = dict(session.execute(sa.text(
            "SELECT code, id FROM crm_lost_reason WHERE division_id = :d OR division_id IS NULL"),
            {"d": funnel.org.divisions["EAST"]}).all())
    li = funnel.api(app, "li.na")
    url = f"{API}/crm_opportunity/{deal}/actions/close_lost"
    answer = li.post(url, json={"values": {}})
    assert answer.status_code == 422 and "reason" in answer.json()["error"]["fields"]
    answer = li.post(url, json={"values": {"reason": reasons["competitor"]}})
    assert answer.status_code == 422 and "competitor" in answer.json()["error"]["fields"]
    answer = li.post(url, json={"values": {"reason": reasons["competitor"],
                                           "competitor": rival_id, "note": "对方低价15%"}})
    assert answer.status_code == 200, answer.text
    with funnel.system() as session:
        record = session.get(Opportunity, deal)
        assert (record.state, record.won_competitor_id, record.probability) == ("lost", rival_id, 0)
        assert record.lost_reason_id == reasons["competitor"] and record.lost_note == "对方低价15%"
    # Lost is closed: the amount stays as it was; the rep may not reopen, the manager may.
    version = li.get(f"{API}/crm_opportunity/{deal}").json()["version"]
    answer = li.patch(f"{API}/crm_opportunity/{deal}", json={"amount": "1", "version": version})
    assert answer.status_code == 422
    assert li.post(f"{API}/crm_opportunity/{deal}/actions/reopen", json={}).status_code == 403
    answer = funnel.api(app, "mgr").post(f"{API}/crm_opportunity/{deal}/actions/reopen", json={})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["record"]["state"], answer.json()["record"]["probability"]) == ("open", 60)


def test_a_price_far_under_the_last_quote_needs_approval(funnel: Funnel) -> None:
    """Price protection: the last price quoted to the customer binds every rep."""
    valve = funnel.product("P-VALVE", "电动调节阀", price="12000", floor="8000")
    customer = funnel.org.customers["nanjing"]

    def quote(login: str, price: str) -> int:
        with funnel.as_user(login) as session:
            record = Quote(customer_id=customer,
                           lines=[QuoteLine(product_id=valve, quantity=5, price=Decimal(price))])
            session.add(record)
            session.flush()
            if not record.approval_reason:
                fire(session, record, "confirm")
            return int(record.id)

    first = quote("li.na", "10000")
    # The manager quotes 8,500 (over the floor, but 15% under 10,000): approval needed.
    second = quote("mgr", "8500")
    third = quote("li.na", "9200")
    with funnel.system() as session:
        states = {q.id: (q.state, q.approval_reason) for q in session.scalars(sa.select(Quote))}
        # Each line shows what it was measured against.
        second_line = session.get(Quote, second).lines[0]
        assert (second_line.floor_price, second_line.last_price) == (
            Decimal("8000.00"), Decimal("10000.00"))
    assert states[first] == ("approved", None)
    assert states[second][0] == "draft" and "under the last quote" in states[second][1]
    assert states[third] == ("approved", None)
    # The division allows a larger drop: 8,000 (13% under 9,200) no longer needs approval.
    with funnel.system() as session:
        setting = session.scalar(sa.select(FunnelSetting).where(
            FunnelSetting.division_id == funnel.org.divisions["EAST"]))
        assert setting.max_price_drop == 10
        setting.max_price_drop = 20
    fourth = quote("li.na", "8000")
    with funnel.system() as session:
        assert session.get(Quote, fourth).state == "approved"


def test_the_opportunity_pages_show_the_deal_its_people_and_its_history(funnel: Funnel,
                                                                         app) -> None:
    deal = funnel.deal("li.na", customer="nanjing", name="南京鼓楼医院楼宇自控",
                       amount="300000", stage="项目信息", close=dt.date(2026, 12, 1))
    with funnel.as_user("li.na") as session:
        session.get(Opportunity, deal).stage_id = funnel.stage("si_supply", "方案提供")
    client = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "li.na", PASSWORD)
    form = client.get(f"/m/crm_opportunity/{deal}")
    assert form.status_code == 200
    for text in ("南京鼓楼医院楼宇自控", "Decision tree", "Competitors", "Partners",
                 "Stage history", "SI 供货 · 03 方案提供", "Close won", "Close lost"):
        assert text in form.text, text
    # Saving the form changes the amount; probability and status stay as the stage set them.
    with funnel.system() as session:
        record = session.get(Opportunity, deal)
        fields = {"name": record.name, "customer_id": str(record.customer_id),
                  "amount": "320000", "expected_close": "2026-12-01",
                  "sales_mode_id": str(record.sales_mode_id), "stage_id": str(record.stage_id),
                  "probability": "40", "version": str(record.version)}
    saved = client.post(f"/m/crm_opportunity/{deal}",
                        data={**fields, "csrf_token": csrf_token(form.text)},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    with funnel.system() as session:
        record = session.get(Opportunity, deal)
        assert (record.amount, record.probability, record.state) == (
            Decimal("320000.00"), 40, "open")
    for page in ("/m/crm_opportunity/new", "/m/crm_quote/new", "/m/crm_lead/new",
                 "/m/crm_opportunity/import", "/r"):
        assert client.get(page).status_code == 200, page
    board = client.get("/m/crm_opportunity/kanban")
    assert board.status_code == 200 and "南京鼓楼医院楼宇自控" in board.text
    listing = client.get("/m/crm_opportunity?stage_id=" + str(funnel.stage("si_supply", "方案提供")))
    assert listing.status_code == 200 and "南京鼓楼医院楼宇自控" in listing.text


def test_the_decision_tree_is_saved_with_the_deal(funnel: Funnel, app) -> None:
    deal = funnel.deal("li.na", customer="nanjing", name="南京江宁开发区智慧园区",
                       amount="1500000", stage="售前方案", close=dt.date(2026, 12, 30))
    with funnel.system() as session:
        people = {}
        for key, customer, name, role in (("boss", "nanjing", "陈总", "decision_maker"),
                                          ("other", "second", "赵经理", "influencer")):
            contact = Contact(division_id=funnel.org.divisions["EAST"], name=name,
                              customer_id=funnel.org.customers[customer], decision_role=role)
            session.add(contact)
            session.flush()
            people[key] = contact.id
    li = funnel.api(app, "li.na")
    version = li.get(f"{API}/crm_opportunity/{deal}").json()["version"]
    answer = li.patch(f"{API}/crm_opportunity/{deal}", json={"version": version, "contacts": [
        {"contact_id": people["boss"], "role": "decision_maker", "attitude": "supporter"}]})
    assert answer.status_code == 200, answer.text
    saved = answer.json()
    assert [(c["role"], c["attitude"]) for c in saved["contacts"]] == [
        ("decision_maker", "supporter")]
    # 赵经理 works for another customer, who is no partner on this deal.
    answer = li.patch(f"{API}/crm_opportunity/{deal}", json={
        "version": saved["version"], "contacts": [
            {"contact_id": people["boss"], "role": "decision_maker"},
            {"contact_id": people["other"], "role": "influencer"}]})
    assert answer.status_code == 422 and "contacts" in answer.json()["error"]["fields"]


def test_qualifying_never_links_a_customer_the_qualifier_may_not_see(funnel: Funnel, app) -> None:
    """The same company entered twice is linked, but only to a customer the manager may
    read; a hidden one is neither linked nor named (#13)."""
    east = funnel.org.divisions["EAST"]
    with funnel.system() as session:
        session.add(LeadRule(division_id=east, name="江苏线索", region_id=_region(funnel, "320000"),
                             user_id=funnel.org.users["li.na"], follow_up_days=2))
        hidden = Customer(name="常州远景化工有限公司", code="CZ-HID", division_id=east,
                          owner_id=funnel.org.users["gm.east"])
        session.add(hidden)
        session.flush()
        hidden_id = hidden.id
    manager = funnel.api(app, "mgr")
    assert manager.get(f"{API}/crm_customer/{hidden_id}").status_code == 404  # hidden from him
    lead = funnel.api(app, "mkt").post(f"{API}/crm_lead", json={
        "name": "常州远景废水处理", "company": "常州远景化工有限公司",
        "region_id": _region(funnel, "320500"), "amount": "80000"}).json()
    assert lead["state"] == "assigned", lead
    values = {"sales_mode": _mode(funnel, "si_supply"), "expected_close": "2026-12-20"}
    refused = manager.post(f"{API}/crm_lead/{lead['id']}/actions/qualify", json={"values": values})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert set(error["fields"]) == {"company"}
    assert "CZ-HID" not in error["message"] and "gm.east" not in error["message"]
    with funnel.system() as session:
        assert session.get(Lead, lead["id"]).state != "converted"
        assert session.scalar(sa.select(sa.func.count()).select_from(Opportunity).where(
            Opportunity.customer_id == hidden_id)) == 0
