"""Issuing, numbering, PDF, verification, revocation and re-issue of certificates."""

import io
import json
import re
import threading
from datetime import date

import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import func, select

from app import create_app
from app.certificates.models import Certificate
from app.certificates.services import issue
from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.models import Kader
from tests.conftest import csrf_token, login, run_cli
from tests.factories import add_kader, grant, issue_via_page


def test_eligible_list_and_batch_issue(client, world, purwa_kader):
    login(client, "dinkes.brebes")
    page = client.get("/sertifikat/siap").get_data(as_text=True)
    assert "Siti Aminah" in page and "Purwa" in page and "Sri Wahyuni" not in page
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    year = date.today().year
    assert cert.number == f"TKK/PURWA/3329/{year}/000001" and cert.status == "valid"
    assert re.fullmatch(r"[A-Z2-9]{16}", cert.verification_code)
    issued = client.get("/sertifikat/siap").get_data(as_text=True)  # the issue message, shown once
    assert f'<a href="/sertifikat/{cert.id}">{cert.number} (Siti Aminah)</a>' in issued
    assert "Siti Aminah" not in client.get("/sertifikat/siap").get_data(as_text=True)  # no longer waiting
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "certificate.issued")) is not None


def test_pdf_has_name_level_number_and_qr(client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    data = client.get(f"/sertifikat/{cert.id}.pdf").get_data()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Siti Aminah" in text and "PURWA" in text and cert.number in text
    image = pdfium.PdfDocument(data)[0].render(scale=3).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        f"http://127.0.0.1:5000/v/{cert.verification_code}"
    ]


