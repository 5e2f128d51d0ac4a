"""An import's progress and result are in the database: any web worker answers the poll."""

from __future__ import annotations

import time

import pytest

from addons.crm_customer.models import Customer
from core.context import acting_as
from core.dataexchange import import_job, start_import_job
from tests.core.org_fixtures import build_org
from tests.core.test_import import HEADER, csv_bytes


@pytest.mark.sqlite_only
def test_another_worker_sees_the_progress_and_the_row_errors(kernel) -> None:  # type: ignore[no-untyped-def]
    org = build_org(kernel)
    rows = [HEADER] + [[f"共享客户{n}", f"S-{n}", "", "", ""] for n in range(1500)]
    rows.append(["", "S-BAD", "", "", "火星"])  # no name, an unknown region
    actor = org.actor(kernel, "li.na")
    with acting_as(actor):
        job_id = start_import_job(kernel, Customer, csv_bytes(rows), filename="共享.csv")
    job = import_job(kernel, job_id, user_id=actor.user_id)
    deadline = time.monotonic() + 120
    while job.state in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
    # Another web worker has no such job in memory: it reads what this one recorded.
    with kernel.imports_lock:
        del kernel.running_imports[job_id]
    elsewhere = import_job(kernel, job_id, user_id=actor.user_id)
    assert elsewhere is not job
    assert elsewhere is not None and elsewhere.status() == job.status()
    assert elsewhere.status()["done"] == elsewhere.status()["total"] == 1501
    assert [(e.row, e.value) for e in elsewhere.errors()] == [
        (e.row, e.value) for e in job.errors()] and elsewhere.errors()
    assert elsewhere.result.filename == "共享.csv" and elsewhere.result.model is Customer
    assert import_job(kernel, job_id, user_id=org.users["wang.qiang"]) is None
