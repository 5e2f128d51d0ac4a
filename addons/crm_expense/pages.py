"""Routes crm_expense serves under /a/crm_expense/: the voucher's print view and PDF.

The kernel mounts them and answers 404 where crm_expense is not enabled; the
voucher is read through the signed-in user's record rules (voucher.load).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from addons.crm_expense import voucher as vouchers
from core import i18n
from core.errors import KehuError
from core.i18n import _
from core.web.pages import csrf_input, environment
from core.web.ui.common import page_context

TEMPLATES = Path(__file__).parent / "templates"
_environment = environment.overlay(
    loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), environment.loader]))  # type: ignore[list-item]


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render one of this addon's templates (they extend the kernel's base.html)."""
    html = _environment.get_template(template).render(
        request=request, url_for=request.url_for, locale=i18n.current_locale(),
        csrf_input=lambda: csrf_input(request),
        user_name=getattr(request.state, "user_name", ""), here=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


def _load(request: Request, claim_id: int) -> vouchers.Voucher:
    kernel = request.app.state.kernel
    with kernel.session() as session:
        return vouchers.load(session, claim_id)


def _refused(request: Request, claim_id: int, error: KehuError) -> HTMLResponse:
    return render(request, "voucher_refused.html", status_code=error.status,
                  **page_context(request, title=_("Expense voucher"), message=error.message,
                                 back=f"/m/crm_expense_claim/{claim_id}"))


async def voucher_page(request: Request) -> Response:
    """GET /a/crm_expense/claims/<id>/voucher: the printable voucher with its approval trail."""
    claim_id = int(request.path_params["claim_id"])
    try:
        voucher = await run_in_threadpool(_load, request, claim_id)
    except KehuError as error:
        return _refused(request, claim_id, error)
    return render(request, "voucher.html", voucher=voucher, money=i18n.format_money,
                  **page_context(request, title=_("Expense voucher")))


async def voucher_pdf(request: Request) -> Response:
    """GET /a/crm_expense/claims/<id>/voucher.pdf: the same voucher as a PDF download."""
    claim_id = int(request.path_params["claim_id"])
    try:
        voucher = await run_in_threadpool(_load, request, claim_id)
    except KehuError as error:
        return _refused(request, claim_id, error)
    content = await run_in_threadpool(vouchers.pdf, voucher)
    return Response(content, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{voucher.number}.pdf"',
        "X-Content-Type-Options": "nosniff"})


ROUTES: list[BaseRoute] = [
    Route("/claims/{claim_id:int}/voucher", voucher_page, name="crm_expense_voucher"),
    Route("/claims/{claim_id:int}/voucher.pdf", voucher_pdf, name="crm_expense_voucher_pdf"),
]
