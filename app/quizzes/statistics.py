"""Classical item analysis. Pure: no flask, no sqlalchemy.

Facility index p = share correct; discrimination D = p(upper 27%) - p(lower 27%), the groups
taken among the attempts that were shown the item, ranked by the attempt's overall score
(items are drawn at random from a bank, so each item has its own sample).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

GROUP_SHARE = 0.27
LOW_FACILITY, HIGH_FACILITY = 0.2, 0.95


@dataclass(frozen=True)
class Response:
    attempt_id: int
    attempt_score: float  # share correct over the whole attempt, 0..1
    item_id: int
    chosen: int | None  # authored option index, None when left blank
    correct: bool


@dataclass(frozen=True)
class ItemStats:
    item_id: int
    attempts: int
    facility: float | None
    discrimination: float | None
    choices: dict[int | None, int] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


def _share(rows: Sequence[Response]) -> float:
    return sum(r.correct for r in rows) / len(rows)


def item_stats(responses: Iterable[Response]) -> list[ItemStats]:
    by_item: dict[int, list[Response]] = {}
    for r in responses:
        by_item.setdefault(r.item_id, []).append(r)
    out: list[ItemStats] = []
    for item_id in sorted(by_item):
        rows = by_item[item_id]
        n = len(rows)
        facility = _share(rows)
        discrimination = None
        if n >= 2:
            group = max(1, round(GROUP_SHARE * n))
            ranked = sorted(rows, key=lambda r: (r.attempt_score, r.attempt_id))
            discrimination = _share(ranked[-group:]) - _share(ranked[:group])
        choices: dict[int | None, int] = {}
        for r in rows:
            choices[r.chosen] = choices.get(r.chosen, 0) + 1
        flags = []
        if facility < LOW_FACILITY:
            flags.append("too_hard")
        if facility > HIGH_FACILITY:
            flags.append("too_easy")
        if discrimination is not None and discrimination < 0:
            flags.append("negative_discrimination")
        out.append(ItemStats(item_id, n, facility, discrimination, choices, tuple(flags)))
    return out


def learning_gain(pretest: Sequence[float], best_post: Sequence[float]) -> float | None:
    """Mean best post-test score minus mean pre-test score (shares 0..1), over the same kader."""
    if not pretest or not best_post:
        return None
    return sum(best_post) / len(best_post) - sum(pretest) / len(pretest)
