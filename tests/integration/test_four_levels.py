"""Levels are data end to end: a curriculum with four levels under new codes, names, colours
and certificate wording goes through check, sync, the demo seed, the dashboard, progress, the
eligible list, the PDF and the badge without a line of code naming a level."""

from __future__ import annotations

import csv
import io
import re

from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from sqlalchemy import exists, select

from app.certificates.models import Certificate
from app.extensions import db
from app.progress.levels import active_levels
from app.progress.models import KaderLevel, SkillAchievement
from app.rosters.models import Kader, RosterMembership
from tests.conftest import csrf_token, login, run_cli
from tests.factories import grant
from tests.four_levels import CODES, NAMES, NAMES_EN, TOP_COLOUR, TOP_WORDING, build_four_level_tree


def _fresh_brebes_kader() -> Kader:
    """A Brebes kader on an active roster with no mastered skill yet."""
    return db.session.scalars(
        select(Kader)
        .where(
            Kader.kabupaten_code == "33.29",
            exists().where(RosterMembership.kader_id == Kader.id, RosterMembership.end_date.is_(None)),
            ~exists().where(SkillAchievement.kader_id == Kader.id),
        )
        .order_by(Kader.id)
    ).first()


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_four_levels_end_to_end(app, client, tmp_path):
    tree = build_four_level_tree(tmp_path / "kurikulum")
    for command in ("check", "sync"):
        result = run_cli(app, "curriculum", command, str(tree))
        assert result.exit_code == 0, result.output
    assert [lv.code for lv in active_levels()] == CODES

    result = run_cli(app, "seed-demo")
    assert result.exit_code == 0, result.output
    stored = set(db.session.scalars(select(KaderLevel.level_code).where(KaderLevel.level_code.is_not(None))))
    assert stored and stored <= set(CODES)  # the demo reached levels of this curriculum only

    kader = _fresh_brebes_kader()
    grant(kader, "K01", "K02", "K03", "K04", "K05")
    assert db.session.get(KaderLevel, kader.id).level_code == "teladan"

    login(client, "dinkes.brebes", app.config["DEMO_PASSWORD"])

    # dashboard: a column, a summary figure and a chart shade per level, below the first level too
    page = client.get("/laporan/").get_data(as_text=True)
    for name in NAMES:
        assert name in page
    assert "Belum Pemula" in page and "Purwa" not in page
    for top in range(4):
        assert f"s-level-top{top}" in page
    header, *rows = _csv(client, "/laporan/unduh/tingkat.csv")
    assert header[2:7] == ["Belum Pemula", *NAMES]
    total = rows[-1]
    assert int(total[header.index("Teladan")]) >= 1
    assert int(total[1]) == sum(int(v) for v in total[2:7])  # active = below + every level

    # progress, in both languages
    progress = client.get(f"/kader/{kader.id}/kemajuan").get_data(as_text=True)
    assert "Teladan" in progress and "Semua tingkat sudah tercapai." in progress
    client.post("/lang", data={"lang": "en", "csrf_token": csrf_token(client, "/laporan/")})
    assert "Exemplary" in client.get(f"/kader/{kader.id}/kemajuan").get_data(as_text=True)
    assert NAMES_EN[0] in client.get("/laporan/").get_data(as_text=True)
    client.post("/lang", data={"lang": "id", "csrf_token": csrf_token(client, "/laporan/")})

    # the eligible list offers the fourth level, and issuing it numbers it by its code
    eligible = client.get("/sertifikat/siap").get_data(as_text=True)
    row = re.search(rf'id="k{kader.id}".*?</tr>', eligible, re.S)
    assert row and "Teladan" in row.group(0)
    response = client.post(
        "/sertifikat/siap",
        data={"csrf_token": csrf_token(client, "/sertifikat/siap"), "kader_id": str(kader.id)},
    )
    assert response.status_code == 302
    cert = db.session.scalar(select(Certificate).where(Certificate.kader_id == kader.id))
    assert cert is not None and cert.level_code == "teladan" and cert.number.startswith("TKK/TELADAN/3329/")
    assert cert.snapshot["level_name"] == "Teladan"

    # PDF: the level's name, its wording and its colour
    pdf = client.get(f"/sertifikat/{cert.id}.pdf")
    assert pdf.status_code == 200
    page = PdfReader(io.BytesIO(pdf.data)).pages[0]
    text = " ".join(page.extract_text().split())
    assert "TELADAN" in text and TOP_WORDING in text
    colour = colors.HexColor(TOP_COLOUR)
    assert f"{fp_str(colour.red, colour.green, colour.blue)} rg".encode() in page.get_contents().get_data()

    # badge and public verification
    badge = client.get(f"/sertifikat/{cert.id}/badge.json")
    assert badge.status_code == 200 and "Teladan" in badge.get_data(as_text=True)
    client.get("/logout")
    assert "Teladan" in client.get(f"/v/{cert.verification_code}").get_data(as_text=True)
