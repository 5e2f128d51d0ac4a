"""jobprobe: jobs that run every few seconds, for the job queue's tests."""

from __future__ import annotations

import os
import time
from pathlib import Path

from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job

manifest = Manifest(name="jobprobe", version="1.0.0", summary="Jobs for the queue tests",
                    depends=[])


def _tick(session, division) -> int:  # type: ignore[no-untyped-def]
    return 1


def _slow(session, division) -> int:  # type: ignore[no-untyped-def]
    time.sleep(float(os.environ.get("KEHU_TEST_JOB_SECONDS", "0")))
    return 1


def _flaky(session, division) -> int:  # type: ignore[no-untyped-def]
    """Fails the first time in each division (a marker file remembers), then succeeds."""
    marker = Path(os.environ.get("KEHU_TEST_JOB_DIR", ".")) / f"flaky-{division.id}"
    if not marker.exists():
        marker.write_text("failed once")
        raise RuntimeError("the first attempt fails")
    return 1


@hookimpl
def kehu_register_jobs() -> list[Job]:
    schedule = os.environ.get("KEHU_TEST_JOB_SCHEDULE", "0 0 1 1 *")
    return [Job("jobprobe.tick", _l("Count"), _tick, schedule=schedule),
            Job("jobprobe.slow", _l("Sleep"), _slow, schedule="0 0 1 1 *"),
            Job("jobprobe.flaky", _l("Fail once"), _flaky, schedule="0 0 1 1 *")]
