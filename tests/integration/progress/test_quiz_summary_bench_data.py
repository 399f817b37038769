"""The summary after the two ways demo and benchmark data are made: `flask seed-demo` goes through
the quiz and practicals services, `python -m bench.data` copies rows past the session and fills
kader_skill_quiz, session_result_count and posyandu_kader_count itself. Either way they must
equal what the attempts, results and memberships give."""

from __future__ import annotations

from sqlalchemy import func, select

from app.curriculum.loader import load_curriculum
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from app.progress.models import KaderSkillQuiz
from tests.conftest import run_cli
from tests.curriculum_tree import REAL_TREE
from tests.factories import (
    counts_from_results,
    kabupaten_counts_from_memberships,
    posyandu_counts_from_memberships,
    stored_counts,
    stored_kabupaten_counts,
    stored_posyandu_counts,
    stored_summary,
    summary_from_attempts,
)


def test_bench_data_summary_matches_its_attempts(app):
    sync_curriculum(load_curriculum(REAL_TREE))
    db.session.commit()
    result = run_cli(app, "bench-data", "--kabupaten", "1", "--kader", "120", "--no-answers")
    assert result.exit_code == 0, result.output
    db.session.rollback()
    expected = summary_from_attempts()
    assert len(expected) > 100  # enough kader learning to make the comparison mean something
    assert stored_summary() == expected
    sessions = counts_from_results()
    assert len(sessions) > 20 and stored_counts() == sessions  # practicals per session, likewise
    posyandu = posyandu_counts_from_memberships()
    assert len(posyandu) > 20 and stored_posyandu_counts() == posyandu  # kader per Posyandu and level
    assert stored_kabupaten_counts() == kabupaten_counts_from_memberships()

    replaced = run_cli(app, "bench-data", "--kabupaten", "1", "--kader", "30", "--no-answers", "--replace")
    assert replaced.exit_code == 0, replaced.output
    db.session.rollback()
    assert stored_summary() == summary_from_attempts()
    assert stored_counts() == counts_from_results()
    assert db.session.scalar(select(func.count()).select_from(KaderSkillQuiz)) == len(summary_from_attempts())


def test_demo_seed_summary_matches_its_attempts(app):
    """The demo's activity goes through the quiz services: the summary follows without help."""
    sync_curriculum(load_curriculum(REAL_TREE))
    db.session.commit()
    result = run_cli(app, "seed-demo")
    assert result.exit_code == 0, result.output
    db.session.rollback()
    expected = summary_from_attempts()
    assert expected and stored_summary() == expected
    assert counts_from_results() and stored_counts() == counts_from_results()
    assert stored_posyandu_counts() == posyandu_counts_from_memberships()
    assert stored_kabupaten_counts() == kabupaten_counts_from_memberships()
