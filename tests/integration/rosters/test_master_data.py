"""Dinkes master-data pages: kader list/search/export, kader create/edit, membership join/move/leave,
Posyandu, Puskesmas, Pustu and wilayah; fasilitator read-only; scope and audit."""

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterMembership, Wilayah
from app.rosters.nik import mask_nik
from tests.conftest import csrf_token, login

NEW_KADER = {
    "nik": "3329044506900007",
    "name": "Rina Susanti",
    "sex": "P",
    "birth_date": "1990-06-05",
    "phone": "+62 812-3456-7000",
    "education": "sma",
    "start_year": "2016",
}


def post(client, url, data, page=None):
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data})


def test_kader_list_search_filter_and_paging(client, world):
    login(client, "dinkes.brebes")
    page = client.get("/kader/").get_data(as_text=True)
    assert "Siti Aminah" in page and "Sri Wahyuni" in page and "Cut Nurul" not in page
    # Masked as on the detail page; dinkes keeps the whole NIK in exports and the edit form.
    assert "3329************" in page and "3329045203850001" not in page
    assert "Sri Wahyuni" not in client.get("/kader/?q=3329045203850001").get_data(as_text=True)  # NIK prefix
    by_posyandu = client.get("/kader/?q=mawar").get_data(as_text=True)
    assert "Sri Wahyuni" in by_posyandu and "Siti Aminah" not in by_posyandu
    by_desa = client.get("/kader/?q=cilibur").get_data(as_text=True)
    assert "Siti Aminah" in by_desa and "Sri Wahyuni" not in by_desa
    for wildcard in ("%", "_", "s_ti"):  # typed text is literal, not a LIKE pattern
        assert "Siti Aminah" not in client.get("/kader/", query_string={"q": wildcard}).get_data(as_text=True)
    posyandu = client.get("/posyandu/", query_string={"q": "%"}).get_data(as_text=True)
    assert "Melati 1" not in posyandu
    assert "Melati 1" in client.get("/posyandu/?q=melati").get_data(as_text=True)
    filtered = client.get(f"/kader/?posyandu={world.posyandu_brebes_2.id}").get_data(as_text=True)
    assert "Sri Wahyuni" in filtered and "Siti Aminah" not in filtered
    assert "2 kader" in client.get("/kader/?status=aktif").get_data(as_text=True)


def test_fasilitator_sees_masked_nik_and_no_edit(client, world):
    login(client, "fasilitator.paguyangan")
    page = client.get("/kader/").get_data(as_text=True)
    assert "3329************" in page and "3329045203850001" not in page
    assert "Tambah kader" not in page
    assert client.get("/kader/baru").status_code == 403
    assert (
        post(
            client,
            f"/kader/{world.kader_brebes.id}/keluar",
            {"end_date": date.today().isoformat()},
            "/kader/",
        ).status_code
        == 403
    )


def test_export_neutralises_formulas_and_respects_scope(client, world):
    world.kader_brebes.name = '=HYPERLINK("http://x","y")'
    db.session.merge(world.kader_brebes)
    db.session.commit()
    login(client, "dinkes.brebes")
    data = client.get("/kader/?format=csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][0] == "NIK" and len(rows) == 3
    assert any(r[1] == '\'=HYPERLINK("http://x","y")' for r in rows[1:])
    assert client.get("/kader/?format=xlsx").mimetype.endswith("spreadsheetml.sheet")


def test_create_kader_validates_and_audits(client, world):
    login(client, "dinkes.brebes")
    bad = post(client, "/kader/baru", {**NEW_KADER, "nik": "123"})
    assert bad.status_code == 400 and "NIK harus 16 angka." in bad.get_data(as_text=True)
    dup = post(client, "/kader/baru", {**NEW_KADER, "nik": "3329045203850001"})
    assert "sudah terdaftar untuk Siti Aminah" in dup.get_data(as_text=True)
    mismatch = post(client, "/kader/baru", {**NEW_KADER, "sex": "L"})
    assert mismatch.status_code == 400 and "tidak sesuai dengan NIK" in mismatch.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Kader)) == 3
    ok = post(client, "/kader/baru", NEW_KADER)
    assert ok.status_code == 302
    kader = db.session.scalar(select(Kader).where(Kader.nik == NEW_KADER["nik"]))
    assert kader.phone == "081234567000" and kader.kabupaten_code == "33.29"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "kader.created")) is not None
    confirmed = post(client, f"/kader/{kader.id}/ubah", {**NEW_KADER, "sex": "L", "confirm_mismatch": "y"})
    assert confirmed.status_code == 302


def test_edit_kader_of_other_kabupaten_is_404(client, world):
    login(client, "dinkes.acehselatan")
    assert client.get(f"/kader/{world.kader_brebes.id}/ubah").status_code == 404


