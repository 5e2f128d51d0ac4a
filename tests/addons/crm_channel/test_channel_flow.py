"""Flow data import: distributor layouts, alias and code matching, names mapped once and
remembered, atomic re-import of a period; 窜货 traced through the flow data."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from addons.crm_channel.flowimport import import_file
from addons.crm_channel.models import FlowAlias, FlowImport, FlowLayout, FlowLine, Inspection
from core import actions as record_actions
from core.context import acting_as, system_context
from core.errors import ValidationError
from tests.addons.crm_channel.conftest import ChannelWorld

pytestmark = pytest.mark.sqlite_only

# The distributor's own layout: its headings, its names for our customers and products.
FILE = """销售日期,购货单位,品名,批号,数量
2026-11-02,大参林（天河）,阿莫西林胶囊,B2611,12
2026-11-03,T001,P002,B2612,5
2026-11-05,老百姓大药房越秀店,P001,B2611,7
2026-11-09,国药广州,阿莫西林胶囊 0.25g,B2611,3
"""


def _import(world: ChannelWorld, text: str, period: str = "2026-11",
            name: str = "flow.csv") -> int:
    data = text.encode("gb18030") if name.endswith(".csv") else text.encode()
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        return int(import_file(session, distributor_id=world.customers["gz2"], period=period,
                               data=data, file_name=name).id)


def _layout(world: ChannelWorld) -> None:
    world.create("li.na", FlowLayout, {
        "distributor_id": world.customers["gz2"], "date_column": "销售日期",
        "customer_column": "购货单位", "product_column": "品名", "batch_column": "批号",
        "quantity_column": "数量"})


def _rows(world: ChannelWorld) -> list[FlowLine]:
    with system_context(), world.kernel.session() as session:
        rows = list(session.scalars(sa.select(FlowLine).order_by(FlowLine.sale_date)))
        session.expunge_all()
        return rows


def _map(world: ChannelWorld, line_id: int, key: str, values: dict[str, int]) -> str | None:
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        _record, message = record_actions.run(session, world.kernel.records[FlowLine], line_id,
                                              key, values)
        return message


def test_a_flow_file_in_the_distributors_layout_is_matched_by_alias_and_code(
        world: ChannelWorld) -> None:
    with pytest.raises(ValidationError):  # the default headings are not in this file
        _import(world, FILE)
    _layout(world)
    import_id = _import(world, FILE)
    done = world.read(FlowImport, import_id)
    assert (done.row_count, done.unmatched_count) == (4, 2)
    rows = _rows(world)
    assert [r.customer_id for r in rows[:2]] == [world.customers["tianhe"]] * 2  # alias, code
    assert rows[1].product_id == world.products["P002"]  # product code
    assert rows[2].customer_id is None and rows[2].product_id == world.products["P001"]
    assert rows[3].customer_id == world.customers["gz1"] and rows[3].product_id is None


def test_unknown_names_are_mapped_once_and_remembered_on_reimport(world: ChannelWorld) -> None:
    _layout(world)
    import_id = _import(world, FILE)
    rows = _rows(world)
    _map(world, rows[2].id, "map_customer", {"customer": world.customers["tianhe"]})
    _map(world, rows[3].id, "map_product", {"product": world.products["P001"]})
    assert world.read(FlowImport, import_id).unmatched_count == 0
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(FlowAlias)) == 2
    again = _import(world, FILE + "2026-11-20,老百姓大药房越秀店,阿莫西林胶囊 0.25g,B2613,2\n")
    done = world.read(FlowImport, again)
    assert (done.row_count, done.unmatched_count) == (5, 0)
    assert len(_rows(world)) == 5  # the period was replaced, not added to
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(FlowImport)) == 1


def test_a_failing_reimport_leaves_the_period_as_it_was(world: ChannelWorld) -> None:
    _layout(world)
    _import(world, FILE)
    with pytest.raises(ValidationError) as error:
        _import(world, FILE + "2026-11-21,T001,P001,B1,很多\n")
    assert "6" in error.value.message  # the row is named
    assert len(_rows(world)) == 4


def test_an_excel_file_imports_too(world: ChannelWorld) -> None:
    book = Workbook()
    sheet = book.active
    for line in FILE.strip().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    _layout(world)
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        done = import_file(session, distributor_id=world.customers["gz2"], period="2026-11",
                           data=buffer.getvalue(), file_name="十一月流向.xlsx")
        assert (done.row_count, done.unmatched_count) == (4, 2)


def test_a_rep_cannot_import_for_a_distributor_they_do_not_see(world: ChannelWorld) -> None:
    with acting_as(world.actor("zhang.wei")), world.kernel.sessions.begin() as session:
        with pytest.raises(Exception) as error:
            import_file(session, distributor_id=world.customers["gz2"], period="2026-11",
                        data=FILE.encode(), file_name="flow.csv")
    assert "not visible" in str(error.value) or "does not exist" in str(error.value)


def test_an_inspection_traces_the_batch_through_the_flow_data(world: ChannelWorld) -> None:
    _layout(world)
    _import(world, FILE)
    inspection = world.create("zhang.wei", Inspection, {
        "found_on": "2026-11-25", "product_id": world.products["P002"], "batch": "B2612",
        "place": "佛山禅城区某药店", "finding": "低价窜货", "penalty": "5000.00"})
    found = world.read(Inspection, inspection)
    assert found.distributor_id == world.customers["gz2"] and found.traced
    world.fire("zhang.wei", Inspection, inspection, "submit")
    (task,) = world.tasks(Inspection, inspection)
    world.decide("mgr", task.id)
    assert world.read(Inspection, inspection).state == "approved"
