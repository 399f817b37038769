"""The rough edges a new user meets (issue 14, point 5), one test per edge."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.services import issue
from app.core.local_time import local_today
from app.curriculum.models import ChecklistStep, Skill
from app.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import add_kader, grant, k01_session
from tests.integration.rosters.roster_files import csv_bytes, kader_rows


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def selected_value(page: str, select_name: str) -> str | None:
    select_html = re.search(rf'<select[^>]*name="{select_name}".*?</select>', page, re.S)
    assert select_html, select_name
    for option in re.findall(r"<option[^>]*>", select_html.group(0)):
        if re.search(r"\bselected\b", option):
            return re.search(r'value="([^"]*)"', option).group(1)
    return None


def flash_messages(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-success" role="status">(.*?)</p>', page, re.S)


# 1. Admin sees everything: Kader, Praktik and Sertifikat, read-only, across districts.


def test_admin_reaches_kader_practicals_and_certificates_read_only(app, client, world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")
    grant(world.kader_aceh, "K01", "K02")
    brebes = issue(world.kader_brebes, "purwa", user_id=None, today=date.today())
    aceh = issue(world.kader_aceh, "purwa", user_id=None, today=date.today())
    k01_session(world)
    db.session.commit()
    login(client, "admin")
    home = page_of(client, "/")
    for href in ('href="/kader/"', 'href="/praktik/"', 'href="/sertifikat/"'):
        assert href in home, href
    certificates = page_of(client, "/sertifikat/")
    assert brebes.number in certificates and aceh.number in certificates  # every district
    assert "Kader siap menerima sertifikat" not in certificates  # issuing stays with dinkes
    assert 'action="/tugas/cetak-sertifikat"' not in certificates
    detail = page_of(client, f"/sertifikat/{aceh.id}")
    assert aceh.number in detail and "Cabut sertifikat" not in detail and "Terbitkan ulang" not in detail
    token = csrf_token(client, "/account/password")
    refused = client.post(f"/sertifikat/{aceh.id}/cabut", data={"csrf_token": token, "reason": "uji"})
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Certificate, aceh.id).status == "valid"
    kader = page_of(client, "/kader/")
    assert "Siti Aminah" in kader and "Cut Nurul Aini" in kader and "Tambah kader" not in kader
    practicals = page_of(client, "/praktik/")
    assert "Posyandu Melati 1" in practicals and "Sesi penilaian baru" not in practicals


# 2. The decision starts from the system's suggestion.


def test_decision_defaults_to_the_suggestion_until_decided(client, world, synced):
    login(client, "fasilitator.paguyangan")
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    session = k01_session(world)
    db.session.commit()
    url = f"/praktik/{session.id}/nilai/{world.kader_brebes.id}/K01"
    steps = db.session.scalars(
        select(ChecklistStep.id).where(ChecklistStep.skill_id == skill.id).order_by(ChecklistStep.position)
    ).all()
    ticks = {f"step-{s}": "0" if i == 1 else "1" for i, s in enumerate(steps)}  # the critical step missed
    client.post(url, data={"csrf_token": csrf_token(client, url), "action": "save", **ticks})
    assert selected_value(page_of(client, url), "decision") == "belum_kompeten"
    confirmed = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "action": "confirm",
            "decision": "kompeten",
            "note": "Langkah 2 diulang dan benar",
        },
    )
    assert confirmed.status_code == 302
    assert selected_value(page_of(client, url), "decision") == "kompeten"  # the decision recorded


# 3. Kader of the same name are told apart where a fasilitator picks them.


def test_same_names_are_told_apart_where_kader_are_picked(client, world, synced):
    p = world.posyandu_brebes
    younger = add_kader("3329044107900009", "Siti Aminah", p, born=date(1990, 7, 1))
    twin = add_kader("3329044106850010", "Siti  aminah", p, born=date(1985, 6, 1))
    db.session.commit()
    today = local_today("33.29")
    login(client, "fasilitator.paguyangan")
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    token = csrf_token(client, "/praktik/baru")
    created = client.post(
        "/praktik/baru",
        data={
            "csrf_token": token,
            "posyandu_id": p.id,
            "session_date": today.isoformat(),
            "skill_ids": [skill.id],
        },
    )
    attendees_url = created.location
    page = page_of(client, attendees_url)
    labels = dict(re.findall(r'<input[^>]*value="(\d+)"[^>]*>\s*<label[^>]*>([^<]*)</label>', page))
    assert labels[str(younger.id)] == f"Siti Aminah (umur {age_on(date(1990, 7, 1), today)})"
    same_age = [labels[str(world.kader_brebes.id)], labels[str(twin.id)]]
    assert all("lahir" in label for label in same_age) and same_age[0] != same_age[1]
    ids = [world.kader_brebes.id, younger.id, twin.id]
    client.post(attendees_url, data={"csrf_token": csrf_token(client, attendees_url), "kader_ids": ids})
    session_page = page_of(client, attendees_url.removesuffix("/peserta"))
    assert f"(umur {age_on(date(1990, 7, 1), today)})" in session_page
    accounts = page_of(client, f"/posyandu/{p.id}/akun")
    assert f"umur {age_on(date(1990, 7, 1), today)}" in accounts
    kader_list = page_of(client, "/kader/?q=siti")
    assert f"umur {age_on(date(1990, 7, 1), today)}" in kader_list
    matrix = page_of(client, f"/posyandu/{p.id}/matriks")
    assert f"umur {age_on(date(1990, 7, 1), today)}" in matrix


# 4 and 5. The PIN is called a PIN on the sheet and at first login, and gets the number pad.


def test_pin_sheet_and_first_login_say_pin_and_open_the_number_pad(app, client, world):
    p = world.posyandu_brebes
    add_kader("3329045203850011", "Rina Susanti", p)
    db.session.commit()
    login(client, "fasilitator.paguyangan")
    sheet = client.post(
        f"/posyandu/{p.id}/akun", data={"csrf_token": csrf_token(client, f"/posyandu/{p.id}/akun")}
    )
    text = " ".join(
        "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.get_data())).pages).split()
    )
    pin = re.search(r"3329045203850011 (\d{6})", text).group(1)
    assert "PIN awal" in text and '"Kata sandi atau PIN"' in text  # the login page's own label
    kader = app.test_client()
    login_page = page_of(kader, "/login")
    assert ">Kata sandi atau PIN</label>" in login_page
    assert "inputmode" not in input_tag(login_page, "password")  # staff type letters there
    assert login(kader, "3329045203850011", pin).location == "/account/password"
    first = page_of(kader, "/account/password")
    assert "Ganti PIN" in first and "PIN awal (dari lembar PIN)" in first and "PIN baru" in first
    for name in ("current_password", "new_password", "confirm"):
        tag = input_tag(first, name)
        assert 'inputmode="numeric"' in tag and "autocomplete=" in tag, name
    assert 'autocomplete="new-password"' in input_tag(first, "new_password")
    # Later changes: the PIN chosen may hold letters, so only the new PIN gets the number pad.
    siti = app.test_client()
    login(siti, "kader.siti")
    later = page_of(siti, "/account/password")
    assert "PIN sekarang" in later and "inputmode" not in input_tag(later, "current_password")
    assert 'inputmode="numeric"' in input_tag(later, "new_password")
    staff = app.test_client()
    login(staff, "dinkes.brebes")
    staff_page = page_of(staff, "/account/password")
    assert "Ganti kata sandi" in staff_page and "inputmode" not in staff_page


# 6. The level box names levels, areas and skills, not codes.


def test_level_box_uses_names_not_codes(app, client, world, synced):
    login(client, "kader.siti")
    page = page_of(client, "/kemajuan")
    box = re.search(r'<section class="card level">(.*?)</section>', page, re.S).group(1)
    assert "Untuk mencapai Purwa:" in box
    assert "lengkapi bidang Bidang PP: kurang Keterampilan K01, Keterampilan K02" in box
    assert "lengkapi bidang PP:" not in box and "kurang K01" not in box


# 7. "Pindah Posyandu" starts from the current Posyandu and role.


def test_move_form_preselects_the_current_posyandu_and_role(client, world):
    login(client, "dinkes.brebes")
    page = page_of(client, f"/kader/{world.kader_brebes.id}")
    assert "Pindah Posyandu atau ganti peran" in page
    assert selected_value(page, "posyandu_id") == str(world.posyandu_brebes.id)
    assert selected_value(page, "role") == "ketua"


# 8. The issue message links to the new certificates (escaped), or to the list when many.


def test_issue_message_links_to_each_new_certificate(client, world, synced, signatory):
    world.kader_brebes.name = "Siti <i>Aminah</i>"
    db.session.commit()
    grant(world.kader_brebes, "K01", "K02")
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/sertifikat/siap")
    page = client.post(
        "/sertifikat/siap",
        data={"csrf_token": token, "kader_id": [world.kader_brebes.id]},
        follow_redirects=True,
    ).get_data(as_text=True)
    cert = db.session.scalar(select(Certificate))
    [message] = flash_messages(page)
    assert message == (
        f'1 sertifikat diterbitkan. <a href="/sertifikat/{cert.id}">{cert.number} '
        "(Siti &lt;i&gt;Aminah&lt;/i&gt;)</a>"
    )


def test_issue_message_links_to_the_list_when_many(client, world, synced, signatory):
    kader = [world.kader_brebes] + [
        add_kader(f"33290452038500{20 + i}", f"Kader {i}", world.posyandu_brebes) for i in range(5)
    ]
    db.session.commit()
    for k in kader:
        grant(k, "K01", "K02")
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/sertifikat/siap")
    page = client.post(
        "/sertifikat/siap",
        data={"csrf_token": token, "kader_id": [k.id for k in kader]},
        follow_redirects=True,
    ).get_data(as_text=True)
    [message] = flash_messages(page)
    assert message == '6 sertifikat diterbitkan. <a href="/sertifikat/">Lihat daftar sertifikat</a>'


# 9. The import preview names the new kader.


def test_import_preview_lists_the_new_kader(client, world):
    login(client, "dinkes.brebes")
    rows = kader_rows(2)
    token = csrf_token(client, "/kader/impor/")
    response = client.post(
        "/kader/impor/",
        data={"csrf_token": token, "file": (io.BytesIO(csv_bytes(rows)), "roster.csv")},
        content_type="multipart/form-data",
    )
    page = page_of(client, response.location)
    section = re.search(r"<h2>Kader baru</h2>(.*?)</section>", page, re.S).group(1)
    for name in ("Kader Uji 100", "Kader Uji 101"):
        assert re.search(rf"<td>{name}</td>\s*<td>Posyandu Melati 1</td><td>Anggota</td>", section), name


# 10 and 11. The kader list masks the NIK as the detail page does; CSV says its type once.


@pytest.mark.parametrize("username", ["dinkes.brebes", "fasilitator.paguyangan", "admin"])
def test_kader_list_masks_the_nik_like_the_detail_page(client, world, username):
    login(client, username)
    detail = page_of(client, f"/kader/{world.kader_brebes.id}")
    listing = page_of(client, "/kader/")
    for page in (detail, listing):
        assert "3329************" in page and "3329045203850001" not in page


def test_csv_exports_send_their_content_type_once(client, world):
    login(client, "dinkes.brebes")
    export = client.get("/kader/?format=csv")
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "3329045203850001" in export.get_data(as_text=True)  # the register keeps the whole NIK
    template = client.get("/kader/impor/templat.csv")
    assert template.headers["Content-Type"] == "text/csv; charset=utf-8"
