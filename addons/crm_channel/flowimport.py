"""Flow data import (流向导入): a distributor's sell-out file in its own layout.

The file is read as a stream (CSV or XLSX) and written in chunks with one
executemany each; names are matched in memory against dictionaries built once
per import (customer names, codes and aliases 别名; product codes and names; the
names people mapped before). Re-importing a period first deletes that
distributor's period, in the same transaction: all or nothing.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import FlowAlias, FlowImport, FlowLayout, FlowLine, Period
from addons.crm_customer.models import Customer, Product, split_aliases
from core.access.policy import policy_of
from core.context import current_actor, system_context
from core.errors import NotFound, ValidationError
from core.i18n import _
from core.lookups import usable_in
from core.orm import utcnow

CHUNK = 5000
# Headings used when a distributor has no layout of its own.
DEFAULT_LAYOUT = {"date": "日期", "customer": "客户名称", "product": "产品", "batch": "批号",
                  "quantity": "数量"}


def normalise(name: str | None) -> str:
    """A name as compared: trimmed, inner spaces dropped, full-width brackets made plain."""
    if not name:
        return ""
    return str(name).strip().replace(" ", "").replace("（", "(").replace("）", ")")


@dataclass
class Matcher:
    """Name → id dictionaries of one division and distributor, built once."""

    customers: dict[str, int]
    products: dict[str, int]

    @classmethod
    def build(cls, session: Session, division_id: int, distributor_id: int) -> Matcher:
        customers: dict[str, int] = {}
        rows = session.execute(sa.select(Customer.id, Customer.code, Customer.name,
                                         Customer.aliases)
                               .where(Customer.division_id == division_id))
        for id_, code, name, aliases in rows:
            for alias in split_aliases(aliases):
                customers.setdefault(normalise(alias), id_)
            customers[normalise(code)] = id_
            customers[normalise(name)] = id_
        products: dict[str, int] = {}
        for id_, code, name in session.execute(
                sa.select(Product.id, Product.code, Product.name)
                .where(usable_in(Product, division_id))):
            products.setdefault(normalise(name), id_)
            products[normalise(code)] = id_
        for kind, name, customer, product in session.execute(
                sa.select(FlowAlias.kind, FlowAlias.name, FlowAlias.customer_id,
                          FlowAlias.product_id).where(FlowAlias.distributor_id == distributor_id)):
            if kind == "customer" and customer:
                customers[normalise(name)] = customer
            elif kind == "product" and product:
                products[normalise(name)] = product
        return cls(customers, products)


def read_table(stream: IO[bytes], file_name: str) -> Iterator[list[Any]]:
    """The rows of a CSV (UTF-8 or GBK) or XLSX file, one list of cells at a time."""
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        book = load_workbook(stream, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()
        return
    head = stream.read(4096)
    stream.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "gb18030"
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        yield from csv.reader(text)
    finally:
        with contextlib.suppress(ValueError):  # already closed by the caller
            text.detach()  # the caller closes its own stream


def layout_of(session: Session, distributor_id: int) -> dict[str, str | None]:
    """The distributor's headings: its saved layout, or the default one."""
    layout = session.scalar(sa.select(FlowLayout).where(
        FlowLayout.distributor_id == distributor_id))
    if layout is None:
        return dict(DEFAULT_LAYOUT)
    return {"date": layout.date_column, "customer": layout.customer_column,
            "product": layout.product_column, "batch": layout.batch_column,
            "quantity": layout.quantity_column}


def _positions(header: list[Any], layout: dict[str, str | None]) -> dict[str, int | None]:
    cells = [normalise(str(cell)) if cell is not None else "" for cell in header]
    positions: dict[str, int | None] = {}
    missing = []
    for key, heading in layout.items():
        wanted = normalise(heading)
        positions[key] = cells.index(wanted) if wanted and wanted in cells else None
        if positions[key] is None and key != "batch":
            missing.append(heading or key)
    if missing:
        raise ValidationError(_("The file has no column {columns}: check the layout of this "
                                "distributor.").format(columns="、".join(missing)),
                              fields={"file": _("Columns not found.")})
    return positions


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")[:10]
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _quantity(value: Any, row: int) -> int:
    try:
        return int(float(str(value).replace(",", "")))
    except ValueError:
        raise ValidationError(_("Row {row}: the quantity is not a number.").format(row=row),
                              fields={"file": _("Row {row}").format(row=row)}) from None


