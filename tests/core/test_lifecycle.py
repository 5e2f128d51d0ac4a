"""Install, upgrade, uninstall and per-division enabling, through the real CLI.

The third-party addon crm_credit (tests/thirdparty, pip-installed by `make test`)
adds columns to crm_customer's table. Its mapping is per process, so what uses
its model runs in a `kehu` or `python` subprocess, as an integrator's would.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from core import migrate
from core.addons import discover
from core.db import make_engine


def core_head(branch: str) -> str:
    """The newest revision of `branch`."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config(discover()))
    return str(script.get_revisions(f"{branch}@head")[0].revision)


def columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {column["name"] for column in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def run_python(cli, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=cli.env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.empty_db
@pytest.mark.sqlite_only  # engine-agnostic: PostgreSQL is covered elsewhere (CI time)
def test_init_installs_the_configured_addons_and_can_run_again(cli, db_url) -> None:
    first = cli("init", "--demo")
    assert "Installed addons: crm_customer" in first.stdout
    customers = scalar(db_url, "SELECT count(*) FROM crm_customer")
    # The demo company's 1,000 customers, and the channel network's own (HQ has crm_channel).
    assert customers >= 1000
    cli("init", "--demo")
    assert scalar(db_url, "SELECT count(*) FROM crm_customer") == customers
    listing = cli("addons", "list").stdout.splitlines()
    row = next(line for line in listing if line.startswith("crm_funnel"))
    assert row.split()[1:3] == ["0.1.0", "installed"]
    assert "crm_customer, crm_team" in row  # visits are crm_team's (#17)
    assert row.endswith("EAST, HQ")
    expense = next(line for line in listing if line.startswith("crm_expense"))
    assert expense.endswith("HQ")
    channel = next(line for line in listing if line.startswith("crm_channel"))
    assert "installed" in channel and channel.endswith("HQ")
    marketing = next(line for line in listing if line.startswith("crm_marketing "))
    assert "available" in marketing and marketing.endswith("-")


@pytest.mark.demo_db
def test_third_party_addon_adds_a_field_to_customer(cli, db_url) -> None:
    assert "credit_limit" not in columns(db_url, "crm_customer")
    assert "Installed: crm_credit" in cli("addons", "install", "crm_credit").stdout
    assert {"credit_limit", "credit_days"} <= columns(db_url, "crm_customer")
    out = run_python(
        cli,
        """
        from decimal import Decimal
        import sqlalchemy as sa
        from core.kernel import boot
        from addons.crm_customer.models import Customer
        from kehu_crm_credit.models import CustomerCredit
        kernel = boot()
        with kernel.sessions.begin() as session:
            customer = session.scalars(sa.select(Customer).order_by(Customer.id)).first()
            CustomerCredit.of(customer).credit_limit = Decimal("123456.78")
        with kernel.sessions() as session:
            total = session.scalar(sa.select(sa.func.sum(Customer.credit_limit)))
            print(total, session.scalar(sa.select(Customer.credit_days).order_by(Customer.id)))
        """,
    )
    # SQL sums stay exact Decimal yuan; customers without a limit got 0 days.
    assert out == "123456.78 0"
    assert scalar(db_url, "SELECT credit_limit FROM crm_customer ORDER BY id LIMIT 1") == 12345678


@pytest.mark.demo_db
def test_install_uninstall_install_keeps_other_addons_rows(cli, db_url) -> None:
    before = scalar(db_url, "SELECT count(*) FROM crm_customer")
    names = scalar(db_url, "SELECT min(name) || max(name) FROM crm_customer")
    cli("addons", "install", "crm_credit")
    cli("addons", "enable", "crm_credit", "--division", "HQ")
    refused = cli("addons", "uninstall", "crm_customer", ok=False)
    assert refused.returncode == 1
    assert "crm_credit" in refused.stderr and "depend on it" in refused.stderr
    assert "Uninstalled: crm_credit" in cli("addons", "uninstall", "crm_credit").stdout
    assert "credit_limit" not in columns(db_url, "crm_customer")
    assert scalar(db_url, "SELECT count(*) FROM kehu_division_addon WHERE addon='crm_credit'") == 0
    cli("addons", "install", "crm_credit")
    assert "credit_limit" in columns(db_url, "crm_customer")
    assert scalar(db_url, "SELECT count(*) FROM crm_customer") == before
    assert scalar(db_url, "SELECT min(name) || max(name) FROM crm_customer") == names
    cli("addons", "uninstall", "crm_funnel")
    assert scalar(db_url, "SELECT count(*) FROM crm_customer") == before


@pytest.mark.demo_db
def test_db_upgrade_brings_an_older_database_to_head_keeping_data(cli, db_url) -> None:
    # The database as crm_credit 0.1.0 left it: only its first revision applied.
    engine = make_engine(db_url)
    migrate.upgrade(engine, discover(), "crm_credit", to="crm_credit_0001")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO kehu_addon (name, version, install_date, upgrade_date) "
            "VALUES ('crm_credit', '0.1.0', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        connection.execute(sa.text(
            "UPDATE crm_customer SET credit_limit = 5000000 WHERE id % 2 = 0"
        ))
    engine.dispose()
    assert "credit_days" not in columns(db_url, "crm_customer")
    pending = cli("addons", "list").stdout
    assert "installed 0.1.0, upgrade to 0.2.0 pending" in pending

    done = cli("db", "upgrade").stdout
    assert "crm_credit" in done
    assert "credit_days" in columns(db_url, "crm_customer")
    even = scalar(db_url, "SELECT count(*) FROM crm_customer WHERE id % 2 = 0")
    odd = scalar(db_url, "SELECT count(*) FROM crm_customer WHERE id % 2 = 1")
    assert even > 0 and odd > 0
    assert scalar(db_url, "SELECT count(*) FROM crm_customer WHERE credit_limit = 5000000") == even
    assert scalar(db_url, "SELECT count(*) FROM crm_customer WHERE credit_days = 30") == even
    assert scalar(db_url, "SELECT count(*) FROM crm_customer WHERE credit_days = 0") == odd
    assert scalar(db_url, "SELECT version FROM kehu_addon WHERE name = 'crm_credit'") == "0.2.0"
    heads = migrate.current_revisions(make_engine(db_url))
    assert {core_head("core"), core_head("crm_customer"), "crm_credit_0002"} <= heads


