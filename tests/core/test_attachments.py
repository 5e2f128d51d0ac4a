"""Attachments (core.attachments): sniffed types, size limit, storage outside the web root,
downloads only for users who can read the owning record, through the pages and a token."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core import attachments
from core.attachments import Attachment, clean_name, sniff
from core.context import system_context
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.addons.crm_expense.conftest import PASSWORD, ExpenseWorld, build_world

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only


def png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture()
def world(kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExpenseWorld:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    return build_world(kernel)


@pytest.fixture()
def app(world: ExpenseWorld):
    return create_app(kernel=world.kernel)


def browser(app, login: str) -> TestClient:
    return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)


def test_only_pdf_png_jpeg_and_webp_are_recognised() -> None:
    assert sniff(PDF[:16]) == "application/pdf"
    assert sniff(png()[:16]) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"<html><script>alert(1)</script>") is None
    assert sniff(b"GIF89a\x01\x00") is None
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name('C:\\发票\\出租车"票.pdf') == "出租车票.pdf"


def upload(client: TestClient, path: str, name: str, data: bytes, target: str | None = None):
    page = client.get(path)
    fields = {"csrf_token": csrf_token(page.text)}
    if target:
        fields["target"] = target
    return client.post(f"{path}/attachments", data=fields, files={"file": (name, data)},
                       follow_redirects=False)


def test_a_receipt_is_stored_outside_the_web_root_and_read_through_the_record_rules(
        world: ExpenseWorld, app, tmp_path: Path) -> None:
    claim_id = world.claim("li.na", [world.line(3, "travel", "1280.00", description="高铁票")])
    with system_context(), world.kernel.session() as session:
        line_id = session.scalar(sa.text(
            "SELECT id FROM crm_expense_claim_line WHERE claim_id = :c"), {"c": claim_id})
    rep = browser(app, "li.na")
    path = f"/m/crm_expense_claim/{claim_id}"
    form = rep.get(path)
    assert "Attachments" in form.text and f"crm_expense_claim_line:{line_id}" in form.text
    answer = upload(rep, path, "高铁票.png", png(), target=f"crm_expense_claim_line:{line_id}")
    assert answer.status_code == 303
    with system_context(), world.kernel.session() as session:
        stored = session.scalar(sa.select(Attachment))
    assert (stored.model, stored.res_id, stored.content_type) == (
        "crm_expense_claim_line", line_id, "image/png")
    files = list((tmp_path / "data" / "attachments").rglob("*"))
    on_disk = [f for f in files if f.is_file()]
    assert len(on_disk) == 1 and "高铁票" not in on_disk[0].name and on_disk[0].read_bytes() == png()
    assert "高铁票.png" in rep.get(path).text
    download = rep.get(f"/attachments/{stored.id}")
    assert download.status_code == 200 and download.content == png()
    assert download.headers["content-type"] == "image/png"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")
    # The manager reads the claim (department rule), another rep does not.
    assert browser(app, "mgr").get(f"/attachments/{stored.id}").status_code == 200
    assert browser(app, "zhang.wei").get(f"/attachments/{stored.id}").status_code == 404
    assert browser(app, "east.rep").get(f"/attachments/{stored.id}").status_code == 404


def test_disguised_oversized_and_foreign_uploads_are_refused(world: ExpenseWorld, app,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    claim_id = world.claim("li.na", [world.line(3, "travel", "100.00")])
    path = f"/m/crm_expense_claim/{claim_id}"
    rep = browser(app, "li.na")
    disguised = upload(rep, path, "invoice.pdf", b"<html><script>alert(1)</script></html>")
    assert disguised.status_code == 422 and "Only PDF, PNG, JPEG and WebP" in disguised.text
    monkeypatch.setattr(attachments, "MAX_SIZE", 1000)
    big = upload(rep, path, "scan.pdf", PDF + b"0" * 2000)
    assert big.status_code == 422 and "larger than" in big.text
    monkeypatch.setattr(attachments, "MAX_SIZE", 10 * 1024 * 1024)
    other = browser(app, "zhang.wei")
    token = csrf_token(other.get("/approvals").text)
    foreign = other.post(f"{path}/attachments", data={"csrf_token": token},
                         files={"file": ("x.pdf", PDF)}, follow_redirects=False)
    assert foreign.status_code == 404
    elsewhere = upload(rep, path, "x.pdf", PDF, target="crm_customer:1")
    assert elsewhere.status_code == 404
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_a_token_client_uploads_and_the_file_stays_once_the_claim_is_submitted(
        world: ExpenseWorld, app) -> None:
    claim_id = world.claim("li.na", [world.line(3, "travel", "100.00")])
    client = TestClient(app, headers={"Accept-Language": "en"})
    token = client.post("/api/v1/auth/token", json={"login": "li.na", "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {token.json()['token']}"
    client.headers["Accept"] = "application/json"
    answer = client.post(f"/m/crm_expense_claim/{claim_id}/attachments",
                         files={"file": ("发票.pdf", io.BytesIO(PDF))})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["content_type"] == "application/pdf" and len(body["sha256"]) == 64
    world.fire("li.na", claim_id, "submit")
    rep = browser(app, "li.na")
    page = rep.get(f"/m/crm_expense_claim/{claim_id}")
    removed = rep.post(f"/attachments/{body['id']}/delete",
                       data={"csrf_token": csrf_token(page.text)}, follow_redirects=False)
    assert removed.status_code == 409
    assert rep.get(body["url"]).content == PDF
