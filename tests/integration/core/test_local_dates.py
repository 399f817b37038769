"""Dates as the kabupaten sees them: issued, revoked, printed and shown at 23:30 UTC."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates.models import Certificate
from app.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import grant

LATE = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # 06:30 WIB on 28 November


@pytest.fixture
def late_evening(monkeypatch):
    import app.core.local_time as local_time

    monkeypatch.setattr(local_time, "_now", lambda: LATE)


def test_a_certificate_issued_at_2330_utc_carries_the_district_date(
    client, world, synced, signatory, late_evening
):
    grant(world.kader_brebes, "K01", "K02")
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/sertifikat/siap")
    client.post("/sertifikat/siap", data={"csrf_token": token, "kader_id": str(world.kader_brebes.id)})
    cert = db.session.scalar(select(Certificate))
    assert cert.issued_on == date(2026, 11, 28) and cert.snapshot["issued_on"] == "2026-11-28"
    cert.revoked_at, cert.revoked_reason, cert.status = LATE, "Uji", "revoked"
    db.session.commit()
    detail = client.get(f"/sertifikat/{cert.id}").get_data(as_text=True)
    assert "28 Nov 2026" in detail and "27 Nov 2026" not in detail  # revoked 06:30 WIB on the 28th
    public = client.application.test_client().get(f"/v/{cert.verification_code}").get_data(as_text=True)
    assert "28 Nov 2026" in public and "27 Nov 2026" not in public


def test_the_pin_sheet_prints_the_district_date(client, world, late_evening):
    from tests.factories import add_kader

    add_kader("3329045203850010", "Dewi Lestari", world.posyandu_brebes)  # a kader without an account
    db.session.commit()
    login(client, "fasilitator.paguyangan")
    token = csrf_token(client, f"/posyandu/{world.posyandu_brebes.id}/akun")
    response = client.post(f"/posyandu/{world.posyandu_brebes.id}/akun", data={"csrf_token": token})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages)
    assert "2026-11-28" in text and "2026-11-27" not in text


def test_the_zone_follows_the_area(app):
    from flask import g

    from app.extensions import select_timezone

    with app.test_request_context():
        g.display_area = "51.71"
        assert select_timezone() == "Asia/Makassar"
    with app.test_request_context():
        g.display_area = "94.71"
        assert select_timezone() == "Asia/Jayapura"
    with app.test_request_context():
        assert select_timezone() == app.config["BABEL_DEFAULT_TIMEZONE"]
