"""Every dashboard figure against counts computed here, independently, from the raw rows.

The world: Kabupaten Brebes with two kecamatan (Paguyangan: two desa and Posyandu of
Puskesmas Paguyangan; Bumiayu: one Posyandu of another Puskesmas, plus an inactive one),
kader at several levels, a kader who left, quiz attempts with pre-tests, practicals in and
out of the 12-month window, valid and revoked certificates. Aceh Selatan is the other district.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.services import issue, revoke
from app.core.models import utcnow
from app.curriculum.models import Skill
from app.extensions import db
from app.practicals.models import AssessmentSession, PracticalResult
from app.progress.levels import reached_levels
from app.progress.models import SkillAchievement
from app.quizzes.models import QuizAttempt
from app.rosters.models import Posyandu, RosterMembership, Wilayah
from tests.conftest import login
from tests.factories import PASSWORD, add_bumiayu, add_kader, as_numbers, grant, read_csv

TODAY = date.today()
LEVEL_ORDER = ("none", "purwa", "madya", "utama")


def months_ago(n: int) -> date:
    year, month = TODAY.year, TODAY.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def attempt(kader, skill, correct, *, pretest=False, total=10, when=None, finished=True):
    at = when or utcnow()
    db.session.add(
        QuizAttempt(
            kader_id=kader.id,
            skill_id=skill.id,
            started_at=at,
            submitted_at=at if finished else None,
            finish_reason="submitted" if finished else None,
            correct=correct if finished else None,
            total=total,
            pass_mark=80,
            passed=(correct * 100 >= 80 * total) if finished else None,
            is_pretest=pretest,
        )
    )


def practical(posyandu, assessor, kader, skill, on, result="kompeten"):
    session = AssessmentSession(
        posyandu_id=posyandu.id,
        puskesmas_id=posyandu.puskesmas_id,
        kabupaten_code=posyandu.kabupaten_code,
        assessor_id=assessor.id,
        session_date=on,
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(
        PracticalResult(
            session_id=session.id,
            kader_id=kader.id,
            skill_id=skill.id,
            assessor_id=assessor.id,
            result=result,
            confirmed_at=utcnow() if result else None,
        )
    )


@pytest.fixture
def district(world, synced, signatory):
    from app.auth.services import create_user

    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    pkm_bumiayu, p3 = add_bumiayu()
    closed = Posyandu(
        code="PSY-B4",
        name="Posyandu Tutup",
        desa_code="33.29.05.2001",
        puskesmas_id=pkm_bumiayu.id,
        kabupaten_code="33.29",
        active=False,
    )
    db.session.add(closed)
    db.session.flush()
    p1, p2 = world.posyandu_brebes, world.posyandu_brebes_2
    b1 = [world.kader_brebes] + [add_kader(f"33290452038500{10 + i}", f"Kader B1-{i}", p1) for i in range(5)]
    b2 = [world.kader_brebes_other]
    b2 += [add_kader(f"33290452038500{20 + i}", f"Kader B2-{i}", p2) for i in range(2)]
    b3 = [add_kader(f"33290552038500{30 + i}", f"Kader B3-{i}", p3) for i in range(3)]
    in_closed = add_kader("3329055203850040", "Kader Tutup", closed)
    left = add_kader("3329045203850050", "Kader Pindah", p1)
    db.session.commit()

    # levels: mini curriculum, Purwa = all PP (K01, K02), Madya = PP + BB (K03, K04)
    for k in b1[:5]:
        grant(k, "K01", "K02")  # Purwa
    grant(b1[5], "K01")  # one skill, no level
    grant(b2[0], "K01", "K02", "K03", "K04")  # Madya
    grant(b3[0], "K01", "K02", "K05")  # Purwa (+ IH)
    grant(in_closed, "K01", "K02")  # not counted: inactive Posyandu
    grant(left, "K01", "K02", "K03", "K04")  # not counted: left the roster

    # certificates: 4 valid in B1 (so B1 has >= 4 certified), one revoked in B1, one in B3
    certs = [issue(k, "purwa", user_id=None, today=TODAY) for k in b1[:5]]
    revoke(certs[4], "uji", user_id=None)
    issue(b3[0], "purwa", user_id=None, today=TODAY)
    issue(b2[0], "madya", user_id=None, today=months_ago(2))
    issue(left, "madya", user_id=None, today=TODAY)  # not counted anywhere: left afterwards
    membership = db.session.scalar(select(RosterMembership).where(RosterMembership.kader_id == left.id))
    membership.end_date = TODAY
    db.session.commit()

    # quizzes: pre-tests, failed and passed attempts, an unfinished one (ignored)
    k01, k02 = skills["K01"], skills["K02"]
    attempt(b1[0], k01, 4, pretest=True)
    attempt(b1[0], k01, 7)
    attempt(b1[0], k01, 9)
    attempt(b1[1], k01, 6, pretest=True)
    attempt(b1[1], k01, 10)
    attempt(b1[2], k01, 8)
    attempt(b2[0], k01, 5)
    attempt(b2[0], k02, 3, pretest=True)  # a pre-test with no later attempt: no pair
    attempt(b3[0], k02, 9)
    attempt(b1[3], k02, 2, finished=False)
    attempt(left, k01, 10)  # not counted: left

    # practicals: two fasilitator, in and out of the 12-month window
    fas = world.users["fasilitator"]
    fas2 = create_user(
        username="fasilitator.bumiayu",
        password=PASSWORD,
        full_name="Perawat Bumiayu",
        role="fasilitator",
        puskesmas_id=pkm_bumiayu.id,
    )
    practical(p1, fas, b1[0], k01, TODAY)
    practical(p1, fas, b1[1], k01, TODAY, result="belum_kompeten")
    practical(p2, fas, b2[0], k02, months_ago(1))
    practical(p1, fas, b1[2], k02, TODAY, result=None)  # not confirmed: not counted
    practical(p1, fas, b1[3], k01, months_ago(13))  # outside the window
    practical(p3, fas2, b3[0], k01, months_ago(3))
    db.session.commit()
    return {"p1": p1, "p2": p2, "p3": p3, "skills": skills}


# ---- independent expectations, straight from the rows --------------------------------------


def active_kader() -> dict[int, Posyandu]:
    rows = db.session.execute(
        select(RosterMembership.kader_id, Posyandu)
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(RosterMembership.end_date.is_(None))
    ).all()
    return {kader_id: p for kader_id, p in rows if p.active}


def unit_of(p: Posyandu, kind: str) -> str:
    return {
        "kecamatan": p.desa_code[:8],
        "desa": p.desa_code,
        "posyandu": str(p.id),
        "kabupaten": p.kabupaten_code,
        "provinsi": p.kabupaten_code[:2],
    }[kind]


def expected_coverage(keep, kind: str) -> dict[str, list[int]]:
    active = {k: p for k, p in active_kader().items() if keep(p)}
    levels = reached_levels(list(active))
    valid = {c.kader_id for c in db.session.scalars(select(Certificate).where(Certificate.status == "valid"))}
    out: dict[str, list] = {}
    posyandu = [p for p in db.session.scalars(select(Posyandu)) if p.active and keep(p)]
    for p in posyandu:
        row = out.setdefault(unit_of(p, kind), [0] * 9)
        members = [k for k, q in active.items() if q.id == p.id]
        certified = sum(1 for k in members if k in valid)
        for k in members:
            level = levels[k].code if levels[k] else "none"
            row[0] += 1
            row[1 + LEVEL_ORDER.index(level)] += 1
        row[5] += certified
        row[6] += 1
        row[7] += 1 if certified >= 4 else 0
    return {u: [*r[:8], round(100 * r[7] / r[6]) if r[6] else None] for u, r in out.items()}


def names(codes) -> dict[str, str]:
    return {w.code: w.name for w in db.session.scalars(select(Wilayah).where(Wilayah.code.in_(list(codes))))}


def check_coverage(rows: list[list[str]], expected: dict[str, list], label) -> None:
    body, total = rows[1:-1], rows[-1]
    assert {r[0] for r in body} == {label(u) for u in expected}
    by_label = {label(u): v for u, v in expected.items()}
    for r in body:
        assert as_numbers(r[1:]) == by_label[r[0]], r[0]
    sums = [sum(v[i] for v in expected.values()) for i in range(8)]
    assert total[0] == "Jumlah"
    assert as_numbers(total[1:9]) == sums


# ---- tests ------------------------------------------------------------------------------------


def test_levels_and_posyandu_coverage_per_kecamatan_desa_and_posyandu(client, district):
    login(client, "dinkes.brebes")
    brebes = lambda p: p.kabupaten_code == "33.29"  # noqa: E731
    expected = expected_coverage(brebes, "kecamatan")
    # by hand: 9 active kader (6 in B1, 3 in B2); 5 Purwa, 1 Madya; 4 valid in B1 + the Madya one
    assert expected["33.29.04"][:6] == [9, 3, 5, 1, 0, 5]
    check_coverage(read_csv(client, "/laporan/unduh/tingkat.csv"), expected, lambda u: names(expected)[u])

    in_kec = lambda p: p.desa_code.startswith("33.29.04.")  # noqa: E731
    expected = expected_coverage(in_kec, "desa")
    rows = read_csv(client, "/laporan/unduh/tingkat.csv?wilayah=33.29.04")
    check_coverage(rows, expected, lambda u: names(expected)[u])

    in_desa = lambda p: p.desa_code == "33.29.04.2001"  # noqa: E731
    expected = expected_coverage(in_desa, "posyandu")
    rows = read_csv(client, "/laporan/unduh/tingkat.csv?wilayah=33.29.04.2001")
    check_coverage(rows, expected, lambda u: db.session.get(Posyandu, int(u)).name)
    assert expected[str(district["p1"].id)][-1] == 100  # 4 valid certificates: the 4+ rule holds


def test_page_shows_the_figures_and_drills_down_to_the_posyandu_matrix(client, district):
    login(client, "dinkes.brebes")
    html = client.get("/laporan/").get_data(as_text=True)
    assert "Kabupaten Brebes" in html and "<svg" in html and 'role="img"' in html
    assert 'href="/laporan/?wilayah=33.29.04"' in html and 'href="/laporan/?wilayah=33.29.05"' in html
    kecamatan = client.get("/laporan/?wilayah=33.29.04").get_data(as_text=True)
    assert 'href="/laporan/?wilayah=33.29.04.2001"' in kecamatan and "Paguyangan" in kecamatan
    desa = client.get("/laporan/?wilayah=33.29.04.2001").get_data(as_text=True)
    matrix = f'href="/posyandu/{district["p1"].id}/matriks"'
    assert matrix in desa
    assert client.get(f"/posyandu/{district['p1'].id}/matriks").status_code == 200


def test_skill_and_area_mastery_heatmap(client, district):
    login(client, "dinkes.brebes")
    active = {k: p for k, p in active_kader().items() if p.kabupaten_code == "33.29"}
    skills = {s.id: s for s in db.session.scalars(select(Skill).where(Skill.active))}
    kader_per_kec = Counter(p.desa_code[:8] for p in active.values())
    mastered: dict[str, Counter] = defaultdict(Counter)
    for a in db.session.scalars(select(SkillAchievement)):
        if a.kader_id in active:
            mastered[active[a.kader_id].desa_code[:8]][skills[a.skill_id].code] += 1
    rows = read_csv(client, "/laporan/unduh/penguasaan-keterampilan.csv")
    header = rows[0]
    assert header[2:] == sorted(s.code for s in skills.values())
    kec_names = names(kader_per_kec)
    for row in rows[1:-1]:
        code = next(c for c, n in kec_names.items() if n == row[0])
        assert int(row[1]) == kader_per_kec[code]
        for skill_code, value in zip(header[2:], row[2:], strict=True):
            assert int(value) == round(100 * mastered[code][skill_code] / kader_per_kec[code])
    # per area: PP in Paguyangan = (K01 + K02 masters) / (kader x 2 skills)
    rows = read_csv(client, "/laporan/unduh/penguasaan-bidang.csv")
    assert rows[0][2:] == ["PP", "BB", "IH"]
    pag = next(r for r in rows if r[0] == "Paguyangan")
    pp = mastered["33.29.04"]["K01"] + mastered["33.29.04"]["K02"]
    assert int(pag[2]) == round(100 * pp / (kader_per_kec["33.29.04"] * 2))


def test_quiz_pass_rates_and_learning_gain(client, district):
    login(client, "dinkes.brebes")
    active = {k for k, p in active_kader().items() if p.kabupaten_code == "33.29"}
    attempts = [
        a
        for a in db.session.scalars(select(QuizAttempt))
        if a.kader_id in active and a.submitted_at is not None
    ]
    rows = {r[0].split()[0]: r for r in read_csv(client, "/laporan/unduh/kuis.csv")[1:]}
    assert set(rows) == {"K01", "K02"}
    for code in rows:
        skill_id = district["skills"][code].id
        mine = [a for a in attempts if a.skill_id == skill_id]
        post = [a for a in mine if not a.is_pretest]
        pre = {a.kader_id: 100 * a.correct / a.total for a in mine if a.is_pretest}
        best: dict[int, float] = {}
        for a in post:
            best[a.kader_id] = max(best.get(a.kader_id, 0), 100 * a.correct / a.total)
        pairs = [k for k in pre if k in best]
        passed = [a for a in post if a.passed]
        expected = [
            len(post),
            len(passed),
            round(100 * len(passed) / len(post)) if post else None,
            len({a.kader_id for a in post}),
            len({a.kader_id for a in passed}),
            len(pairs),
        ]
        assert as_numbers(rows[code][1:7]) == expected, code
        if pairs:
            pre_avg = sum(pre[k] for k in pairs) / len(pairs)
            post_avg = sum(best[k] for k in pairs) / len(pairs)
            assert as_numbers(rows[code][7:10]) == [
                round(pre_avg, 1),
                round(post_avg, 1),
                round(post_avg - pre_avg, 1),
            ]
    assert as_numbers(rows["K01"][1:10]) == [5, 3, 60, 4, 3, 2, 50.0, 95.0, 45.0]  # worked by hand


def test_practicals_per_fasilitator_and_month_and_certificates_per_month(client, district):
    login(client, "dinkes.brebes")
    rows = read_csv(client, "/laporan/unduh/penilaian-praktik.csv")
    header = rows[0]
    this_month = f"{TODAY.year}-{TODAY.month:02d}"
    assert header[-2] == this_month and len(header) == 14  # name + 12 months + total
    by_name = {r[0]: as_numbers(r[1:]) for r in rows[1:]}
    window_start = months_ago(11)
    expected: dict[str, Counter] = defaultdict(Counter)
    for result, session in db.session.execute(
        select(PracticalResult, AssessmentSession).join(AssessmentSession)
    ).all():
        if result.result and session.session_date >= window_start:
            expected[session.assessor_id][
                f"{session.session_date.year}-{session.session_date.month:02d}"
            ] += 1
    from app.auth.models import User

    for assessor_id, months in expected.items():
        row = by_name[db.session.get(User, assessor_id).full_name]
        assert row[:-1] == [months.get(m, 0) for m in header[1:-1]]
        assert row[-1] == sum(months.values())
    assert by_name["Jumlah"][-1] == 4  # 2 this month + 1 a month ago (Paguyangan) + 1 (Bumiayu)

    rows = read_csv(client, "/laporan/unduh/sertifikat-per-bulan.csv")
    assert rows[0] == ["Bulan", "Purwa", "Madya", "Utama", "Jumlah"]
    by_month = {r[0]: as_numbers(r[1:]) for r in rows[1:]}
    two_ago = months_ago(2)
    assert by_month[this_month] == [6, 0, 0, 6]  # 5 in B1 (one later revoked) + 1 in B3; not the leaver's
    assert by_month[f"{two_ago.year}-{two_ago.month:02d}"] == [0, 1, 0, 1]
    assert by_month["Jumlah"] == [6, 1, 0, 7]


def test_fasilitator_sees_only_the_puskesmas_area(client, district):
    login(client, "fasilitator.paguyangan")
    rows = read_csv(client, "/laporan/unduh/tingkat.csv")
    assert [r[0] for r in rows[1:-1]] == ["Cilibur", "Kretek"]  # desa of Puskesmas Paguyangan only
    expected = expected_coverage(lambda p: p.puskesmas_id == district["p1"].puskesmas_id, "desa")
    check_coverage(rows, expected, lambda u: names(expected)[u])
    practicals = read_csv(client, "/laporan/unduh/penilaian-praktik.csv")
    assert {r[0] for r in practicals[1:-1]} == {"Bidan Wulan"}
    assert client.get("/laporan/?wilayah=33.29.05").status_code == 404  # Bumiayu: another Puskesmas
    assert client.get("/laporan/?wilayah=33.29").status_code == 404
    assert client.get("/laporan/?wilayah=33.29.04.2001").status_code == 200


def test_scope_other_district_and_roles(client, district):
    login(client, "dinkes.acehselatan")
    for path in (
        "/laporan/?wilayah=33.29",
        "/laporan/?wilayah=33.29.04",
        "/laporan/?wilayah=33.29.04.2001",
        "/laporan/unduh/tingkat.csv?wilayah=33.29.04",
        "/laporan/?wilayah=99.99",
        "/laporan/?wilayah=11",  # its own provinsi: provinsi pages read unscoped roll-ups, admin only
        "/laporan/unduh/tingkat.csv?wilayah=11",
    ):
        assert client.get(path).status_code == 404, path
    rows = read_csv(client, "/laporan/unduh/tingkat.csv")
    assert [r[0] for r in rows[1:-1]] == ["Tapaktuan"]
    assert as_numbers(rows[-1][1:3]) == [1, 1]  # Cut Nurul Aini, no level
    kader = client.application.test_client()
    login(kader, "kader.siti")
    assert kader.get("/laporan/").status_code == 403
    assert client.application.test_client().get("/laporan/").status_code == 302


def test_admin_national_summary_and_drill_into_a_district(client, district):
    login(client, "admin")
    rows = read_csv(client, "/laporan/unduh/tingkat.csv")
    expected = expected_coverage(lambda p: True, "provinsi")
    check_coverage(rows, expected, lambda u: names(expected)[u])
    html = client.get("/laporan/").get_data(as_text=True)
    assert 'href="/laporan/?wilayah=33"' in html and 'href="/laporan/?wilayah=11"' in html
    assert "table-kuis" not in html  # above a district: the coverage summary only
    assert client.get("/laporan/?wilayah=33").status_code == 200
    rows = read_csv(client, "/laporan/unduh/tingkat.csv?wilayah=33.29")
    check_coverage(
        rows, expected_coverage(lambda p: p.kabupaten_code == "33.29", "kecamatan"), lambda u: names([u])[u]
    )
    assert (
        client.get("/laporan/unduh/kuis.csv?wilayah=33").status_code == 404
    )  # summary only above a district


def test_xlsx_export_and_bad_export_names(client, district):
    from openpyxl import load_workbook

    login(client, "dinkes.brebes")
    response = client.get("/laporan/unduh/tingkat.xlsx?wilayah=33.29.04")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Desa/kelurahan" and values[-1][0] == "Jumlah"
    assert client.get("/laporan/unduh/tingkat.pdf").status_code == 404
    assert client.get("/laporan/unduh/rahasia.csv").status_code == 404


def test_the_quiz_table_names_skills_in_english_on_english_pages(client, world, synced):
    from sqlalchemy import select

    from app.curriculum.models import Skill
    from tests.factories import pass_quiz

    pass_quiz(world.kader_brebes.id, db.session.scalar(select(Skill).where(Skill.code == "K01")))
    db.session.commit()
    login(client, "dinkes.brebes")
    client.set_cookie("lang", "en")
    page = client.get("/laporan/").get_data(as_text=True)
    assert "K01 Skill K01" in page and "Keterampilan K01" not in page
