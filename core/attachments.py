"""Files attached to records: receipts, scans, signed documents.

Any model that declares `__attachments__ = True` gets an "Attachments" panel on
its form (upload, list, download, remove). A file is stored under the
settings' `data_dir` (outside the web root, never served as static content)
with a random name; the database row keeps the model key and record id it
belongs to, the original file name, the sniffed content type, size and SHA-256.

Who may do what follows the owning record, below the web layer:
- download: whoever can read the record through their record rules;
- upload and remove: whoever may write the model and can see the record (a
  record in a locked workflow state still takes attachments: receipts may come
  late; removing is refused there).

Only PDF, PNG, JPEG and WebP are accepted, recognised by their first bytes
(the name and the browser's content type are not trusted), up to `MAX_SIZE`.
The attachment rows themselves are read and written as the system, after
these checks; nobody queries them directly.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.access.policy import policy_of
from core.context import Actor, current_actor, system_context
from core.errors import NotFound, TransitionRefused, ValidationError
from core.i18n import _, _l
from core.orm import Model

MAX_SIZE = 10 * 1024 * 1024  # bytes
ACCEPTED = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
            "image/webp": ".webp"}


class Attachment(Model):
    """A stored file and the record it belongs to (`model` table name, `res_id`)."""

    __tablename__ = "kehu_attachment"
    __label__ = _l("Attachment")
    __table_args__ = (sa.Index("ix_kehu_attachment_record", "model", "res_id"),)

    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    file_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # Path under data_dir/attachments: "ab/<random hex>"; never derived from the name.
    storage_name: Mapped[str] = mapped_column(sa.String(80), unique=True)


def sniff(head: bytes) -> str | None:
    """The content type the first bytes of a file show, if it is an accepted kind."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def clean_name(name: str) -> str:
    """A file name safe to store and to send back: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch)[0] != "C" and ch not in '"<>|:*?')
    return base.strip(" .")[:200] or "file"


def attachable(model: type | None) -> bool:
    """Whether `model` takes attachments."""
    return bool(model is not None and getattr(model, "__attachments__", False))


def storage_root(data_dir: Path) -> Path:
    """Where attachment files live."""
    return data_dir / "attachments"


def _owning_record(session: Session, model: type, res_id: int) -> Any:
    """The record as the current actor sees it (NotFound otherwise)."""
    record = session.scalar(sa.select(model).where(model.id == res_id))  # type: ignore[attr-defined]
    if record is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return record


def _check_write(session: Session, actor: Actor, model: type) -> None:
    policy = policy_of(session)
    if policy is not None:
        policy.check(actor, model, "write")


def check_size(size: int) -> None:
    """ValidationError when a file of `size` bytes is above the limit."""
    if size > MAX_SIZE:
        message = _("The file is larger than {size} MB.").format(size=MAX_SIZE // (1024 * 1024))
        raise ValidationError(message, fields={"file": message})


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and bytes."""

    file_name: str
    content: bytes


def store(session: Session, data_dir: Path, model: type, res_id: int, upload: Upload) -> Attachment:
    """Attach `upload` to the record; ValidationError names what is wrong with the file."""
    if not attachable(model):
        raise NotFound(_("This kind of record takes no attachments."))
    actor = current_actor()
    _check_write(session, actor, model)
    record = _owning_record(session, model, res_id)
    if not upload.content:
        raise ValidationError(_("Choose a file to upload."), fields={"file": _("Choose a file to upload.")})
    check_size(len(upload.content))
    content_type = sniff(upload.content[:16])
    if content_type is None:
        message = _("Only PDF, PNG, JPEG and WebP files are accepted.")
        raise ValidationError(message, fields={"file": message})
    token = secrets.token_hex(16)
    relative = f"{token[:2]}/{token}"
    target = storage_root(data_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(upload.content)
    target.chmod(0o600)
    attachment = Attachment(
        model=model.__tablename__, res_id=record.id, division_id=record.division_id,  # type: ignore[attr-defined]
        file_name=clean_name(upload.file_name), content_type=content_type,
        size=len(upload.content), sha256=hashlib.sha256(upload.content).hexdigest(),
        storage_name=relative, create_uid=actor.user_id)
    with system_context():
        session.add(attachment)
        session.flush()
    return attachment


def _load(session: Session, attachment_id: int) -> Attachment:
    with system_context(), session.no_autoflush:
        attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return attachment


def readable(session: Session, models: dict[str, type], attachment_id: int) -> Attachment:
    """The attachment if the current actor can read its record (NotFound otherwise)."""
    attachment = _load(session, attachment_id)
    model = models.get(attachment.model)
    policy = policy_of(session)
    actor = current_actor()
    if model is None or (policy is not None and not policy.allowed(actor, model, "read")):
        raise NotFound(_("The record does not exist or you may not see it."))
    _owning_record(session, model, attachment.res_id)
    return attachment


def content(data_dir: Path, attachment: Attachment) -> bytes:
    """The stored bytes of an attachment."""
    path = storage_root(data_dir) / attachment.storage_name
    if not path.is_file():
        raise NotFound(_("The file of this attachment is missing."))
    return path.read_bytes()


def remove(session: Session, data_dir: Path, models: dict[str, type], attachment_id: int) -> Attachment:
    """Delete an attachment (write right on its record, which must not be locked)."""
    from core.workflow.registry import workflows_of

    attachment = readable(session, models, attachment_id)
    model = models[attachment.model]
    _check_write(session, current_actor(), model)
    record = _owning_record(session, model, attachment.res_id)
    workflow = workflows_of(session).for_model(type(record))
    if workflow is not None and workflow.locked(workflow.current(record)):
        raise TransitionRefused(_("The record is locked: its attachments stay."))
    with system_context():
        session.delete(attachment)
        session.flush()
    (storage_root(data_dir) / attachment.storage_name).unlink(missing_ok=True)
    return attachment


def listed(session: Session, owners: list[tuple[str, int]]) -> list[Attachment]:
    """The attachments of the given (model key, record id) pairs, oldest first.

    The caller has checked that the actor can read those records.
    """
    if not owners:
        return []
    conditions = [sa.and_(Attachment.model == key, Attachment.res_id == res_id)
                  for key, res_id in owners]
    with system_context(), session.no_autoflush:
        return list(session.scalars(sa.select(Attachment).where(sa.or_(*conditions))
                                    .order_by(Attachment.id)))
