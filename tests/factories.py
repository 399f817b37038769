"""A small two-district world for integration tests: Brebes and Aceh Selatan, each with a
Puskesmas, two Posyandu and kader, plus one account per role; and the helpers (page posts,
quiz and practical evidence, summaries counted afresh) that several test modules share."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import create_user
from app.certificates.models import Certificate
from app.core.models import utcnow
from app.curriculum.models import ChecklistStep, ItemRevision, Skill
from app.extensions import db
from app.jobs.models import Job
from app.practicals.models import PracticalResult
from app.practicals.services import confirm, create_session, result_for, set_ticks
from app.progress.models import KaderLevel, KaderSkillQuiz
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from app.quizzes.services import finish, save_answer, start
from app.reports.models import KabupatenCoverage, KabupatenLevelCount, PosyanduKaderCount, SessionResultCount
from app.rosters.models import Kader, Posyandu, Puskesmas, RosterMembership, Wilayah
from tests.conftest import csrf_token

PASSWORD = "rahasia-uji-123"


@dataclass
class World:
    posyandu_brebes: Posyandu
    posyandu_brebes_2: Posyandu
    posyandu_aceh: Posyandu
    puskesmas_brebes: Puskesmas
    puskesmas_aceh: Puskesmas
    kader_brebes: Kader
    kader_brebes_other: Kader
    kader_aceh: Kader
    users: dict[str, User]


def add_areas(prefix: str, prov_name: str, kab_name: str, kec_name: str, desa: list[str]) -> None:
    prov, kab, kec = prefix[:2], prefix[:5], prefix
    db.session.add(Wilayah(code=prov, name=prov_name, level="provinsi"))
    db.session.add(Wilayah(code=kab, name=kab_name, level="kabupaten", parent_code=prov))
    db.session.add(Wilayah(code=kec, name=kec_name, level="kecamatan", parent_code=kab))
    for i, name in enumerate(desa, start=1):
        db.session.add(Wilayah(code=f"{kec}.{2000 + i}", name=name, level="desa", parent_code=kec))
    db.session.flush()


def add_kader(
    nik: str,
    name: str,
    posyandu: Posyandu,
    role: str = "anggota",
    sex: str = "P",
    born: date = date(1985, 3, 12),
) -> Kader:
    kader = Kader(
        nik=nik,
        name=name,
        sex=sex,
        birth_date=born,
        phone=None,
        education="sma",
        start_year=2015,
        kabupaten_code=posyandu.kabupaten_code,
    )
    db.session.add(kader)
    db.session.flush()
    db.session.add(
        RosterMembership(kader_id=kader.id, posyandu_id=posyandu.id, role=role, start_date=date(2015, 1, 1))
    )
    db.session.flush()
    return kader


def build_world() -> World:
    add_areas("33.29.04", "Jawa Tengah", "Kabupaten Brebes", "Paguyangan", ["Cilibur", "Kretek"])
    add_areas("11.01.05", "Aceh", "Kabupaten Aceh Selatan", "Tapaktuan", ["Hilir", "Pasar"])
    pkm_b = Puskesmas(
        code="PKM-B", name="Puskesmas Paguyangan", kecamatan_code="33.29.04", kabupaten_code="33.29"
    )
    pkm_a = Puskesmas(
        code="PKM-A", name="Puskesmas Tapaktuan", kecamatan_code="11.01.05", kabupaten_code="11.01"
    )
    db.session.add_all([pkm_b, pkm_a])
    db.session.flush()
    p_b = Posyandu(
        code="PSY-B1",
        name="Posyandu Melati 1",
        desa_code="33.29.04.2001",
        puskesmas_id=pkm_b.id,
        kabupaten_code="33.29",
        dusun_rw="RW 01",
    )
    p_b2 = Posyandu(
        code="PSY-B2",
        name="Posyandu Mawar 2",
        desa_code="33.29.04.2002",
        puskesmas_id=pkm_b.id,
        kabupaten_code="33.29",
    )
    p_a = Posyandu(
        code="PSY-A1",
        name="Posyandu Seulanga 1",
        desa_code="11.01.05.2001",
        puskesmas_id=pkm_a.id,
        kabupaten_code="11.01",
    )
    db.session.add_all([p_b, p_b2, p_a])
    db.session.flush()
    k_b = add_kader("3329045203850001", "Siti Aminah", p_b, role="ketua")
    k_b2 = add_kader("3329045203850002", "Sri Wahyuni", p_b2)
    k_a = add_kader("1101055203850003", "Cut Nurul Aini", p_a, role="ketua")
    users = {
        "admin": create_user(username="admin", password=PASSWORD, full_name="Admin", role="admin"),
        "dinkes": create_user(
            username="dinkes.brebes",
            password=PASSWORD,
            full_name="Dinkes Brebes",
            role="dinkes",
            kabupaten_code="33.29",
        ),
        "dinkes_other": create_user(
            username="dinkes.acehselatan",
            password=PASSWORD,
            full_name="Dinkes Aceh Selatan",
            role="dinkes",
            kabupaten_code="11.01",
        ),
        "fasilitator": create_user(
            username="fasilitator.paguyangan",
            password=PASSWORD,
            full_name="Bidan Wulan",
            role="fasilitator",
            puskesmas_id=pkm_b.id,
        ),
        "kader": create_user(
            username="kader.siti", password=PASSWORD, full_name="Siti Aminah", role="kader", kader_id=k_b.id
        ),
    }
    db.session.commit()
    return World(p_b, p_b2, p_a, pkm_b, pkm_a, k_b, k_b2, k_a, users)


def grant(kader: Kader, *codes: str) -> None:
    """Record mastered skills directly (the quiz + practical chain is tested on its own).

    Like the app's own services, it keeps the kader's level summary in step.
    """
    from app.curriculum.models import Skill
    from app.progress.levels import refresh_levels
    from app.progress.models import SkillAchievement

    for code in codes:
        skill_id = db.session.scalar(select(Skill.id).where(Skill.code == code))
        db.session.add(
            SkillAchievement(
                kader_id=kader.id, skill_id=skill_id, achieved_at=datetime(2026, 10, 1, tzinfo=UTC)
            )
        )
    db.session.flush()
    refresh_levels([kader.id])
    db.session.commit()


def k01_session(world: World, kader_ids: list[int] | None = None, code: str = "K01"):
    """Today's assessment session at Posyandu Melati 1 by the Paguyangan fasilitator, for one skill."""
    from app.curriculum.models import Skill
    from app.practicals.services import create_session

    return create_session(
        posyandu=world.posyandu_brebes,
        assessor_id=world.users["fasilitator"].id,
        session_date=date.today(),
        today=date.today(),
        skills=[db.session.scalar(select(Skill).where(Skill.code == code))],
        kader_ids=[world.kader_brebes.id] if kader_ids is None else kader_ids,
        note=None,
    )


