import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.quizzes.scoring import authored_choice, draw, option_order, score


def test_pass_mark_is_inclusive_and_exact():
    answers = [(0, 0)] * 8 + [(1, 0)] * 2
    assert score(answers, 80).passed is True and score(answers, 80).percent == 80
    assert score(answers, 81).passed is False
    # 79.99% never rounds up to a pass
    assert score([(0, 0)] * 7999 + [(1, 0)] * 2001, 80).passed is False


def test_blank_answers_count_as_wrong():
    result = score([(None, 2), (2, 2), (None, 0)], 50)
    assert (result.correct, result.total, result.passed) == (1, 3, False)


def test_empty_attempt_never_passes():
    assert score([], 0).passed is False and score([], 80).percent == 0


def test_draw_and_option_order_are_permutations():
    rng = random.Random(1)
    picked = draw(list(range(12)), 10, rng)
    assert len(picked) == len(set(picked)) == 10
    assert sorted(draw([1, 2, 3], 10, rng)) == [1, 2, 3]
    order = option_order(4, rng)
    assert sorted(order) == [0, 1, 2, 3]


def test_forged_display_index_is_refused():
    assert authored_choice([2, 0, 3, 1], 0) == 2
    for bad in (-1, 4, 99):
        with pytest.raises(ValueError):
            authored_choice([2, 0, 3, 1], bad)


@given(
    st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 3)), st.integers(0, 3)), max_size=30),
    st.integers(1, 100),
)
def test_score_properties(answers, mark):
    result = score(answers, mark)
    assert 0 <= result.correct <= result.total == len(answers)
    assert result.passed == (len(answers) > 0 and result.correct * 100 >= mark * len(answers))
    assert 0 <= result.percent <= 100


@given(st.permutations([0, 1, 2, 3]), st.integers(-5, 10))
def test_answer_mapping_is_total_on_shown_options(order, display):
    if 0 <= display < 4:
        assert authored_choice(order, display) == order[display]
    else:
        with pytest.raises(ValueError):
            authored_choice(order, display)
