"""Jobs on a real queue: PostgreSQL job workers (procrastinate) run each scheduled job once,
retry failures and finish the job of a worker killed mid-job; on SQLite the in-process
runner does the same work once however many processes run it."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.settings import load_settings
from tests.conftest import ADMIN_PASSWORD, KEHU, ROOT

ADDONS = Path(__file__).parent / "job_addons"
DIVISIONS = [{"code": "HQ", "name": "总部", "headquarters": True, "addons": ["jobprobe"]},
             {"code": "EAST", "name": "华东", "addons": ["jobprobe"]}]


def _settings(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(database_url=url, divisions=DIVISIONS, addons_path=[ADDONS],
                         secret_key_file=tmp_path / "secret.key", log_dir=tmp_path / "log")


def _runs(engine: sa.Engine, job: str) -> list[sa.Row]:
    from core.jobs import job_runs

    with engine.connect() as connection:
        return list(connection.execute(
            job_runs.select().where(job_runs.c.job == job)
            .order_by(job_runs.c.scheduled_for, job_runs.c.division_id)))


def _wait(condition, seconds: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.postgres_only
def test_two_workers_run_each_schedule_once_and_finish_a_killed_workers_job(
        pg_server, tmp_path: Path) -> None:
    from core.installer import initialise
    from core.jobqueue import RUN_TASK, build_app

    url = pg_server.create_database(f"q_{uuid.uuid4().hex[:12]}")
    settings = _settings(url, tmp_path)
    kernel = initialise(settings).kernel
    env = {**os.environ, "KEHU_DATABASE_URL": url, "KEHU_ADDONS_PATH": json.dumps([str(ADDONS)]),
           "KEHU_SECRET_KEY_FILE": str(tmp_path / "secret.key"), "KEHU_LOCALE": "en",
           "KEHU_LOG_DIR": str(tmp_path / "log"), "KEHU_DIVISIONS": json.dumps(DIVISIONS),
           "KEHU_TEST_JOB_SCHEDULE": "* * * * * */2", "KEHU_TEST_JOB_SECONDS": "6",
           "KEHU_TEST_JOB_DIR": str(tmp_path)}
    # Heartbeats every second; a worker is taken for dead after 10 s without one. Shorter
    # and a live worker slowed down by a loaded machine would have its jobs run twice.
    workers = [subprocess.Popen([KEHU, "jobs", "worker", "--heartbeat", "1", "--stalled-after", "10"],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=open(tmp_path / f"worker{n}.log", "w"))
               for n in range(2)]
    engine = kernel.engine
    try:
        def both_up() -> bool:
            with engine.connect() as connection:
                return connection.scalar(sa.text("SELECT count(*) FROM procrastinate_workers")) == 2
        _wait(both_up, 120, "two job workers")

        async def defer() -> None:
            app = build_app(kernel)
            async with app.open_async():
                for key in ("jobprobe.slow", "jobprobe.flaky"):
                    await app.configure_task(RUN_TASK).defer_async(
                        job=key, division_id=1, scheduled_for="2026-01-01T00:00:00")
        asyncio.run(defer())

        # The slow job starts on one worker: kill that worker mid-job.
        running = _wait(lambda: [r for r in _runs(engine, "jobprobe.slow") if r.status == "running"],
                        60, "the slow job to start")
        victim_pid = int(running[0].worker.rsplit(":", 1)[1])
        victim = next(w for w in workers if w.pid == victim_pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        survivor = next(w for w in workers if w is not victim)

        # The other worker sees the stalled job and runs it to the end.
        done = _wait(lambda: [r for r in _runs(engine, "jobprobe.slow") if r.status == "done"],
                     90, "the killed worker's job to finish on the other worker")
        assert done[0].attempts == 2 and done[0].worker.endswith(f":{survivor.pid}")
        # A failing job is retried.
        flaky = _wait(lambda: [r for r in _runs(engine, "jobprobe.flaky") if r.status == "done"],
                      60, "the failing job to be retried")
        assert flaky[0].attempts == 2
        # Let the survivor run a few more schedules alone.
        time.sleep(4)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for worker in workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()

    ticks = _runs(engine, "jobprobe.tick")
    times = sorted({row.scheduled_for for row in ticks})
    assert len(times) >= 3, (tmp_path / "worker0.log").read_text()[-2000:]
    # Each schedule ran once in each division: one run, one attempt, done.
    assert Counter(row.scheduled_for for row in ticks) == {when: 2 for when in times}
    assert {(row.status, row.attempts) for row in ticks} <= {("done", 1)}
    assert all((b - a) % dt.timedelta(seconds=2) == dt.timedelta(0) for a, b in zip(times, times[1:], strict=False))
    # procrastinate deferred each tick once, whichever worker deferred it.
    with engine.connect() as connection:
        deferred = Counter(row[0] for row in connection.execute(sa.text(
            "SELECT args->>'timestamp' FROM procrastinate_jobs "
            "WHERE task_name = 'kehu.tick.jobprobe.tick'")))
    assert deferred and set(deferred.values()) == {1}

    # The admin page lists the jobs and the queue.
    from starlette.testclient import TestClient

    from core.web.app import create_app

    with TestClient(create_app(kernel=kernel)) as client:
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"login": "admin", "password": ADMIN_PASSWORD,
                                    "csrf_token": token})
        page = client.get("/admin/jobs")
        assert page.status_code == 200
        assert "jobprobe.slow" in page.text and "kehu.tick.jobprobe.tick" in page.text
    engine.dispose()


@pytest.mark.sqlite_only
def test_in_process_runners_share_each_scheduled_run(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runners (two `kehu serve` workers on SQLite) do each run once between them."""
    from core.installer import initialise
    from core.jobs import InProcessRunner
    from core.kernel import boot

    monkeypatch.setenv("KEHU_TEST_JOB_SCHEDULE", "*/5 * * * *")
    settings = _settings(f"sqlite:///{tmp_path / 'kehu.db'}", tmp_path)
    initialise(settings).kernel.engine.dispose()
    kernels = [boot(settings), boot(settings)]
    runners = [InProcessRunner(kernel) for kernel in kernels]
    for runner in runners:
        runner.started = dt.datetime(2026, 3, 2, 9, 0)
    now = dt.datetime(2026, 3, 2, 9, 7, 30)
    done: list[int] = []
    threads = [threading.Thread(target=lambda r=runner: done.append(r.tick(now)))
               for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from core.jobs import job_runs

    with kernels[0].engine.connect() as connection:
        every_run = list(connection.execute(job_runs.select()))
    # Between them the two runners did each due run once (other addons' jobs too).
    assert sum(done) == len(every_run) and {r.attempts for r in every_run} == {1}
    rows = _runs(kernels[0].engine, "jobprobe.tick")
    assert [(r.scheduled_for, r.status, r.attempts) for r in rows] == [
        (dt.datetime(2026, 3, 2, 9, 5), "done", 1)] * 2
    # Later ticks before the next schedule do not run it again; a time before start-up is
    # not caught up (09:10 passed before the second runner started at 09:11).
    runners[0].tick(dt.datetime(2026, 3, 2, 9, 9))
    runners[1].started = dt.datetime(2026, 3, 2, 9, 11)
    runners[1].tick(dt.datetime(2026, 3, 2, 9, 12))
    assert len(_runs(kernels[0].engine, "jobprobe.tick")) == 2
    for kernel in kernels:
        kernel.engine.dispose()


# ------------------------------------------------------------ imports as jobs (#20)


def _imported(client, body: bytes, name: str) -> dict:  # type: ignore[no-untyped-def]
    """Upload `body` on the customers' import page; the job's last status."""
    from core.testing.web import csrf_token

    token = csrf_token(client.get("/m/crm_customer/import").text)
    answer = client.post("/m/crm_customer/import", data={"csrf_token": token},
                         files={"file": (name, body, "text/csv")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text[-500:]
    url = answer.headers["location"]
    status = _wait(lambda: (lambda s: s if s["state"] in ("done", "failed") else None)(
        client.get(url, headers={"Accept": "application/json"}).json()), 120, "the import")
    return {**status, "url": url}


def _import_row(kernel, job_id: str) -> sa.Row:  # type: ignore[no-untyped-def]
    from core.dataexchange.jobs import import_jobs

    with kernel.engine.connect() as connection:
        return connection.execute(import_jobs.select().where(import_jobs.c.id == job_id)).one()


def _notices(kernel, user_id: int) -> list:  # type: ignore[no-untyped-def]
    from core.context import system_context
    from core.notify.models import Notification

    with system_context(), kernel.session() as session:
        return [(row.kind, row.params) for row in session.scalars(
            sa.select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.id))]


def _customers(kernel, prefix: str) -> int:  # type: ignore[no-untyped-def]
    from addons.crm_customer.models import Customer
    from core.context import system_context

    with system_context(), kernel.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Customer)
                              .where(Customer.code.like(f"{prefix}%")))


