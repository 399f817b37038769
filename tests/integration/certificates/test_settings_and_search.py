"""District signatory settings (with logo and signature images), certificate search, and
names outside ASCII on the PDF."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates.models import Certificate, DistrictSettings
from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.models import Kader
from tests.conftest import login
from tests.factories import SETTINGS, grant, issue_via_page, save_settings

SETTINGS_CHANGED = "certificate.settings_changed"


def png(width: int, height: int, colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def pdf_image_sizes(data: bytes) -> list[tuple[int, int]]:
    return sorted(img.image.size for img in PdfReader(io.BytesIO(data)).pages[0].images)


def test_settings_are_saved_audited_and_printed_with_their_images(client, world, synced):
    grant(world.kader_brebes, "K01", "K02")
    login(client, "dinkes.brebes")
    assert save_settings(client, logo=png(60, 40, "red"), signature=png(90, 30, "navy")).status_code == 302
    row = db.session.get(DistrictSettings, "33.29")
    assert row.signatory_name == "dr. Ratna Dewi, M.Kes." and row.logo and row.signature
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == SETTINGS_CHANGED))
    assert entry.before is None and entry.after["signatory_nip"] == "197503152000032004"
    assert entry.after["logo_sha256"] and entry.after["signature_sha256"]

    issue_via_page(client, [world.kader_brebes.id])
    cert = db.session.scalar(select(Certificate))
    first = client.get(f"/sertifikat/{cert.id}.pdf").get_data()
    text = PdfReader(io.BytesIO(first)).pages[0].extract_text()
    assert "dr. Ratna Dewi, M.Kes." in text and "197503152000032004" in text
    assert pdf_image_sizes(first) == [(60, 40), (90, 30)]

    # a new signatory with new images: the certificate already issued keeps its own
    changed = save_settings(client, logo=png(50, 50, "green"), signatory_name="dr. Budi")
    assert changed.status_code == 302
    again = client.get(f"/sertifikat/{cert.id}.pdf").get_data()
    assert pdf_image_sizes(again) == [(60, 40), (90, 30)]
    assert "dr. Ratna Dewi" in PdfReader(io.BytesIO(again)).pages[0].extract_text()
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == SETTINGS_CHANGED)).all()
    assert entries[-1].before["signatory_name"] == "dr. Ratna Dewi, M.Kes."
    assert entries[-1].after["signatory_name"] == "dr. Budi"
    assert entries[-1].before["logo_sha256"] != entries[-1].after["logo_sha256"]
    # the signature was not uploaded again, so it stays
    assert entries[-1].before["signature_sha256"] == entries[-1].after["signature_sha256"]


def test_settings_refuse_bad_values_and_files_and_keep_the_old(client, world, synced, signatory):
    login(client, "dinkes.brebes")
    bad_nip = save_settings(client, signatory_nip="1975-03")
    assert bad_nip.status_code == 400 and "NIP terdiri dari 18 angka." in bad_nip.get_data(as_text=True)
    not_image = save_settings(client, logo=b"%PDF-1.4 not an image")
    assert not_image.status_code == 400
    assert "Berkas gambar tidak bisa dibaca." in not_image.get_data(as_text=True)
    huge = save_settings(client, signature=b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    assert huge.status_code in (400, 413) and "1 MB" in huge.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.get(DistrictSettings, "33.29")
    assert row.signatory_nip == "197001011998032001" and row.logo is None and row.signature is None
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == SETTINGS_CHANGED)) is None


def test_settings_are_per_district(app, client, world, synced, signatory):
    login(client, "dinkes.acehselatan")
    assert save_settings(client, office_name="Dinas Kesehatan Kabupaten Aceh Selatan").status_code == 302
    db.session.expire_all()
    assert db.session.get(DistrictSettings, "33.29").signatory_nip == "197001011998032001"
    assert db.session.get(DistrictSettings, "11.01").signatory_nip == SETTINGS["signatory_nip"]
    fasil = app.test_client()
    login(fasil, "fasilitator.paguyangan")
    assert fasil.get("/sertifikat/pengaturan").status_code == 403


def test_search_by_name_or_number_within_the_district(app, client, world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")
    grant(world.kader_brebes_other, "K01", "K02")
    login(client, "dinkes.brebes")
    issue_via_page(client, [world.kader_brebes.id, world.kader_brebes_other.id])
    siti, sri = (
        db.session.scalar(select(Certificate).where(Certificate.kader_id == k.id))
        for k in (world.kader_brebes, world.kader_brebes_other)
    )

    def found(c, q):
        page = c.get("/sertifikat/", query_string={"q": q}).get_data(as_text=True)
        return {n for n in (siti.number, sri.number) if n in page}

    assert found(client, "") == {siti.number, sri.number}
    assert found(client, "siti") == {siti.number}  # case-insensitive name
    assert found(client, sri.number[-6:]) == {sri.number}  # part of the number
    assert found(client, "tidak ada") == set()
    assert found(client, "%") == set()  # a LIKE wildcard is literal, not "everything"
    aceh = app.test_client()
    login(aceh, "dinkes.acehselatan")
    assert found(aceh, "siti") == set()


def test_names_beyond_ascii_print_correctly(client, world, synced, signatory):
    name = "Ni Luh Putu Ayu Wédhawati Ña'im Şükrü Łucja"
    kader = db.session.get(Kader, world.kader_brebes.id)
    kader.name = name
    db.session.commit()
    grant(kader, "K01", "K02")
    login(client, "dinkes.brebes")
    issue_via_page(client, [kader.id])
    cert = db.session.scalar(select(Certificate))
    text = PdfReader(io.BytesIO(client.get(f"/sertifikat/{cert.id}.pdf").get_data())).pages[0].extract_text()
    assert name in text
