"""The generated REST API (#5): lists, records, writes, rules, errors, limits."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from starlette.applications import Starlette
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer
from core.api import RateLimiter, error_payload
from core.api.representation import plain
from core.context import system_context
from core.fields import FieldInfo
from core.installer import disable, enable
from core.kernel import Kernel
from core.models import Region
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.core.org_fixtures import PASSWORD, Org, build_org

BASE = "http://testserver"
API = "/api/v1/crm_customer"
MANY = 120


@pytest.fixture()
def app(kernel: Kernel) -> Starlette:
    return create_app(kernel=kernel)


@pytest.fixture()
def client(app: Starlette) -> TestClient:
    return TestClient(app, base_url=BASE)


@pytest.fixture()
def org(kernel: Kernel) -> Org:
    return build_org(kernel)


class Caller:
    """A TestClient speaking as one user through a bearer token."""

    def __init__(self, client: TestClient, login: str, password: str = PASSWORD) -> None:
        answer = client.post("/api/v1/auth/token", json={"login": login, "password": password})
        assert answer.status_code == 201, answer.text
        self.client = client
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def __getattr__(self, method: str) -> Any:
        call = getattr(self.client, method)
        return functools.partial(_with_headers, call, self.headers)


def _with_headers(call: Any, token: dict[str, str], url: str, **kwargs: Any) -> Any:
    return call(url, headers={**token, **kwargs.pop("headers", {})}, **kwargs)


@pytest.fixture()
def admin(client: TestClient) -> Caller:
    return Caller(client, "admin", ADMIN_PASSWORD)


@pytest.fixture()
def as_user(client: TestClient, org: Org) -> Any:
    return functools.partial(Caller, client)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is a JSON error of the one shape, with no internals in it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error)
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for leak in ("Traceback", "sqlalchemy", "SELECT ", "/work/", ".py", "psycopg", "sqlite3"):
        assert leak not in response.text
    if code is not None:
        assert error["code"] == code
    return error


def make_customers(kernel: Kernel, org: Org, count: int = MANY) -> list[int]:
    """`count` EAST customers; every third has no phone, every fifth no level."""
    with system_context(), kernel.sessions.begin() as session:
        region = session.scalar(sa.select(Region.id).where(Region.code == "320100"))
        rows = [
            Customer(division_id=org.divisions["EAST"], name=f"客户{n:03d}", code=f"C{n:03d}",
                     phone=None if n % 3 == 0 else f"{(n * 37) % 101:04d}",
                     level=None if n % 5 == 0 else "ABCD"[n % 4],
                     owner_id=org.users["li.na"] if n % 2 else org.users["wang.qiang"],
                     region_id=region)
            for n in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def walk(caller: Caller, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a list, page after page."""
    rows: list[dict[str, Any]] = []
    cursor = None
    for _page in range(100):
        answer = caller.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["data"]) <= int(params.get("limit", 50))
        rows += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows
    raise AssertionError("the pages never ended")


def expected_order(rows: list[dict[str, Any]], order: str) -> list[int]:
    """The ids in the API's order: NULLs after values, ties broken by id."""
    keys = [(part.lstrip("-"), part.startswith("-")) for part in order.split(",")]
    ordered = sorted(rows, key=lambda row: row["id"], reverse=keys[-1][1])
    for name, descending in reversed(keys):
        ordered.sort(key=lambda row: row[name] or "", reverse=descending)
        ordered.sort(key=lambda row: row[name] is None)
    return [row["id"] for row in ordered]


# ----------------------------------------------------------------- lists


@pytest.mark.parametrize("order", [None, "phone", "-phone,code", "-level", "level,-name"])
def test_walking_all_pages_returns_every_row_once_in_order(kernel, org, as_user, order) -> None:
    made = set(make_customers(kernel, org))
    gm = as_user("gm.east")
    params = {"limit": 25, **({"order": order} if order else {})}
    rows = walk(gm, API, **params)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "a row came twice"
    expected = made | {org.customers[k] for k in ("nanjing", "hangzhou", "shanghai", "second")}
    assert set(ids) == expected, "a row was lost or leaked"
    assert ids == expected_order(rows, order or "name")


