"""The benchmark keeps working: seeded data, and every figure measured at a tiny size.

Speed is never asserted here (issue #9): only that the generator is
deterministic and complete, and that the harness measures each figure on a
real database and writes its table.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.generate import LOST_REASONS, SALES_MODES, SIZES, STAGE_WEIGHTS, generate

ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_generator_is_seeded_and_covers_the_data_the_figures_need(tmp_path: Path) -> None:
    size = SIZES["tiny"]
    first = generate(size, tmp_path / "a")
    second = generate(size, tmp_path / "b")
    for name in ("org.csv", "customers.csv", "customers_import.csv", "opportunities.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    people = [row for row in _rows(first / "org.csv") if row["kind"] == "user"]
    reps = [row for row in people if row["role"] == "sales_rep"]
    assert len(reps) == size.reps
    assert {row["division"] for row in reps} == {"EAST", "SOUTH", "NORTH", "WEST"}
    assert len({row["name"] for row in people}) == len(people)  # owners are looked up by name

    customers = _rows(first / "customers.csv")
    assert len(customers) == size.customers
    names = [row["name"] for row in customers]
    assert any("有限公司" in name for name in names) and any("Co., Ltd." in name for name in names)
    assert {row["level"] for row in customers} == set("ABCD")
    assert len({row["industry"] for row in customers}) == 10
    imported = _rows(first / "customers_import.csv")
    assert len(imported) == size.customers
    assert not {row["name"] for row in imported} & set(names)
    assert all(row["code"].startswith("N") for row in imported)

    deals = _rows(first / "opportunities.csv")
    assert len(deals) == size.opportunities
    assert {int(row["sales_mode"]) for row in deals} == set(range(SALES_MODES))
    assert {int(row["stage"]) for row in deals} == set(range(len(STAGE_WEIGHTS)))
    assert Counter(row["state"] for row in deals).keys() == {"open", "won", "lost"}
    lost = [row for row in deals if row["state"] == "lost"]
    assert lost and all(row["lost_reason"] for row in lost)
    assert {int(row["lost_reason"]) for row in lost} <= set(range(LOST_REASONS))
    closes = sorted(row["expected_close"] for row in deals)
    assert closes[0] >= "2026-01-01" and closes[-1] <= "2027-12-31" and closes[-1][:4] == "2027"


def test_the_harness_measures_every_figure_on_sqlite(tmp_path: Path) -> None:
    results = tmp_path / "results"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "tiny", "--backends", "sqlite",
         "--work", str(tmp_path / "work"), "--results", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=900)  # every addon's figures, a busy machine
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    # Only a full-size run writes latest.*: a tiny one writes tiny.*.
    assert not (results / "latest.json").exists()
    data = json.loads((results / "tiny.json").read_text(encoding="utf-8"))
    by_figure = {row["figure"]: row for row in data["results"]}
    for prefix in ("1.", "2.", "2b.", "3.", "5.", "7a.", "7b."):
        found = [row for name, row in by_figure.items() if name.startswith(prefix)]
        assert found, f"figure {prefix} missing: {sorted(by_figure)}"
        assert all(row["kehu"] is not None and row["passed"] is not None for row in found), found
    for row in by_figure.values():
        if row["raw"] is not None:
            assert row["ratio"] == row["kehu"] / row["raw"]
    statements = next(row for name, row in by_figure.items() if name.startswith("5."))
    assert statements["details"]["big"] > 0 and statements["details"]["small"] > 0
    assert "| Figure |" in (results / "tiny.md").read_text(encoding="utf-8")
