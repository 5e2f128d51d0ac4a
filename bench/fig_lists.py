"""Figures 2 and 3: the opportunity list as a rep, as HTML and through the REST API.

The case: a sales rep of EAST (record rules: own deals, or deals of their
provinces within their product line), filtered by one stage, sorted by the
expected close date, 50 rows.

Kehu: GET /m/crm_opportunity?stage_id=…&order=expected_close&limit=50 from a
signed-in browser session, and GET /api/v1/crm_opportunity?… with a bearer
token, against `kehu serve` over HTTP.
Raw: the same rows by hand-written SQL on one DB-API connection (the rep's
visibility written out as WHERE clauses, reference names by LEFT JOIN), then a
bare Jinja2 table, or `json.dumps` of the API's fields. The first page of
both sides is compared id by id before anything is timed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import html
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
import jinja2

from bench.database import BenchDB
from bench.harness import Result, api_token, compared, interleaved, signed_in

LIST_FIGURE = "2. opportunity list page (HTML)"
DEEP_FIGURE = "2b. list page 2,000 rows deep vs first"
API_FIGURE = "3. opportunity list (REST API)"
REP = "rep.east.001"
_NEXT = re.compile(r'rel="next" href="\?([^"]+)"')


@dataclass
class Case:
    """Who lists what, and the SQL that hand-writes the same list."""

    login: str
    stage_id: int
    visible: int            # rows of the stage the rep may see
    where: str              # the rep's visibility and the stage filter
    params: list[Any]
    html_columns: list[Any]  # FieldInfo of the list view's columns
    api_fields: list[Any]    # FieldInfo of the API's fields
    names: dict[str, tuple[str, str]]  # ref field → (table, display column)
    placeholder: str
    # The API's lines of each row: (name, child table, key to the parent, fields).
    lines: list[tuple[str, str, str, list[Any]]]


def visibility_sql(actor: Any, mark: str, table: str = "o") -> tuple[str, list[Any]]:
    """The rows of crm_opportunity `actor` may see, hand-written after crm_funnel's rules:
    a rep their own deals or those of their provinces within their product lines,
    a general manager the whole division (headquarters: every division)."""
    divisions = ", ".join([mark] * len(actor.division_ids))
    boundary = f"{table}.division_id IN ({divisions})"
    if "sales_rep" not in actor.roles:
        if actor.roles & {"general_manager", "admin", "finance", "marketing", "service"}:
            return boundary, sorted(actor.division_ids)
        raise ValueError(f"no hand-written visibility for roles {sorted(actor.roles)}")
    regions = " OR ".join(["path LIKE " + mark] * len(actor.region_paths)) or "1 = 0"
    lines = ", ".join([mark] * len(actor.product_line_ids))
    sql = (
        f"{boundary} AND ({table}.owner_id = {mark} OR ("
        f"{table}.region_id IN (SELECT id FROM kehu_region WHERE {regions})"
        + (f" AND ({table}.product_line_id IS NULL OR {table}.product_line_id IN ({lines}))"
           if lines else "")
        + "))"
    )
    params = [*sorted(actor.division_ids), actor.user_id,
              *[f"{p}%" for p in actor.region_paths], *sorted(actor.product_line_ids)]
    return sql, params


def actor_of(kernel: Any, login: str) -> Any:
    """The Actor of `login`, as the web layer builds it."""
    import sqlalchemy as sa

    from core.context import system_context
    from core.models import User
    from core.org import actor_for

    with system_context(), kernel.session() as session:
        return actor_for(session, session.scalar(sa.select(User).where(User.login == login)))


def case(db: BenchDB) -> Case:
    """The rep, the stage with most of their rows, and the hand-written WHERE."""
    from core.api.resources import resources
    from core.fields import display_name_column

    kernel = db.boot()
    try:
        model = kernel.model_keys["crm_opportunity"]
        actor = actor_of(kernel, REP)
        mark = "%s" if kernel.engine.dialect.name == "postgresql" else "?"
        visibility, params = visibility_sql(actor, mark)
        with kernel.engine.connect() as connection:
            counts = connection.exec_driver_sql(
                f"SELECT o.stage_id, count(*) FROM crm_opportunity o WHERE {visibility} "  # noqa: S608
                "GROUP BY o.stage_id ORDER BY count(*) DESC", tuple(params)).all()
        stage_id, visible = counts[0]
        records = kernel.records[model]
        resource = resources(kernel)["crm_opportunity"]
        refs = {}
        for field in [*records.columns, *resource.fields]:
            if field.kind == "ref" and field.target is not None:
                target: Any = field.target
                refs[field.name] = (target.__tablename__, display_name_column(target).key)
        lines = []
        for line in records.lines:
            relationship = getattr(model, line.name).property
            (_local, remote), *_rest = relationship.local_remote_pairs
            child: Any = line.child
            lines.append((line.name, child.__tablename__, remote.key, list(line.fields)))
            for field in line.fields:
                if field.kind == "ref" and field.target is not None:
                    target = field.target
                    refs[f"{line.name}.{field.name}"] = (target.__tablename__,
                                                         display_name_column(target).key)
        return Case(REP, int(stage_id), int(visible), f"{visibility} AND o.stage_id = {mark}",
                    [*params, stage_id], list(records.columns), list(resource.fields), refs, mark,
                    lines)
    finally:
        kernel.engine.dispose()


def _select(case: Case, fields: list[Any], extra: list[str]) -> str:
    """The page's rows first (LIMIT in a subquery), then each reference's name by a
    correlated subquery: 51 index lookups per name, and no join order to plan."""
    columns = ["o.id", *extra]
    for field in fields:
        columns.append(f"o.{field.name}")
        if field.kind == "ref" and field.name in case.names:
            table, name = case.names[field.name]
            columns.append(f"(SELECT t.{name} FROM {table} t WHERE t.id = o.{field.name})")
    return (f"SELECT {', '.join(columns)} FROM (SELECT * FROM crm_opportunity o "  # noqa: S608
            f"WHERE {case.where} ORDER BY o.expected_close, o.id LIMIT 51) o "
            "ORDER BY o.expected_close, o.id")


_TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    "<table><thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>"
    "{% for row in rows %}<tr><td><a href=\"/m/crm_opportunity/{{ row[0] }}\">{{ row[1] }}</a></td>"
    "{% for cell in row[2:] %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>")


def _cell(field: Any, value: Any) -> Any:
    if value is None:
        return ""
    if field.kind == "money":
        return f"{decimal.Decimal(int(value)) / 100:,.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class RawList:
    """The hand-written list on one DB-API connection."""

    def __init__(self, db: BenchDB, case: Case) -> None:
        self.kernel = db.boot()
        self.case = case
        self.connection = self.kernel.engine.raw_connection()
        self.html_sql = _select(case, case.html_columns, [])
        self.api_sql = _select(case, case.api_fields, ["o.version", "o.write_date"])
        self.headers = [str(f.label) for f in case.html_columns]

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        cursor = self.connection.cursor()
        cursor.execute(sql, self.case.params)
        rows = list(cursor.fetchall())
        cursor.close()
        return rows[:50]

    def html(self) -> str:
        rows = []
        for row in self._rows(self.html_sql):
            cells, position = [row[0]], 1
            for field in self.case.html_columns:
                if field.kind == "ref" and field.name in self.case.names:
                    cells.append(row[position + 1] or "")
                    position += 2
                else:
                    cells.append(_cell(field, row[position]))
                    position += 1
            rows.append(cells)
        return _TEMPLATE.render(headers=self.headers, rows=rows)

    def api(self) -> str:
        items = []
        for row in self._rows(self.api_sql):
            item: dict[str, Any] = {"id": row[0], "version": row[1]}
            write_date = row[2]
            position = 3
            for field in self.case.api_fields:
                if field.kind == "ref" and field.name in self.case.names:
                    item[field.name] = None if row[position] is None else {
                        "id": row[position], "name": row[position + 1]}
                    position += 2
                else:
                    value = row[position]
                    if field.kind == "money" and value is not None:
                        value = f"{decimal.Decimal(int(value)) / 100:.2f}"
                    elif isinstance(value, (dt.date, dt.datetime)):
                        value = value.isoformat()
                    item[field.name] = value
                    position += 1
            item["write_date"] = str(write_date)
            items.append(item)
        self._add_lines(items)
        return json.dumps({"data": items, "next_cursor": None}, ensure_ascii=False)

    def _add_lines(self, items: list[dict[str, Any]]) -> None:
        """Each row's lines (contacts, competitors...): one query per kind of line."""
        ids = [item["id"] for item in items]
        if not ids:
            return
        marks = ", ".join([self.case.placeholder] * len(ids))
        for name, table, key, fields in self.case.lines:
            columns = [f"c.{key}", "c.id"]
            for field in fields:
                columns.append(f"c.{field.name}")
                if f"{name}.{field.name}" in self.case.names:
                    target, label = self.case.names[f"{name}.{field.name}"]
                    columns.append(f"(SELECT t.{label} FROM {target} t WHERE t.id = c.{field.name})")
            cursor = self.connection.cursor()
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} c "  # noqa: S608
                           f"WHERE c.{key} IN ({marks}) ORDER BY c.{key}, c.id", ids)
            children: dict[int, list[dict[str, Any]]] = {}
            for row in cursor.fetchall():
                child: dict[str, Any] = {"id": row[1]}
                position = 2
                for field in fields:
                    if f"{name}.{field.name}" in self.case.names:
                        child[field.name] = None if row[position] is None else {
                            "id": row[position], "name": row[position + 1]}
                        position += 2
                    else:
                        child[field.name] = _cell(field, row[position]) if row[position] is not None else None
                        position += 1
                children.setdefault(row[0], []).append(child)
            cursor.close()
            for item in items:
                item[name] = children.get(item["id"], [])

    def first_ids(self) -> list[int]:
        return [row[0] for row in self._rows(self.html_sql)]

    def close(self) -> None:
        self.connection.close()
        self.kernel.engine.dispose()


