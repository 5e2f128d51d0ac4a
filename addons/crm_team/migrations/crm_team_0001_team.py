"""crm_team 0.1: visits taken over from crm_funnel, routes, weekly plans, work reports (#17).

Revision ID: crm_team_0001
Revises:

`crm_visit` was crm_funnel's table (crm_funnel_0003). In a database that has it,
this revision adds crm_team's columns and keeps every row (they were done
visits without check-in); in a new database it creates the table, and
crm_funnel_0003 then only adds the opportunity column crm_funnel keeps.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_team_0001"
down_revision = None
branch_labels = ("crm_team",)
depends_on = None


def _record(table: str) -> list[sa.SchemaItem]:
    """The columns and keys every business table has (id, version, stamps, division)."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("create_date", sa.DateTime(), nullable=False),
        sa.Column("write_date", sa.DateTime(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("create_uid", sa.Integer(), nullable=True),
        sa.Column("write_uid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"],
                                name=op.f(f"fk_{table}_create_uid_kehu_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"],
                                name=op.f(f"fk_{table}_write_uid_kehu_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name=op.f(f"fk_{table}_division_id_kehu_division")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _owner(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["kehu_user.id"],
                                name=op.f(f"fk_{table}_owner_id_kehu_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["department_id"], ["kehu_department.id"],
                                name=op.f(f"fk_{table}_department_id_kehu_department")),
    ]


def _index(table: str, *columns: str, name: str | None = None, unique: bool = False) -> None:
    op.create_index(name or op.f(f"ix_{table}_{columns[0]}"), table, list(columns), unique=unique)


def _setting_route_plan() -> None:
    op.create_table(
        "crm_team_setting",
        sa.Column("checkin_limit", sa.Integer(), server_default="500", nullable=False),
        sa.Column("coverage_weeks", sa.Integer(), server_default="4", nullable=False),
        *_record("crm_team_setting"),
        sa.UniqueConstraint("division_id", name=op.f("uq_crm_team_setting_division_id")))
    _index("crm_team_setting", "division_id")
    op.create_table(
        "crm_team_route",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("weekday", sa.String(length=1), nullable=False),
        sa.Column("every_weeks", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_week", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=True),
        *_owner("crm_team_route"), *_record("crm_team_route"))
    for column in ("division_id", "owner_id", "department_id"):
        _index("crm_team_route", column)
    op.create_table(
        "crm_team_route_stop",
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=255), nullable=True),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["route_id"], ["crm_team_route.id"], ondelete="CASCADE",
                                name=op.f("fk_crm_team_route_stop_route_id_crm_team_route")),
        sa.ForeignKeyConstraint(["customer_id"], ["crm_customer.id"],
                                name=op.f("fk_crm_team_route_stop_customer_id_crm_customer")),
        *_owner("crm_team_route_stop"), *_record("crm_team_route_stop"))
    for column in ("division_id", "route_id", "customer_id"):
        _index("crm_team_route_stop", column)
    op.create_table(
        "crm_team_plan",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("manager_comment", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=12), server_default="draft", nullable=False),
        sa.Column("planned_count", sa.Integer(), server_default="0", nullable=False),
        *_owner("crm_team_plan"), *_record("crm_team_plan"),
        sa.UniqueConstraint("owner_id", "week_start", name=op.f("uq_crm_team_plan_owner_id")))
    for column in ("division_id", "owner_id", "department_id", "state"):
        _index("crm_team_plan", column)