def test_membership_move_and_leave_keep_history(client, world):
    login(client, "dinkes.brebes")
    kader = world.kader_brebes
    moved_on = date.today() - timedelta(days=10)
    response = post(
        client,
        f"/kader/{kader.id}/keanggotaan",
        {
            "posyandu_id": world.posyandu_brebes_2.id,
            "role": "sekretaris",
            "start_date": moved_on.isoformat(),
            "reason": "Pindah rumah",
        },
        f"/kader/{kader.id}",
    )
    assert response.status_code == 302
    rows = db.session.scalars(
        select(RosterMembership)
        .where(RosterMembership.kader_id == kader.id)
        .order_by(RosterMembership.start_date)
    ).all()
    assert len(rows) == 2 and rows[0].end_date == moved_on - timedelta(days=1) and rows[1].end_date is None
    future = post(
        client,
        f"/kader/{kader.id}/keluar",
        {"end_date": (date.today() + timedelta(days=3)).isoformat()},
        f"/kader/{kader.id}",
    )
    assert "tidak di masa depan" in client.get(future.location).get_data(as_text=True)
    post(
        client,
        f"/kader/{kader.id}/keluar",
        {"end_date": date.today().isoformat(), "reason": "Mengundurkan diri"},
        f"/kader/{kader.id}",
    )
    page = client.get(f"/kader/{kader.id}").get_data(as_text=True)
    assert "Mengundurkan diri" in page and "Pindah rumah" in page
    assert (
        db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action.like("roster.%")))
        == 3
    )


def test_posyandu_of_other_kabupaten_cannot_be_joined(client, world):
    login(client, "dinkes.brebes")
    post(
        client,
        f"/kader/{world.kader_brebes.id}/keanggotaan",
        {"posyandu_id": world.posyandu_aceh.id, "role": "anggota", "start_date": date.today().isoformat()},
        f"/kader/{world.kader_brebes.id}",
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(RosterMembership)
            .where(RosterMembership.posyandu_id == world.posyandu_aceh.id)
        )
        == 1
    )  # only Cut's