def add_bumiayu() -> tuple[Puskesmas, Posyandu]:
    """A second kecamatan of Brebes (Bumiayu) with its Puskesmas and one Posyandu (Anggrek)."""
    db.session.add_all(
        [
            Wilayah(code="33.29.05", name="Bumiayu", level="kecamatan", parent_code="33.29"),
            Wilayah(code="33.29.05.2001", name="Kalierang", level="desa", parent_code="33.29.05"),
        ]
    )
    puskesmas = Puskesmas(
        code="PKM-BMY", name="Puskesmas Bumiayu", kecamatan_code="33.29.05", kabupaten_code="33.29"
    )
    db.session.add(puskesmas)
    db.session.flush()
    posyandu = Posyandu(
        code="PSY-B3",
        name="Posyandu Anggrek",
        desa_code="33.29.05.2001",
        puskesmas_id=puskesmas.id,
        kabupaten_code="33.29",
    )
    db.session.add(posyandu)
    db.session.flush()
    return puskesmas, posyandu


# ---- helpers shared by several test modules --------------------------------------------------

SETTINGS = {
    "office_name": "Dinas Kesehatan Kabupaten Brebes",
    "signatory_name": "dr. Ratna Dewi, M.Kes.",
    "signatory_title": "Kepala Dinas Kesehatan Kabupaten Brebes",
    "signatory_nip": "197503152000032004",
    "place": "Brebes",
}


