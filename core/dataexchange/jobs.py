"""Imports run as jobs, polled by id (the import page's progress bar).

`start_import_job` records the upload in `kehu_import_job` (the file itself
too, so any machine can run it) and hands the import to the job runner:

- on PostgreSQL with job workers, to the procrastinate queue (task
  `kehu.import`, core/jobqueue.py): a `kehu jobs worker` runs it; if that
  worker dies mid-import, another runs it again (the import commits or rolls
  back as a whole, so a lost attempt leaves nothing behind);
- on SQLite (or while no job worker is alive), to the in-process runner: a
  thread of this process runs it, and `kehu serve`'s runner picks up an import
  queued by a process that stopped before starting it.

Whoever runs it writes its progress (every half second) and its result, row
errors included, to the same row, so a poll answered by any web worker sees
them; the user who started it gets an "import finished" notification. Finished
jobs are kept an hour.
"""

from __future__ import annotations

import contextvars
import dataclasses
import json
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.context import Actor, acting_as, current_actor, system_context
from core.dataexchange.importing import execute_import
from core.dataexchange.rows import ImportResult, RowError
from core.errors import KehuError
from core.i18n import _, current_locale, using_locale

if TYPE_CHECKING:
    from core.kernel import Kernel

log = logging.getLogger(__name__)
KEEP_SECONDS = 3600.0
# A queued import nobody started after this long is started by the in-process runner.
UNCLAIMED_AFTER = 5.0

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass
class ImportJob:
    """One import in the background: its state and its (growing) result."""

    id: str
    user_id: int | None
    result: ImportResult
    state: str = QUEUED  # queued → running → done | failed
    message: str = ""  # why it failed (a file-level problem)
    finished_at: float | None = None
    created_at: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.result.done

    @property
    def total(self) -> int:
        return self.result.total

    def errors(self) -> list[RowError]:
        """The row errors found so far (a copy: the import may still be adding)."""
        return list(self.result.errors)

    def status(self) -> dict[str, Any]:
        """The job for a progress poll, as JSON-ready values."""
        return {
            "id": self.id, "state": self.state, "done": self.done, "total": self.total,
            "created": self.result.created, "failed_rows": self.result.failed_rows,
            "errors": len(self.result.errors) + self.result.omitted_errors,
            "committed": self.result.committed, "message": self.message,
        }


SAVE_EVERY = 0.5  # seconds between progress writes

