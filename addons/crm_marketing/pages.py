"""Pages crm_marketing serves: knowledge search and reading under /a/crm_marketing/
(signed in, the user's rules apply), and the public survey form under /p/crm_marketing/
(no sign-in: the unguessable token is the only key, see surveys.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from addons.crm_marketing import knowledge
from core import i18n
from core.i18n import _
from core.web.pages import csrf_input, environment
from core.web.ui.common import page_context

TEMPLATES = Path(__file__).parent / "templates"
_environment = environment.overlay(
    loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), environment.loader]))  # type: ignore[list-item]


def render(request: Request, template: str, *, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """Render one of this addon's templates (they extend the kernel's base.html)."""
    html = _environment.get_template(template).render(
        request=request, url_for=request.url_for, locale=i18n.current_locale(),
        csrf_input=lambda: csrf_input(request),
        user_name=getattr(request.state, "user_name", ""), here=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


def _search(request: Request, query: str) -> tuple[list[knowledge.Hit], list[knowledge.Hit]]:
    with request.app.state.kernel.session() as session:
        found = knowledge.find(session, query) if query else []
        return found, knowledge.most_read(session)


async def knowledge_page(request: Request) -> Response:
    """GET /a/crm_marketing/knowledge?q=: search the knowledge base; the most-read list."""
    query = (request.query_params.get("q") or "").strip()[:100]
    found, popular = await run_in_threadpool(_search, request, query)
    return render(request, "knowledge.html", query=query, found=found, popular=popular,
                  **page_context(request, title=_("Knowledge base")))


def _read(request: Request, document_id: int) -> dict[str, Any] | None:
    kernel = request.app.state.kernel
    with kernel.sessions.begin() as session:
        document = knowledge.read(session, document_id)
        if document is None:
            return None
        return {"id": document.id, "title": document.title, "summary": document.summary,
                "body": document.body or "", "version_no": document.version_no,
                "read_count": document.read_count + 1}


async def knowledge_document(request: Request) -> Response:
    """GET /a/crm_marketing/knowledge/<id>: read a document (counted as read)."""
    document = await run_in_threadpool(_read, request, int(request.path_params["document_id"]))
    if document is None:
        return render(request, "knowledge_missing.html", status_code=404,
                      **page_context(request, title=_("Knowledge base")))
    return render(request, "knowledge_document.html", document=document,
                  **page_context(request, title=document["title"]))


ROUTES: list[BaseRoute] = [
    Route("/knowledge", knowledge_page, name="crm_marketing_knowledge"),
    Route("/knowledge/{document_id:int}", knowledge_document,
          name="crm_marketing_knowledge_document"),
]
