"""Reading a JSON request body: size limit, media type, syntax, an object at the top."""

from __future__ import annotations

import decimal
import json
from typing import Any

from starlette.requests import Request

from core.api.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from core.errors import ValidationError
from core.i18n import _

MAX_BODY = 1 << 20  # 1 MiB


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(_("The request body is larger than {size} bytes.").format(size=MAX_BODY))


async def _read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _parse(raw: bytes) -> Any:
    try:
        # Numbers with a fraction stay exact (money), NaN and Infinity are refused.
        return json.loads(raw, parse_float=decimal.Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise BadRequest(_("The request body is not valid JSON.")) from None


def _check_text(data: dict[str, Any]) -> None:
    """Refuse NUL characters: PostgreSQL cannot store them in text."""
    bad = {}
    for key, value in data.items():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            bad[str(key)] = _("This value is not valid.")
    if bad:
        raise ValidationError(_("Please correct the marked fields."), fields=bad)


async def json_object(request: Request, *, limit: int = MAX_BODY) -> dict[str, Any]:
    """The body as a JSON object: 413 over `limit`, 415 if not JSON, 400 if unreadable."""
    if not _is_json(request.headers.get("content-type", "")):
        raise UnsupportedMediaType(_("Send the request body as JSON (Content-Type: application/json)."))
    data = _parse(await _read_capped(request, limit))
    if not isinstance(data, dict):
        raise BadRequest(_("The request body must be a JSON object."))
    _check_text(data)
    return data
