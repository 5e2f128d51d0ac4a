"""Import and export from the list page, as a rep would use them."""

from __future__ import annotations

import time

import pytest
from starlette.testclient import TestClient

from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.core.org_fixtures import PASSWORD, build_org

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


@pytest.fixture()
def rep(kernel, org) -> TestClient:
    return sign_in(TestClient(create_app(kernel=kernel)), "li.na", PASSWORD)


def upload(client: TestClient, body: bytes, *, valid_only: bool = False) -> dict:
    token = csrf_token(client.get("/m/crm_customer/import").text)
    data = {"csrf_token": token, **({"valid_only": "y"} if valid_only else {})}
    answer = client.post("/m/crm_customer/import", data=data,
                         files={"file": ("客户.csv", body, "text/csv")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text[-500:]
    status_url = answer.headers["location"]
    for _attempt in range(200):
        status = client.get(status_url, headers={"Accept": "application/json"}).json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    status["page"] = client.get(status_url).text
    status["url"] = status_url
    return status


def test_an_import_with_a_bad_row_writes_nothing_and_reports_the_row(rep) -> None:
    template = rep.get("/m/crm_customer/import/template.csv")
    assert template.status_code == 200
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert "Name" in header or "名称" in header
    body = ("Name,Code,Phone,Region\n"
            "苏州新元化工有限公司,IMP-1,0512-1,苏州市\n"
            "无锡博远物流有限公司,IMP-2,0510-2,无锡市\n"
            ",IMP-3,0510-3,无锡市\n").encode()
    status = upload(rep, body)
    assert status["state"] == "done" and not status["committed"]
    assert status["failed_rows"] == 1
    assert "<td class=\"num\">4</td>" in status["page"]
    report = rep.get(status["url"] + "/errors.csv").content.decode("utf-8-sig")
    assert report.splitlines()[1].startswith("4,")  # the fourth line of the file
    assert "苏州新元化工有限公司" not in rep.get("/m/crm_customer?cols=name").text

    status = upload(rep, body, valid_only=True)
    assert status["committed"] and status["created"] == 2
    assert "苏州新元化工有限公司" in rep.get("/m/crm_customer?cols=name").text


def test_export_follows_filters_rules_and_neutralises_formulas(rep, kernel, org) -> None:
    token = csrf_token(rep.get("/m/crm_customer/new").text)
    rep.post("/m/crm_customer/new", data={"csrf_token": token, "name": "=HYPERLINK(\"http://x\")",
                                          "code": "F1"})
    exported = rep.get("/m/crm_customer/export.csv?cols=code,name").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in exported
    assert "杭州金桥商贸有限公司" not in exported  # another rep's region
    assert "南京华信机电有限公司" in exported
    filtered = rep.get("/m/crm_customer/export.csv?cols=code,name&code=F1").content.decode("utf-8-sig")
    assert "南京华信机电有限公司" not in filtered
    xlsx = rep.get("/m/crm_customer/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
