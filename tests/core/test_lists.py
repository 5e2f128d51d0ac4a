"""The one list service (#21): `Records.list` behind the web list, the API, the
kanban, the export and the CLI; signed cursors everywhere; a fixed number of
statements per page; the record rules of the actor on every path."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer
from core.context import acting_as
from core.kernel import Kernel
from core.lists import ListQuery
from core.testing.web import sign_in
from core.web.app import create_app
from tests.core.org_fixtures import PASSWORD, Org, build_org
from tests.core.test_api import Caller, make_customers

LIST = "/m/crm_customer"
_NEXT = re.compile(r'rel="next" href="\?([^"]+)"')
_PREV = re.compile(r'rel="prev" href="\?([^"]+)"')
# li.na (a rep of 江苏) may see these two of build_org's five customers, no others.
REP_SEES = ["NANJING", "SECOND"]


@pytest.fixture()
def org(kernel: Kernel) -> Org:
    return build_org(kernel)


@pytest.fixture()
def client(kernel: Kernel) -> TestClient:
    return TestClient(create_app(kernel=kernel))


@pytest.fixture()
def statements(kernel: Kernel) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    sa.event.listen(kernel.engine, "before_cursor_execute", count)
    yield seen
    sa.event.remove(kernel.engine, "before_cursor_execute", count)


def _codes(html: str) -> list[str]:
    """The first column of the list's rows (`cols=code`: the codes)."""
    return re.findall(r'<td data-label="[^"]*"><a href="/m/crm_customer/\d+">([^<]*)</a>', html)


@pytest.mark.sqlite_only
def test_web_cursors_are_signed_and_walk_both_ways(kernel, org, client) -> None:
    make_customers(kernel, org, 30)
    gm = sign_in(client, "gm.east", PASSWORD)
    first = gm.get(LIST, params={"cols": "code", "order": "code", "limit": 10})
    assert first.status_code == 200
    following = _NEXT.search(first.text)
    assert following and not _PREV.search(first.text)
    assert _codes(first.text) == [f"C{n:03d}" for n in range(10)]
    second = gm.get(LIST + "?" + following.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert not set(_codes(first.text)) & set(_codes(second.text))
    back = _PREV.search(second.text)
    assert back, second.text[-2000:]
    again = gm.get(LIST + "?" + back.group(1).replace("&amp;", "&"))
    assert _codes(again.text) == _codes(first.text)
    cursor = following.group(1).split("cursor=")[1]
    # Edited by hand, made for another order, or not made here at all: a clear 400.
    for bad in (cursor[:-2] + ("xx" if not cursor.endswith("xx") else "yy"),
                "WzAsWzFdXQ", "WzAsWyJ4Il1d.AAAAAAAAAAAAAAAAAAAAAA"):
        answer = gm.get(LIST, params={"cols": "code", "order": "code", "cursor": bad})
        assert answer.status_code == 400, bad
        assert "cursor" in answer.text.lower() or "游标" in answer.text
    answer = gm.get(LIST, params={"cols": "code", "order": "-code", "cursor": cursor})
    assert answer.status_code == 400
    # One format: the API takes the web list's cursor of the same order.
    api = Caller(client, "gm.east")
    page = api.get("/api/v1/crm_customer", params={"order": "code", "limit": 10, "cursor": cursor})
    assert page.status_code == 200
    assert [row["code"] for row in page.json()["data"]] == _codes(second.text)


@pytest.mark.sqlite_only
def test_a_list_page_runs_the_same_statements_whatever_its_size(kernel, org, client,
                                                               statements) -> None:
    make_customers(kernel, org, 120)
    gm = sign_in(client, "gm.east", PASSWORD)
    # Three fields refer to users: their names come in one statement.
    cols = "code,name,owner_id,create_uid,write_uid,region_id"
    costs = {}
    for limit in (5, 100):
        statements.clear()
        answer = gm.get(LIST, params={"cols": cols, "limit": limit})
        assert answer.status_code == 200
        first = next(i for i, s in enumerate(statements) if "FROM crm_customer" in s)
        listed = statements[first:]
        costs[limit] = len(listed)
        assert sum("FROM kehu_user" in s for s in listed) == 1, listed
        assert sum("FROM kehu_region" in s for s in listed) == 1, listed
        # The list's own statements: the page (with its rules in it), the users' names,
        # the regions' names. The others are the page around it (menus, saved filters).
        own = [s for s in listed if any(f"FROM {table}" in s.split(" WHERE ")[0] for table in
                                        ("crm_customer", "kehu_user", "kehu_region"))]
        assert len(own) == 3, own
    assert costs[5] == costs[100]


@pytest.mark.sqlite_only
def test_the_service_reads_only_the_columns_asked_for(kernel, org) -> None:
    records = kernel.records[Customer]
    fields = (records.all_fields["code"], records.all_fields["owner_id"])
    with acting_as(org.actor(kernel, "li.na")), kernel.session() as session:
        result = records.list(session, ListQuery(fields=fields, order="code", limit=1))
        assert [row.code for row in result.rows] == ["NANJING"]
        assert result.names["owner_id"] == {org.users["li.na"]: "li.na"}
        assert not hasattr(result.rows[0], "phone")
        following = records.list(session, ListQuery(fields=fields, order="code", limit=1,
                                                    cursor=result.next_cursor))
        assert [row.code for row in following.rows] == ["SECOND"]
        assert following.next_cursor is None and following.previous_cursor
        counted = records.list(session, ListQuery(count=True, count_cap=1))
        assert (counted.count, counted.capped) == (1, True)


def test_a_rep_never_gets_a_hidden_record_on_any_path(kernel, org, client, settings,
                                                     monkeypatch) -> None:
    rep = sign_in(client, "li.na", PASSWORD)
    web = rep.get(LIST, params={"cols": "code", "order": "code"})
    assert web.status_code == 200 and _codes(web.text) == REP_SEES
    api = Caller(client, "li.na").get("/api/v1/crm_customer", params={"order": "code",
                                                                      "count": 1})
    assert [row["code"] for row in api.json()["data"]] == REP_SEES
    assert api.json()["count"] == 2
    exported = rep.get(LIST + "/export.csv", params={"cols": "code", "order": "code"})
    assert [row[0] for row in csv.reader(io.StringIO(exported.text.lstrip("\ufeff")))][1:] \
        == REP_SEES
    board = rep.get(LIST + "/kanban")
    assert board.status_code == 200 and "南京华信机电有限公司" in board.text
    for hidden in ("杭州金桥商贸有限公司", "上海东方医药有限公司", "苏州宏达电气有限公司"):
        assert hidden not in board.text
    from core.cli import main

    result = CliRunner().invoke(main, ["export", "crm_customer", "--as", "li.na", "code__ne=X"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff"))))
    code = rows[0].index("Code") if "Code" in rows[0] else rows[0].index("编号")
    assert sorted(row[code] for row in rows[1:]) == REP_SEES
