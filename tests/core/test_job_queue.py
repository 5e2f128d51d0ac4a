"""Jobs on a real queue: PostgreSQL job workers (procrastinate) run each scheduled job once,
retry failures and finish the job of a worker killed mid-job; on SQLite the in-process
runner does the same work once however many processes run it."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
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
    workers = [subprocess.Popen([KEHU, "jobs", "worker", "--heartbeat", "1", "--stalled-after", "3"],
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
    assert all((b - a) % dt.timedelta(seconds=2) == dt.timedelta(0) for a, b in zip(times, times[1:]))
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
