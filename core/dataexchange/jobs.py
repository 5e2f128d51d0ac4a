"""Imports running in a background thread, polled by id (the import page's progress bar).

The import runs in a thread of the web worker that received the file; its
progress (every half second) and its result, row errors included, are written
to `kehu_import_job`, so a poll answered by any other web worker sees them
too. A restart of the worker running it ends the import (it commits or rolls
back as a whole, so a lost job never leaves half a file behind): the job then
stays `running` in the table. Finished jobs are kept an hour.
"""

from __future__ import annotations

import contextvars
import dataclasses
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.context import current_actor
from core.dataexchange.importing import execute_import
from core.dataexchange.rows import ImportResult, RowError
from core.errors import KehuError
from core.i18n import _

if TYPE_CHECKING:
    from core.kernel import Kernel

log = logging.getLogger(__name__)
KEEP_SECONDS = 3600.0

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


_jobs: dict[str, ImportJob] = {}
_lock = threading.Lock()
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
)


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


def _save(kernel: Kernel, job: ImportJob, *, first: bool = False, with_errors: bool = False) -> None:
    """Write the job's progress (and, at the end, its row errors) for every web worker."""
    try:
        with kernel.engine.begin() as connection:
            if first:
                connection.execute(import_jobs.insert().values(
                    id=job.id, user_id=job.user_id, model=job.result.model.__tablename__,
                    filename=job.result.filename, **_values(job, with_errors=False)))
            else:
                connection.execute(import_jobs.update().where(import_jobs.c.id == job.id)
                                   .values(**_values(job, with_errors=with_errors)))
    except sa.exc.SQLAlchemyError:  # the import goes on; only other workers' polls miss it
        log.exception("could not record the progress of import job %s", job.id)


def _load(kernel: Kernel, job_id: str, user_id: int | None) -> ImportJob | None:
    """The job as recorded by the web worker running it."""
    with kernel.engine.connect() as connection:
        row = connection.execute(import_jobs.select().where(import_jobs.c.id == job_id)).first()
    if row is None or row.user_id != user_id or row.model not in kernel.model_keys:
        return None
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
    """Start `run_import` in a thread as the current actor and locale; its job id.

    `source` must outlive the request: pass the upload's bytes or a file path.
    """
    actor = current_actor()
    kernel.policy.check(actor, model, "create")  # refused at once, not in the thread
    _forget_old(kernel)
    job = ImportJob(id=secrets.token_urlsafe(16), user_id=actor.user_id,
                    result=ImportResult(model=model, filename=filename))
    with _lock:
        _jobs[job.id] = job
    _save(kernel, job, first=True)
    context = contextvars.copy_context()  # the actor and the locale go along
    thread = threading.Thread(
        target=context.run, args=(_run, kernel, job, source),
        kwargs={"division_id": division_id, "valid_only": valid_only},
        name=f"kehu-import-{job.id[:8]}", daemon=True,
    )
    thread.start()
    return job.id


def import_job(job_id: str, *, user_id: int | None,
               kernel: Kernel | None = None) -> ImportJob | None:
    """The job `job_id` if `user_id` started it (None otherwise, or when forgotten).

    Run by this process: the live job; else, given the kernel, as another web
    worker recorded it in the database."""
    with _lock:
        job = _jobs.get(job_id)
    if job is None and kernel is not None:
        job = _load(kernel, job_id, user_id)
    if job is None or job.user_id != user_id:
        return None
    return job


def _run(kernel: Kernel, job: ImportJob, source: bytes | Path, *,
         division_id: int | None, valid_only: bool) -> None:
    job.state = RUNNING
    saved = [0.0]

    def progress(_done: int, _total: int) -> None:
        if time.monotonic() - saved[0] >= SAVE_EVERY:
            saved[0] = time.monotonic()
            _save(kernel, job)

    try:
        execute_import(kernel, job.result.model, source, job.result, division_id=division_id,
                       valid_only=valid_only, progress=progress)
        job.state = DONE
    except KehuError as error:
        job.message, job.state = error.message, FAILED
    except Exception:
        log.exception("import job %s failed", job.id)
        job.message, job.state = _("The import failed unexpectedly; nothing was saved."), FAILED
    finally:
        job.finished_at = time.monotonic()
        _save(kernel, job, with_errors=True)


def _forget_old(kernel: Kernel | None = None) -> None:
    if kernel is not None:
        try:
            with kernel.engine.begin() as connection:
                connection.execute(import_jobs.delete().where(
                    import_jobs.c.updated < time.time() - KEEP_SECONDS))
        except sa.exc.SQLAlchemyError:
            log.exception("could not forget old import jobs")
    limit = time.monotonic() - KEEP_SECONDS
    with _lock:
        for job_id in [key for key, job in _jobs.items()
                       if job.finished_at is not None and job.finished_at < limit]:
            del _jobs[job_id]
