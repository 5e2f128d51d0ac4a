"""The generated REST API: /api/v1/<model key>[/<id>] for every model with views (#5).

Each request runs as the actor the security middleware resolved (session
cookie or bearer token), in a session of `kernel.sessions`; rights and record
rules are enforced by the ORM below (core/access/enforce.py), so this module
checks nothing itself but whether the model's addon is enabled for the
caller's division: a disabled addon's API does not exist there (404).
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from core import actions as record_actions
from core.access.explain import explain
from core.api import openapi
from core.api import reports as report_api
from core.api.body import json_object
from core.api.errors import BadRequest, error_response
from core.api.queries import expensive, parse_list_query
from core.api.ratelimit import RateLimiter, configured, limiter_for
from core.api.representation import represent
from core.api.resources import Resource, resources
from core.context import current_actor, system_context
from core.errors import AccessDenied, NotFound, ValidationError
from core.i18n import _, current_locale
from core.kernel import Kernel
from core.lists import ListQuery
from core.models import User
from core.org import actor_for
from core.workflow import act

Handler = Callable[[Request], Awaitable[Response]]
PREFIX = openapi.PREFIX


def _guarded(handler: Handler) -> Handler:
    """Answer every exception of `handler` in the API's JSON error shape."""

    @functools.wraps(handler)
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Exception as exc:  # noqa: BLE001  (every error becomes JSON, 500s are logged)
            return error_response(exc, context=f"{request.method} {request.url.path}")

    return run


def _version_text(raw: str | None, name: str) -> int | None:
    """A version from the body, a query parameter or If-Match ("3", W/"3"); None if absent."""
    if raw is None or raw.strip() in ("", "*"):
        return None
    text = raw.strip().removeprefix("W/").strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise BadRequest(_("The version is not valid."), fields={name: _("Enter a whole number.")})
    return int(text)