def test_public_verification_valid_revoked_unknown(app, client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    public = app.test_client()
    page = public.get(f"/v/{cert.verification_code}").get_data(as_text=True)
    assert "SAH" in page and "Siti Aminah" in page and "3329************" in page
    assert "3329045203850001" not in page
    data = public.get(f"/v/{cert.verification_code}.json").json
    assert data["status"] == "valid" and data["certificate"]["number"] == cert.number
    formatted = "-".join(cert.verification_code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert public.get(f"/v/{formatted}").status_code == 200  # typed from paper
    token = csrf_token(client, f"/sertifikat/{cert.id}")
    client.post(f"/sertifikat/{cert.id}/cabut", data={"csrf_token": token, "reason": "Data ganda"})
    page = public.get(f"/v/{cert.verification_code}").get_data(as_text=True)
    assert "DICABUT" in page and "Data ganda" in page
    assert public.get(f"/v/{cert.verification_code}.json").json["revoked"]["reason"] == "Data ganda"
    assert public.get("/v/AAAA-BBBB-CCCC-DDDD").status_code == 404
    assert public.get(f"/v/{cert.verification_code[:10]}").status_code == 404  # truncated
    assert public.get("/v/<script>").status_code == 404


def test_verification_is_rate_limited(app, client, world, purwa_kader):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    public = app.test_client()
    for _ in range(3):
        public.get("/v/AAAABBBBCCCCDDDD")
    assert public.get("/v/AAAABBBBCCCCDDDD").status_code == 429


def test_refusals(client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [world.kader_brebes_other.id])  # has not reached a level
    assert issue_via_page(client, [world.kader_aceh.id]).status_code == 404  # outside the kabupaten
    # a forged id outside the district stops the whole batch, even beside an eligible kader
    assert issue_via_page(client, [purwa_kader.id, world.kader_aceh.id]).status_code == 404
    assert issue_via_page(client, [999_999]).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    issue_via_page(client, [purwa_kader.id])
    issue_via_page(client, [purwa_kader.id])  # second for the same level while valid
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_reissue_after_name_correction(client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    old = db.session.scalar(select(Certificate))
    kader = db.session.get(Kader, purwa_kader.id)
    kader.name = "Siti Aminah Rahmawati"
    db.session.commit()
    token = csrf_token(client, f"/sertifikat/{old.id}")
    response = client.post(
        f"/sertifikat/{old.id}/terbitkan-ulang", data={"csrf_token": token, "reason": "Nama salah ketik"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.get(Certificate, old.id)
    new = db.session.scalar(select(Certificate).where(Certificate.replaces_id == old.id))
    assert old.status == "revoked" and old.revoked_reason == "Nama salah ketik"
    assert new.status == "valid" and new.snapshot["kader_name"] == "Siti Aminah Rahmawati"
    assert new.snapshot["replaces"] == old.number and old.snapshot["kader_name"] == "Siti Aminah"
    assert new.number.endswith("/000002")


def test_snapshot_is_immutable_when_roster_changes(client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    first = client.get(f"/sertifikat/{cert.id}.pdf").get_data()
    world.posyandu_brebes.name = "Posyandu Baru"
    db.session.merge(world.posyandu_brebes)
    db.session.commit()
    text = PdfReader(io.BytesIO(client.get(f"/sertifikat/{cert.id}.pdf").get_data())).pages[0].extract_text()
    assert "Melati 1" in text and "Posyandu Baru" not in text
    assert len(first) > 10_000


def test_scope_other_kabupaten_and_kader_own(app, client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    aceh = app.test_client()
    login(aceh, "dinkes.acehselatan")
    assert aceh.get(f"/sertifikat/{cert.id}").status_code == 404
    assert aceh.get(f"/sertifikat/{cert.id}.pdf").status_code == 404
    kader = app.test_client()
    login(kader, "kader.siti")
    assert kader.get(f"/sertifikat/{cert.id}.pdf").status_code == 200
    assert cert.number in kader.get("/sertifikat-saya").get_data(as_text=True)
    fasil = app.test_client()
    login(fasil, "fasilitator.paguyangan")
    assert fasil.get(f"/sertifikat/{cert.id}").status_code == 403


def test_open_badge_export_and_cli_verification(app, client, world, purwa_kader, tmp_path):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    badge = client.get(f"/sertifikat/{cert.id}/badge.json").json
    assert "OpenBadgeCredential" in badge["type"] and badge["credentialSubject"]["achievement"][
        "name"
    ].endswith("Purwa")
    assert "credentialStatus" not in badge  # no list other verifiers could not read
    assert badge["evidence"][0]["id"].endswith(f"/v/{cert.verification_code}")
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(badge), encoding="utf-8")
    result = run_cli(app, "certificates", "verify-badge", str(path))
    assert result.exit_code == 0 and result.output.startswith("valid:")
    badge["credentialSubject"]["name"] = "Orang Lain"
    path.write_text(json.dumps(badge), encoding="utf-8")
    result = run_cli(app, "certificates", "verify-badge", str(path))
    assert result.exit_code == 2 and result.output.startswith("tampered")
    path.write_text("{not json", encoding="utf-8")
    assert run_cli(app, "certificates", "verify-badge", str(path)).output.startswith("tampered")
    badge["credentialSubject"]["name"] = "Siti Aminah"
    # A second "name" before the signed one: a reader that shows the first would show a forgery
    # while a last-wins parser checks the signature against the second.
    signed_name = '"name": "Siti Aminah"'
    text = json.dumps(badge).replace(signed_name, '"name": "Orang Lain", ' + signed_name, 1)
    path.write_text(text, encoding="utf-8")
    assert json.loads(text)["credentialSubject"]["name"] == "Siti Aminah"
    result = run_cli(app, "certificates", "verify-badge", str(path))
    assert result.exit_code == 2 and result.output.startswith("tampered")
    path.write_text(json.dumps(badge), encoding="utf-8")
    token = csrf_token(client, f"/sertifikat/{cert.id}")
    client.post(f"/sertifikat/{cert.id}/cabut", data={"csrf_token": token, "reason": "Dicabut uji"})
    result = run_cli(app, "certificates", "verify-badge", str(path))
    assert result.exit_code == 1 and result.output.startswith("revoked")
    # Revoked means revoked everywhere: no PDF, no newly signed badge, for dinkes or the kader.
    for who in (client, _kader_client(app)):
        for url in (f"/sertifikat/{cert.id}.pdf", f"/sertifikat/{cert.id}/badge.json"):
            response = who.get(url)
            assert response.status_code == 410 and response.mimetype == "text/html"
            assert f"/v/{cert.verification_code}" in response.get_data(as_text=True)


def _kader_client(app):
    kader = app.test_client()
    login(kader, "kader.siti")
    return kader


def test_public_json_masks_the_signatory_nip(client, world, purwa_kader):
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id])
    cert = db.session.scalar(select(Certificate))
    nip = cert.snapshot["signatory"]["nip"]
    body = client.get(f"/v/{cert.verification_code}.json").get_data(as_text=True)
    assert nip not in body and "*" * (len(nip) - 4) + nip[-4:] in body


def test_batch_print_per_posyandu(app, client, world, purwa_kader, tmp_path):
    second = add_kader("3329045203850040", "Dewi Lestari", world.posyandu_brebes)
    db.session.commit()
    grant(second, "K01", "K02")
    login(client, "dinkes.brebes")
    issue_via_page(client, [purwa_kader.id, second.id])
    response = client.get(f"/posyandu/{world.posyandu_brebes.id}/sertifikat.pdf")
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert len(reader.pages) == 5  # the roster sheet, then front and skills page for each
    sheet = reader.pages[0].extract_text()
    numbers = sorted(db.session.scalars(select(Certificate.number)))
    assert "Daftar kader Posyandu Melati 1" in sheet and "Ketua" in sheet and "Purwa" in sheet
    assert all(n in sheet for n in numbers) and "Dewi Lestari" in sheet
    out = tmp_path / "batch.pdf"
    result = run_cli(
        app, "certificates", "print", "--posyandu", str(world.posyandu_brebes.id), "-o", str(out)
    )
    assert result.exit_code == 0 and "wrote 2 certificate(s)" in result.output
    assert len(PdfReader(str(out)).pages) == 5


def test_parallel_issuance_is_unique_and_gap_free(app, world, synced, signatory, database_url):
    kaders = [
        add_kader(f"33290452038501{i:02d}", f"Kader Paralel {i}", world.posyandu_brebes) for i in range(12)
    ]
    db.session.commit()
    for k in kaders:
        grant(k, "K01", "K02")
    errors = []
    instance = create_app("testing", DATABASE_URL=database_url)  # its own engine and connection pool
    start = threading.Barrier(len(kaders))

    def worker(kader_id):
        try:
            with instance.app_context():  # one session per thread
                kader = db.session.get(Kader, kader_id)
                start.wait()
                issue(kader, "purwa", user_id=None, today=date(2026, 11, 22))
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(k.id,)) for k in kaders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    instance.extensions["kc_db"]["engine"].dispose()
    assert errors == []
    sequences = sorted(db.session.scalars(select(Certificate.sequence)))
    assert sequences == list(range(1, 13))
    assert len(set(db.session.scalars(select(Certificate.number)))) == 12


def test_eligible_list_filters_by_kecamatan_desa_and_posyandu(client, world, purwa_kader):
    second = add_kader("3329045203850060", "Dewi Lestari", world.posyandu_brebes_2)
    db.session.commit()
    grant(second, "K01", "K02")
    login(client, "dinkes.brebes")
    both = client.get("/sertifikat/siap").get_data(as_text=True)
    assert "Siti Aminah" in both and "Dewi Lestari" in both
    by_desa = client.get("/sertifikat/siap?desa=33.29.04.2002").get_data(as_text=True)
    assert "Dewi Lestari" in by_desa and "Siti Aminah" not in by_desa
    by_posyandu = client.get(f"/sertifikat/siap?posyandu={world.posyandu_brebes.id}").get_data(as_text=True)
    assert "Siti Aminah" in by_posyandu and "Dewi Lestari" not in by_posyandu
    assert "Dewi Lestari" in client.get("/sertifikat/siap?kecamatan=33.29.04").get_data(as_text=True)
