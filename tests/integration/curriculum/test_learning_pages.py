from sqlalchemy import func, select

from app.curriculum.models import MaterialView
from app.extensions import db
from tests.conftest import csrf_token, login


def test_kader_sees_skills_by_area_with_status(client, world, synced):
    login(client, "kader.siti")
    page = client.get("/belajar/").get_data(as_text=True)
    assert "Bidang PP" in page and "Keterampilan K03" in page
    assert page.count("Belum dibaca") == 5
    client.get("/belajar/K03")
    page = client.get("/belajar/").get_data(as_text=True)
    assert page.count("Belum dibaca") == 4 and page.count("Materi sudah dibaca") == 1


def test_opening_material_is_recorded_once(client, world, synced):
    login(client, "kader.siti")
    for _ in range(3):
        assert client.get("/belajar/K01").status_code == 200
    views = db.session.scalar(
        select(func.count()).select_from(MaterialView).where(MaterialView.kader_id == world.kader_brebes.id)
    )
    assert views == 1


def test_skill_page_shows_material_objectives_and_checklist(client, world, synced):
    login(client, "kader.siti")
    page = client.get("/belajar/k02").get_data(as_text=True)  # code is case-insensitive
    assert "Tujuan dua" in page and "<h2>Materi K02</h2>" in page
    assert "Yang akan diamati fasilitator" in page and "Langkah 6" in page
    assert "★" in page  # critical step flagged
    assert "<script>alert(1)</script>" not in page
    assert "Nilai lulus: 80%" in page


def test_staff_opening_material_records_nothing(client, world, synced):
    login(client, "fasilitator.paguyangan")
    assert client.get("/belajar/K01").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(MaterialView)) == 0


def test_unknown_skill_is_404(client, world, synced):
    login(client, "kader.siti")
    assert client.get("/belajar/K99").status_code == 404


def test_english_titles(client, world, synced):
    client.post("/lang", data={"lang": "en", "csrf_token": csrf_token(client)})
    login(client, "kader.siti")
    page = client.get("/belajar/").get_data(as_text=True)
    assert "Area BB" in page and "Skill K04" in page


def test_version_page_for_staff_only(client, world, synced):
    login(client, "dinkes.brebes")
    page = client.get("/kurikulum/").get_data(as_text=True)
    assert "Versi aktif: uji-1" in page and "Purwa" in page
    assert "semua keterampilan bidang PP" in page


def test_kader_cannot_open_version_page(client, world, synced):
    login(client, "kader.siti")
    assert client.get("/kurikulum/").status_code == 403


def test_learning_pages_need_login(client, synced):
    assert client.get("/belajar/").status_code == 302