def test_filters_search_and_counts(kernel, org, as_user) -> None:
    make_customers(kernel, org)
    gm = as_user("gm.east")
    level_a = gm.get(API, params={"level": "A", "limit": 200}).json()["data"]
    assert level_a and all(row["level"] == "A" for row in level_a)
    two = gm.get(API, params={"level__in": "A,B", "limit": 200, "count": 1}).json()
    assert {row["level"] for row in two["data"]} == {"A", "B"}
    assert two["count"] == len(two["data"]) and two["count_capped"] is False
    no_phone = gm.get(API, params={"phone__isnull": "1", "count": "1"}).json()
    assert no_phone["count"] == MANY // 3 + 4 and all(r["phone"] is None for r in no_phone["data"])
    found = gm.get(API, params={"q": "客户01", "count": "1"}).json()
    assert found["count"] == 10
    assert gm.get(API, params={"name__contains": "南京", "count": 1}).json()["count"] == 2
    assert gm.get(API, params={"code__gte": "C110", "code__lt": "C2", "count": 1}).json()["count"] == 10
    plain = gm.get(API).json()
    assert "count" not in plain and "count_capped" not in plain
    assert len(plain["data"]) == 50 and plain["next_cursor"]


def test_records_have_ids_versions_references_and_utc_stamps(kernel, org, as_user) -> None:
    li = as_user("li.na")
    answer = li.get(f"{API}/{org.customers['nanjing']}")
    assert answer.status_code == 200
    record = answer.json()
    assert record["id"] == org.customers["nanjing"] and record["version"] == 1
    assert answer.headers["etag"] == 'W/"1"'
    assert record["owner_id"] == {"id": org.users["li.na"], "name": "li.na"}
    assert record["region_id"]["name"] == "南京市"
    assert record["department_id"]["name"] == "销售一组"
    assert record["write_date"].endswith("Z")
    # The form's fields and the stamps; never the columns kept out of the views.
    assert set(record) >= {"id", "version", "name", "code", "phone", "level", "status",
                           "owner_id", "department_id", "region_id", "product_line_id",
                           "write_date"}
    assert not set(record) & {"create_uid", "write_uid", "division_id"}


def test_many_to_many_fields_are_lists_of_references(admin, org) -> None:
    page = admin.get("/api/v1/kehu_user", params={"login": "li.na"}).json()
    (user,) = page["data"]
    assert user["roles"] == [{"id": "sales_rep", "name": user["roles"][0]["name"]}]
    assert [region["id"] for region in user["regions"]] and user["division_id"]["id"]


def test_bad_list_parameters_are_400_naming_the_parameter(kernel, org, as_user) -> None:
    make_customers(kernel, org, 30)
    gm = as_user("gm.east")
    cases = {
        "levle": {"levle": "A"},
        "level__like": {"level__like": "A"},
        "limit": {"limit": "0"},
        "count": {"count": "maybe"},
        "owner_id": {"owner_id": "99999999999"},
        "owner_id__contains": {"owner_id__contains": "1"},
    }
    for name, params in cases.items():
        error = assert_error(gm.get(API, params=params), 400, "bad_request")
        assert name in error["fields"], (name, error)
    assert_error(gm.get(API, params={"limit": "201"}), 400)
    assert_error(gm.get(API, params={"order": "nonsense"}), 400)
    assert_error(gm.get(API, params={"create_date__gte": "yesterday"}), 400)
    cursor = gm.get(API, params={"limit": 5, "order": "code"}).json()["next_cursor"]
    assert gm.get(API, params={"limit": 5, "order": "code", "cursor": cursor}).status_code == 200
    # A cursor only works with the order that made it, and cannot be forged.
    assert_error(gm.get(API, params={"limit": 5, "order": "-write_date", "cursor": cursor}), 400)
    assert_error(gm.get(API, params={"cursor": cursor[:-2] + "xx", "order": "code"}), 400)
    assert_error(gm.get(API, params={"cursor": "WzFd"}), 400)


