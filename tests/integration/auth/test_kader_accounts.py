"""Kader accounts in bulk per Posyandu, initial PIN sheet, first-login change, supervisor reset."""

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import User
from app.core.audit import AuditLog
from app.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import add_kader


def pdf_text(response):
    assert response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)


def create_for(client, posyandu_id):
    token = csrf_token(client, f"/posyandu/{posyandu_id}/akun")
    return client.post(f"/posyandu/{posyandu_id}/akun", data={"csrf_token": token})


def test_bulk_accounts_print_pins_and_force_a_change(app, client, world):
    p = world.posyandu_brebes
    add_kader("3329045203850010", "Dewi <b>Lestari</b>", p).phone = "081234500010"
    add_kader("3329045203850011", "Rina Susanti", p)  # no phone: username is the NIK
    db.session.commit()
    login(client, "fasilitator.paguyangan")
    page = client.get(f"/posyandu/{p.id}/akun").get_data(as_text=True)
    assert "2 kader aktif belum punya akun." in page  # Siti already has one
    response = create_for(client, p.id)
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response)
    assert "Dewi <b>Lestari</b>" in text  # printed literally, not as markup
    assert "081234500010" in text and "3329045203850011" in text
    pins = dict(re.findall(r"(081234500010|3329045203850011)\s+(\d{6})", text))
    assert len(pins) == 2
    user = db.session.scalar(select(User).where(User.username == "3329045203850011"))
    assert user.role == "kader" and user.must_change_password and not user.check_password("x")
    kader_client = app.test_client()
    assert login(kader_client, "3329045203850011", pins["3329045203850011"]).location == "/account/password"
    again = create_for(client, p.id)
    assert again.status_code == 302
    assert "sudah punya akun" in client.get(again.location).get_data(as_text=True)


def test_reset_pin_replaces_the_old_one(app, client, world):
    login(client, "dinkes.brebes")
    token = csrf_token(client, f"/posyandu/{world.posyandu_brebes.id}/akun")
    response = client.post(f"/kader/{world.kader_brebes.id}/akun/reset", data={"csrf_token": token})
    pin = re.search(r"kader\.siti\s+(\d{6})", pdf_text(response)).group(1)
    other = app.test_client()
    assert login(other, "kader.siti").status_code == 200  # old password gone
    assert login(other, "kader.siti", pin).location == "/account/password"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "account.pin_reset")) is not None


def test_usernames_never_collide(client, world):
    p = world.posyandu_brebes_2
    a = add_kader("3329045203850020", "Ani", p)
    b = add_kader("3329045203850021", "Budi", p, sex="L")
    a.phone = b.phone = "081200000001"  # a shared family phone
    db.session.commit()
    login(client, "dinkes.brebes")
    text = pdf_text(create_for(client, p.id))
    assert "081200000001" in text and "3329045203850021" in text


def test_scope_and_roles(app, client, world):
    login(client, "fasilitator.paguyangan")
    assert client.get(f"/posyandu/{world.posyandu_aceh.id}/akun").status_code == 404
    token = csrf_token(client, "/")
    assert (
        client.post(f"/posyandu/{world.posyandu_aceh.id}/akun", data={"csrf_token": token}).status_code == 404
    )
    assert (
        client.post(f"/kader/{world.kader_aceh.id}/akun/reset", data={"csrf_token": token}).status_code == 404
    )
    kader = app.test_client()
    login(kader, "kader.siti")
    assert kader.get(f"/posyandu/{world.posyandu_brebes.id}/akun").status_code == 403
    assert db.session.scalar(select(User).where(User.kader_id == world.kader_aceh.id)) is None


def test_post_without_csrf_creates_nothing(client, world):
    login(client, "dinkes.brebes")
    response = client.post(f"/posyandu/{world.posyandu_brebes_2.id}/akun")
    assert response.status_code == 400
    assert db.session.scalar(select(User).where(User.kader_id == world.kader_brebes_other.id)) is None
