"""Pages crm_marketing serves: knowledge search and reading under /a/crm_marketing/
(signed in, the user's rules apply), and the public survey form under /p/crm_marketing/
(no sign-in: the unguessable token is the only key, see surveys.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from addons.crm_marketing import knowledge, surveys
from core import i18n
from core.errors import KehuError, ValidationError
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


# ------------------------------------------------------------------ surveys


def _survey_page(request: Request, form: surveys.Form | None, *, action: str,
                 error: KehuError | None = None, done: bool = False,
                 values: Any = None) -> HTMLResponse:
    status = error.status if error is not None else 200
    fields = error.fields if isinstance(error, ValidationError) else {}
    return render(request, "survey_form.html", status_code=status, form=form, action=action,
                  error=error.message if error is not None else None, fields=fields,
                  done=done, values=values,
                  **page_context(request, title=form.title if form else _("Survey")))


def _public_get(request: Request, token: str) -> surveys.Form:
    with request.app.state.kernel.session() as session:
        return surveys.public_form(session, token)


def _public_post(request: Request, token: str, data: Any) -> None:
    with request.app.state.kernel.sessions.begin() as session:
        invitation = surveys.by_token(session, token)
        surveys.answer(session, invitation, data, channel="public")


async def public_survey(request: Request) -> Response:
    """GET/POST /a/crm_marketing/public/survey/<token>: answer without signing in, once."""
    token = request.path_params["token"]
    action = request.url.path
    form: surveys.Form | None = None
    try:
        form = await run_in_threadpool(_public_get, request, token)
        if request.method == "POST":
            data = await request.form()
            await run_in_threadpool(_public_post, request, token, data)
            return _survey_page(request, form, action=action, done=True)
    except KehuError as error:
        values = await request.form() if request.method == "POST" else None
        return _survey_page(request, form, action=action, error=error, values=values)
    return _survey_page(request, form, action=action)


def _staff_get(request: Request, invitation_id: int) -> surveys.Form:
    with request.app.state.kernel.session() as session:
        return surveys.staff_form(session, invitation_id)


def _staff_post(request: Request, invitation_id: int, data: Any) -> None:
    with request.app.state.kernel.sessions.begin() as session:
        invitation = surveys.staff_invitation(session, invitation_id)
        surveys.answer(session, invitation, data, channel="staff")


async def staff_survey(request: Request) -> Response:
    """GET/POST /a/crm_marketing/surveys/<invitation id>/answer: a colleague enters answers."""
    invitation_id = int(request.path_params["invitation_id"])
    action = request.url.path
    form: surveys.Form | None = None
    try:
        form = await run_in_threadpool(_staff_get, request, invitation_id)
        if request.method == "POST":
            data = await request.form()
            await run_in_threadpool(_staff_post, request, invitation_id, data)
            return RedirectResponse(f"/m/crm_marketing_survey_invitation/{invitation_id}",
                                    status_code=303)
    except KehuError as error:
        values = await request.form() if request.method == "POST" else None
        return _survey_page(request, form, action=action, error=error, values=values)
    return _survey_page(request, form, action=action)


def _link(request: Request, invitation_id: int) -> str | None:
    from addons.crm_marketing.models import SurveyInvitation

    with request.app.state.kernel.session() as session:
        invitation = session.get(SurveyInvitation, invitation_id)
        return invitation.token if invitation is not None else None


async def survey_link(request: Request) -> Response:
    """GET /a/crm_marketing/surveys/<invitation id>/link: the public link of an invitation."""
    token = await run_in_threadpool(_link, request, int(request.path_params["invitation_id"]))
    if token is None:
        return render(request, "knowledge_missing.html", status_code=404,
                      **page_context(request, title=_("Survey")))
    url = str(request.url_for("crm_marketing_public_survey", token=token))
    return render(request, "survey_link.html", url=url,
                  **page_context(request, title=_("Survey link")))


ROUTES: list[BaseRoute] = [
    Route("/public/survey/{token}", public_survey, methods=["GET", "POST"],
          name="crm_marketing_public_survey"),
    Route("/surveys/{invitation_id:int}/answer", staff_survey, methods=["GET", "POST"],
          name="crm_marketing_staff_survey"),
    Route("/surveys/{invitation_id:int}/link", survey_link, name="crm_marketing_survey_link"),
    Route("/knowledge", knowledge_page, name="crm_marketing_knowledge"),
    Route("/knowledge/{document_id:int}", knowledge_document,
          name="crm_marketing_knowledge_document"),
]