# ----------------------------------------------------------------- writes


def test_create_answers_201_with_location_and_the_record(as_user, org) -> None:
    li = as_user("li.na")
    answer = li.post(API, json={"name": "无锡新元化工有限公司", "code": "WX1", "level": "B"})
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert answer.headers["location"] == f"{API}/{record['id']}"
    assert record["owner_id"]["id"] == org.users["li.na"] and record["status"] == "prospect"
    assert li.get(answer.headers["location"]).json() == record


def test_validation_errors_name_each_field_in_the_callers_language(as_user, org) -> None:
    li = as_user("li.na")
    error = assert_error(li.post(API, json={"code": "X1", "level": "Z"}), 422, "validation_error")
    assert error["fields"] == {"level": "Choose one of the listed values.",
                               "name": "This field is required."}
    missing = assert_error(li.post(API, json={"code": "X1", "level": "A"}), 422)
    assert missing["fields"] == {"name": "This field is required."}
    chinese = assert_error(li.post(API, json={"code": "X1"}, headers={"Accept-Language": "zh-CN"}),
                           422)
    assert chinese["fields"] == {"name": "此字段为必填项。"}
    assert chinese["message"] == "请更正标出的字段。"
    unknown = assert_error(li.post(API, json={"name": "甲", "code": "J", "colour": "red"}), 422)
    assert unknown["fields"] == {"colour": "Unknown field."}
    too_big = assert_error(li.post(API, json={"name": "甲", "code": "J", "owner_id": 2**40}), 422)
    assert set(too_big["fields"]) == {"owner_id"}
    nowhere = assert_error(li.post(API, json={"name": "甲", "code": "J", "region_id": 10**8}), 422)
    assert set(nowhere["fields"]) == {"region_id"}
    li.post(API, json={"name": "甲", "code": "DUP"})
    duplicate = assert_error(li.post(API, json={"name": "乙", "code": "DUP"}), 422)
    assert "code" in duplicate["fields"]


def test_bodies_must_be_json_objects_of_at_most_a_megabyte(as_user, org) -> None:
    li = as_user("li.na")
    assert_error(li.post(API, content="name=甲", headers={"Content-Type": "text/plain"}), 415,
                 "unsupported_media_type")
    assert_error(li.post(API, content=b"name=x"), 415)
    assert_error(li.post(API, content="{not json", headers={"Content-Type": "application/json"}),
                 400, "bad_request")
    assert_error(li.post(API, json=[1, 2]), 400)
    assert_error(li.post(API, content='{"name": NaN}',
                         headers={"Content-Type": "application/json"}), 400)
    huge = '{"name": "' + "x" * (1 << 20) + '"}'
    assert_error(li.post(API, content=huge, headers={"Content-Type": "application/json"}), 413,
                 "payload_too_large")
    assert_error(li.post(API, json={"name": "a\x00b", "code": "N"}), 422)


def test_update_needs_the_current_version(as_user, org) -> None:
    li = as_user("li.na")
    url = f"{API}/{org.customers['nanjing']}"
    changed = li.patch(url, json={"phone": "025-1", "version": 1})
    assert changed.status_code == 200, changed.text
    assert changed.json()["phone"] == "025-1" and changed.json()["version"] == 2
    stale = assert_error(li.patch(url, json={"phone": "025-2", "version": 1}), 409, "conflict")
    assert "reload" in stale["message"]
    by_header = li.patch(url, json={"phone": "025-3"}, headers={"If-Match": 'W/"2"'})
    assert by_header.status_code == 200 and by_header.json()["version"] == 3
    assert_error(li.patch(url, json={"phone": "025-4"}), 422)
    assert_error(li.patch(url, json={"name": None, "version": 3}), 422)
    assert li.get(url).json()["phone"] == "025-3"


