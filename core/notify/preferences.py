"""My notification preferences (#18): e-mail on or off, per kind, to which address, in which language.

The page at /preferences is reached from the user menu (my account) and from
the notifications page. What it saves is what the outbox reads: an e-mail is
queued only for a kind the recipient has not switched off, and one queued
before they switched it off is cancelled when the job picks it up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.context import current_actor, system_context
from core.i18n import _
from core.models import User
from core.notify.kinds import LABELS
from core.notify.models import MailServer, NotifyPreference
from core.web.pages import render, with_notice
from core.web.ui.common import page_context

ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


@dataclass(frozen=True)
class KindChoice:
    """One kind of notification as the page offers it: its name and whether it is e-mailed."""

    kind: str
    label: str
    on: bool


@dataclass(frozen=True)
class Preferences:
    """What the page shows and saves for one user."""

    email: bool
    address: str
    locale: str
    kinds: list[KindChoice]
    has_server: bool


def load(session: Session, user_id: int) -> Preferences:
    """The user's preferences (e-mail off and every kind on when never saved)."""
    with system_context():
        user = session.get(User, user_id)
        preference = session.get(NotifyPreference, user_id)
        has_server = session.scalar(sa.select(MailServer.id).where(MailServer.active.is_(True))
                                    .limit(1)) is not None
    off = set(preference.email_off or ()) if preference is not None else set()
    return Preferences(
        email=bool(preference and preference.email),
        address=(user.email or "") if user is not None else "",
        locale=(user.locale if user is not None else None) or "zh_CN",
        kinds=[KindChoice(kind, str(label), kind not in off) for kind, label in LABELS.items()],
        has_server=has_server)


def _errors(email: bool, address: str, locale: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if address and (len(address) > 254 or not ADDRESS.match(address)):
        errors["address"] = _("E-mail address: enter an address such as li.na@example.com")
    elif email and not address:
        errors["address"] = _("E-mail address: needed to receive notifications by e-mail")
    if locale not in dict(LANGUAGES):
        errors["locale"] = _("Choose one of: {choices}.").format(
            choices=", ".join(label for _code, label in LANGUAGES))
    return errors


def save(session: Session, user_id: int, *, email: bool, address: str, locale: str,
         kinds_on: set[str]) -> dict[str, str]:
    """Store the user's choices; return errors by field (nothing is saved when there are any)."""
    address = address.strip()
    errors = _errors(email, address, locale)
    if errors:
        return errors
    with system_context():
        user = session.get(User, user_id)
        assert user is not None
        user.email, user.locale = address or None, locale
        preference = session.get(NotifyPreference, user_id)
        if preference is None:
            preference = NotifyPreference(user_id=user_id)
            session.add(preference)
        preference.email = email
        preference.email_off = sorted(kind for kind in LABELS if kind not in kinds_on)
        session.flush()
    return {}


def _kernel(request: Request) -> Any:
    return request.app.state.kernel


def _show(request: Request, *, errors: dict[str, str] | None = None,
          entered: Preferences | None = None, status: int = 200) -> Response:
    user_id = current_actor().user_id
    with _kernel(request).session() as session:
        stored = load(session, user_id)  # type: ignore[arg-type]
    shown = entered or stored
    context = page_context(request, preferences=shown, has_server=stored.has_server,
                           languages=LANGUAGES, errors=errors or {})
    return render(request, "notify_preferences.html", status_code=status, **context)


def _entered(form: FormData) -> tuple[bool, str, str, set[str]]:
    kinds_on = {str(value) for value in form.getlist("kind") if str(value) in LABELS}
    return (form.get("email") == "1", str(form.get("address") or ""),
            str(form.get("locale") or ""), kinds_on)


def _post(request: Request, form: FormData) -> Response:
    email, address, locale, kinds_on = _entered(form)
    user_id = current_actor().user_id
    with _kernel(request).sessions.begin() as session:
        errors = save(session, user_id, email=email, address=address,  # type: ignore[arg-type]
                      locale=locale, kinds_on=kinds_on)
    if errors:
        entered = Preferences(email, address, locale, [
            KindChoice(kind, str(label), kind in kinds_on) for kind, label in LABELS.items()],
            has_server=False)
        return _show(request, errors=errors, entered=entered, status=400)
    return RedirectResponse(with_notice(request, "/preferences", _("Preferences saved.")),
                            status_code=303)


async def preferences_page(request: Request) -> Response:
    """GET /preferences: my notification preferences; POST saves them."""
    if request.method == "POST":
        form = await request.form()
        return await run_in_threadpool(_post, request, form)
    return await run_in_threadpool(_show, request)
