"""What every figure uses: results, medians, a running `kehu serve`, signed-in clients."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.database import PASSWORD, BenchDB

ROOT = Path(__file__).resolve().parent.parent
KEHU = str(Path(sys.executable).parent / "kehu")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Result:
    """One line of the table: a figure on one backend.

    `kehu` and `raw` are medians in the figure's `unit`; `ratio` = kehu / raw
    when there is a raw baseline; `passed` is None when not measured.
    """

    figure: str
    backend: str
    unit: str
    target: str
    kehu: float | None = None
    raw: float | None = None
    ratio: float | None = None
    passed: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compared(figure: str, backend: str, kehu: list[float], raw: list[float], limit: float, *,
             unit: str = "ms", note: str = "", details: dict[str, Any] | None = None) -> Result:
    """A ratio figure: medians of both series, pass when kehu/raw ≤ limit."""
    k, r = statistics.median(kehu), statistics.median(raw)
    ratio = k / r if r else None
    return Result(figure, backend, unit, f"ratio ≤ {limit:g}", kehu=k, raw=r, ratio=ratio,
                  passed=ratio is not None and ratio <= limit, note=note,
                  details={"runs": len(kehu), "kehu_all": kehu, "raw_all": raw, **(details or {})})


def not_measured(figure: str, backend: str, target: str, reason: str) -> Result:
    return Result(figure, backend, "", target, note=f"not measured: {reason}")


def timed(function: Callable[[], Any], *, repeat: int, warmup: int = 1, scale: float = 1000.0) -> list[float]:
    """Wall times of `repeat` calls (after `warmup` unmeasured ones), in ms by default."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * scale)
    return times


def interleaved(kehu: Callable[[], Any], raw: Callable[[], Any], *, repeat: int,
                warmup: int = 2) -> tuple[list[float], list[float]]:
    """Times of both sides, alternating, so a busy moment of the machine hits both."""
    for _ in range(warmup):
        kehu()
        raw()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a += timed(kehu, repeat=1, warmup=0)
        b += timed(raw, repeat=1, warmup=0)
    return a, b


# ------------------------------------------------------------------ server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`kehu serve` on the benchmark database, in its own process group."""

    def __init__(self, db: BenchDB, *, workers: int = 1) -> None:
        self.db = db
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds = 0.0
        self.log = db.folder / f"serve-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60.0) -> Server:
        """Start and wait until /health answers; `startup_seconds` is spawn to first 200."""
        env = {**os.environ, **self.db.env, "KEHU_PORT": str(self.port)}
        started = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [KEHU, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = started + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"kehu serve exited: see {self.log}")
                with contextlib.suppress(httpx.TransportError):  # not listening yet
                    if client.get(self.base + "/health").status_code == 200:
                        self.startup_seconds = time.perf_counter() - started
                        return self
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"kehu serve did not answer within {timeout:.0f} s: see {self.log}")

    def worker_pids(self) -> list[int]:
        """The processes that answer requests: the workers, or the server itself."""
        assert self.process is not None
        children = _children(self.process.pid)
        # uvicorn with workers: a supervisor whose workers are spawned processes
        # ("spawn_main"), next to multiprocessing's resource tracker.
        workers = [pid for pid in children if "spawn_main" in _cmdline(pid)]
        return workers or [self.process.pid]

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):  # ended on its own meanwhile
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ------------------------------------------------------------------ clients


def signed_in(base: str, login: str, password: str = PASSWORD) -> httpx.Client:
    """An httpx client signed in through the real login form (session cookie)."""
    client = httpx.Client(base_url=base, timeout=60.0)
    found = _CSRF.search(client.get("/login").text)
    if found is None:
        raise RuntimeError("no csrf_token on /login")
    response = client.post("/login", data={"login": login, "password": password,
                                           "csrf_token": found.group(1)})
    if response.status_code != 303 or "/login" in response.headers.get("location", ""):
        raise RuntimeError(f"sign-in as {login} refused ({response.status_code})")
    return client


def api_token(db: BenchDB, login: str) -> str:
    """A bearer token for `login`, issued as `kehu` does (core.auth.tokens)."""
    import sqlalchemy as sa

    from core.auth.tokens import issue_token
    from core.context import system_context
    from core.models import User

    kernel = db.boot()
    try:
        with system_context(), kernel.sessions.begin() as session:
            user = session.scalar(sa.select(User).where(User.login == login))
            assert user is not None, login
            return issue_token(session, user, name="bench").token
    finally:
        kernel.engine.dispose()
