"""Item analysis against hand-computed figures."""

import pytest

from app.quizzes.statistics import Response, item_stats, learning_gain


def r(attempt, score, item, chosen, correct):
    return Response(attempt, score, item, chosen, correct)


def test_hand_computed_facility_and_discrimination():
    # 10 attempts saw item 7; ranked by attempt score, top 27% = 3 attempts, bottom 3.
    rows = [
        r(1, 0.9, 7, 0, True),
        r(2, 0.8, 7, 0, True),
        r(3, 0.7, 7, 1, False),
        r(4, 0.6, 7, 0, True),
        r(5, 0.5, 7, 0, True),
        r(6, 0.4, 7, 2, False),
        r(7, 0.3, 7, None, False),
        r(8, 0.2, 7, 0, True),
        r(9, 0.1, 7, 3, False),
        r(10, 0.0, 7, 1, False),
    ]
    (s,) = item_stats(rows)
    assert s.attempts == 10
    assert s.facility == pytest.approx(0.5)  # 5 of 10 correct
    # upper (0.9, 0.8, 0.7): 2/3 correct; lower (0.0, 0.1, 0.2): 1/3 correct -> D = 1/3
    assert s.discrimination == pytest.approx(1 / 3)
    assert s.choices == {0: 5, 1: 2, 2: 1, None: 1, 3: 1}
    assert s.flags == ()


def test_flags():
    hard = [r(i, i / 10, 1, 1, False) for i in range(10)]  # facility 0
    easy = [r(i, i / 10, 2, 0, True) for i in range(10)]  # facility 1
    reversed_ = [r(i, i / 10, 3, 0, i < 5) for i in range(10)]  # weak kader right, strong wrong
    stats = {s.item_id: s for s in item_stats(hard + easy + reversed_)}
    assert stats[1].flags == ("too_hard",)
    assert stats[2].flags == ("too_easy",)
    assert stats[3].discrimination == pytest.approx(-1.0)
    assert stats[3].flags == ("negative_discrimination",)


def test_single_response_has_no_discrimination():
    (s,) = item_stats([r(1, 1.0, 5, 0, True)])
    assert s.discrimination is None and s.facility == 1.0


def test_learning_gain():
    assert learning_gain([0.4, 0.6], [0.8, 1.0]) == pytest.approx(0.4)
    assert learning_gain([], [0.9]) is None
