"""`kehu db revision` (#21): real operations from the model changes, no empty
revisions unless asked, and never into an installed wheel's folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import KEHU, ROOT, Cli

EXTENSION = '''

from addons.crm_customer.models import Customer
from core.orm import extends


@extends(Customer)
class CustomerVisits:
    """What visit_log adds to customers."""

    visit_note: Mapped[str | None] = mapped_column(info={"label": _l("Visit note")})
'''


def _scaffold(dest: Path) -> Path:
    """visit_log, scaffolded into `dest`, then given a column and a field on customers."""
    dest.mkdir(parents=True)
    subprocess.run([KEHU, "scaffold", "visit_log", "--dest", str(dest)], check=True,
                   capture_output=True, cwd=ROOT)
    package = dest / "kehu_visit_log"
    models = package / "kehu_visit_log" / "models.py"
    source = models.read_text(encoding="utf-8").replace(
        "    note: Mapped[str | None]",
        '    minutes: Mapped[int | None] = mapped_column(info={"label": _l("Minutes")})\n'
        "    note: Mapped[str | None]")
    models.write_text(source + EXTENSION, encoding="utf-8")
    init = package / "kehu_visit_log" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace(
        "depends=[]", 'depends=["crm_customer"]').replace(
        "from kehu_visit_log.models import VisitLogRecord",
        "from kehu_visit_log.models import CustomerVisits, VisitLogRecord").replace(
        "return [VisitLogRecord]", "return [VisitLogRecord, CustomerVisits]"), encoding="utf-8")
    return package


def _cli(cli: Cli, folder: Path) -> Cli:
    return Cli({**cli.env, "KEHU_ADDONS_PATH": json.dumps([str(folder)])})


def _first_revision_without_the_changes(package: Path) -> None:
    """The scaffold's first revision creates the table as the scaffold made it."""
    assert (package / "kehu_visit_log" / "migrations" / "visit_log_0001_initial.py").is_file()


@pytest.mark.sqlite_only
def test_a_revision_holds_the_model_changes_and_an_empty_one_is_refused(
        cli: Cli, tmp_path: Path) -> None:
    package = _scaffold(tmp_path / "src")
    _first_revision_without_the_changes(package)
    run = _cli(cli, package)
    # Installing runs 0001 only: the table lacks `minutes`, crm_customer `visit_note`.
    run("addons", "install", "visit_log")
    written = run("db", "revision", "visit_log", "-m", "minutes and visit note")
    path = package / "kehu_visit_log" / "migrations" / "visit_log_0002_minutes_and_visit_note.py"
    assert f"Wrote {path}" in written.stdout
    text = path.read_text(encoding="utf-8")
    assert "batch_op.add_column(sa.Column('minutes', sa.Integer(), nullable=True))" in text
    assert "batch_op.add_column(sa.Column('visit_note'" in text  # the @extends column too
    assert "batch_op.drop_column('minutes')" in text and "down_revision = 'visit_log_0001'" in text
    assert "crm_customer_" not in text.split("def upgrade")[1].replace("'crm_customer'", "")

    run("db", "upgrade")
    refused = run("db", "revision", "visit_log", "-m", "again", ok=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert ("'visit_log': the models and the database do not differ, so no revision was "
            "written (pass --empty for one to fill by hand)") in refused.stderr
    assert sorted(p.name for p in path.parent.glob("visit_log_*.py")) == [
        "visit_log_0001_initial.py", "visit_log_0002_minutes_and_visit_note.py"]

    by_hand = run("db", "revision", "visit_log", "-m", "move data", "--empty")
    assert "visit_log_0003_move_data.py" in by_hand.stdout
    assert "down_revision = 'visit_log_0002'" in (
        path.parent / "visit_log_0003_move_data.py").read_text(encoding="utf-8")


@pytest.mark.sqlite_only
def test_an_installed_wheel_is_refused_and_into_writes_elsewhere(cli: Cli, tmp_path: Path) -> None:
    """An addon imported from site-packages: its revisions belong in its source, not there."""
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    package = _scaffold(site)
    run = _cli(cli, package)
    run("addons", "install", "visit_log")
    migrations = package / "kehu_visit_log" / "migrations"
    before = sorted(p.name for p in migrations.iterdir())
    refused = run("db", "revision", "visit_log", "-m", "minutes", ok=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"'visit_log' is an installed package ({migrations}), not a source checkout" \
        in refused.stderr and "--into" in refused.stderr
    assert sorted(p.name for p in migrations.iterdir()) == before

    source = tmp_path / "checkout" / "migrations"
    missing = run("db", "revision", "visit_log", "-m", "minutes", "--into", str(source), ok=False)
    assert f"the folder {source} does not exist" in missing.stderr
    source.mkdir(parents=True)
    written = run("db", "revision", "visit_log", "-m", "minutes", "--into", str(source))
    assert f"Wrote {source / 'visit_log_0002_minutes.py'}" in written.stdout
    assert "'minutes'" in (source / "visit_log_0002_minutes.py").read_text(encoding="utf-8")
    assert sorted(p.name for p in migrations.iterdir()) == before