def _query(case: Case, limit: int = 50) -> str:
    return f"stage_id={case.stage_id}&order=expected_close&limit={limit}"


def _deep_html_query(client: httpx.Client, case: Case, depth: int) -> str:
    """The query string of the page after `depth` rows, following the pages' next links."""
    query = _query(case, 200)
    remaining = depth
    while remaining > 0:
        step = min(200, remaining)
        query = re.sub(r"limit=\d+", f"limit={step}", query)
        page = client.get(f"/m/crm_opportunity?{query}")
        page.raise_for_status()
        found = _NEXT.search(page.text)
        if found is None:
            raise RuntimeError(f"the list ended before {depth} rows")
        query = html.unescape(found.group(1))
        remaining -= step
    return re.sub(r"limit=\d+", "limit=50", query)


def run(db: BenchDB, base: str, *, repeat: int) -> list[Result]:
    """Figures 2, 2b and 3 against the server at `base`."""
    the_case = case(db)
    raw = RawList(db, the_case)
    browser = signed_in(base, the_case.login)
    token = api_token(db, the_case.login)
    api = httpx.Client(base_url=base, timeout=60.0,
                       headers={"Authorization": f"Bearer {token}"})
    try:
        url = f"/m/crm_opportunity?{_query(the_case)}"
        first = browser.get(url)
        first.raise_for_status()
        ids = raw.first_ids()
        shown = [int(i) for i in re.findall(r'href="/m/crm_opportunity/(\d+)"', first.text)]
        if not ids or [i for i in shown if i in set(ids)][:len(ids)] != ids:
            raise RuntimeError(f"the HTML list and the raw SQL disagree: {ids[:5]} vs {shown[:5]}")
        api_first = api.get(f"/api/v1/crm_opportunity?{_query(the_case)}")
        api_first.raise_for_status()
        if [item["id"] for item in api_first.json()["data"]] != ids:
            raise RuntimeError("the API list and the raw SQL disagree")

        def kehu_html() -> None:
            browser.get(url).raise_for_status()

        def kehu_api() -> None:
            api.get(f"/api/v1/crm_opportunity?{_query(the_case)}").raise_for_status()

        html_k, html_r = interleaved(kehu_html, raw.html, repeat=repeat)
        api_k, api_r = interleaved(kehu_api, raw.api, repeat=repeat)
        note = f"{the_case.visible:,} rows of the stage visible to {the_case.login}"
        results = [compared(LIST_FIGURE, db.backend, html_k, html_r, 2, note=note),
                   compared(API_FIGURE, db.backend, api_k, api_r, 2, note=note)]
        depth = min(2000, max(0, the_case.visible - 50))
        deep_query = _deep_html_query(browser, the_case, depth)

        def kehu_deep() -> None:
            browser.get(f"/m/crm_opportunity?{deep_query}").raise_for_status()

        deep, again = interleaved(kehu_deep, kehu_html, repeat=repeat)
        results.append(compared(DEEP_FIGURE, db.backend, deep, again, 1.2,
                                note=f"page after {depth:,} rows (keyset cursor) vs first page"))
        results[-1].details["depth"] = depth
        return results
    finally:
        browser.close()
        api.close()
        raw.close()