def issue_via_page(client, kader_ids):
    token = csrf_token(client, "/sertifikat/siap")
    return client.post("/sertifikat/siap", data={"csrf_token": token, "kader_id": kader_ids})


def save_settings(client, logo: bytes | None = None, signature: bytes | None = None, **changes):
    data = {"csrf_token": csrf_token(client, "/sertifikat/pengaturan"), **SETTINGS, **changes}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), "logo.png")
    if signature is not None:
        data["signature"] = (io.BytesIO(signature), "ttd.png")
    return client.post("/sertifikat/pengaturan", data=data, content_type="multipart/form-data")


def upload(client, data, name="roster.csv"):
    token = csrf_token(client, "/kader/impor/")
    return client.post(
        "/kader/impor/",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored_summary() -> dict[tuple[int, int], tuple[int, int, float | None, float | None]]:
    db.session.expire_all()
    return {
        (r.kader_id, r.skill_id): (r.attempts, r.passed, r.pre_percent, r.post_percent)
        for r in db.session.scalars(select(KaderSkillQuiz))
    }


def summary_from_attempts() -> dict[tuple[int, int], tuple[int, int, float | None, float | None]]:
    """(kader, skill) -> (attempts, passed, best pre-test %, best later %), counted in Python."""
    out: dict[tuple[int, int], list] = {}
    for a in db.session.scalars(select(QuizAttempt)):
        if a.submitted_at is None or a.passed is None:
            continue
        row = out.setdefault((a.kader_id, a.skill_id), [0, 0, None, None])
        score = 100.0 * a.correct / a.total
        if a.is_pretest:
            row[2] = score if row[2] is None else max(row[2], score)
        else:
            row[0] += 1
            row[1] += int(a.passed)
            row[3] = score if row[3] is None else max(row[3], score)
    return {k: tuple(v) for k, v in out.items()}


def counts_from_results() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(PracticalResult.session_id, func.count())
            .where(PracticalResult.result.is_not(None))
            .group_by(PracticalResult.session_id)
        ).all()
    )


def stored_counts() -> dict[int, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(SessionResultCount.session_id, SessionResultCount.confirmed)).all())


def observe(world, session, kader_id: int, skill: Skill, decision: str | None) -> PracticalResult:
    """Ticks every step; confirms with `decision` (None: ticked, not yet confirmed)."""
    assessor = world.users["fasilitator"].id
    result = result_for(session, kader_id, skill, assessor)
    steps = db.session.scalars(
        select(ChecklistStep.id).where(ChecklistStep.skill_id == skill.id, ChecklistStep.active)
    ).all()
    set_ticks(result, dict.fromkeys(steps, decision != "belum_kompeten"), user_id=assessor, min_share=0.75)
    if decision is not None:
        note = "langkah kritis terlewat" if decision == "belum_kompeten" else None
        assert confirm(result, decision, note, user_id=assessor, min_share=0.75)
    return result


def pass_quiz(kader_id, skill):
    attempt = start(kader_id, skill, utcnow(), max_per_day=99, cooldown_minutes=0)
    for item in attempt.items:
        rev = db.session.get(ItemRevision, item.item_revision_id)
        save_answer(attempt, item.position, item.option_order.index(rev.correct_index), utcnow())
    finish(attempt, utcnow(), "submitted")
    assert attempt.passed


def practical_kompeten(world, kader_id, skill):
    session = create_session(
        posyandu=world.posyandu_brebes,
        assessor_id=world.users["fasilitator"].id,
        session_date=date.today(),
        today=date.today(),
        skills=[skill],
        kader_ids=[kader_id],
        note=None,
    )
    result = result_for(session, kader_id, skill, world.users["fasilitator"].id)
    steps = db.session.scalars(
        select(ChecklistStep.id).where(ChecklistStep.skill_id == skill.id, ChecklistStep.active)
    ).all()
    set_ticks(result, dict.fromkeys(steps, True), user_id=world.users["fasilitator"].id, min_share=0.75)
    assert confirm(result, "kompeten", None, user_id=world.users["fasilitator"].id, min_share=0.75)