_metadata = sa.MetaData()
import_jobs = sa.Table(
    "kehu_import_job", _metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("user_id", sa.Integer),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("failed_rows", sa.Integer, nullable=False),
    sa.Column("omitted_errors", sa.Integer, nullable=False),
    sa.Column("committed", sa.Boolean, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("errors", sa.Text),
    sa.Column("updated", sa.Float, nullable=False),
    # What a job worker needs to run it (#20): the file, where to, in which language.
    sa.Column("source", sa.LargeBinary),
    sa.Column("division_id", sa.Integer),
    sa.Column("valid_only", sa.Boolean, nullable=False, default=False),
    sa.Column("locale", sa.String(16)),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("worker", sa.String(120)),
)


def worker_name() -> str:
    """host:pid of this process, recorded on the imports it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _values(job: ImportJob, *, with_errors: bool) -> dict[str, Any]:
    result = job.result
    values: dict[str, Any] = {
        "state": job.state, "total": result.total, "done": result.done,
        "created": result.created, "failed_rows": result.failed_rows,
        "omitted_errors": result.omitted_errors, "committed": result.committed,
        "message": job.message, "updated": time.time(),
    }
    if with_errors:
        values["errors"] = json.dumps([dataclasses.asdict(e) for e in job.errors()],
                                      ensure_ascii=False)
    return values


def _save(kernel: Kernel, job: ImportJob, *, with_errors: bool = False, **extra: Any) -> None:
    """Write the job's progress (and, at the end, its row errors) for every web worker."""
    try:
        with kernel.engine.begin() as connection:
            connection.execute(import_jobs.update().where(import_jobs.c.id == job.id)
                               .values({**_values(job, with_errors=with_errors), **extra}))
    except sa.exc.SQLAlchemyError:  # the import goes on; only other workers' polls miss it
        log.exception("could not record the progress of import job %s", job.id)


def _load(kernel: Kernel, job_id: str, user_id: int | None) -> ImportJob | None:
    """The job as recorded by the process running it."""
    columns = [c for c in import_jobs.c if c.name != "source"]
    with kernel.engine.connect() as connection:
        row = connection.execute(sa.select(*columns).where(import_jobs.c.id == job_id)).first()
    if row is None or row.user_id != user_id or row.model not in kernel.model_keys:
        return None
    return _job_of(kernel, row)


def _job_of(kernel: Kernel, row: Any) -> ImportJob:
    result = ImportResult(model=kernel.model_keys[row.model], filename=row.filename,
                          total=row.total, done=row.done, created=row.created,
                          failed_rows=row.failed_rows, omitted_errors=row.omitted_errors,
                          committed=row.committed,
                          errors=[RowError(**item) for item in json.loads(row.errors or "[]")])
    finished = None if row.state in (QUEUED, RUNNING) else time.monotonic()
    return ImportJob(id=row.id, user_id=row.user_id, result=result, state=row.state,
                     message=row.message, finished_at=finished)


def start_import_job(
    kernel: Kernel, model: type, source: bytes | Path, *, filename: str,
    division_id: int | None = None, valid_only: bool = False,
) -> str:
    """Queue the import of `source` into `model` as the current actor; its job id.

    The file is stored with the job, so a job worker on another machine can run
    it; the actor's rights are checked now, and again by the job as the actor.
    """
    actor = current_actor()
    kernel.policy.check(actor, model, "create")  # refused at once, not in the job
    _forget_old(kernel)
    data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    job = ImportJob(id=secrets.token_urlsafe(16), user_id=actor.user_id,
                    result=ImportResult(model=model, filename=filename))
    with kernel.engine.begin() as connection:
        connection.execute(import_jobs.insert().values(
            id=job.id, user_id=job.user_id, model=model.__tablename__,  # type: ignore[attr-defined]
            filename=filename, source=data, valid_only=valid_only, locale=current_locale(),
            division_id=division_id if division_id is not None else actor.division_id,
            attempts=0, **_values(job, with_errors=False)))
    _dispatch(kernel, job)
    return job.id


def _dispatch(kernel: Kernel, job: ImportJob) -> None:
    """Hand the queued job to the PostgreSQL queue, else to a thread of this process."""
    if kernel.settings.queue_jobs:
        from core.jobqueue import defer_import

        if defer_import(kernel, job.id):
            return
        log.warning("no job worker is running: import %s runs in this web worker "
                    "(start `kehu jobs worker`)", job.id)
    with kernel.imports_lock:
        kernel.running_imports[job.id] = job  # this process runs it: its polls read the live job
    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(run_import_job, kernel, job.id),
                     name=f"kehu-import-{job.id[:8]}", daemon=True).start()


def import_job(kernel: Kernel, job_id: str, *, user_id: int | None) -> ImportJob | None:
    """The job `job_id` if `user_id` started it (None otherwise, or when forgotten).

    Run by this process for this kernel: the live job; else as the process
    running it recorded it in the database."""
    with kernel.imports_lock:
        job = kernel.running_imports.get(job_id)
    if job is None:
        job = _load(kernel, job_id, user_id)
    if job is None or job.user_id != user_id:
        return None
    return job


# ------------------------------------------------------------ running a queued import


def _claim(kernel: Kernel, job_id: str, *, retry: bool) -> Any:
    """Mark the job running for this process and return its row; None if another has it.

    A retry (the queue again, after a worker died mid-import) may take a running job."""
    states = (QUEUED, RUNNING) if retry else (QUEUED,)
    with kernel.engine.begin() as connection:
        claimed = connection.execute(
            import_jobs.update().where(import_jobs.c.id == job_id,
                                       import_jobs.c.state.in_(states),
                                       import_jobs.c.source.is_not(None))
            .values(state=RUNNING, attempts=import_jobs.c.attempts + 1, worker=worker_name(),
                    updated=time.time()))
        if not claimed.rowcount:
            return None
        return connection.execute(import_jobs.select().where(import_jobs.c.id == job_id)).first()


def run_import_job(kernel: Kernel, job_id: str, *, retry: bool = False) -> str | None:
    """Run the queued import `job_id` as the user who started it; its final state.

    None if another process runs (or ran) it. The rows are written all or
    nothing (core.dataexchange.importing); the user is notified at the end.
    """
    row = _claim(kernel, job_id, retry=retry)
    if row is None or row.model not in kernel.model_keys:
        return None
    with kernel.imports_lock:
        job = kernel.running_imports.get(job_id)
    if job is None:
        job = _job_of(kernel, row)
        with kernel.imports_lock:
            kernel.running_imports[job_id] = job
    # A fresh result: a second attempt must not add to what a dead one counted.
    job.result = ImportResult(model=job.result.model, filename=job.result.filename)
    job.state, job.message = RUNNING, ""
    with using_locale(row.locale or current_locale()):
        actor = _actor(kernel, row.user_id)
        if actor is None:
            job.message, job.state = _("The user who started the import is no longer active."), FAILED
            job.finished_at = time.monotonic()
            _save(kernel, job, with_errors=True, source=None)
            return job.state
        with acting_as(actor):
            _run(kernel, job, row.source, division_id=row.division_id,
                 valid_only=row.valid_only)
            _announce(kernel, job, actor, row)
    return job.state


