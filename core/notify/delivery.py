"""Sending the outbox: e-mail over SMTP and JSON POSTs to a division's webhook, with retries.

The `notify.deliver` job picks due deliveries of one division, sends each
outside any database transaction, then records the outcome: sent, or a retry
later (1, 5, 30 minutes, 2 hours, 12 hours), given up after `MAX_ATTEMPTS`.
The `notify.overdue` job tells assignees of activities whose due date passed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.audit import Activity, _model_of
from core.context import system_context
from core.i18n import _, _l, using_locale
from core.jobs import Job
from core.models import Division, User
from core.notify import kinds, notify
from core.notify.kinds import render_text
from core.notify.models import Delivery, MailServer, Notification, NotifyPreference
from core.orm import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RETRY_MINUTES = (1, 5, 30, 120, 720)
BATCH = 200
TIMEOUT = 10


def text_of(notification: Notification) -> str:
    """The sentence of `notification` in the current language."""
    from core.notify.events import label_of

    return render_text(notification.kind, notification.params or {},
                       label_of(notification.model or notification.params.get("model_key")))


def _due(session: Session, division: Division, now: dt.datetime) -> list[tuple[Delivery, Notification]]:
    rows = session.execute(
        sa.select(Delivery, Notification).join(Notification, Notification.id == Delivery.notification_id)
        .where(Delivery.state == "pending", Delivery.next_attempt <= now,
               Notification.division_id == division.id)
        .order_by(Delivery.next_attempt, Delivery.id).limit(BATCH)
        # Several job workers (PostgreSQL): each takes other rows.
        .with_for_update(of=Delivery, skip_locked=True)).all()
    return [(row[0], row[1]) for row in rows]


def _send_email(server: MailServer, address: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = server.from_address, address, subject
    message.set_content(body)
    if server.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    with client:
        if server.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if server.username:
            client.login(server.username, server.password or "")
        client.send_message(message)


def _post_webhook(url: str, text: str) -> None:
    """A group robot's JSON: {"msgtype": "text", "text": {"content": ...}} (企业微信 / 钉钉)."""
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}).encode()
    request = urllib.request.Request(url, data=payload, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (admin's URL)
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")


def _message(session: Session, notification: Notification) -> tuple[str, str]:
    user = session.get(User, notification.user_id)
    locale = (user.locale if user is not None else None) or "zh_CN"
    with using_locale(locale):
        text = text_of(notification)
        subject = _("[Kehu] {kind}").format(kind=kinds.LABELS[notification.kind])
    name = user.name if user is not None else ""
    return subject, f"{name}: {text}" if name else text


def _drop_unwanted(session: Session, due: list[tuple[Delivery, Notification]]
                   ) -> list[tuple[Delivery, Notification]]:
    """Cancel the e-mails whose recipient switched them (or their kind) off since they were queued."""
    users = {notification.user_id for delivery, notification in due if delivery.channel == "email"}
    if not users:
        return due
    preferences = {preference.user_id: preference for preference in session.scalars(
        sa.select(NotifyPreference).where(NotifyPreference.user_id.in_(sorted(users))))}
    unwanted = {delivery.id for delivery, notification in due if delivery.channel == "email" and not (
        notification.user_id in preferences
        and preferences[notification.user_id].emails(notification.kind))}
    if unwanted:
        session.execute(sa.update(Delivery).where(Delivery.id.in_(sorted(unwanted)))
                        .values(state="cancelled", last_error="switched off by the recipient"))
    return [(delivery, notification) for delivery, notification in due
            if delivery.id not in unwanted]


def deliver(session: Session, division: Division, *, now: dt.datetime | None = None) -> int:
    """Send the due deliveries of `division`'s notifications; return how many were sent."""
    now = now or utcnow()
    with system_context():
        due = _due(session, division, now)
        due = _drop_unwanted(session, due)
        server = session.scalar(sa.select(MailServer).where(MailServer.active.is_(True)).limit(1))
        messages = {notification.id: _message(session, notification) for _d, notification in due}
    outcomes: list[tuple[Delivery, Exception | None]] = []
    for delivery, notification in due:
        subject, text = messages[notification.id]
        try:
            if delivery.channel == "email":
                if server is None:
                    raise OSError("no SMTP server is configured")
                _send_email(server, delivery.target, subject, text)
            else:
                _post_webhook(delivery.target, text)
        except (OSError, smtplib.SMTPException, urllib.error.URLError, ValueError) as error:
            outcomes.append((delivery, error))
        else:
            outcomes.append((delivery, None))
    # Written after the network calls: no write lock is held while they wait.
    for delivery, failure in outcomes:
        if failure is not None:
            _failed(session, delivery, failure, now)
            continue
        with system_context():
            session.execute(sa.update(Delivery).where(Delivery.id == delivery.id).values(
                state="sent", sent_at=utcnow(), attempts=Delivery.attempts + 1, last_error=None))
    return sum(1 for _delivery, error in outcomes if error is None)


def _failed(session: Session, delivery: Delivery, error: Exception, now: dt.datetime) -> None:
    attempts = delivery.attempts + 1
    state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
    wait = RETRY_MINUTES[min(attempts - 1, len(RETRY_MINUTES) - 1)]
    log.warning("delivery %s (%s to %s) failed, attempt %d: %s", delivery.id, delivery.channel,
                delivery.target, attempts, error)
    with system_context():
        session.execute(sa.update(Delivery).where(Delivery.id == delivery.id).values(
            state=state, attempts=attempts, last_error=str(error)[:500],
            next_attempt=now + dt.timedelta(minutes=wait)))


def overdue(session: Session, division: Division, *, today: dt.date | None = None) -> int:
    """Tell each assignee once about their open activities whose due date has passed."""
    today = today or dt.date.today()
    raised = 0
    with system_context():
        late = list(session.scalars(
            sa.select(Activity).where(Activity.done.is_(False), Activity.due_date < today,
                                      Activity.assignee_id.is_not(None))
            .join(User, User.id == Activity.assignee_id).where(User.division_id == division.id)
            .where(~sa.exists().where(
                Notification.dedupe_key == sa.literal("activity:") + sa.cast(Activity.id, sa.String),
                Notification.user_id == Activity.assignee_id))
            .order_by(Activity.id).limit(1000)))
    for activity in late:
        model_cls = _model_of(activity.model)
        with system_context():
            record = session.get(model_cls, activity.res_id) if model_cls is not None else None
        if record is None:
            continue
        raised += len(notify(session, kinds.ACTIVITY_OVERDUE, [activity.assignee_id], record=record,
                             include_actor=True, dedupe_key=f"activity:{activity.id}",
                             params={"summary": activity.summary,
                                     "date": activity.due_date.isoformat() if activity.due_date else ""}))
    return raised


JOBS = [
    Job(key="notify.deliver", label=_l("Send notifications by e-mail and webhook"),
        run=deliver, schedule="* * * * *"),
    Job(key="notify.overdue", label=_l("Tell assignees about overdue activities"),
        run=overdue, schedule="15 * * * *"),
]