def answer_js(client, attempt_id, position, option, token):
    return client.post(
        f"/kuis/percobaan/{attempt_id}/jawab",
        data={"csrf_token": token, "position": str(position), "option": str(option)},
        headers={"Accept": "application/json"},
    )


def attempt_rows(attempt_id):
    return db.session.scalars(
        select(QuizAttemptItem)
        .where(QuizAttemptItem.attempt_id == attempt_id)
        .order_by(QuizAttemptItem.position)
    ).all()


def begin(client, code="K01"):
    token = csrf_token(client, f"/belajar/{code}")
    response = client.post(f"/kuis/{code}/mulai", data={"csrf_token": token})
    match = re.search(r"/kuis/percobaan/(\d+)", response.location or "")
    return int(match.group(1)) if match else None, response


def as_numbers(row: list[str]) -> list[int | float | None]:
    out: list[int | float | None] = []
    for value in row:
        if value == "":
            out.append(None)
        else:
            out.append(float(value) if "." in value else int(value))
    return out


def read_csv(client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def job_row(job_id: int) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


def only_job() -> Job:
    db.session.expire_all()
    jobs = db.session.scalars(select(Job)).all()
    assert len(jobs) == 1, jobs
    return jobs[0]


Counts = dict[tuple[int, str | None], tuple[int, int]]


def posyandu_counts_from_memberships() -> Counts:
    """(posyandu, level) -> (active kader, of them with a valid certificate), counted in Python."""
    levels = {row.kader_id: row.level_code for row in db.session.scalars(select(KaderLevel))}
    certified = {c.kader_id for c in db.session.scalars(select(Certificate)) if c.status == "valid"}
    kader: Counter = Counter()
    with_certificate: Counter = Counter()
    for m in db.session.scalars(select(RosterMembership)):
        if m.end_date is None:
            key = (m.posyandu_id, levels.get(m.kader_id))
            kader[key] += 1
            with_certificate[key] += m.kader_id in certified
    return {key: (n, with_certificate[key]) for key, n in kader.items()}


def stored_posyandu_counts() -> Counts:
    db.session.expire_all()
    rows = db.session.scalars(select(PosyanduKaderCount))
    return {(r.posyandu_id, r.level_code): (r.kader, r.certified) for r in rows}


def kabupaten_counts_from_memberships() -> tuple[Counts, dict[str, tuple[int, int]]]:
    """The kabupaten roll-ups counted in Python over active Posyandu: (kabupaten, level) ->
    (kader, certified), and kabupaten -> (Posyandu, Posyandu with at least 4 certified)."""
    posyandu = {p.id: p for p in db.session.scalars(select(Posyandu)) if p.active}
    levels: Counter = Counter()
    certified: Counter = Counter()
    per_posyandu: Counter = Counter()
    for (posyandu_id, level), (n, c) in posyandu_counts_from_memberships().items():
        if posyandu_id in posyandu:
            key = (posyandu[posyandu_id].kabupaten_code, level)
            levels[key] += n
            certified[key] += c
            per_posyandu[posyandu_id] += c
    coverage: dict[str, tuple[int, int]] = {}
    for p in posyandu.values():
        total, with_min = coverage.get(p.kabupaten_code, (0, 0))
        coverage[p.kabupaten_code] = (total + 1, with_min + (per_posyandu[p.id] >= 4))
    return {k: (n, certified[k]) for k, n in levels.items()}, coverage


def stored_kabupaten_counts() -> tuple[Counts, dict[str, tuple[int, int]]]:
    db.session.expire_all()
    levels = {
        (r.kabupaten_code, r.level_code): (r.kader, r.certified)
        for r in db.session.scalars(select(KabupatenLevelCount))
    }
    coverage = {
        r.kabupaten_code: (r.posyandu, r.with_min_certified)
        for r in db.session.scalars(select(KabupatenCoverage))
    }
    return levels, coverage
