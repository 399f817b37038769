"""Quiz drawing and scoring. Pure: no flask, no sqlalchemy (randomness is passed in)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    passed: bool

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def draw(item_ids: Sequence[int], count: int, rng: random.Random) -> list[int]:
    """`count` distinct items at random (all of them, shuffled, when the bank is smaller)."""
    return rng.sample(list(item_ids), min(count, len(item_ids)))


def option_order(n_options: int, rng: random.Random) -> list[int]:
    """A random display order of the authored option indexes."""
    order = list(range(n_options))
    rng.shuffle(order)
    return order


def authored_choice(order: Sequence[int], display_index: int) -> int:
    """The authored option behind a displayed position; ValueError for a forged position."""
    if not 0 <= display_index < len(order):
        raise ValueError("option not shown")
    return order[display_index]


def score(answers: Sequence[tuple[int | None, int]], pass_mark: int) -> Score:
    """answers: (chosen authored index or None, correct authored index) per item shown.

    Passed when correct/total reaches the pass mark exactly or above (integer arithmetic, so
    8 of 10 passes a mark of 80 and no rounding can lift 79.9% to a pass).
    """
    total = len(answers)
    correct = sum(1 for chosen, right in answers if chosen is not None and chosen == right)
    passed = total > 0 and correct * 100 >= pass_mark * total
    return Score(correct, total, passed)
