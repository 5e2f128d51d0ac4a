"""GET /search (a page) and /search.json (the top bar's drop-down)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from core.context import current_actor
from core.search.query import Group, search
from core.web.pages import render
from core.web.ui.common import page_context

MAX_QUERY = 100


def _groups(request: Request) -> tuple[str, list[Group]]:
    query = (request.query_params.get("q") or "").strip()[:MAX_QUERY]
    kernel = request.app.state.kernel
    with kernel.session() as session:
        return query, search(session, kernel, current_actor(), query)


async def search_page(request: Request) -> Response:
    """The results page: every group, 10 records each."""
    query, groups = await run_in_threadpool(_groups, request)
    return render(request, "search.html", **page_context(request, query=query, search_query=query, groups=groups))


async def search_json(request: Request) -> Response:
    """{"query", "groups": [{"key", "label", "more", "hits": [{"id", "title", "detail", "url"}]}]}."""
    query, groups = await run_in_threadpool(_groups, request)
    body: dict[str, Any] = {"query": query, "groups": [asdict(group) for group in groups]}
    return JSONResponse(body)


def search_routes() -> list[BaseRoute]:
    return [Route("/search", search_page, name="search"),
            Route("/search.json", search_json, name="search_json")]