def _actor(kernel: Kernel, user_id: int | None) -> Actor | None:
    """The actor of the user who started the import, read afresh (rights may have changed)."""
    from core.models import User
    from core.org import actor_for

    if user_id is None:
        return None
    with system_context(), kernel.session() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            return None
        return actor_for(session, user)


def _run(kernel: Kernel, job: ImportJob, source: bytes, *,
         division_id: int | None, valid_only: bool) -> None:
    saved = [0.0]

    def progress(_done: int, _total: int) -> None:
        if time.monotonic() - saved[0] >= SAVE_EVERY:
            saved[0] = time.monotonic()
            _save(kernel, job)

    state, message = FAILED, _("The import failed unexpectedly; nothing was saved.")
    try:
        execute_import(kernel, job.result.model, source, job.result, division_id=division_id,
                       valid_only=valid_only, progress=progress)
        state, message = DONE, ""
    except KehuError as error:
        message = error.message
    except Exception:
        log.exception("import job %s failed", job.id)
    finally:
        # Recorded before this process shows it ended: a poll that sees the end here
        # finds it in the database too (another web worker reads it there).
        _save(kernel, job, with_errors=True, source=None, state=state, message=message)
        job.finished_at = time.monotonic()
        job.message, job.state = message, state


def _announce(kernel: Kernel, job: ImportJob, actor: Actor, row: Any) -> None:
    """Tell the user who started the import how it ended (a notification with a link)."""
    from core.notify import notify
    from core.notify.kinds import IMPORT_FAILED, IMPORT_FINISHED

    result = job.result
    problem = job.message or _("{count} rows have errors").format(count=result.failed_rows)
    params = {"file": result.filename, "count": result.created, "comment": problem,
              "url": f"/m/{row.model}/import/{job.id}"}
    try:
        with kernel.sessions.begin() as session:
            notify(session, IMPORT_FINISHED if result.committed else IMPORT_FAILED,
                   [actor.user_id], params=params, include_actor=True,
                   division_id=row.division_id)
    except Exception:  # the import itself is done; only the notice is lost
        log.exception("could not notify the end of import job %s", job.id)


def run_waiting_imports(kernel: Kernel) -> int:
    """Run the imports queued for the in-process runner that nobody started; how many.

    A web worker starts its own imports at once; this catches those of a process
    that stopped in between, and those of a process on this machine that died
    mid-import (run again from the stored file)."""
    _requeue_dead(kernel)
    with kernel.engine.connect() as connection:
        waiting = list(connection.scalars(
            sa.select(import_jobs.c.id).where(import_jobs.c.state == QUEUED,
                                              import_jobs.c.source.is_not(None),
                                              import_jobs.c.updated < time.time() - UNCLAIMED_AFTER)
            .order_by(import_jobs.c.updated)))
    return sum(run_import_job(kernel, job_id) is not None for job_id in waiting)


def _requeue_dead(kernel: Kernel) -> None:
    """Queue again the running imports of processes of this machine that are gone."""
    host = socket.gethostname()
    with kernel.engine.begin() as connection:
        running = connection.execute(sa.select(import_jobs.c.id, import_jobs.c.worker).where(
            import_jobs.c.state == RUNNING, import_jobs.c.source.is_not(None),
            import_jobs.c.worker.like(f"{host}:%"))).all()
        for job_id, worker in running:
            if not _alive(int(worker.rsplit(":", 1)[1])):
                log.warning("import %s was running in process %s, which stopped: queued again",
                            job_id, worker)
                connection.execute(import_jobs.update().where(import_jobs.c.id == job_id)
                                   .values(state=QUEUED, updated=0.0))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _forget_old(kernel: Kernel) -> None:
    try:
        with kernel.engine.begin() as connection:
            # Finished jobs an hour after the end; any job after a day (one lost
            # with its file, e.g. queued while no worker of any kind ran).
            connection.execute(import_jobs.delete().where(sa.or_(
                sa.and_(import_jobs.c.updated < time.time() - KEEP_SECONDS,
                        import_jobs.c.state.in_((DONE, FAILED))),
                import_jobs.c.updated < time.time() - 24 * KEEP_SECONDS)))
    except sa.exc.SQLAlchemyError:
        log.exception("could not forget old import jobs")
    limit = time.monotonic() - KEEP_SECONDS
    with kernel.imports_lock:
        running = kernel.running_imports
        for job_id in [key for key, job in running.items()
                       if job.finished_at is not None and job.finished_at < limit]:
            del running[job_id]
