"""The fasilitator's Posyandu matrix: every current kader × every skill, and who is ready
for a practical (quiz passed, no practical yet)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.curriculum.models import Skill
from app.extensions import db
from app.rosters.models import RosterMembership
from tests.conftest import login
from tests.factories import add_kader, grant, pass_quiz

CODES = ["K01", "K02", "K03", "K04", "K05"]
LETTER = {"m": "mastered", "r": "ready", "p": "practical_only", "n": "not_yet"}


def matrix_rows(page: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (level cell, status per skill column) read from the rendered table."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in body.split("<tr>")[1:]:
        name = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a>', row).group(1)
        level = re.search(r"</th>\s*<td>([^<]*)</td>", row).group(1).strip()
        rows[name] = (level, [LETTER[c] for c in re.findall(r'class="cell cell-(\w)"', row)])
    return rows


def test_matrix_shows_each_current_kader_by_skill_and_who_is_ready(app, client, world, synced):
    posyandu = world.posyandu_brebes
    siti = world.kader_brebes
    rina = add_kader("3329045506900004", "Rina Lestari", posyandu)
    gone = add_kader("3329046107880005", "Dewi Pindah", posyandu)
    db.session.scalar(select(RosterMembership).where(RosterMembership.kader_id == gone.id)).end_date = date(
        2024, 6, 30
    )
    db.session.commit()
    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    grant(siti, "K01", "K02")  # all of PP: Purwa in the test curriculum
    pass_quiz(siti.id, skills["K03"])
    pass_quiz(rina.id, skills["K01"])
    pass_quiz(rina.id, skills["K05"])
    db.session.commit()

    login(client, "fasilitator.paguyangan")
    page = client.get(f"/posyandu/{posyandu.id}/matriks").get_data(as_text=True)
    rows = matrix_rows(page)
    assert set(rows) == {"Siti Aminah", "Rina Lestari"}  # the kader who left is not on the roster
    assert rows["Siti Aminah"] == ("Purwa", ["mastered", "mastered", "ready", "not_yet", "not_yet"])
    assert rows["Rina Lestari"] == ("–", ["ready", "not_yet", "not_yet", "not_yet", "ready"])
    ready = page.split("Siap dinilai praktik", 1)[1]
    listed = re.findall(r"<li>([^<]+) — (K\d\d)</li>", ready)
    assert listed == [("Rina Lestari", "K01"), ("Rina Lestari", "K05"), ("Siti Aminah", "K03")]
    header = re.findall(r'<th scope="col" class="code">(K\d\d)</th>', page)
    assert header == CODES


def test_matrix_is_scoped(app, client, world, synced):
    url = f"/posyandu/{world.posyandu_brebes.id}/matriks"
    for username, status in (
        ("dinkes.brebes", 200),
        ("dinkes.acehselatan", 404),
        ("kader.siti", 403),
        ("admin", 200),
    ):
        other = app.test_client()
        login(other, username)
        assert other.get(url).status_code == status, username
