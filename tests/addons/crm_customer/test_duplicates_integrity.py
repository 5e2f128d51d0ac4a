"""The duplicate check names only customers the user may read, and cannot be raced (#13)."""

from __future__ import annotations

import io
import threading

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.context import acting_as, system_context
from core.dataexchange import run_import
from core.errors import KehuError
from tests.addons.crm_customer.customer_fixtures import API

HIDDEN = ("杭州金桥", "HANGZHOU", "wang.qiang")


def set_phone(kernel, customer_id: int, phone: str) -> None:
    with system_context(), kernel.sessions.begin() as session:
        session.get(Customer, customer_id).phone = phone


@pytest.mark.sqlite_only
def test_a_duplicate_in_another_region_is_not_named_in_form_api_or_import(
        kernel, org, as_user, client) -> None:
    set_phone(kernel, org.customers["hangzhou"], "0571-88886666")  # wang.qiang's, 浙江
    set_phone(kernel, org.customers["second"], "025-84561234")  # zhao.min's, 南京: li.na sees it
    li = as_user("li.na")
    hidden = li.post(API, json={"name": "新客户甲", "code": "NEW-1", "phone": "0571-88886666"})
    assert hidden.status_code == 422
    text = hidden.text
    assert "ask your manager" in text and not any(word in text for word in HIDDEN), text
    shown = li.post(API, json={"name": "新客户乙", "code": "NEW-2", "phone": "025-84561234"})
    assert shown.status_code == 422 and "南京长城物流有限公司" in shown.text
    body = "名称,编码,电话\n新客户丙,NEW-3,0571-88886666\n杭州金桥商贸有限公司,NEW-4,\n"
    with acting_as(org.actor(kernel, "li.na")):
        result = run_import(kernel, Customer, io.BytesIO(body.encode()), filename="c.csv")
    messages = " ".join(error.message for error in result.errors)
    assert len(result.errors) == 2 and "ask your manager" in messages
    assert not any(word in messages for word in HIDDEN), messages
    # The form page says the same as the API.
    from core.testing.web import sign_in
    from tests.core.org_fixtures import PASSWORD

    page = sign_in(client, "li.na", PASSWORD)
    form = page.get("/m/crm_customer/new")
    token = form.text.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    answer = page.post("/m/crm_customer/new", data={"csrf_token": token, "name": "新客户丁",
                                                    "code": "NEW-5", "phone": "0571-88886666"})
    assert "ask your manager" in answer.text
    assert not any(word in answer.text for word in HIDDEN)


@pytest.mark.sqlite_only
def test_codes_references_and_import_names_say_nothing_of_a_hidden_customer(
        kernel, org, as_user) -> None:
    """A taken code, a reference and a name in an import file answer alike whether the
    customer they name is hidden from the user or does not exist at all."""
    from addons.crm_customer.models import Contact
    from tests.addons.crm_customer.customer_fixtures import CONTACTS

    li = as_user("li.na")
    taken = li.post(API, json={"name": "新客户戊", "code": "HANGZHOU"})
    assert taken.status_code in (409, 422) and "already" in taken.text
    assert not any(word in taken.text for word in HIDDEN[:1] + HIDDEN[2:]), taken.text
    hidden = li.post(CONTACTS, json={"customer_id": org.customers["hangzhou"], "name": "甲"})
    missing = li.post(CONTACTS, json={"customer_id": 999_999, "name": "甲"})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["error"] == missing.json()["error"]
    body = "客户,姓名\n杭州金桥商贸有限公司,甲\n不存在的公司,乙\nHANGZHOU,丙\n"
    with acting_as(org.actor(kernel, "li.na")):
        result = run_import(kernel, Contact, io.BytesIO(body.encode()), filename="c.csv")
    assert [error.row for error in result.errors] == [2, 3, 4], result.errors
    assert len({error.message for error in result.errors}) == 1, result.errors
    assert not any(word in error.message for error in result.errors for word in HIDDEN)


@pytest.mark.postgres_only
def test_two_reps_saving_the_same_customer_at_once_save_one(kernel, org) -> None:
    reps = [org.actor(kernel, "li.na"), org.actor(kernel, "zhao.min")]
    for attempt in range(10):
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def create(actor, attempt=attempt, barrier=barrier, outcomes=outcomes) -> None:
            try:
                with acting_as(actor), kernel.sessions.begin() as session:
                    session.add(Customer(name=f"同时录入{attempt}", code=f"RACE-{attempt}-{actor.login}",
                                         phone=f"025-5555{attempt:04d}"))
                    barrier.wait(timeout=10)
                    session.flush()
                outcomes.append("saved")
            except KehuError:
                outcomes.append("refused")

        threads = [threading.Thread(target=create, args=(rep,)) for rep in reps]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["refused", "saved"], outcomes
    with system_context(), kernel.session() as session:
        count = session.scalar(sa.select(sa.func.count()).where(Customer.code.like("RACE-%")))
    assert count == 10