def test_delete_with_an_optional_version(as_user, org) -> None:
    mgr = as_user("mgr")
    url = f"{API}/{org.customers['second']}"
    assert_error(mgr.delete(url, params={"version": 7}), 409, "conflict")
    assert mgr.delete(url, params={"version": 1}).status_code == 204
    assert_error(mgr.get(url), 404, "not_found")
    url = f"{API}/{org.customers['nanjing']}"
    assert mgr.delete(url).status_code == 204


def test_amounts_are_exact_strings_and_times_are_utc() -> None:
    def field(kind: str) -> FieldInfo:
        return FieldInfo(name=kind, label=kind, kind=kind, required=False, max_length=None,
                         choices=(), target=None, column=None)

    assert plain(field("money"), Decimal("1234.5")) == "1234.50"
    assert plain(field("money"), Decimal("0.1") + Decimal("0.2")) == "0.30"
    assert plain(field("decimal"), Decimal("3.14159")) == "3.14159"
    assert plain(field("date"), dt.date(2026, 11, 24)) == "2026-11-24"
    assert plain(field("datetime"), dt.datetime(2026, 11, 24, 8, 30)) == "2026-11-24T08:30:00Z"
    assert plain(field("bool"), False) is False and plain(field("text"), None) is None


def test_the_token_bucket_refills_and_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(capacity=1, per_second=0.1, clock=clock)
    assert limiter.take("u") == 0.0
    assert limiter.take("u") == pytest.approx(10.0)
    clock.now += 10
    assert limiter.take("u") == 0.0
    assert RateLimiter(capacity=0, per_second=0, clock=clock).take("u") == float("inf")


def test_stale_data_from_the_orm_is_a_conflict() -> None:
    payload = error_payload(StaleDataError("UPDATE statement on table expected 1 row"))
    assert payload.status == 409 and payload.body["error"]["code"] == "conflict"
    assert "UPDATE" not in payload.body["error"]["message"]


# ----------------------------------------------------------------- rights and rules


def test_a_rep_cannot_reach_another_regions_customer(kernel, org, as_user) -> None:
    li = as_user("li.na")
    hangzhou = f"{API}/{org.customers['hangzhou']}"
    assert_error(li.get(hangzhou), 404, "not_found")
    assert_error(li.patch(hangzhou, json={"phone": "1", "version": 1}), 404)
    assert_error(li.delete(hangzhou), 404)
    listed = li.get(API, params={"count": 1}).json()
    assert {row["id"] for row in listed["data"]} == {org.customers["nanjing"],
                                                      org.customers["second"]}
    assert listed["count"] == 2
    searched = li.get(API, params={"q": "杭州", "count": 1}).json()
    assert searched == {"data": [], "next_cursor": None, "count": 0, "count_capped": False}
    assert li.get(API, params={"id": org.customers["hangzhou"]}).json()["data"] == []
    with system_context(), kernel.session() as session:
        assert session.get(Customer, org.customers["hangzhou"]).phone is None


def test_roles_without_the_right_get_403(as_user, org) -> None:
    fin = as_user("fin")
    assert fin.get(API).status_code == 200
    assert_error(fin.post(API, json={"name": "甲", "code": "F1"}), 403, "forbidden")
    url = f"{API}/{org.customers['nanjing']}"
    assert_error(fin.patch(url, json={"phone": "1", "version": 1}), 403, "forbidden")
    assert_error(as_user("li.na").delete(url), 403, "forbidden")