def _visit_columns() -> list[sa.Column[object]]:
    """What crm_team adds to the visit crm_funnel had."""
    return [
        sa.Column("state", sa.String(length=12), server_default="done", nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("route_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("checkin_at", sa.DateTime(), nullable=True),
        sa.Column("checkin_position", sa.String(length=12), nullable=True),
        sa.Column("checkin_latitude", sa.Float(), nullable=True),
        sa.Column("checkin_longitude", sa.Float(), nullable=True),
        sa.Column("checkin_accuracy", sa.Integer(), nullable=True),
        sa.Column("checkin_distance", sa.Integer(), nullable=True),
        sa.Column("checkin_far", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("checkout_at", sa.DateTime(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("without_checkin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("met_decision_maker", sa.Boolean(), server_default=sa.false(),
                  nullable=False),
    ]


_VISIT_KEYS = [("plan_id", "crm_team_plan"), ("route_id", "crm_team_route")]


def _create_visits() -> None:
    op.create_table(
        "crm_visit",
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=255), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        *_visit_columns(),
        sa.ForeignKeyConstraint(["customer_id"], ["crm_customer.id"],
                                name=op.f("fk_crm_visit_customer_id_crm_customer")),
        sa.ForeignKeyConstraint(["contact_id"], ["crm_contact.id"], ondelete="SET NULL",
                                name=op.f("fk_crm_visit_contact_id_crm_contact")),
        sa.ForeignKeyConstraint(["region_id"], ["kehu_region.id"],
                                name=op.f("fk_crm_visit_region_id_kehu_region")),
        *[sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete="SET NULL",
                                  name=op.f(f"fk_crm_visit_{column}_{table}"))
          for column, table in _VISIT_KEYS],
        *_owner("crm_visit"), *_record("crm_visit"))
    for column in ("contact_id", "customer_id", "department_id", "division_id", "region_id"):
        _index("crm_visit", column)
    _index("crm_visit", "owner_id", "visited_on", name="ix_crm_visit_owner_day")


def _take_over_visits() -> None:
    """crm_funnel's visits stay, as done visits recorded without check-in."""
    with op.batch_alter_table("crm_visit") as batch:
        for column in _visit_columns():
            batch.add_column(column)
        for column, table in _VISIT_KEYS:
            batch.create_foreign_key(op.f(f"fk_crm_visit_{column}_{table}"), table,
                                     [column], ["id"], ondelete="SET NULL")
    op.execute("UPDATE crm_visit SET without_checkin = true")
    # The funnel counted a visit or meeting whose contact decides as a meeting with a
    # decision maker; the flag keeps that count for the migrated rows.
    op.execute("UPDATE crm_visit SET met_decision_maker = true WHERE kind IN ('visit', 'meeting') "
               "AND contact_id IN (SELECT id FROM crm_contact "
               "WHERE decision_role = 'decision_maker')")


def upgrade() -> None:
    _setting_route_plan()
    if sa.inspect(op.get_bind()).has_table("crm_visit"):
        _take_over_visits()
    else:
        _create_visits()
    _index("crm_visit", "state")
    _index("crm_visit", "plan_id")
    op.create_table(
        "crm_team_visit_contact",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("decision_role", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["visit_id"], ["crm_visit.id"], ondelete="CASCADE",
                                name=op.f("fk_crm_team_visit_contact_visit_id_crm_visit")),
        sa.ForeignKeyConstraint(["contact_id"], ["crm_contact.id"], ondelete="SET NULL",
                                name=op.f("fk_crm_team_visit_contact_contact_id_crm_contact")),
        *_owner("crm_team_visit_contact"), *_record("crm_team_visit_contact"))
    for column in ("division_id", "visit_id", "contact_id"):
        _index("crm_team_visit_contact", column)
    _work_reports()
    with op.batch_alter_table("crm_customer") as batch:
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))


def _work_reports() -> None:
    op.create_table(
        "crm_team_work_report",
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=True),
        *[sa.Column(name, sa.Integer(), server_default="0", nullable=False)
          for name in ("visits_planned", "visits_done", "visits_checked_in",
                       "decision_maker_meetings", "new_customers")],
        *[sa.Column(name, sa.Text(), nullable=True)
          for name in ("other_figures", "summary", "plans", "problems", "needs",
                       "manager_comment")],
        sa.Column("rating", sa.String(length=1), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=12), server_default="draft", nullable=False),
        *_owner("crm_team_work_report"), *_record("crm_team_work_report"),
        sa.UniqueConstraint("owner_id", "kind", "period_start",
                            name=op.f("uq_crm_team_work_report_owner_id")))
    for column in ("division_id", "department_id", "state"):
        _index("crm_team_work_report", column)
    _index("crm_team_work_report", "kind", "period_start", name="ix_crm_team_work_report_period")


def downgrade() -> None:
    """Uninstalling crm_team (refused while crm_funnel, which needs it, is installed)."""
    with op.batch_alter_table("crm_customer") as batch:
        batch.drop_column("longitude")
        batch.drop_column("latitude")
    for table in ("crm_team_work_report", "crm_team_visit_contact", "crm_visit",
                  "crm_team_plan", "crm_team_route_stop", "crm_team_route", "crm_team_setting"):
        op.drop_table(table)
