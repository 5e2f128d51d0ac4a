"""What each kind of notification says, in the reader's language."""

from __future__ import annotations

from typing import Any

from core.i18n import LazyText, _l

APPROVAL_WAITING = "approval_waiting"
APPROVED = "approved"
REJECTED = "rejected"
ASSIGNED = "assigned"
HANDED_OVER = "handed_over"
ROUTED = "routed"
MENTION = "mention"
FOLLOWED_CHANGE = "followed_change"
FOLLOWED_NOTE = "followed_note"
ACTIVITY_OVERDUE = "activity_overdue"
IMPORT_FINISHED = "import_finished"
IMPORT_FAILED = "import_failed"

# Placeholders: record (its name), model (its label), actor (who did it),
# comment, count, summary, date, file, changes.
TEXTS: dict[str, LazyText] = {
    APPROVAL_WAITING: _l("{actor} submitted {model} {record}: your approval is waiting"),
    APPROVED: _l("{model} {record} was approved by {actor}"),
    REJECTED: _l("{model} {record} was rejected by {actor}: {comment}"),
    ASSIGNED: _l("{actor} assigned {model} {record} to you"),
    HANDED_OVER: _l("{count} × {model} handed over to you by {actor}: {comment}"),
    ROUTED: _l("{model} {record} was routed to you"),
    MENTION: _l("{actor} mentioned you on {model} {record}: {comment}"),
    FOLLOWED_CHANGE: _l("{model} {record} that you follow changed: {changes}"),
    FOLLOWED_NOTE: _l("{actor} wrote on {model} {record} that you follow: {comment}"),
    ACTIVITY_OVERDUE: _l("Overdue since {date}: {summary} ({model} {record})"),
    IMPORT_FINISHED: _l("Import of {file} finished: {count} rows saved"),
    IMPORT_FAILED: _l("Import of {file} finished without saving anything: {comment}"),
}

LABELS: dict[str, LazyText] = {
    APPROVAL_WAITING: _l("Approval waiting"),
    APPROVED: _l("Approved"),
    REJECTED: _l("Rejected"),
    ASSIGNED: _l("Assigned to me"),
    HANDED_OVER: _l("Handed over"),
    ROUTED: _l("Routed to me"),
    MENTION: _l("Mention"),
    FOLLOWED_CHANGE: _l("Followed record changed"),
    FOLLOWED_NOTE: _l("Note on a followed record"),
    ACTIVITY_OVERDUE: _l("Activity overdue"),
    IMPORT_FINISHED: _l("Import finished"),
    IMPORT_FAILED: _l("Import saved nothing"),
}


class _Blank(dict[str, Any]):
    """Placeholders a notification did not fill read as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def render_text(kind: str, params: dict[str, Any], model_label: str) -> str:
    """The sentence of one notification, in the current language."""
    template = TEXTS.get(kind)
    if template is None:
        return str(params.get("text", kind))
    values = _Blank({key: "" if value is None else value for key, value in params.items()})
    values["model"] = model_label
    return str(template).format_map(values).replace("  ", " ").strip(" :")