@pytest.mark.sqlite_only  # engine-agnostic: PostgreSQL is covered elsewhere (CI time)
def test_enable_and_disable_errors_are_clear(cli) -> None:
    cli("init")
    missing = cli("addons", "enable", "crm_marketing", "--division", "HQ", ok=False)
    assert "install crm_marketing before enabling it" in missing.stderr
    nowhere = cli("addons", "enable", "crm_funnel", "--division", "MARS", ok=False)
    assert "no division with code 'MARS'" in nowhere.stderr
    needed = cli("addons", "disable", "crm_customer", "--division", "EAST", ok=False)
    assert "crm_funnel" in needed.stderr and "depend on it" in needed.stderr
    unknown = cli("addons", "install", "crm_nothing", ok=False)
    assert "addon 'crm_nothing' is not available" in unknown.stderr


@pytest.mark.empty_db
def test_db_upgrade_brings_a_kernel_at_its_first_revision_to_head(cli, db_url) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, discover(), "core", to="core_0001")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO kehu_division (code, name, active, create_date) "
            "VALUES ('HQ', '总部', true, CURRENT_TIMESTAMP)"
        ))
        connection.execute(sa.text(
            "INSERT INTO kehu_user (login, name, active, division_id, create_date) "
            "VALUES ('li.na', '李娜', true, 1, CURRENT_TIMESTAMP)"
        ))
    engine.dispose()
    assert "password_hash" not in columns(db_url, "kehu_user")
    cli("db", "upgrade")
    assert {"password_hash", "department_id"} <= columns(db_url, "kehu_user")
    assert scalar(db_url, "SELECT name FROM kehu_user WHERE login = 'li.na'") == "李娜"
    assert scalar(db_url, "SELECT count(*) FROM kehu_division WHERE is_headquarters") == 0
    cli("init")
    assert scalar(db_url, "SELECT count(*) FROM kehu_user") == 2  # li.na and the new admin
