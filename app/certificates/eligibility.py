"""Who can be certified, and what becomes of a dinkes officer's choice. Pure: no flask, no sqlalchemy.

A kader on an active roster can be certified at the level they have reached when they hold no
valid certificate for that level yet. The route loads the facts (rows, reached levels, valid
certificates) and issues; the rule lives here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from app.curriculum.levels import Level


class HasId(Protocol):
    @property
    def id(self) -> int: ...


K = TypeVar("K", bound=HasId)
P = TypeVar("P")


@dataclass(frozen=True)
class Candidate(Generic[K, P]):
    kader: K
    posyandu: P
    level: Level  # the level reached, to be certified


def candidates(
    rows: Iterable[tuple[K, P]], reached: Mapping[int, Level | None], held: set[tuple[int, str]]
) -> list[Candidate[K, P]]:
    """The (kader, Posyandu) rows whose reached level has no valid certificate, in row order.

    `held` holds (kader id, level code) of every valid certificate."""
    out: list[Candidate[K, P]] = []
    for kader, posyandu in rows:
        level = reached.get(kader.id)
        if level is not None and (kader.id, level.code) not in held:
            out.append(Candidate(kader, posyandu, level))
    return out


@dataclass
class Choice(Generic[K, P]):
    """The kader ids ticked, sorted: to issue, certified meanwhile, or not eligible at all."""

    to_issue: list[Candidate[K, P]] = field(default_factory=list)
    certified_meanwhile: list[int] = field(default_factory=list)
    not_eligible: list[int] = field(default_factory=list)


def sort_choice(
    chosen: Iterable[int], found: list[Candidate[K, P]], held: set[tuple[int, str]]
) -> Choice[K, P]:
    """Sort the ticked ids in id order. A kader who holds a valid certificate but is no longer
    a candidate was certified meanwhile (another tab or a colleague)."""
    by_id = {c.kader.id: c for c in found}
    certified = {kader_id for kader_id, _level in held}
    choice: Choice[K, P] = Choice()
    for kader_id in sorted(set(chosen)):
        if kader_id in by_id:
            choice.to_issue.append(by_id[kader_id])
        elif kader_id in certified:
            choice.certified_meanwhile.append(kader_id)
        else:
            choice.not_eligible.append(kader_id)
    return choice