@pytest.mark.sqlite_only
def test_an_import_from_the_page_runs_as_a_job_and_tells_its_user(kernel) -> None:  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    from core.testing.web import sign_in
    from core.web.app import create_app
    from tests.core.org_fixtures import PASSWORD, build_org
    from tests.core.test_import import HEADER, csv_bytes

    org = build_org(kernel)
    client = sign_in(TestClient(create_app(kernel=kernel)), "li.na", PASSWORD)
    rows = [HEADER] + [[f"队列客户{n}", f"Q-{n}", "", "", ""] for n in range(1200)]
    status = _imported(client, csv_bytes(rows), "队列.csv")
    assert (status["state"], status["committed"], status["created"]) == ("done", True, 1200)
    assert _customers(kernel, "Q-") == 1200
    # It ran as a job: claimed once by a runner, the stored file dropped at the end.
    job = _import_row(kernel, status["id"])
    assert job.attempts == 1 and job.worker and job.source is None
    assert job.user_id == org.users["li.na"] and job.locale == "en"
    notices = _notices(kernel, org.users["li.na"])
    assert [(kind, params["count"], params["url"]) for kind, params in notices] == [
        ("import_finished", 1200, status["url"])]
    bell = client.get("/notifications").text
    assert "Import of 队列.csv finished: 1200 rows saved" in bell

    # A bad row: nothing is written, the page names the row and the field, the user is told.
    bad = [HEADER, ["队列客户甲", "QB-1", "", "", ""], ["", "QB-2", "", "", "火星"]]
    status = _imported(client, csv_bytes(bad), "坏行.csv")
    assert status["state"] == "done" and not status["committed"] and status["failed_rows"] == 1
    assert _customers(kernel, "QB-") == 0
    page = client.get(status["url"]).text
    assert '<td class="num">3</td>' in page and "火星" in page
    kind, params = _notices(kernel, org.users["li.na"])[-1]
    assert kind == "import_failed" and params["comment"] == "1 rows have errors"
    assert "finished without saving anything: 1 rows have errors" in client.get("/notifications").text


