"""bench-data (bench/data/): synthetic data that is clearly marked, internally consistent, and replaceable."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import and_, func, select, text

from app.auth.models import User
from app.auth.services import create_user
from app.certificates.document import certificate_number
from app.certificates.models import Certificate, CertificateCounter
from app.certificates.services import Standing, build_snapshot
from app.core.models import Base
from app.curriculum.loader import load_curriculum
from app.curriculum.models import ChecklistStep, Item, ItemRevision
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from app.practicals.models import AssessmentSession, PracticalResult, StepResult, session_kader, session_skill
from app.practicals.rules import StepTick, suggest_kompeten
from app.progress.evidence import practical_passes, quiz_passes
from app.progress.levels import levels_and_areas, reached_levels
from app.progress.mastery import mastery
from app.progress.models import KaderLevel, SkillAchievement
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterMembership, Wilayah
from bench.data.tables import id_tables
from tests.conftest import run_cli
from tests.curriculum_tree import REAL_TREE


@pytest.fixture
def curriculum(app):
    sync_curriculum(load_curriculum(REAL_TREE))
    db.session.commit()


def generate(app, *args: str):
    result = run_cli(app, "bench-data", *args)
    db.session.rollback()  # read what the command committed, not an older snapshot
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_generated_data_is_marked_and_consistent(app, curriculum):
    """One generation (it takes a few seconds), every read-only property checked on it."""
    result = generate(app, "--kabupaten", "2", "--kader", "300")
    assert result.exit_code == 0, result.output
    assert "[2/2] 99.02 Kab. Sintetis 002" in result.output and "elapsed" in result.output
    check_foreign_keys()
    check_rosters()
    check_marked_synthetic()
    check_levels_and_achievements()
    check_quiz_attempts_and_answers()
    check_sessions_results_and_ticks()
    check_certificates()
    check_new_rows_get_fresh_ids()


def check_foreign_keys() -> None:
    """Every reference resolves: the PostgreSQL load and delete skip the per-row trigger checks."""
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table.alias("parent")
            pairs = [(e.parent, parent.c[e.column.name]) for e in fk.elements]
            orphans = db.session.scalar(
                select(func.count())
                .select_from(table.outerjoin(parent, and_(*(c == r for c, r in pairs))))
                .where(*(c.is_not(None) for c, _ in pairs), pairs[0][1].is_(None))
            )
            assert orphans == 0, f"{table.name}.{pairs[0][0].name} -> {fk.referred_table.name}"


def check_rosters() -> None:
    assert count(Kader) == 300
    per_kab = Counter(db.session.scalars(select(Kader.kabupaten_code)))
    assert sorted(per_kab) == ["99.01", "99.02"]
    for kab, kader in per_kab.items():
        posyandu = db.session.scalar(
            select(func.count()).select_from(Posyandu).where(Posyandu.kabupaten_code == kab)
        )
        assert posyandu == max(1, round(kader / 5.3))
    open_rows = db.session.execute(
        select(RosterMembership.kader_id, func.count())
        .where(RosterMembership.end_date.is_(None))
        .group_by(RosterMembership.kader_id)
    ).all()
    assert len(open_rows) == 300 and {n for _, n in open_rows} == {1}
    closed = db.session.scalar(
        select(func.count()).select_from(RosterMembership).where(RosterMembership.end_date.is_not(None))
    )
    assert 0 < closed < 300 * 0.2
    ketua = Counter(
        db.session.scalars(
            select(RosterMembership.posyandu_id).where(
                RosterMembership.end_date.is_(None), RosterMembership.role == "ketua"
            )
        )
    )
    assert set(ketua.values()) == {1} and len(ketua) == count(Posyandu)
    phones = [p for p in db.session.scalars(select(Kader.phone)) if p]
    assert len(phones) == len(set(phones)) and all(re.fullmatch(r"08\d{9,11}", p) for p in phones)
    assert count(Puskesmas) == db.session.scalar(
        select(func.count()).select_from(Wilayah).where(Wilayah.level == "kecamatan")
    )


def check_marked_synthetic() -> None:
    areas = {w.code: w for w in db.session.scalars(select(Wilayah))}
    assert areas["99"].name == "SINTETIS (data uji kinerja)"
    assert (areas["99.01"].name, areas["99.02"].name) == ("Kab. Sintetis 001", "Kab. Sintetis 002")
    for w in areas.values():
        if w.level == "kecamatan":
            assert re.fullmatch(r"99\.0[12]\.\d\d", w.code) and "Sintetis" in w.name
        if w.level == "desa":
            assert re.fullmatch(r"99\.0[12]\.\d\d\.2\d{3}", w.code) and "Sintetis" in w.name
    assert all(c.startswith("SYN-") for c in db.session.scalars(select(Posyandu.code)))
    assert all(
        p.code.startswith("SYN-") and "Sintetis" in p.name for p in db.session.scalars(select(Puskesmas))
    )
    assert all("Sintetis" in n for n in db.session.scalars(select(Pustu.name)))
    users = db.session.scalars(select(User)).all()
    assert users and all(u.username.startswith("syn.") for u in users)
    fasilitator = [u for u in users if u.role == "fasilitator"]
    assert {u.username for u in fasilitator} == {
        f"syn.fas.{p.code.lower()}" for p in db.session.scalars(select(Puskesmas))
    }
    assert not any(u.check_password("") for u in fasilitator[:1])
    for kader, desa in db.session.execute(
        select(Kader, Posyandu.desa_code)
        .join(RosterMembership, RosterMembership.kader_id == Kader.id)
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(RosterMembership.end_date.is_(None))
    ):
        nik = kader.nik
        day = kader.birth_date.day + (40 if kader.sex == "P" else 0)
        assert nik[:6] == desa[:8].replace(".", "")  # the kecamatan of their Posyandu
        assert nik[6:12] == f"{day:02d}{kader.birth_date:%m%y}" and nik[12:] != "0000"
        assert date(1960, 1, 1) <= kader.birth_date <= date(2004, 12, 31)
    assert all(c.snapshot["extra"] == {"synthetic": True} for c in db.session.scalars(select(Certificate)))


def check_levels_and_achievements() -> None:
    ids = list(db.session.scalars(select(Kader.id)))
    live = reached_levels(ids)
    stored = dict(db.session.execute(select(KaderLevel.kader_id, KaderLevel.level_code)).all())
    assert {k: (lv.code if lv else None) for k, lv in live.items()} == {k: stored.get(k) for k in ids}
    levels = [lv.code for lv in levels_and_areas()[0]]
    assert set(levels) <= set(stored.values())  # a few reach everything, whatever the levels are
    assert sum(1 for k in ids if k not in stored) > 30  # and some have done nothing
    # Each achievement is exactly what the mastery rule derives from the evidence.
    quizzes, practicals = quiz_passes(ids), practical_passes(ids)
    derived = {}
    for key in set(quizzes) | set(practicals):
        found = mastery(quizzes.get(key, []), practicals.get(key, []), False)
        if found:
            derived[key] = (found.quiz.attempt_id, found.practical.result_id, found.at)
    achievements = db.session.scalars(select(SkillAchievement)).all()
    assert len(achievements) == len(derived)
    for a in achievements:
        quiz_id, result_id, at = derived[(a.kader_id, a.skill_id)]
        assert (a.quiz_attempt_id, a.practical_result_id) == (quiz_id, result_id)
        assert a.achieved_at.replace(tzinfo=None) == at.replace(tzinfo=None)


def check_quiz_attempts_and_answers() -> None:
    attempts = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.started_at)).all()
    assert attempts
    seen: set[tuple[int, int]] = set()
    pretest_kader = set()
    for a in attempts:
        assert a.finish_reason == "submitted" and a.submitted_at >= a.started_at
        assert a.passed == (a.correct * 100 >= a.pass_mark * a.total)
        if a.is_pretest:
            assert (a.kader_id, a.skill_id) not in seen  # only the first attempt
            pretest_kader.add(a.kader_id)
        seen.add((a.kader_id, a.skill_id))
    tried = {a.kader_id for a in attempts}
    assert 0.3 < len(pretest_kader) / len(tried) < 0.7
    revisions = {
        rev_id: (skill_id, len(options), correct)
        for rev_id, skill_id, options, correct in db.session.execute(
            select(ItemRevision.id, Item.skill_id, ItemRevision.options, ItemRevision.correct_index).join(
                Item, Item.id == ItemRevision.item_id
            )
        )
    }
    items = defaultdict(list)
    for row in db.session.execute(
        select(
            QuizAttemptItem.attempt_id,
            QuizAttemptItem.position,
            QuizAttemptItem.item_revision_id,
            QuizAttemptItem.option_order,
            QuizAttemptItem.chosen,
        )
    ):
        items[row.attempt_id].append(row)
    for a in attempts:
        assert sorted(i.position for i in items[a.id]) == list(range(1, a.total + 1))
        right = 0
        for i in items[a.id]:
            skill_id, n_options, correct = revisions[i.item_revision_id]
            assert skill_id == a.skill_id and sorted(i.option_order) == list(range(n_options))
            right += i.chosen == correct
        assert right == a.correct


def check_sessions_results_and_ticks() -> None:
    today = date.today()
    sessions = {s.id: s for s in db.session.scalars(select(AssessmentSession))}
    assert sessions and max(s.session_date for s in sessions.values()) < today
    assessor_of = {
        u.puskesmas_id: u.id for u in db.session.scalars(select(User).where(User.role == "fasilitator"))
    }
    pkm_of = dict(db.session.execute(select(Posyandu.id, Posyandu.puskesmas_id)).all())
    for s in sessions.values():
        assert s.assessor_id == assessor_of[pkm_of[s.posyandu_id]]
    attending = {tuple(r) for r in db.session.execute(select(session_kader))}
    observed = {tuple(r) for r in db.session.execute(select(session_skill))}
    steps = {s.id: s for s in db.session.scalars(select(ChecklistStep))}
    ticks = defaultdict(list)
    for t in db.session.scalars(select(StepResult)):
        ticks[t.result_id].append(t)
    for r in db.session.scalars(select(PracticalResult)):
        assert (r.session_id, r.kader_id) in attending and (r.session_id, r.skill_id) in observed
        assert r.result == r.suggested and r.confirmed_at is not None
        mine = ticks[r.id]
        assert {t.step_id for t in mine} == {s.id for s in steps.values() if s.skill_id == r.skill_id}
        assert suggest_kompeten([StepTick(t.critical, t.done) for t in mine], 0.75) == (
            r.result == "kompeten"
        )


def check_certificates() -> None:
    certificates = db.session.scalars(select(Certificate)).all()
    assert len(certificates) > 20
    by_counter = defaultdict(list)
    for c in certificates:
        by_counter[(c.kabupaten_code, c.year)].append(c.sequence)
        assert c.number == certificate_number(c.level_code, c.kabupaten_code, c.year, c.sequence)
        assert c.issued_on.year == c.year and c.issued_on < date.today()
    counters = {
        (c.kabupaten_code, c.year): c.last_sequence for c in db.session.scalars(select(CertificateCounter))
    }
    assert set(counters) == set(by_counter)
    for key, sequences in by_counter.items():
        assert sorted(sequences) == list(range(1, len(sequences) + 1)) and counters[key] == len(sequences)
    assert len({c.verification_code for c in certificates}) == len(certificates)
    # The highest level reached, with the snapshot the issuing service would have taken.
    valid = [c for c in certificates if c.status == "valid"]
    live = reached_levels([c.kader_id for c in valid])
    for c in valid:
        assert live[c.kader_id].code == c.level_code
        replaces = db.session.get(Certificate, c.replaces_id).number if c.replaces_id else None
        standing = Standing.of(c.kader_id)
        expected = build_snapshot(
            db.session.get(Kader, c.kader_id), standing, standing.rank(c.level_code), c.number,
            c.verification_code, c.issued_on, replaces,
        ).to_json()  # fmt: skip
        expected = json.loads(json.dumps(expected))  # tuples become lists, as stored
        assert {k: v for k, v in c.snapshot.items() if k != "extra"} == {
            k: v for k, v in expected.items() if k != "extra"
        }


def check_new_rows_get_fresh_ids() -> None:
    """Ids were assigned by the generator: the app's next insert must not collide (PostgreSQL sequences)."""
    user = create_user(username="admin.baru", password="rahasia-uji-123", full_name="Admin", role="admin")
    assert user.id > max(db.session.scalars(select(User.id).where(User.username.like("syn.%"))))
    db.session.rollback()
    if db.session.get_bind().dialect.name == "postgresql":
        for table in id_tables():
            highest = db.session.scalar(text(f'SELECT max(id) FROM "{table}"'))
            sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{table}"'})
            last = db.session.scalar(text(f"SELECT last_value FROM {sequence}"))
            assert highest is None or last >= highest, table


