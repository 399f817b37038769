"""Who can be certified, and how a ticked list is sorted (pure rule of the eligible page)."""

from dataclasses import dataclass

from app.certificates.eligibility import candidates, sort_choice
from app.curriculum.levels import Level


@dataclass(frozen=True)
class K:
    id: int


FIRST = Level("satu", "Satu", ())
SECOND = Level("dua", "Dua", ())
ROWS = [(K(1), "P1"), (K(2), "P1"), (K(3), "P2"), (K(4), "P2")]
REACHED = {1: SECOND, 2: FIRST, 3: None, 4: FIRST}
HELD = {(2, "satu"), (4, "satu"), (1, "satu")}  # 1 holds the level below the one reached


def test_candidates_are_kader_whose_reached_level_has_no_valid_certificate():
    found = candidates(ROWS, REACHED, HELD)
    assert [(c.kader.id, c.posyandu, c.level.code) for c in found] == [(1, "P1", "dua")]


def test_a_ticked_list_is_sorted_into_issue_meanwhile_and_not_eligible():
    found = candidates(ROWS, REACHED, HELD)
    choice = sort_choice([4, 1, 3, 99, 1], found, HELD)
    assert [c.kader.id for c in choice.to_issue] == [1]
    assert choice.certified_meanwhile == [4]  # holds a valid certificate, no longer a candidate
    assert choice.not_eligible == [3, 99]
