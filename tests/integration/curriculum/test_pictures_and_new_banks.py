"""Pictures reach the kader's phone; new banks replace old ones without touching past attempts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.curriculum.models import CurriculumVersion, Item, ItemRevision
from app.curriculum.pictures import sha256
from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from tests.conftest import csrf_token, login, run_cli
from tests.curriculum_tree import REAL_TREE, edit_yaml

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 80"><rect x="5" y="5" width="310"'
    b' height="70" fill="#fff" stroke="#000"/><text x="20" y="50" font-size="20">8,2 kg</text></svg>'
)
ALT = "Layar timbangan digital menunjuk 8,2 kg"


@pytest.fixture
def picture_tree(mini_tree):
    folder = mini_tree / "skills/K01-contoh"
    (folder / "gambar").mkdir()
    (folder / "gambar/K01-timbangan.svg").write_bytes(SVG)
    for n in range(12):
        edit_yaml(
            folder / "items.yaml",
            lambda d, n=n: d["items"][n].update(image="gambar/K01-timbangan.svg", image_alt=f"{ALT} ({n})"),
        )
    (folder / "materi.md").write_text(
        f"## Menimbang\n\n![{ALT}](gambar/K01-timbangan.svg)\n", encoding="utf-8"
    )
    return mini_tree


@pytest.fixture
def kader(app, client, world):
    app.config["QUIZ_COOLDOWN_MINUTES"] = 0
    login(client, "kader.siti")
    return client


def begin(client, code):
    token = csrf_token(client, f"/belajar/{code}")
    response = client.post(f"/kuis/{code}/mulai", data={"csrf_token": token})
    return int(re.search(r"/kuis/percobaan/(\d+)", response.location).group(1))


def test_item_and_material_pictures_are_served_from_the_app(app, kader, picture_tree):
    assert run_cli(app, "curriculum", "sync", str(picture_tree)).exit_code == 0
    url = f"/belajar/gambar/{sha256(SVG)}.svg"

    page = kader.get("/belajar/K01").get_data(as_text=True)
    assert f'src="gambar/{sha256(SVG)}.svg"' in page and f'alt="{ALT}"' in page

    attempt_id = begin(kader, "K01")
    question = kader.get(f"/kuis/percobaan/{attempt_id}/soal/1").get_data(as_text=True)
    assert f'src="{url}"' in question and f'alt="{ALT} (' in question

    picture = kader.get(url)
    assert picture.status_code == 200 and picture.data == SVG
    assert picture.mimetype == "image/svg+xml"
    assert "immutable" in picture.headers["Cache-Control"]
    assert picture.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert kader.get(f"/belajar/gambar/{'0' * 64}.svg").status_code == 404
    assert kader.get("/belajar/gambar/../../etc/passwd.svg").status_code == 404


def test_pictures_need_a_signed_in_user(app, client, picture_tree):
    run_cli(app, "curriculum", "sync", str(picture_tree))
    response = client.get(f"/belajar/gambar/{sha256(SVG)}.svg")
    assert response.status_code == 302 and "/login" in response.location


def test_new_banks_sync_over_old_attempts_which_keep_their_exact_text(app, kader, synced):
    """The real 2026.2 banks replace a small old bank that a kader has already been tested on."""
    attempt_id = begin(kader, "K01")
    shown = {
        row.item_revision_id: db.session.get(ItemRevision, row.item_revision_id).question
        for row in db.session.scalars(select(QuizAttemptItem).where(QuizAttemptItem.attempt_id == attempt_id))
    }
    assert len(shown) == 10

    result = run_cli(app, "curriculum", "sync", str(REAL_TREE))
    assert result.exit_code == 0, result.output
    assert "items revised" in result.output and "items added" in result.output

    db.session.expire_all()
    for revision_id, question in shown.items():  # the attempt still points at what it showed
        assert db.session.get(ItemRevision, revision_id).question == question
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert all(row.item_revision_id in shown for row in attempt.items)
    review = kader.get(f"/kuis/percobaan/{attempt_id}/soal/1").get_data(as_text=True)
    assert any(q in review for q in shown.values())

    k01 = db.session.scalar(select(func.count()).select_from(Item).where(Item.key.like("K01-%"), Item.active))
    assert k01 >= 30
    current = db.session.scalars(
        select(ItemRevision).join(Item, Item.current_revision_id == ItemRevision.id).where(Item.active)
    ).all()
    assert all(r.source and r.kind in ("recall", "scenario", "calculation") for r in current)
    assert sum(r.picture_sha256 is not None for r in current) >= 3 * 17  # BB, IH and DL skills
    assert db.session.scalar(select(CurriculumVersion.label).where(CurriculumVersion.active)) == "2026.2"


def test_sync_refuses_a_bank_a_guesser_can_pass_and_writes_nothing(app, mini_tree):
    def key_longest(data):
        for item in data["items"]:
            item["options"][0]["text"] += " lalu dilaporkan kepada bidan desa"

    edit_yaml(mini_tree / "skills/K02-contoh/items.yaml", key_longest)
    result = run_cli(app, "curriculum", "sync", str(mini_tree))
    assert result.exit_code == 1
    assert (
        "skills/K02-contoh/items.yaml: guessing 'always the longest option' passes 100.00%" in result.output
    )
    assert db.session.scalar(select(func.count()).select_from(CurriculumVersion)) == 0


def test_admin_sees_which_parts_of_the_curriculum_are_unconfirmed(app, client, world):
    assert run_cli(app, "curriculum", "sync", str(REAL_TREE)).exit_code == 0
    login(client, "admin")
    page = client.get("/kurikulum/").get_data(as_text=True)
    assert "Dasar resmi dan bagian yang belum terkonfirmasi" in page
    assert "Aturan tingkat Purwa, Madya, Utama (varian A)" in page
    assert "K13" in page.split('id="dasar"')[1]  # a reconstructed (R) skill is listed
    assert "built-in method" not in page
    active = re.search(r"Soal kuis aktif</dt><dd>(\d+)</dd>", page)
    assert active and int(active.group(1)) >= 750