def test_second_run_refuses_and_replace_regenerates(app, curriculum, world):
    real_kader = count(Kader)
    assert generate(app, "--kabupaten", "1", "--kader", "40").exit_code == 0
    first = sorted(db.session.scalars(select(Kader.nik).where(Kader.kabupaten_code == "99.01")))
    counts = {m.__name__: count(m) for m in (Wilayah, Kader, Posyandu, QuizAttempt, Certificate, User)}

    again = generate(app, "--kabupaten", "1", "--kader", "40")
    assert again.exit_code != 0 and "already present" in again.output and "--replace" in again.output
    assert counts == {
        m.__name__: count(m) for m in (Wilayah, Kader, Posyandu, QuizAttempt, Certificate, User)
    }

    replaced = generate(app, "--kabupaten", "1", "--kader", "40", "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "deleted:" in replaced.output
    check_foreign_keys()
    assert sorted(db.session.scalars(select(Kader.nik).where(Kader.kabupaten_code == "99.01"))) == first

    assert counts == {
        m.__name__: count(m) for m in (Wilayah, Kader, Posyandu, QuizAttempt, Certificate, User)
    }
    assert count(Kader) == real_kader + 40
    assert world.kader_brebes.id in set(db.session.scalars(select(Kader.id)))  # real data untouched
    assert {"33.29", "11.01", "99.01"} == set(
        db.session.scalars(select(Wilayah.code).where(Wilayah.level == "kabupaten"))
    )


def test_refused_under_production_config(app):
    app.config["SEED_DEMO_ALLOWED"] = False
    result = generate(app, "--kabupaten", "1", "--kader", "10")
    assert result.exit_code != 0 and "production" in result.output
    assert count(Kader) == 0


def test_needs_a_synced_curriculum(app):
    result = generate(app, "--kabupaten", "1", "--kader", "10")
    assert result.exit_code != 0 and "flask --app wsgi curriculum sync" in result.output
    assert count(Wilayah) == 0
