"""Notifications (#18): each kind once, to the right people only, in both languages;
e-mail and webhook deliveries survive a failing receiver without failing the request."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from core.audit import add_activity, add_note
from core.context import acting_as, system_context
from core.i18n import using_locale
from core.models import Division, User
from core.notify import follow, kinds, notify
from core.notify.delivery import deliver, overdue, text_of
from core.notify.models import Delivery, DivisionWebhook, MailServer, Notification, NotifyPreference
from core.orm import utcnow
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)

MANAGER = {"kind": "direct_manager", "name": "Direct manager"}
FINANCE = {"kind": "role", "role": "finance", "name": "Finance"}


def _inbox(flow: Any, login: str | None = None) -> list[Notification]:
    with system_context(), flow.kernel.session() as session:
        statement = sa.select(Notification).order_by(Notification.id)
        if login is not None:
            statement = statement.where(Notification.user_id == flow.users[login])
        rows = list(session.scalars(statement))
        session.expunge_all()
        return rows


def _kinds(flow: Any) -> list[tuple[str, str]]:
    logins = {user_id: login for login, user_id in flow.users.items()}
    return [(logins[row.user_id], row.kind) for row in _inbox(flow)]


def test_each_approval_event_reaches_the_right_people_once(flow) -> None:
    flow.chain("EAST", [MANAGER, FINANCE])
    note = flow.note("li.na", title="上海出差")
    flow.fire("li.na", note, "submit")
    assert _kinds(flow) == [("lead", kinds.APPROVAL_WAITING)]
    first, second = flow.tasks(note)
    flow.decide("lead", first.id, True)
    assert sorted(_kinds(flow)[1:]) == [("fin", kinds.APPROVAL_WAITING),
                                        ("fin2", kinds.APPROVAL_WAITING)]
    flow.decide("fin", second.id, False, "发票抬头不对")
    [rejected] = _inbox(flow)[3:]
    assert (rejected.user_id, rejected.kind) == (flow.users["li.na"], kinds.REJECTED)
    with using_locale("zh_CN"):
        assert "发票抬头不对" in text_of(rejected) and "上海出差" in text_of(rejected)
        assert "驳回" in text_of(rejected)
    with using_locale("en"):
        assert "was rejected by fin: 发票抬头不对" in text_of(rejected)


def test_an_approved_document_tells_its_submitter(flow) -> None:
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    [task] = flow.tasks(note)
    flow.decide("lead", task.id, True, "同意")
    assert _kinds(flow) == [("lead", kinds.APPROVAL_WAITING), ("li.na", kinds.APPROVED)]


def _note_as(flow: Any, login: str, note_id: int, body: str) -> None:
    with acting_as(flow.actor(login)), flow.kernel.sessions.begin() as session:
        add_note(session, flow.load(session, note_id), body)


@pytest.mark.sqlite_only
def test_a_mention_tells_only_people_who_may_read_the_record(flow) -> None:
    note = flow.note("li.na")
    # wang.qiang (a rep: own notes only) and hq.rep (another division) may not read it.
    _note_as(flow, "li.na", note, "@lead 请看一下 @wang.qiang @hq.rep @nobody")
    assert _kinds(flow) == [("lead", kinds.MENTION)]
    with using_locale("en"):
        assert text_of(_inbox(flow)[0]).startswith("li.na mentioned you on")


@pytest.mark.sqlite_only
def test_followers_hear_of_changes_and_notes_but_not_of_their_own(flow) -> None:
    note = flow.note("li.na")
    with acting_as(flow.actor("lead")), flow.kernel.sessions.begin() as session:
        assert follow(session, flow.load(session, note), flow.users["lead"])
    with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
        flow.load(session, note).amount = 250
    _note_as(flow, "li.na", note, "发票已补")
    _note_as(flow, "lead", note, "收到")  # the follower's own note tells nobody
    assert _kinds(flow) == [("lead", kinds.FOLLOWED_CHANGE), ("lead", kinds.FOLLOWED_NOTE)]
    with using_locale("en"):
        assert "changed: Amount" in text_of(_inbox(flow)[0])


@pytest.mark.sqlite_only
def test_an_overdue_activity_is_told_once_to_its_assignee(flow) -> None:
    note = flow.note("li.na")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
        add_activity(session, flow.load(session, note), kind="call", summary="回访客户",
                     due_date=yesterday, assignee_id=flow.users["li.na"])
        add_activity(session, flow.load(session, note), kind="task", summary="明天的事",
                     due_date=dt.date.today() + dt.timedelta(days=1), assignee_id=flow.users["li.na"])
    for _run in range(2):
        with flow.kernel.sessions.begin() as session:
            overdue(session, session.get(Division, flow.division("EAST")))
    assert _kinds(flow) == [("li.na", kinds.ACTIVITY_OVERDUE)]
    with using_locale("zh_CN"):
        assert "回访客户" in text_of(_inbox(flow)[0]) and "逾期" in text_of(_inbox(flow)[0])


# ------------------------------------------------------------- delivery


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Receiver(http.server.BaseHTTPRequestHandler):
    """A group robot stand-in: records JSON bodies; answers 500 while `failing`."""

    received: list[dict[str, Any]] = []
    failing = False

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).failing:
            self.send_response(500)
        else:
            type(self).received.append(json.loads(body))
            self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        """Keep the test output quiet: the receiver logs nothing."""


@pytest.fixture()
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("Handler", (Receiver,), {"received": [], "failing": False})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/robot", handler
    server.shutdown()
    server.server_close()


@pytest.fixture()
def smtp() -> Iterator[tuple[int, list[Any]]]:
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self) -> None:
            self.messages: list[Any] = []

        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port, handler.messages
    controller.stop()


def _channels(flow: Any, smtp_port: int, webhook: str) -> None:
    with system_context(), flow.kernel.sessions.begin() as session:
        session.add(MailServer(host="127.0.0.1", port=smtp_port, from_address="crm@example.com"))
        session.add(DivisionWebhook(division_id=flow.division("EAST"), url=webhook))
        lead = session.get(User, flow.users["lead"])
        lead.email, lead.locale = "lead@example.com", "en"
        session.add(NotifyPreference(user_id=lead.id, email=True))


def _deliver(flow: Any, *, later: dt.timedelta = dt.timedelta(0)) -> int:
    with flow.kernel.sessions.begin() as session:
        return deliver(session, session.get(Division, flow.division("EAST")), now=utcnow() + later)


def _deliveries(flow: Any) -> list[tuple[str, str, int]]:
    with system_context(), flow.kernel.session() as session:
        return [(d.channel, d.state, d.attempts) for d in session.scalars(
            sa.select(Delivery).order_by(Delivery.id))]


def test_email_and_webhook_are_sent_by_the_job(flow, smtp, receiver) -> None:
    port, messages = smtp
    url, handler = receiver
    _channels(flow, port, url)
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na", title="展会费用")
    flow.fire("li.na", note, "submit")
    assert _deliveries(flow) == [("email", "pending", 0), ("webhook", "pending", 0)]
    assert _deliver(flow) == 2
    assert _deliveries(flow) == [("email", "sent", 1), ("webhook", "sent", 1)]
    [mail] = messages
    assert mail.rcpt_tos == ["lead@example.com"]
    assert "your approval is waiting" in mail.content.decode()  # lead reads English
    [posted] = handler.received
    assert posted["msgtype"] == "text" and "展会费用" in posted["text"]["content"]
    assert _deliver(flow, later=dt.timedelta(days=1)) == 0  # nothing is sent twice


@pytest.mark.sqlite_only
def test_a_failing_receiver_delays_delivery_without_losing_it(flow, receiver) -> None:
    url, handler = receiver
    _channels(flow, _free_port(), url)  # nothing listens on the SMTP port
    handler.failing = True
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")  # the request is not slowed or broken
    assert flow.state(note) == "submitted"
    assert _deliver(flow) == 0
    assert _deliveries(flow) == [("email", "pending", 1), ("webhook", "pending", 1)]
    assert _deliver(flow) == 0  # not due again yet: retried later, not hammered
    assert _deliveries(flow) == [("email", "pending", 1), ("webhook", "pending", 1)]
    handler.failing = False
    assert _deliver(flow, later=dt.timedelta(minutes=2)) == 1
    assert _deliveries(flow) == [("email", "pending", 2), ("webhook", "sent", 2)]
    assert len(handler.received) == 1
    for attempt in range(6):
        _deliver(flow, later=dt.timedelta(days=attempt + 1))
    assert _deliveries(flow)[0] == ("email", "failed", 6)  # given up, kept with its error


@pytest.mark.sqlite_only
def test_a_broken_notification_never_breaks_the_cause(flow) -> None:
    note = flow.note("li.na")
    with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
        record = flow.load(session, note)
        record.title = "改过的标题"
        # A recipient that does not exist: the notice fails alone, the change commits.
        assert notify(session, kinds.MENTION, [10**9], params={"comment": "x"}) == []
    assert flow.load(flow.kernel.session(), note).title == "改过的标题"


# ------------------------------------------------------ my preferences


def _preferences(client: Any, page: str, **fields: Any) -> Any:
    from core.testing.web import csrf_token

    return client.post("/preferences", data={"csrf_token": csrf_token(page), **fields},
                       follow_redirects=False)


@pytest.mark.sqlite_only
def test_a_kind_switched_off_on_the_preferences_page_sends_no_mail(flow, smtp) -> None:
    from starlette.testclient import TestClient

    from core.testing.web import sign_in
    from core.web.app import create_app
    from tests.core.workflow_fixtures import PASSWORD

    port, messages = smtp
    with system_context(), flow.kernel.sessions.begin() as session:
        session.add(MailServer(host="127.0.0.1", port=port, from_address="crm@example.com"))
    flow.chain("EAST", [MANAGER])
    client = sign_in(TestClient(create_app(kernel=flow.kernel)), "lead", PASSWORD)
    assert 'href="/preferences"' in client.get("/account").text  # from the user menu
    page = client.get("/preferences", params={"lang": "en"}).text
    assert "Send me notifications by e-mail" in page and 'name="kind" value="mention"' in page
    on = [kind for kind in kinds.LABELS if kind != kinds.APPROVAL_WAITING]
    form = {"email": "1", "address": "lead@example.com", "locale": "en", "kind": on}
    assert client.post("/preferences", data=form).status_code == 403  # no CSRF token: refused
    refused = _preferences(client, page, **{**form, "address": "not-an-address"})
    assert refused.status_code == 400 and "li.na@example.com" in refused.text
    assert _preferences(client, page, **form).status_code == 303
    page = client.get("/preferences", params={"lang": "zh_CN"}).text
    assert "通过电子邮件发送通知给我" in page
    assert 'value="approval_waiting" id="kind-approval_waiting">' in page  # unticked
    assert 'value="mention" id="kind-mention" checked>' in page

    note = flow.note("li.na", title="展会费用")
    flow.fire("li.na", note, "submit")  # approval waiting: switched off, bell only
    _note_as(flow, "li.na", note, "@lead 请尽快审批")  # a mention: by e-mail
    assert [row.kind for row in _inbox(flow, "lead")] == [kinds.APPROVAL_WAITING, kinds.MENTION]
    assert _deliveries(flow) == [("email", "pending", 0)]
    assert _deliver(flow) == 1
    [mail] = messages
    assert mail.rcpt_tos == ["lead@example.com"] and "mentioned you" in mail.content.decode()

    # Queued, then switched off before the job ran: cancelled, not sent.
    _note_as(flow, "li.na", note, "@lead 再提醒一次")
    _preferences(client, page, **{**form, "kind": [k for k in on if k != kinds.MENTION]})
    assert _deliver(flow) == 0 and len(messages) == 1
    assert _deliveries(flow)[-1] == ("email", "cancelled", 0)
