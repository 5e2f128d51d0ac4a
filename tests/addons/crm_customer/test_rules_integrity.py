"""What a rep writes stays inside what she may touch (#13): record rules are checked on
the new values, and giving a customer to another rep is a manager's hand-over, through
the API, the import and `kehu import --as`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.context import acting_as, system_context
from core.dataexchange import run_import
from tests.addons.crm_customer.customer_fixtures import API, lookup_ids

pytestmark = pytest.mark.sqlite_only  # the checks are ORM listeners: one engine suffices

HEADER = "名称,编码,负责人,区域\n"


def owner_and_region(kernel, customer_id: int) -> tuple[int | None, int | None]:
    with system_context(), kernel.session() as session:
        row = session.execute(sa.select(Customer.owner_id, Customer.region_id)
                              .where(Customer.id == customer_id)).one()
        return row[0], row[1]


def patch(caller, customer_id: int, **values):
    """PATCH with the version read just before, as a form does."""
    version = caller.get(f"{API}/{customer_id}").json()["version"]
    return caller.patch(f"{API}/{customer_id}", json={**values, "version": version})


def test_a_rep_may_not_give_a_customer_to_another_rep_or_out_of_her_reach(
        kernel, org, as_user) -> None:
    li, mgr = as_user("li.na"), as_user("mgr")
    regions = lookup_ids(kernel, org.divisions["EAST"])
    wang = org.users["wang.qiang"]
    planted = li.post(API, json={"name": "替人建的客户", "code": "PLANTED", "owner_id": wang,
                                 "region_id": regions["region:320100"]})
    assert planted.status_code == 422 and "owner_id" in planted.json()["error"]["fields"]
    mine = org.customers["nanjing"]
    before = owner_and_region(kernel, mine)
    moved = patch(li, mine, owner_id=wang, region_id=regions["region:330100"])
    assert moved.status_code == 422, moved.text
    # A colleague's customer she sees through her region: moved out of it, she would lose it.
    second = org.customers["second"]
    hidden = patch(li, second, region_id=regions["region:330100"])
    assert hidden.status_code == 403, hidden.text
    assert owner_and_region(kernel, mine) == before
    # Her own customer may move province: it stays hers, so she still sees it.
    assert patch(li, mine, region_id=regions["region:330100"]).status_code == 200
    # The manager holds the hand-over right.
    handed = patch(mgr, mine, owner_id=wang)
    assert handed.status_code == 200, handed.text
    assert owner_and_region(kernel, mine)[0] == wang


def test_an_import_by_a_rep_plants_no_customer_for_another_rep(kernel, org, cli,
                                                               tmp_path: Path) -> None:
    body = HEADER + "别人的客户,PLANT-1,wang.qiang,杭州市\n自己的客户,PLANT-2,,南京市\n"
    with acting_as(org.actor(kernel, "li.na")):
        result = run_import(kernel, Customer, io.BytesIO(body.encode()), filename="c.csv")
    assert [error.row for error in result.errors] == [2]
    assert "hand-over" in result.errors[0].message
    with system_context(), kernel.session() as session:
        assert not session.scalar(sa.select(sa.func.count()).where(Customer.code.like("PLANT-%")))
    path = tmp_path / "plant.csv"
    path.write_text(HEADER + "别人的客户,PLANT-3,wang.qiang,杭州市\n", encoding="utf-8")
    failed = cli("import", "crm_customer", str(path), "--as", "li.na", ok=False)
    assert failed.returncode == 1 and "hand-over" in failed.stdout + failed.stderr
    done = cli("import", "crm_customer", str(path), "--as", "mgr")
    assert done.returncode == 0
    with system_context(), kernel.session() as session:
        owner = session.scalar(sa.select(Customer.owner_id).where(Customer.code == "PLANT-3"))
    assert owner == org.users["wang.qiang"]