def test_a_disabled_addons_api_does_not_exist_for_that_division_only(kernel, org, as_user) -> None:
    east, hq = as_user("gm.east"), as_user("gm.hq")
    for addon in ("crm_funnel", "crm_team", "crm_customer"):  # dependents first
        disable(kernel, addon, "EAST")
    try:
        assert_error(east.get(API), 404, "not_found")
        assert_error(east.get(f"{API}/{org.customers['nanjing']}"), 404, "not_found")
        assert_error(east.post(API, json={"name": "甲", "code": "E1"}), 404, "not_found")
        assert API not in east.get("/api/v1/openapi.json").json()["paths"]
        assert hq.get(API).status_code == 200
        assert API in hq.get("/api/v1/openapi.json").json()["paths"]
    finally:
        enable(kernel, "crm_funnel", "EAST")
    assert east.get(API).status_code == 200


# ----------------------------------------------------------------- errors, limits, cost


def test_every_error_has_the_json_shape(client, admin, org) -> None:
    assert_error(client.get(API), 401, "unauthenticated")
    assert_error(admin.get("/api/v1/no_such_model"), 404, "not_found")
    assert_error(admin.get(f"{API}/abc"), 404, "not_found")
    assert_error(admin.get(f"{API}/99999999999999999999"), 404, "not_found")
    assert_error(admin.get("/api/v1/a/b/c/d"), 404, "not_found")
    assert_error(admin.put(f"{API}/1", json={}), 405, "method_not_allowed")
    assert_error(admin.get(API, params={"x": "1"}), 400, "bad_request")
    assert_error(admin.patch(f"{API}/{org.customers['nanjing']}", json={"version": "one"}), 422)


def test_unexpected_errors_are_500_with_an_id_and_the_traceback_only_in_the_log(
    admin, monkeypatch, caplog
) -> None:
    from core.records import Records

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("boom in /work/main/core/records.py: SELECT secret")

    monkeypatch.setattr(Records, "list", broken)
    with caplog.at_level(logging.ERROR, logger="kehu.api"):
        error = assert_error(admin.get(API), 500, "internal_error")
    assert error["message"] == "Internal error" and len(error["error_id"]) == 12
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert error["error_id"] in logged and "boom" in logged


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_expensive_requests_are_rate_limited_per_user(app, as_user) -> None:
    clock = Clock()
    app.state.api_rate_limiter = RateLimiter(capacity=2, per_second=0.25, clock=clock)
    gm, li = as_user("gm.east"), as_user("li.na")
    assert gm.get(API, params={"count": 1}).status_code == 200
    assert gm.get(API, params={"q": "南京"}).status_code == 200
    refused = gm.get(API, params={"count": 1})
    assert_error(refused, 429, "rate_limited")
    assert refused.headers["retry-after"] == "4"
    assert gm.get(API).status_code == 200  # a plain page is cheap
    assert li.get(API, params={"count": 1}).status_code == 200  # another user's bucket
    clock.now += 4
    assert gm.get(API, params={"count": 1}).status_code == 200


@pytest.fixture()
def statements(kernel: Kernel) -> Iterator[list[str]]:
    """The SQL statements the engine runs while the test watches."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    sa.event.listen(kernel.engine, "before_cursor_execute", count)
    yield seen
    sa.event.remove(kernel.engine, "before_cursor_execute", count)


def test_a_page_costs_the_same_statements_whatever_its_size(kernel, org, as_user,
                                                            statements) -> None:
    make_customers(kernel, org)
    gm = as_user("gm.east")
    costs = {}
    for limit in (5, 100):
        statements.clear()
        answer = gm.get(API, params={"limit": limit})
        assert answer.status_code == 200 and len(answer.json()["data"]) == limit
        first = next(i for i, s in enumerate(statements) if "FROM crm_customer" in s)
        costs[limit] = (len(statements[:first]), len(statements[first:]))
    assert costs[5][1] == costs[100][1]
    # The API's part: the page, then one query per reference field shown (owner,
    # department, region, product line). Before it (not counted here) come the
    # middleware's look-ups of the token and the user's roles, regions, departments.
    assert costs[100][1] == 5, statements
