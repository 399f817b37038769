"""Learning pages stay within the 60 KB page budget (HTML + stylesheet + scripts)."""

import re

from tests.conftest import login

BUDGET = 60 * 1024


def page_weight(client, path):
    html = client.get(path).get_data()
    total = len(html)
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        if not asset.endswith(b".svg"):
            total += len(client.get(asset.decode()).get_data())
    return total


def test_learning_pages_within_budget(client, world, synced):
    login(client, "kader.siti")
    for path in ("/", "/belajar/", "/belajar/K01"):
        assert page_weight(client, path) <= BUDGET, path


def test_material_and_quiz_pages_with_their_pictures_within_budget(app, client, world):
    """Every skill's material page with all its pictures, and a quiz page with its largest picture."""
    from sqlalchemy import func, select

    from app.curriculum.models import CurriculumPicture, ItemRevision, Skill
    from app.extensions import db
    from tests.conftest import csrf_token, run_cli
    from tests.curriculum_tree import REAL_TREE

    assert run_cli(app, "curriculum", "sync", str(REAL_TREE)).exit_code == 0
    app.config["QUIZ_COOLDOWN_MINUTES"] = 0
    login(client, "kader.siti")
    for code in db.session.scalars(select(Skill.code).where(Skill.active)):
        path = f"/belajar/{code}"
        html = client.get(path).get_data()
        pictures = sum(
            len(client.get(f"/belajar/{src.decode()}").get_data())
            for src in re.findall(rb'src="(gambar/[0-9a-f]{64}\.svg)"', html)
        )
        assert page_weight(client, path) + pictures <= BUDGET, path

    largest = db.session.scalar(
        select(func.max(func.length(CurriculumPicture.data))).where(
            CurriculumPicture.sha256.in_(select(ItemRevision.picture_sha256))
        )
    )
    token = csrf_token(client, "/belajar/K22")
    started = client.post("/kuis/K22/mulai", data={"csrf_token": token})
    attempt_id = re.search(r"/kuis/percobaan/(\d+)", started.location).group(1)
    assert page_weight(client, f"/kuis/percobaan/{attempt_id}/soal/1") + largest <= BUDGET