def _check_allowed(session: Session, distributor_id: int, division_id: int, period: str) -> None:
    policy = policy_of(session)
    if policy is not None:
        policy.check(current_actor(), FlowLine, "create")
    if session.get(Customer, distributor_id) is None:  # through the user's record rules
        raise NotFound(_("This distributor does not exist or is not visible to you."))
    if len(period) != 7 or not period[:4].isdigit() or period[4] != "-" \
            or not period[5:].isdigit():
        raise ValidationError(_("Enter the period as YYYY-MM."), fields={"period": "YYYY-MM"})
    with system_context():
        state = session.scalar(sa.select(Period.state).where(
            Period.division_id == division_id, Period.code == period))
    if state == "closed":
        raise ValidationError(_("This period is closed: reopen it first."),
                              fields={"period": _("Closed")})


def _clear(session: Session, distributor_id: int, division_id: int, period: str) -> None:
    """The distributor's earlier import of the period goes: one DELETE each."""
    where = (FlowLine.distributor_id == distributor_id, FlowLine.period == period,
             FlowLine.division_id == division_id)
    session.execute(sa.delete(FlowLine.__table__).where(*where))
    session.execute(sa.delete(FlowImport.__table__).where(
        FlowImport.distributor_id == distributor_id, FlowImport.period == period,
        FlowImport.division_id == division_id))


def import_flow(session: Session, *, distributor_id: int, period: str,
                table: Iterable[list[Any]], file_name: str = "") -> FlowImport:
    """Replace the distributor's flow data of `period` by the rows of `table` (header first)."""
    actor = current_actor()
    division_id = actor.division_id
    if division_id is None:
        raise ValidationError(_("Sign in to a division first."))
    _check_allowed(session, distributor_id, division_id, period)
    rows = iter(table)
    with system_context():
        positions = _positions(next(rows, []), layout_of(session, distributor_id))
        matcher = Matcher.build(session, division_id, distributor_id)
        _clear(session, distributor_id, division_id, period)
        header = FlowImport(distributor_id=distributor_id, period=period, file_name=file_name,
                            division_id=division_id)
        session.add(header)
        session.flush()
        count, unmatched = _write(session, rows, positions, matcher, {
            "import_id": header.id, "distributor_id": distributor_id, "period": period,
            "division_id": division_id, "create_uid": actor.user_id, "write_uid": actor.user_id,
            "version": 1, "create_date": utcnow(), "write_date": utcnow()})
        header.row_count, header.unmatched_count = count, unmatched
        session.flush()
    return header


COLUMNS = ("import_id", "distributor_id", "period", "division_id", "create_uid", "write_uid",
           "version", "create_date", "write_date", "customer_name", "customer_id",
           "product_name", "product_id", "sale_date", "batch", "quantity")


class _Writer:
    """Rows go to the database in chunks through the DB-API's executemany on the session's
    connection: one statement prepared once, plain tuples (no per-row SQLAlchemy work)."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        self.sql = (f"INSERT INTO {FlowLine.__tablename__} ({', '.join(COLUMNS)}) "
                    f"VALUES ({', '.join([mark] * len(COLUMNS))})")
        self.chunk: list[tuple[Any, ...]] = []
        self.count = 0

    def value(self, value: Any) -> Any:
        """Dates as SQLAlchemy stores them on SQLite (ISO text); PostgreSQL takes them as is."""
        if self.sqlite and isinstance(value, dt.date):
            return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
        return value

    def add(self, row: tuple[Any, ...]) -> None:
        self.chunk.append(row)
        if len(self.chunk) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.chunk:
            self.connection.exec_driver_sql(self.sql, self.chunk)  # type: ignore[arg-type]
            self.count += len(self.chunk)
            self.chunk = []


def _write(session: Session, rows: Iterator[list[Any]], at: dict[str, int | None],
           matcher: Matcher, common: dict[str, Any]) -> tuple[int, int]:
    writer = _Writer(session)
    head = tuple(writer.value(common[key]) for key in COLUMNS[:9])
    unmatched = 0
    customers, products = matcher.customers, matcher.products
    c_at, p_at, q_at, d_at, b_at = (at["customer"], at["product"], at["quantity"], at["date"],
                                    at["batch"])
    for number, row in enumerate(rows, start=2):
        if not row or all(cell in (None, "") for cell in row):
            continue
        customer = str(row[c_at] or "").strip()[:200]  # type: ignore[index]
        product = str(row[p_at] or "").strip()[:200]  # type: ignore[index]
        customer_id = customers.get(normalise(customer))
        product_id = products.get(normalise(product))
        if customer_id is None or product_id is None:
            unmatched += 1
        batch = row[b_at] if b_at is not None and b_at < len(row) else None
        writer.add((*head, customer, customer_id, product, product_id,
                    writer.value(_date(row[d_at])),  # type: ignore[index]
                    str(batch).strip()[:40] or None if batch is not None else None,
                    _quantity(row[q_at], number)))  # type: ignore[index]
    writer.flush()
    return writer.count, unmatched


def import_file(session: Session, *, distributor_id: int, period: str, data: bytes | IO[bytes],
                file_name: str) -> FlowImport:
    """Import an uploaded file (bytes or a binary stream)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    return import_flow(session, distributor_id=distributor_id, period=period,
                       table=read_table(stream, file_name), file_name=file_name)


