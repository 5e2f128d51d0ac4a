"""The customer master through the API: lookups, validation, details, contacts, products."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from addons.crm_customer.models import Customer, CustomerType, Industry, LeadSource, Product
from core.context import system_context
from core.lookups import usable_in
from tests.addons.crm_customer.customer_fixtures import API, CONTACTS, lookup_ids
from tests.conftest import ADMIN_PASSWORD


def test_every_division_starts_with_the_lookup_lists_in_chinese_and_english(kernel, org) -> None:
    with system_context(), kernel.session() as session:
        for division in org.divisions.values():
            industries = dict(session.execute(
                sa.select(Industry.name, Industry.name_en).where(usable_in(Industry, division))).all())
            assert len(industries) == 10 and industries["工业制造"] == "Industrial manufacturing"
            sources = set(session.scalars(sa.select(LeadSource.name)
                                          .where(usable_in(LeadSource, division))))
            assert {"员工推介", "商业展示", "互联网信息", "上门咨询"} <= sources and len(sources) == 10
            types = dict(session.execute(sa.select(CustomerType.name, CustomerType.is_distributor)
                                         .where(usable_in(CustomerType, division))).all())
            assert len(types) == 11 and types["一级商业"] and not types["设计院"]


def test_a_customer_with_bad_values_is_refused_field_by_field(as_user, org) -> None:
    li = as_user("li.na")
    answer = li.post(API, json={"code": "NJ-001", "level": "E", "trade": "barter"})
    assert answer.status_code == 422
    fields = answer.json()["error"]["fields"]
    assert fields == {"name": "This field is required.", "level": "Choose one of the listed values.",
                      "trade": "Choose one of the listed values."}
    answer = li.post(API, json={"name": "南京新元化工有限公司", "code": "NJ-001", "phone": "打电话",
                                "email": "wang#example.cn", "tax_code": "9132-0100",
                                "website": "新元 化工", "staff_count": -3})
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {"phone", "email", "tax_code", "website",
                                                     "staff_count"}
    chinese = li.post(API, json={"name": "南京新元化工有限公司", "code": "NJ-001", "phone": "x"},
                      headers={"Accept-Language": "zh-CN"})
    assert chinese.json()["error"]["fields"]["phone"].startswith("请输入电话号码")


def test_a_rep_records_a_customer_with_its_classification_and_details(kernel, as_user, org) -> None:
    ids = lookup_ids(kernel, org.divisions["EAST"])
    li = as_user("li.na")
    answer = li.post(API, json={
        "name": "南京新元化工有限公司", "code": "NJ-001", "aliases": "新元化工，南京新元",
        "type_id": ids["type:T1"], "industry_id": ids["industry:MFG"],
        "source_id": ids["source:SHOW"], "region_id": ids["region:320100"], "county": "江宁区",
        "address": "江宁经济开发区将军大道 88 号", "phone": "025-52101234", "fax": "025-52101235",
        "website": "www.xinyuan-chem.cn", "trade": "indirect", "tax_code": "91320115MA1XYZ1234",
        "warehouse_address": "江宁区秣陵街道仓储园 3 号库", "warehouse_area": 2400,
        "annual_sales": "38000000.50", "staff_count": 120, "level": "B",
    })
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert record["owner_id"]["id"] == org.users["li.na"]
    assert record["type_id"]["name"] == "一级商业" and record["industry_id"]["name"] == "工业制造"
    assert record["annual_sales"] == "38000000.50" and record["status"] == "prospect"
    downstream = li.post(API, json={"name": "南京新元大药房连锁", "code": "NJ-002",
                                    "upstream_id": record["id"], "region_id": ids["region:320100"]})
    assert downstream.status_code == 201, downstream.text
    assert downstream.json()["upstream_id"]["id"] == record["id"]
    related = li.post("/api/v1/crm_customer_relation", json={
        "customer_id": downstream.json()["id"], "related_id": record["id"], "kind": "group"})
    assert related.status_code == 201, related.text
    assert as_user("wang.qiang").get(f"/api/v1/crm_customer_relation/{related.json()['id']}") \
        .status_code == 404
    with system_context(), kernel.session() as session:
        saved = session.get(Customer, record["id"])
        assert saved.alias_list() == ["新元化工", "南京新元"]
        assert saved.annual_sales == Decimal("38000000.50")


def test_contacts_follow_their_customers_visibility(as_user, org) -> None:
    li, wang = as_user("li.na"), as_user("wang.qiang")
    nanjing = org.customers["nanjing"]
    answer = li.post(CONTACTS, json={"customer_id": nanjing, "name": "王建国", "title": "采购部经理",
                                     "mobile": "13912345678", "email": "wangjg@huaxin-jd.cn",
                                     "decision_role": "decision_maker", "is_key": True})
    assert answer.status_code == 201, answer.text
    contact = answer.json()["id"]
    assert li.get(f"{CONTACTS}/{contact}").json()["decision_role"] == "decision_maker"
    assert wang.get(f"{CONTACTS}/{contact}").status_code == 404
    assert contact not in [row["id"] for row in wang.get(CONTACTS).json()["data"]]
    assert wang.patch(f"{CONTACTS}/{contact}", json={"title": "总经理", "version": 1}).status_code == 404
    hidden = wang.post(CONTACTS, json={"customer_id": nanjing, "name": "李四"})
    assert hidden.status_code == 422 and "customer_id" in hidden.json()["error"]["fields"]
    bad = li.post(CONTACTS, json={"customer_id": nanjing, "name": "赵六", "decision_role": "boss"})
    assert set(bad.json()["error"]["fields"]) == {"decision_role"}
    bad = li.post(CONTACTS, json={"customer_id": nanjing, "name": "赵六", "mobile": "一三九",
                                  "email": "zhao.liu"})
    assert set(bad.json()["error"]["fields"]) == {"mobile", "email"}
    manager = as_user("mgr")
    assert manager.get(f"{CONTACTS}/{contact}").status_code == 200


def test_products_keep_exact_prices_and_categories_extend_their_parents_code(kernel, as_user,
                                                                             org) -> None:
    admin = as_user("admin", ADMIN_PASSWORD)
    top = admin.post("/api/v1/crm_product_category", json={"code": "A", "name": "自动化产品"})
    assert top.status_code == 201, top.text
    middle = admin.post("/api/v1/crm_product_category",
                        json={"code": "A01", "name": "变频器", "parent_id": top.json()["id"]})
    assert middle.status_code == 201, middle.text
    wrong = admin.post("/api/v1/crm_product_category",
                       json={"code": "B0101", "name": "低压变频器", "parent_id": middle.json()["id"]})
    assert wrong.status_code == 422 and "A01" in wrong.json()["error"]["fields"]["code"]
    leaf = admin.post("/api/v1/crm_product_category",
                      json={"code": "A0101", "name": "低压变频器", "parent_id": middle.json()["id"]})
    assert leaf.status_code == 201
    product = admin.post("/api/v1/crm_product", json={
        "code": "VFD-G7-15", "name": "G7 系列通用变频器", "spec": "15kW 380V", "model": "G7-015T4",
        "unit": "台", "category_id": leaf.json()["id"], "price": "6880.00", "floor_price": "5990.10"})
    assert product.status_code == 201, product.text
    assert product.json()["floor_price"] == "5990.10"
    with system_context(), kernel.session() as session:
        total = session.scalar(sa.select(sa.func.sum(Product.floor_price)))
        assert total == Decimal("5990.10")
    # The admin's division is HQ: HQ staff read its products, nobody but admins adds some.
    assert as_user("gm.hq").get(f"/api/v1/crm_product/{product.json()['id']}").status_code == 200
    assert as_user("li.na").get(f"/api/v1/crm_product/{product.json()['id']}").status_code == 404
    refused = as_user("li.na").post("/api/v1/crm_product", json={"code": "X", "name": "私自添加"})
    assert refused.status_code == 403
