from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.practicals.rules import StepTick, suggest_kompeten
from app.progress.mastery import PracticalPass, QuizPass, mastery

T0 = datetime(2026, 5, 1, 9, tzinfo=UTC)


def q(days, n=1):
    return QuizPass(n, T0 + timedelta(days=days))


def p(days, n=1):
    return PracticalPass(n, T0 + timedelta(days=days), 7)


@pytest.mark.parametrize(
    ("ticks", "share", "expected"),
    [
        ([], 0.75, False),
        ([StepTick(True, True)] * 6, 0.75, True),
        ([StepTick(True, False)] + [StepTick(False, True)] * 7, 0.5, False),  # a critical step missed
        (
            [StepTick(True, True)] * 2 + [StepTick(False, True)] * 4 + [StepTick(False, False)] * 2,
            0.75,
            True,
        ),  # 6/8
        (
            [StepTick(True, True)] * 2 + [StepTick(False, True)] * 3 + [StepTick(False, False)] * 3,
            0.75,
            False,
        ),  # 5/8
        ([StepTick(False, True)] * 3 + [StepTick(False, False)], 0.75, True),  # 3/4 exactly
        ([StepTick(False, True)] * 2 + [StepTick(False, False)] * 2, 1.0, False),
    ],
)
def test_suggestion(ticks, share, expected):
    assert suggest_kompeten(ticks, share) is expected


def test_no_evidence_no_mastery():
    assert mastery([], [], False) is None
    assert mastery([q(0)], [], False) is None
    assert mastery([], [p(0)], False) is None


def test_quiz_and_practical_in_any_order_by_default():
    m = mastery([q(5)], [p(1)], quiz_before_practical=False)
    assert m is not None and m.at == T0 + timedelta(days=5)
    assert m.quiz.attempt_id == 1 and m.practical.result_id == 1


def test_quiz_first_setting():
    assert mastery([q(5)], [p(1)], quiz_before_practical=True) is None
    m = mastery([q(5)], [p(1, 1), p(9, 2)], quiz_before_practical=True)
    assert m.practical.result_id == 2 and m.at == T0 + timedelta(days=9)


def test_earliest_evidence_is_kept():
    m = mastery([q(8, 2), q(3, 1)], [p(10, 5), p(4, 4)], quiz_before_practical=False)
    assert (m.quiz.attempt_id, m.practical.result_id) == (1, 4)


times = st.integers(min_value=0, max_value=60)


@given(st.lists(times, max_size=4), st.lists(times, max_size=4), st.booleans())
def test_properties(quiz_days, practical_days, quiz_first):
    m = mastery(
        [q(d, i) for i, d in enumerate(quiz_days)],
        [p(d, i) for i, d in enumerate(practical_days)],
        quiz_first,
    )
    if not quiz_days or not practical_days:
        assert m is None
    elif not quiz_first:
        assert m is not None
    else:
        assert (m is not None) == (max(practical_days) >= min(quiz_days))
    if m is not None and quiz_first:
        assert m.practical.at >= m.quiz.at