def test_posyandu_create_edit_and_code_unique(client, world):
    login(client, "dinkes.brebes")
    data = {
        "code": "PSY-B9",
        "name": "Posyandu Anggrek 3",
        "desa_code": "33.29.04.2001",
        "dusun_rw": "RW 05",
        "puskesmas_id": world.puskesmas_brebes.id,
        "active": "y",
    }
    assert post(client, "/posyandu/baru", data).status_code == 302
    created = db.session.scalar(select(Posyandu).where(Posyandu.code == "PSY-B9"))
    assert created.kabupaten_code == "33.29"
    dup = post(client, "/posyandu/baru", {**data, "name": "Lain"})
    assert dup.status_code == 400 and "Kode itu sudah dipakai." in dup.get_data(as_text=True)
    foreign_desa = post(client, "/posyandu/baru", {**data, "code": "PSY-X", "desa_code": "11.01.05.2001"})
    assert foreign_desa.status_code == 400  # a desa of another district is not among the choices
    assert (
        post(client, f"/posyandu/{created.id}/ubah", {**data, "name": "Posyandu Anggrek Tiga"}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Posyandu, created.id).name == "Posyandu Anggrek Tiga"


def test_puskesmas_pustu_and_wilayah(client, world):
    login(client, "dinkes.brebes")
    ok = post(
        client,
        "/puskesmas/baru",
        {
            "code": "PKM-B2",
            "name": "Puskesmas Kretek",
            "kecamatan_code": "33.29.04",
            "desa_codes": ["33.29.04.2002"],
        },
    )
    assert ok.status_code == 302
    pkm = db.session.scalar(select(Puskesmas).where(Puskesmas.code == "PKM-B2"))
    assert [d.code for d in pkm.desa_served] == ["33.29.04.2002"] and pkm.kabupaten_code == "33.29"
    assert (
        post(
            client,
            "/pustu/baru",
            {"name": "Pustu Kretek", "desa_code": "33.29.04.2002", "puskesmas_id": pkm.id},
        ).status_code
        == 302
    )
    assert db.session.scalar(select(Pustu).where(Pustu.name == "Pustu Kretek")) is not None
    added = post(
        client,
        "/wilayah/",
        {"action": "add", "add-parent_code": "33.29.04", "add-suffix": "2003", "add-name": "Winduaji"},
    )
    assert added.status_code == 302 and db.session.get(Wilayah, "33.29.04.2003").level == "desa"
    wrong = post(
        client,
        "/wilayah/",
        {"action": "add", "add-parent_code": "33.29", "add-suffix": "2003", "add-name": "Salah"},
    )
    assert wrong.status_code == 400 and "2 angka" in wrong.get_data(as_text=True)
    renamed = post(
        client,
        "/wilayah/",
        {"action": "rename", "rename-code": "33.29.04.2003", "rename-name": "Winduaji Baru"},
    )
    assert renamed.status_code == 302 and db.session.get(Wilayah, "33.29.04.2003").name == "Winduaji Baru"


def test_fasilitator_reads_puskesmas_and_wilayah_but_cannot_post(client, world):
    login(client, "fasilitator.paguyangan")
    assert "Puskesmas Paguyangan" in client.get("/puskesmas/").get_data(as_text=True)
    assert client.get("/wilayah/").status_code == 200
    assert post(client, "/wilayah/", {"action": "add"}, "/wilayah/").status_code == 403
    assert client.get("/puskesmas/baru").status_code == 403


def test_names_with_html_are_escaped(client, world):
    world.kader_brebes.name = "<script>alert(1)</script>"
    db.session.merge(world.kader_brebes)
    db.session.commit()
    login(client, "dinkes.brebes")
    page = client.get("/kader/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_posyandu_list_export(client, world):
    world.posyandu_brebes.name = "@SUM(1+1)"
    db.session.merge(world.posyandu_brebes)
    db.session.commit()
    login(client, "fasilitator.paguyangan")
    data = client.get("/posyandu/?format=csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][:2] == ["Kode", "Nama"] and len(rows) == 3
    assert "'@SUM(1+1)" in [r[1] for r in rows]
    assert "Seulanga" not in data


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_puskesmas_and_pustu_export(client, world):
    world.puskesmas_brebes.desa_served.extend(
        db.session.get(Wilayah, c) for c in ("33.29.04.2001", "33.29.04.2002")
    )
    db.session.merge(world.puskesmas_brebes)
    db.session.add(
        Pustu(name="-Pustu Kretek", desa_code="33.29.04.2002", puskesmas_id=world.puskesmas_brebes.id)
    )
    db.session.commit()
    login(client, "fasilitator.paguyangan")
    rows = read_csv(client.get("/puskesmas/?format=csv"))
    assert rows[0] == [
        "Jenis",
        "Kode",
        "Nama",
        "Kecamatan",
        "Desa/Kelurahan",
        "Puskesmas induk",
        "Desa dilayani",
    ]
    assert rows[1] == ["Puskesmas", "PKM-B", "Puskesmas Paguyangan", "Paguyangan", "", "", "Cilibur, Kretek"]
    assert rows[2] == [
        "Pustu",
        "",
        "'-Pustu Kretek",
        "",
        "Kretek",
        "Puskesmas Paguyangan",
        "",
    ]  # "-" neutralised
    assert len(rows) == 3  # nothing from Aceh Selatan
    sheet = load_workbook(io.BytesIO(client.get("/puskesmas/?format=xlsx").get_data())).active
    assert [c.value for c in sheet[2]][:3] == ["Puskesmas", "PKM-B", "Puskesmas Paguyangan"]


def test_wilayah_export_can_be_imported_again(client, world):
    from app.rosters.wilayah_import import parse_wilayah_csv

    login(client, "dinkes.brebes")
    response = client.get("/wilayah/?format=csv")
    rows = read_csv(response)
    assert rows[0] == ["Kode", "Nama", "Tingkat", "Kode induk"]
    assert rows[1:] == [
        ["33.29.04", "Paguyangan", "kecamatan", "33.29"],
        ["33.29.04.2001", "Cilibur", "desa", "33.29.04"],
        ["33.29.04.2002", "Kretek", "desa", "33.29.04"],
    ]
    parsed, errors = parse_wilayah_csv(response.get_data().decode("utf-8-sig"))
    assert errors == [] and parsed == [(r[0], r[1]) for r in rows[1:]]


def test_posyandu_roster_export_has_level_and_certificate(app, client, world, synced, signatory):
    from app.certificates.models import Certificate
    from tests.factories import add_kader, grant

    add_kader("3329044107900006", "+Rina Lestari", world.posyandu_brebes)  # a "+" formula prefix
    grant(world.kader_brebes, "K01", "K02")
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/sertifikat/siap")
    client.post("/sertifikat/siap", data={"csrf_token": token, "kader_id": [world.kader_brebes.id]})
    number = db.session.scalar(select(Certificate.number))
    url = f"/posyandu/{world.posyandu_brebes.id}"
    rows = read_csv(client.get(url, query_string={"format": "csv"}))
    header = rows[0]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_name) == {"Siti Aminah", "'+Rina Lestari"}  # only this Posyandu's roster
    siti = by_name["Siti Aminah"]
    assert siti["NIK"] == "3329045203850001" and siti["Peran"] == "ketua"
    assert siti["Tingkat"] == "Purwa" and siti["No Sertifikat"] == number
    assert by_name["'+Rina Lestari"]["Tingkat"] == "" and by_name["'+Rina Lestari"]["No Sertifikat"] == ""
    # the fasilitator gets the same roster with NIK masked
    fasil = app.test_client()
    login(fasil, "fasilitator.paguyangan")
    masked = read_csv(fasil.get(url, query_string={"format": "csv"}))
    assert {r[0] for r in masked[1:]} == {mask_nik("3329045203850001"), mask_nik("3329044107900006")}
    sheet = load_workbook(io.BytesIO(fasil.get(url, query_string={"format": "xlsx"}).get_data())).active
    assert [c.value for c in sheet[1]] == header
