"""The checklist's rule: the result an assessor is offered from the ticks. Pure: no flask, no sqlalchemy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StepTick:
    critical: bool
    done: bool


def suggest_kompeten(ticks: Iterable[StepTick], min_share: float) -> bool:
    """Kompeten when every critical step and at least `min_share` of all steps were done."""
    ticks = list(ticks)
    if not ticks:
        return False
    if any(t.critical and not t.done for t in ticks):
        return False
    return sum(t.done for t in ticks) >= min_share * len(ticks) - 1e-9
