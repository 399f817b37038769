"""Roster import pages: upload -> preview -> commit, and every kind of bad file."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.rosters.models import Kader, RosterImport
from tests.conftest import csrf_token, login
from tests.factories import upload
from tests.integration.rosters.roster_files import csv_bytes, kader_rows, xlsx_bytes


def kader_count():
    return db.session.scalar(select(func.count()).select_from(Kader))


def commit(client, location):
    token = csrf_token(client, location)
    return client.post(location + "/commit", data={"csrf_token": token})


def test_upload_preview_commit(client, world):
    login(client, "dinkes.brebes")
    response = upload(client, xlsx_bytes(kader_rows(12)), "roster.xlsx")
    assert response.status_code == 302
    location = response.location
    preview = client.get(location).get_data(as_text=True)
    assert "Impor sekarang" in preview and "<strong>12</strong> kader baru" in preview
    assert kader_count() == 3  # nothing written before commit
    done = commit(client, location)
    assert done.status_code == 302
    page = client.get(location).get_data(as_text=True)
    assert "Impor selesai: 12 kader baru, 0 diperbarui, 0 tidak berubah." in page
    assert kader_count() == 15


def test_double_commit_gives_one_import(client, world):
    login(client, "dinkes.brebes")
    location = upload(client, csv_bytes(kader_rows(3))).location
    commit(client, location)
    second = commit(client, location)
    assert second.status_code == 302
    assert "sudah diimpor atau dibatalkan" in client.get(location).get_data(as_text=True)
    assert kader_count() == 6


def test_reimport_reports_changes(client, world):
    login(client, "dinkes.brebes")
    commit(client, upload(client, csv_bytes(kader_rows(3))).location)
    rows = kader_rows(3)
    rows[2][1] = "Kader Uji Baru"
    location = upload(client, csv_bytes(rows)).location
    page = client.get(location).get_data(as_text=True)
    assert "<strong>1</strong> akan diperbarui" in page and "<strong>2</strong> tidak berubah" in page
    assert "Kader Uji 102 → Kader Uji Baru" in page


def test_bad_rows_block_the_commit_and_are_listed(client, world):
    login(client, "dinkes.brebes")
    rows = kader_rows(5)
    rows[1][0] = "123"
    rows[3][6] = "PSY-A1"
    location = upload(client, csv_bytes(rows)).location
    page = client.get(location).get_data(as_text=True)
    assert "Impor sekarang" not in page
    assert re.search(r'<td class="num">3</td>\s*<td>Kesalahan</td><td>NIK harus 16 angka.</td>', page)
    assert "berada di kabupaten lain" in page
    forced = commit(client, location)
    assert forced.status_code == 400 and kader_count() == 3


def test_names_with_html_are_escaped_in_preview(client, world):
    login(client, "dinkes.brebes")
    commit(client, upload(client, csv_bytes(kader_rows(1))).location)
    rows = kader_rows(1)
    rows[0][1] = "<script>alert(1)</script>"
    page = client.get(upload(client, csv_bytes(rows)).location).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_file_level_problems_have_clear_messages(client, world):
    login(client, "dinkes.brebes")
    cases = [
        (b"", "Berkas kosong"),
        ("NIK,Nama\n1,2\n".encode("utf-16"), "tidak bisa dibaca sebagai tabel"),
        (
            csv_bytes([["1", "2"]], header=("NIK", "Nama")),
            "Kolom wajib tidak ada: Jenis Kelamin, Tanggal Lahir, Posyandu",
        ),
        (
            csv_bytes(
                kader_rows(1),
                header=(
                    *(
                        "NIK",
                        "Nama",
                        "Jenis Kelamin",
                        "Tanggal Lahir",
                        "No HP",
                        "Pendidikan",
                        "Posyandu",
                        "Peran",
                        "Tahun Mulai",
                    ),
                    "Agama",
                ),
            ),
            "Kolom tidak dikenal: Agama",
        ),
    ]
    for data, message in cases:
        response = upload(client, data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), message
    assert db.session.scalar(select(func.count()).select_from(RosterImport)) == 0
    assert kader_count() == 3


def test_windows_1252_semicolon_csv(client, world):
    login(client, "dinkes.brebes")
    rows = kader_rows(2)
    rows[0][1] = "Siti Nur’aini"
    location = upload(client, csv_bytes(rows, delimiter=";", encoding="cp1252")).location
    commit(client, location)
    assert db.session.scalar(select(Kader).where(Kader.name == "Siti Nur’aini")) is not None


def test_20_mb_upload_is_refused_before_parsing(client, world):
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/kader/impor/")
    big = b"x" * (20 * 1024 * 1024)
    response = client.post(
        "/kader/impor/",
        data={"csrf_token": token, "file": (io.BytesIO(big), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar: maksimal 10 MB." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RosterImport)) == 0


def test_50000_rows_refused_with_a_clear_message(client, world):
    login(client, "dinkes.brebes")
    data = csv_bytes(kader_rows(50_000))
    response = upload(client, data)
    assert response.status_code == 400
    assert "Terlalu banyak baris: maksimal 20000 baris" in response.get_data(as_text=True)
    assert kader_count() == 3


def test_discard(client, world):
    login(client, "dinkes.brebes")
    location = upload(client, csv_bytes(kader_rows(2))).location
    token = csrf_token(client, location)
    client.post(location + "/discard", data={"csrf_token": token})
    assert "dibatalkan" in client.get(location).get_data(as_text=True)
    assert commit(client, location).status_code == 302 and kader_count() == 3


def test_templates_download(client, world):
    login(client, "dinkes.brebes")
    csv_response = client.get("/kader/impor/templat.csv")
    assert csv_response.status_code == 200
    assert csv_response.get_data().decode("utf-8-sig").startswith("NIK,Nama,Jenis Kelamin")
    wb = load_workbook(io.BytesIO(client.get("/kader/impor/templat.xlsx").get_data()))
    assert [c.value for c in wb["Kader"][1]][:3] == ["NIK", "Nama", "Jenis Kelamin"]
    codes = [row[0] for row in wb["Posyandu"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["PSY-B1", "PSY-B2"]  # own kabupaten only


def test_scope_and_roles(client, world, app):
    login(client, "dinkes.brebes")
    location = upload(client, csv_bytes(kader_rows(2))).location
    other = app.test_client()
    login(other, "dinkes.acehselatan")
    assert other.get(location).status_code == 404
    assert commit(other, location).status_code == 404
    fasil = app.test_client()
    login(fasil, "fasilitator.paguyangan")
    assert fasil.get("/kader/impor/").status_code == 403
    kader = app.test_client()
    login(kader, "kader.siti")
    assert kader.get(location).status_code == 403
    assert kader_count() == 3


def test_upload_without_csrf_is_refused(client, world):
    login(client, "dinkes.brebes")
    response = client.post(
        "/kader/impor/",
        data={"file": (io.BytesIO(csv_bytes(kader_rows(1))), "r.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
