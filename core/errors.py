"""Kernel errors: each carries a message for the user and, where useful, fields."""

from __future__ import annotations


class KehuError(Exception):
    """Base of the errors a user may see; `code` names it in API answers."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationError(KehuError):
    """Input that cannot be accepted; `fields` maps each field to what is wrong."""

    code = "validation_error"
    status = 422


class AccessDenied(KehuError):
    """The user's roles do not grant this operation on this model."""

    code = "forbidden"
    status = 403


class NotFound(KehuError):
    """No such record, or none the user may see (the two are not told apart)."""

    code = "not_found"
    status = 404


class Conflict(KehuError):
    """Somebody else changed the record first, or the step was decided already."""

    code = "conflict"
    status = 409


class TransitionRefused(KehuError):
    """A workflow transition is not allowed now; the message says why."""

    code = "transition_refused"
    status = 409
