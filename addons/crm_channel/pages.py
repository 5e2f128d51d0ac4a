"""Pages crm_channel serves under /a/crm_channel/: the network tree and the flow import.

They run as the signed-in user: every read goes through the record rules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from addons.crm_channel import entry
from addons.crm_channel.flowimport import import_file
from addons.crm_channel.models import TIERS
from addons.crm_customer.models import Customer, Product
from core import i18n
from core.errors import KehuError, ValidationError
from core.i18n import _
from core.models import Region
from core.web.pages import csrf_input, environment
from core.web.ui.common import page_context

TEMPLATES = Path(__file__).parent / "templates"
_environment = environment.overlay(
    loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), environment.loader]))  # type: ignore[list-item]
MAX_DEPTH = 4
MAX_CHILDREN = 200
MAX_UPLOAD = 200 * 1024 * 1024


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render one of this addon's templates (they extend the kernel's base.html)."""
    html = _environment.get_template(template).render(
        request=request, url_for=request.url_for, locale=i18n.current_locale(),
        csrf_input=lambda: csrf_input(request),
        user_name=getattr(request.state, "user_name", ""), here=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


def network(session: Any, root: int | None) -> tuple[list[dict[str, Any]], list[Any]]:
    """The visible distributors from `root` (or every tier-1) down, level by level:
    one query per level, never per customer."""
    tiers = {key: str(label) for key, label in TIERS}
    roots = list(session.execute(sa.select(Customer.id, Customer.name).where(
        Customer.channel_tier == "tier1").order_by(Customer.name)))
    top = [r.id for r in roots] if root is None else [root]
    nodes: dict[int, dict[str, Any]] = {}
    level = top
    first: list[dict[str, Any]] = []
    regions = dict(session.execute(sa.select(Region.id, Region.name)).all())
    for depth in range(MAX_DEPTH):
        if not level:
            break
        column = Customer.id if depth == 0 else Customer.upstream_id
        rows = session.execute(sa.select(Customer.id, Customer.name, Customer.channel_tier,
                                         Customer.region_id, Customer.upstream_id)
                               .where(column.in_(level)).order_by(Customer.name))
        next_level = []
        for row in rows:
            node = {"id": row.id, "name": row.name, "tier": tiers.get(row.channel_tier or "", ""),
                    "region": regions.get(row.region_id), "children": [], "more": 0}
            parent = nodes.get(row.upstream_id) if depth else None
            if parent is not None and len(parent["children"]) >= MAX_CHILDREN:
                parent["more"] += 1
                continue
            (parent["children"] if parent is not None else first).append(node)
            nodes[row.id] = node
            next_level.append(row.id)
        level = next_level
    return first, roots


async def network_page(request: Request) -> Response:
    """GET /a/crm_channel/network: the distributor network as a tree."""
    raw = request.query_params.get("root", "")
    root = int(raw) if raw.isdigit() else None

    def load() -> tuple[list[dict[str, Any]], list[Any]]:
        with request.app.state.kernel.session() as session:
            return network(session, root)

    tree, roots = await run_in_threadpool(load)
    return render(request, "channel_network.html", tree=tree, roots=roots, root=root,
                  **page_context(request, title=_("Channel network")))


def _distributors(request: Request) -> list[Any]:
    with request.app.state.kernel.session() as session:
        return list(session.execute(sa.select(Customer.id, Customer.name).where(
            Customer.channel_tier.in_(("tier1", "tier2", "chain"))).order_by(Customer.name)))


async def flow_import_page(request: Request) -> Response:
    """GET/POST /a/crm_channel/flow/import: upload a distributor's flow file."""
    distributors = await run_in_threadpool(_distributors, request)
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    context = {"distributors": distributors, "period": last_month, "chosen": None,
               "error": None}
    if request.method == "POST":
        form = await request.form(max_part_size=MAX_UPLOAD)
        try:
            item = form.get("file")
            chosen = str(form.get("distributor") or "")
            period = str(form.get("period") or "").strip()
            context.update(chosen=int(chosen) if chosen.isdigit() else None, period=period)
            if not isinstance(item, UploadFile) or not chosen.isdigit():
                raise KehuError(_("Choose a distributor and a file."))

            def run() -> int:
                with request.app.state.kernel.sessions.begin() as session:
                    done = import_file(session, distributor_id=int(chosen), period=period,
                                       data=item.file, file_name=item.filename or "")
                    return int(done.id)

            import_id = await run_in_threadpool(run)
            return RedirectResponse(f"/m/crm_channel_flow_import/{import_id}", status_code=303)
        except KehuError as error:
            context["error"] = error.message
        finally:
            await form.close()
    return render(request, "channel_flow_import.html", status_code=400 if context["error"] else 200,
                  **context, **page_context(request, title=_("Import flow data")))


STATIC = Path(__file__).parent / "static"
ASSETS = {"entry.js": "text/javascript; charset=utf-8", "entry.css": "text/css; charset=utf-8"}


def _entry_data(request: Request, order_id: int, query: str) -> dict[str, Any]:
    with request.app.state.kernel.session() as session:
        order = entry.load_order(session, order_id)
        distributor = session.get(Customer, order.distributor_id)
        offers = entry.offers(session, order, query)
        products = dict(session.execute(sa.select(Product.id, Product.name).where(
            Product.id.in_([line.product_id for line in order.lines]))).all())
        lines = [{"name": products.get(line.product_id, f"#{line.product_id}"),
                  "quantity": line.quantity, "price": line.price, "amount": line.amount}
                 for line in order.lines]
        return {"order": {"id": order.id, "number": order.number, "state": order.state,
                          "total": order.total, "date": order.order_date},
                "distributor": distributor.name if distributor else "",
                "offers": offers, "lines": lines, "query": query,
                "editable": order.state == "saved"}


async def entry_page(request: Request) -> Response:
    """GET/POST /a/crm_channel/orders/<id>/entry: find products, type quantities, add.

    `?q=` searches (`&part=results` answers the results alone, for the live search);
    POST adds every typed quantity in one save."""
    order_id = int(request.path_params["order_id"])
    query = request.query_params.get("q", "")[:80]
    error: str | None = None
    fields: dict[str, str] = {}
    added = request.query_params.get("added", "")
    if request.method == "POST":
        form = await request.form()
        query = str(form.get("q") or "")[:80]
        values = {key: str(value) for key, value in form.items()}

        def save() -> int:
            with request.app.state.kernel.sessions.begin() as session:
                order = entry.load_order(session, order_id)
                return entry.add_lines(session, order, entry.parse_quantities(values))

        try:
            count = await run_in_threadpool(save)
            return RedirectResponse(
                f"/a/crm_channel/orders/{order_id}/entry?added={count}", status_code=303)
        except ValidationError as failure:
            error, fields = failure.message, dict(failure.fields or {})
    data = await run_in_threadpool(_entry_data, request, order_id, query)
    template = ("channel_entry_results.html" if request.query_params.get("part") == "results"
                else "channel_entry.html")
    return render(request, template, status_code=422 if error else 200, error=error,
                  fields=fields, added=int(added) if added.isdigit() else 0, **data,
                  **page_context(request, title=_("Fast entry: {number}").format(
                      number=data["order"]["number"] or "")))


async def asset(request: Request) -> Response:
    """The fast entry's script and styles (CSP: scripts and styles from here)."""
    name = request.path_params["name"]
    if name not in ASSETS:
        return Response(status_code=404)
    return FileResponse(STATIC / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=3600"})


ROUTES: list[BaseRoute] = [
    Route("/network", network_page, name="crm_channel_network"),
    Route("/flow/import", flow_import_page, methods=["GET", "POST"],
          name="crm_channel_flow_import"),
    Route("/orders/{order_id:int}/entry", entry_page, methods=["GET", "POST"],
          name="crm_channel_entry"),
    Route("/static/{name}", asset, name="crm_channel_asset"),
]
