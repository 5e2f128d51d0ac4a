"""Imports running in a background thread, polled by id (the import page's progress bar).

The registry lives in the memory of ONE worker process: a page must poll the
worker that started the job (one worker, or sticky sessions), and a restart
forgets the jobs (the import itself commits or rolls back as a whole, so a
lost job never leaves half a file behind). Finished jobs are kept an hour.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def start_import_job(
    kernel: Kernel, model: type, source: bytes | Path, *, filename: str,
    division_id: int | None = None, valid_only: bool = False,
) -> str:
    """Start `run_import` in a thread as the current actor and locale; its job id.

    `source` must outlive the request: pass the upload's bytes or a file path.
    """
    actor = current_actor()
    kernel.policy.check(actor, model, "create")  # refused at once, not in the thread
    _forget_old()
    job = ImportJob(id=secrets.token_urlsafe(16), user_id=actor.user_id,
                    result=ImportResult(model=model, filename=filename))
    with _lock:
        _jobs[job.id] = job
    context = contextvars.copy_context()  # the actor and the locale go along
    thread = threading.Thread(
        target=context.run, args=(_run, kernel, job, source),
        kwargs={"division_id": division_id, "valid_only": valid_only},
        name=f"kehu-import-{job.id[:8]}", daemon=True,
    )
    thread.start()
    return job.id


def import_job(job_id: str, *, user_id: int | None) -> ImportJob | None:
    """The job `job_id` if `user_id` started it (None otherwise, or when forgotten)."""
    with _lock:
        job = _jobs.get(job_id)
    if job is None or job.user_id != user_id:
        return None
    return job


def _run(kernel: Kernel, job: ImportJob, source: bytes | Path, *,
         division_id: int | None, valid_only: bool) -> None:
    job.state = RUNNING
    try:
        execute_import(kernel, job.result.model, source, job.result, division_id=division_id,
                       valid_only=valid_only, progress=None)
        job.state = DONE
    except KehuError as error:
        job.message, job.state = error.message, FAILED
    except Exception:
        log.exception("import job %s failed", job.id)
        job.message, job.state = _("The import failed unexpectedly; nothing was saved."), FAILED
    finally:
        job.finished_at = time.monotonic()


def _forget_old() -> None:
    limit = time.monotonic() - KEEP_SECONDS
    with _lock:
        for job_id in [key for key, job in _jobs.items()
                       if job.finished_at is not None and job.finished_at < limit]:
            del _jobs[job_id]
