"""The results table: printed, and written as bench/results/latest.json and latest.md
(a full-size run) or <size>.json and <size>.md (small, tiny)."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.harness import Result

RESULTS = Path(__file__).resolve().parent / "results"
HEADER = ("Figure", "DB", "Kehu", "Raw", "Ratio", "Target", "Result", "Note")


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit in ("MB", "req/s"):
        return f"{value:.0f} {unit}"
    if unit == "statements":
        return f"{value:.0f}"
    return f"{value:g} {unit}".strip()


def cells(result: Result) -> tuple[str, ...]:
    verdict = "not measured" if result.passed is None else "pass" if result.passed else "MISS"
    ratio = "—" if result.ratio is None else f"{result.ratio:.2f}"
    return (result.figure, result.backend, _number(result.kehu, result.unit),
            _number(result.raw, result.unit), ratio, result.target, verdict, result.note)


def table(results: Sequence[Result]) -> str:
    """A plain-text table for the terminal."""
    rows = [HEADER, *(cells(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]]))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths) + "  ----")
    return "\n".join(lines)


def markdown(results: Sequence[Result], meta: dict[str, Any]) -> str:
    """The table as Markdown, with what was measured on which machine."""
    out = [f"# Benchmark results ({meta['size']} size)", "",
           f"Run {meta['started']} – {meta['finished']} UTC on {meta['machine']}; "
           f"{meta['customers']:,} customers, {meta['opportunities']:,} opportunities; "
           f"addons: {', '.join(meta['addons'])}; load average at start {meta['load_average']['start']}, "
           f"at end {meta['load_average']['end']} (the cores are shared).", "",
           "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for result in results:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(result)) + " |")
    out.append("")
    return "\n".join(out)


def machine() -> str:
    cpus = Path("/proc/cpuinfo").read_text().count("processor\t:") if Path("/proc/cpuinfo").exists() else 0
    return f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (others' work shares the cores)."""
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else ""


def result_name(size: str) -> str:
    """The files' name: `latest` for a full-size run only, else the size (small.json...),
    so a quick run never overwrites the committed full-size results."""
    return "latest" if size == "full" else size


def write(results: Sequence[Result], meta: dict[str, Any], folder: Path = RESULTS) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"meta": meta, "results": [r.as_dict() for r in results]}
    name = result_name(str(meta.get("size", "full")))
    json_path = folder / f"{name}.json"
    md_path = folder / f"{name}.md"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n",
                         encoding="utf-8")
    md_path.write_text(markdown(results, meta), encoding="utf-8")
    return json_path, md_path