def _remember(session: Session, line: FlowLine, kind: str, target: int) -> None:
    with system_context():
        alias = session.scalar(sa.select(FlowAlias).where(
            FlowAlias.distributor_id == line.distributor_id, FlowAlias.kind == kind,
            FlowAlias.name == (line.customer_name if kind == "customer" else line.product_name)))
        if alias is None:
            alias = FlowAlias(distributor_id=line.distributor_id, kind=kind,
                              name=line.customer_name if kind == "customer" else line.product_name,
                              division_id=line.division_id)
            session.add(alias)
        if kind == "customer":
            alias.customer_id = target
        else:
            alias.product_id = target
        session.flush()


def map_name(session: Session, line: FlowLine, kind: str, target: int) -> int:
    """Map the line's unknown name once: remembered, and set on every open-period row of the
    distributor that carries it (one UPDATE). Returns how many rows changed."""
    _remember(session, line, kind, target)
    column, name_column = ((FlowLine.customer_id, FlowLine.customer_name) if kind == "customer"
                           else (FlowLine.product_id, FlowLine.product_name))
    name = line.customer_name if kind == "customer" else line.product_name
    closed = sa.select(Period.code).where(Period.division_id == line.division_id,
                                          Period.state == "closed")
    changed = session.execute(
        sa.update(FlowLine.__table__)
        .where(FlowLine.distributor_id == line.distributor_id, name_column == name,
               column.is_(None), FlowLine.division_id == line.division_id,
               FlowLine.period.not_in(closed))
        .values({column.key: target, "version": FlowLine.version + 1, "write_date": utcnow()}))
    _recount(session, line.distributor_id, line.division_id)
    session.expire(line)
    return int(changed.rowcount or 0)  # type: ignore[attr-defined]


def _recount(session: Session, distributor_id: int, division_id: int) -> None:
    """The imports' unmatched counts again, in one statement."""
    unmatched = (sa.select(sa.func.count()).select_from(FlowLine.__table__)
                 .where(FlowLine.import_id == FlowImport.id,
                        sa.or_(FlowLine.customer_id.is_(None), FlowLine.product_id.is_(None)))
                 .scalar_subquery())
    session.execute(sa.update(FlowImport.__table__).where(
        FlowImport.distributor_id == distributor_id, FlowImport.division_id == division_id)
        .values(unmatched_count=unmatched))


def map_customer_action(session: Session, line: FlowLine, actor: Any,
                        values: dict[str, Any]) -> str:
    """The unmatched-row button: this name is that customer, from now on."""
    changed = map_name(session, line, "customer", int(values["customer"]))
    return _("Mapped: {count} rows now name this customer.").format(count=changed)


def map_product_action(session: Session, line: FlowLine, actor: Any,
                       values: dict[str, Any]) -> str:
    """The unmatched-row button: this name is that product, from now on."""
    changed = map_name(session, line, "product", int(values["product"]))
    return _("Mapped: {count} rows now name this product.").format(count=changed)