@pytest.mark.sqlite_only
def test_the_in_process_runner_starts_an_import_its_web_worker_left_queued(
        kernel, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from addons.crm_customer.models import Customer
    from core.context import acting_as
    from core.dataexchange import jobs as import_jobs
    from core.jobs import InProcessRunner
    from tests.core.org_fixtures import build_org
    from tests.core.test_import import HEADER, csv_bytes

    org = build_org(kernel)
    monkeypatch.setattr(import_jobs, "_dispatch", lambda kernel, job: None)  # the process stops
    with acting_as(org.actor(kernel, "li.na")):
        job_id = import_jobs.start_import_job(
            kernel, Customer, csv_bytes([HEADER, ["遗留客户", "L-1", "", "", ""]]),
            filename="遗留.csv")
    assert _import_row(kernel, job_id).state == "queued"
    with kernel.engine.begin() as connection:  # queued a while ago
        connection.execute(import_jobs.import_jobs.update().values(updated=time.time() - 60))
    runner = InProcessRunner(kernel)
    assert runner.tick() >= 1
    job = _import_row(kernel, job_id)
    assert (job.state, job.created, job.attempts) == ("done", 1, 1) and _customers(kernel, "L-") == 1
    assert [kind for kind, _params in _notices(kernel, org.users["li.na"])] == ["import_finished"]
    assert runner.tick() == 0  # done once

    # A process of this machine died mid-import (its transaction rolled back): the runner
    # runs it again from the stored file; the dead attempt's counts do not add up.
    with acting_as(org.actor(kernel, "li.na")):
        job_id = import_jobs.start_import_job(
            kernel, Customer, csv_bytes([HEADER, ["中断客户", "L-2", "", "", ""]]),
            filename="中断.csv")
    assert import_jobs._claim(kernel, job_id, retry=False) is not None
    with kernel.engine.begin() as connection:
        connection.execute(import_jobs.import_jobs.update().where(
            import_jobs.import_jobs.c.id == job_id).values(
                worker=f"{socket.gethostname()}:{2 ** 22 + 7}", done=1, created=1))
    assert runner.tick() == 1
    job = _import_row(kernel, job_id)
    assert (job.state, job.created, job.attempts) == ("done", 1, 2) and _customers(kernel, "L-") == 2


@pytest.mark.postgres_only
def test_an_import_runs_on_a_postgresql_job_worker(kernel, env_vars, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from addons.crm_customer.models import Customer
    from core.context import acting_as
    from core.dataexchange import import_job, start_import_job
    from core.jobqueue import live_workers, queued_jobs
    from tests.core.org_fixtures import build_org
    from tests.core.test_import import HEADER, csv_bytes

    assert kernel.settings.queue_jobs
    org = build_org(kernel)
    worker = subprocess.Popen([KEHU, "jobs", "worker", "--heartbeat", "1"],
                              env={**os.environ, **env_vars}, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=open(tmp_path / "worker.log", "w"))
    try:
        _wait(lambda: live_workers(kernel), 120, "a job worker")
        rows = [HEADER] + [[f"工人客户{n}", f"W-{n}", "", "", ""] for n in range(300)]
        actor = org.actor(kernel, "li.na")
        with acting_as(actor):
            job_id = start_import_job(kernel, Customer, csv_bytes(rows), filename="工人.csv")
        job = _wait(lambda: (lambda j: j if j.state in ("done", "failed") else None)(
            import_job(kernel, job_id, user_id=actor.user_id)), 120, "the worker's import")
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert job.state == "done" and job.result.created == 300, (tmp_path / "worker.log").read_text()[-2000:]
    row = _import_row(kernel, job_id)
    # The worker process ran it (not this one), from the queue.
    assert row.worker.rsplit(":", 1)[1] == str(worker.pid) and row.source is None
    assert any(q.task_name == "kehu.import" and q.status == "succeeded" for q in queued_jobs(kernel))
    assert _customers(kernel, "W-") == 300
    assert [kind for kind, _params in _notices(kernel, org.users["li.na"])] == ["import_finished"]


@pytest.mark.sqlite_only
def test_every_periodic_job_of_the_addons_has_its_schedule_on_the_jobs_page(kernel) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from croniter import croniter
    from starlette.testclient import TestClient

    from core.jobs import registered_jobs
    from core.testing.web import sign_in
    from core.web.app import create_app

    declared = {}
    for name in ("crm_customer", "crm_funnel", "crm_channel", "crm_expense", "crm_team",
                 "crm_marketing"):
        module = importlib.import_module(f"addons.{name}")
        hook = getattr(module, "kehu_register_jobs", None)
        declared.update({job.key: job.schedule for job in (hook() if hook else [])})
    # Daily, weekly and monthly work at sensible Beijing hours (schedules are UTC).
    assert declared == {
        "crm_customer.pool_return": "0 18 * * *",          # daily, 02:00
        "overdue_leads": "30 0 * * *",                     # daily, 08:30
        "forecast_snapshot": "30 0 * * 1",                 # Mondays, 08:30
        "crm_channel.agreement_expiry": "0 1 * * *",       # daily, 09:00
        "expense_accruals": "30 0 1 * *",                  # the 1st of each month, 08:30
        "team_report_reminders": "0 1 * * 1",              # Mondays, 09:00
    }
    assert all(croniter.is_valid(schedule) for schedule in declared.values())
    installed = {job.key: job.schedule for _addon, job in registered_jobs(kernel)}
    assert installed["notify.deliver"] == "* * * * *"
    admin = sign_in(TestClient(create_app(kernel=kernel)), "admin", ADMIN_PASSWORD)
    page = admin.get("/admin/jobs").text
    for key, schedule in installed.items():
        assert f"<code>{key}</code>" in page and f"<code>{schedule}</code>" in page


def test_a_job_with_a_mistyped_schedule_is_refused_by_name() -> None:
    from core.i18n import _l
    from core.jobs import Job, registered_jobs

    class Registry:
        def collect(self, hook: str) -> list:  # type: ignore[type-arg]
            return [("probe", Job("probe.typo", _l("Count"), lambda s, d: 0, schedule="0 25 * * *"))]

    class FakeKernel:
        registry = Registry()

    with pytest.raises(ValueError, match=r"probe\.typo \('0 25 \* \* \*'\)"):
        registered_jobs(FakeKernel())  # type: ignore[arg-type]