def _body_version(data: dict[str, Any]) -> int | None:
    value = data.pop("version", None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ValidationError(_("Please correct the marked fields."),
                              fields={"version": _("Enter a whole number.")})
    return value


class Api:
    """The API of one kernel: its resources and rate limiter."""

    def __init__(self, kernel: Kernel, *, limiter: RateLimiter | None = None) -> None:
        self.kernel = kernel
        self.resources = resources(kernel)
        # Shared by every web worker through the database (#20).
        # Lists with an exact count or a text search ([limits.search]); plain reads and writes are free (#22).
        self.limiter = limiter or configured(kernel, "search")
        self._documents: dict[tuple[tuple[str, ...], str], dict[str, Any]] = {}

    # ------------------------------------------------------------ helpers

    def resource(self, request: Request) -> Resource:
        """The resource of the URL, or 404 if unknown or its addon is off for the caller."""
        resource = self.resources.get(request.path_params["key"])
        if resource is None or not self.kernel.policy.addon_enabled(current_actor(), resource.model):
            raise NotFound(_("There is no such API endpoint."))
        return resource

    def record_id(self, request: Request, resource: Resource) -> int:
        """The id of the URL; 404 for anything that cannot be an id."""
        raw = request.path_params["record_id"]
        _low, high = resource.id_bounds()
        if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or not 1 <= int(raw) <= high:
            raise NotFound(_("The record does not exist or you may not see it."))
        return int(raw)

    def limiter_for(self, request: Request) -> RateLimiter:
        """The rate limiter: `app.state.api_rate_limiter` if set (tests), else our own."""
        limiter = getattr(request.app.state, "api_rate_limiter", None)
        return limiter if isinstance(limiter, RateLimiter) else self.limiter

    def report_limiter(self, request: Request) -> RateLimiter:
        """The rate limiter of reports run through the API ([limits.report], #22)."""
        return limiter_for(request.app.state, self.kernel, "report")

    def _visible(self) -> list[Resource]:
        actor, policy = current_actor(), self.kernel.policy
        return [r for r in self.resources.values()
                if policy.addon_enabled(actor, r.model) and policy.allowed(actor, r.model, "read")]

    # ------------------------------------------------------------ work in a session

    def _list(self, resource: Resource, query: ListQuery) -> dict[str, Any]:
        with self.kernel.sessions() as session:
            try:
                result = resource.records.list(session, query)
            except (ValidationError, sa.exc.DataError) as error:
                raise _bad_parameter(error) from None
            body: dict[str, Any] = {
                "data": represent(session, resource, result.rows, lines=False, names=result.names),
                "next_cursor": result.next_cursor,
            }
        if result.count is not None:
            body["count"], body["count_capped"] = result.count, result.capped
        return body

    def _read(self, resource: Resource, record_id: int) -> dict[str, Any]:
        with self.kernel.sessions() as session:
            record = resource.records.get(session, record_id)
            return represent(session, resource, [record])[0]

    def _create(self, resource: Resource, data: dict[str, Any]) -> dict[str, Any]:
        with self.kernel.sessions.begin() as session:
            record = resource.records.create(session, data)
            return represent(session, resource, [record])[0]

    def _update(self, resource: Resource, record_id: int, data: dict[str, Any],
                version: int | None) -> dict[str, Any]:
        with self.kernel.sessions.begin() as session:
            record = resource.records.update(session, record_id, data, version=version)
            return represent(session, resource, [record])[0]

    def _delete(self, resource: Resource, record_id: int, version: int | None) -> None:
        with self.kernel.sessions.begin() as session:
            resource.records.delete(session, record_id, version=version)

    # ------------------------------------------------------------ endpoints

    async def list_records(self, request: Request) -> Response:
        """GET /api/v1/<key>: a page of records, filtered and ordered."""
        resource = self.resource(request)
        query = parse_list_query(resource, request.query_params)
        if expensive(query):
            self.limiter_for(request).check(current_actor().user_id)
        return JSONResponse(await run_in_threadpool(self._list, resource, query))

    async def read_record(self, request: Request) -> Response:
        """GET /api/v1/<key>/<id>: one record."""
        resource = self.resource(request)
        item = await run_in_threadpool(self._read, resource, self.record_id(request, resource))
        return JSONResponse(item, headers=_etag(item))

    def _explain(self, resource: Resource, record_id: int, login: str) -> dict[str, Any]:
        if not current_actor().is_admin:
            raise AccessDenied(_("Only an administrator may ask why somebody sees a record."))
        with system_context(), self.kernel.sessions() as session:
            user = session.scalar(sa.select(User).where(User.login == login))
            if user is None:
                message = _("No user with this login.")
                raise ValidationError(message, fields={"login": message})
            subject = actor_for(session, user)
        with self.kernel.sessions() as session:
            return explain(session, subject, resource.model, record_id).as_dict()

    async def explain_record(self, request: Request) -> Response:
        """GET /api/v1/<key>/<id>/access?login=<login>: why that user sees it, or not."""
        resource = self.resource(request)
        record_id = self.record_id(request, resource)
        login = request.query_params.get("login", "").strip()
        body = await run_in_threadpool(self._explain, resource, record_id, login)
        return JSONResponse(body)

    def _act(self, resource: Resource, record_id: int, name: str,
             data: dict[str, Any]) -> dict[str, Any]:
        values = data.get("values")
        if values is not None and not isinstance(values, dict):
            raise ValidationError(_("Please correct the marked fields."),
                                  fields={"values": _("This value is not valid.")})
        if resource.records.views.action(name) is not None:
            return self._record_action(resource, record_id, name, values or {})
        comment = data.get("comment")
        with self.kernel.sessions.begin() as session:
            record = resource.records.get(session, record_id)
            act(session, record, name, comment=str(comment) if comment is not None else None,
                values=values)
            session.flush()
            session.refresh(record)
            return represent(session, resource, [record])[0]

    def _record_action(self, resource: Resource, record_id: int, name: str,
                       values: dict[str, Any]) -> dict[str, Any]:
        with self.kernel.sessions.begin() as session:
            record, message = record_actions.run(session, resource.records, record_id, name,
                                                 values)
            if record is None:
                return {"message": message, "record": None}
            session.refresh(record)
            return {"message": message, "record": represent(session, resource, [record])[0]}

    async def run_action(self, request: Request) -> Response:
        """POST /api/v1/<key>/<id>/actions/<name>: a workflow transition or an approval
        decision, with the same checks as the buttons of the page."""
        resource = self.resource(request)
        record_id = self.record_id(request, resource)
        data = await json_object(request)
        item = await run_in_threadpool(self._act, resource, record_id,
                                       request.path_params["name"], data)
        return JSONResponse(item, headers=_etag(item.get("record") or item))

    async def create_record(self, request: Request) -> Response:
        """POST /api/v1/<key>: a new record (201, Location)."""
        resource = self.resource(request)
        data = await json_object(request)
        resource.check_ranges(data)
        item = await run_in_threadpool(self._create, resource, data)
        location = f"{PREFIX}/{resource.key}/{item['id']}"
        return JSONResponse(item, status_code=201, headers={"Location": location, **_etag(item)})

    async def update_record(self, request: Request) -> Response:
        """PATCH /api/v1/<key>/<id>: change fields; `version` (or If-Match) is required."""
        resource = self.resource(request)
        record_id = self.record_id(request, resource)
        data = await json_object(request)
        version = _body_version(data)
        if version is None:
            version = _version_text(request.headers.get("if-match"), "If-Match")
        if version is None and resource.versioned:
            raise ValidationError(_("Send the version you read, to change the record."),
                                  fields={"version": _("This field is required.")})
        resource.check_ranges(data)
        item = await run_in_threadpool(self._update, resource, record_id, data, version)
        return JSONResponse(item, headers=_etag(item))

    async def delete_record(self, request: Request) -> Response:
        """DELETE /api/v1/<key>/<id>: delete; an optional version (query or If-Match)."""
        resource = self.resource(request)
        record_id = self.record_id(request, resource)
        version = _version_text(request.query_params.get("version"), "version")
        if version is None:
            version = _version_text(request.headers.get("if-match"), "If-Match")
        await run_in_threadpool(self._delete, resource, record_id, version)
        return Response(status_code=204)

    async def document(self, request: Request) -> Response:
        """GET /api/v1/openapi.json: the OpenAPI document of what the caller can reach."""
        visible = self._visible()
        reports = report_api.visible_reports(self.kernel)
        key = (tuple(r.key for r in visible) + tuple(f"r:{e.key}" for e in reports),
               current_locale())
        if key not in self._documents:
            document = openapi.document(visible, version=_package_version())
            errors = {status: {"$ref": f"#/components/responses/{openapi.ERRORS[status][0]}"}
                      for status in ("400", "401", "403", "404", "429", "500")}
            document["paths"].update(report_api.report_paths(reports, PREFIX, errors))
            self._documents[key] = document
        return JSONResponse(self._documents[key])

    def routes(self) -> list[BaseRoute]:
        """The API's routes (the document first: "openapi.json" is no model key)."""
        item = PREFIX + "/{key}/{record_id}"
        return [
            Route(PREFIX + "/openapi.json", _guarded(self.document), methods=["GET"],
                  name="api_openapi"),
            # Before the model routes: "reports" is no model key.
            Route(PREFIX + "/reports/{key}",
                  _guarded(report_api.report_handler(self.kernel, self.report_limiter)),
                  methods=["GET"], name="api_report"),
            Route(PREFIX + "/{key}", _guarded(self.list_records), methods=["GET"],
                  name="api_list"),
            Route(PREFIX + "/{key}", _guarded(self.create_record), methods=["POST"],
                  name="api_create"),
            Route(item, _guarded(self.read_record), methods=["GET"], name="api_read"),
            Route(item, _guarded(self.update_record), methods=["PATCH"], name="api_update"),
            Route(item, _guarded(self.delete_record), methods=["DELETE"], name="api_delete"),
            Route(item + "/access", _guarded(self.explain_record), methods=["GET"],
                  name="api_explain"),
            Route(item + "/actions/{name}", _guarded(self.run_action), methods=["POST"],
                  name="api_action"),
        ]


def _bad_parameter(error: Exception) -> BadRequest:
    if isinstance(error, ValidationError):
        return BadRequest(error.message, fields=error.fields)
    return BadRequest(_("A query parameter is not valid."))


def _etag(item: dict[str, Any]) -> dict[str, str]:
    return {"ETag": f'W/"{item["version"]}"'} if "version" in item else {}


@functools.lru_cache(maxsize=1)
def _package_version() -> str:
    try:
        return importlib.metadata.version("kehu")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def api_routes(kernel: Kernel, *, limiter: RateLimiter | None = None) -> list[BaseRoute]:
    """The routes of the REST API for `kernel`, to mount in the application."""
    return Api(kernel, limiter=limiter).routes()
