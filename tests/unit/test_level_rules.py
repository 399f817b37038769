"""Level rules engine: both variants of the domain reference, exhaustively over complete areas."""

from itertools import combinations
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.curriculum.levels import level_rank, levels_from_data, levels_to_data, parse_levels
from app.progress.rules import evaluate, level_reached

ROOT = Path(__file__).resolve().parents[2]
SKILLS = {
    "PP": ("K01", "K02", "K03", "K04"),
    "BB": ("K05", "K06", "K07", "K08", "K09", "K10", "K11", "K12", "K13"),
    "IH": ("K14", "K15", "K16", "K17"),
    "UR": ("K18", "K19", "K20"),
    "DL": ("K21", "K22", "K23", "K24", "K25"),
}
ALL = tuple(s for group in SKILLS.values() for s in group)
LIFE = ("BB", "IH", "UR", "DL")


def load(name):
    data = yaml.safe_load((ROOT / "curriculum" / name).read_text(encoding="utf-8"))
    levels, problems = parse_levels(data, set(SKILLS), set(ALL))
    assert problems == []
    return levels


VARIANT_A = load("levels.yaml")
VARIANT_B = load("alternatives/levels-variant-b.yaml")


def mastered_areas(*areas):
    return {s for a in areas for s in SKILLS[a]}


def expected_a(complete):
    others = len(complete & {"IH", "UR", "DL"})
    if len(complete) == 5:
        return "utama"
    if {"PP", "BB"} <= complete and others >= 2:
        return "madya"
    if {"PP", "BB"} <= complete and others >= 1:
        return "purwa"
    return None


def expected_b(complete):
    life = len(complete & set(LIFE))
    if len(complete) == 5:
        return "utama"
    if "PP" in complete and life >= 2:
        return "madya"
    if "PP" in complete and life >= 1:
        return "purwa"
    return None


ALL_AREA_SETS = [set(c) for n in range(6) for c in combinations(SKILLS, n)]


@pytest.mark.parametrize("complete", ALL_AREA_SETS, ids=lambda c: "+".join(sorted(c)) or "none")
def test_variant_a_every_combination_of_complete_areas(complete):
    status = evaluate(VARIANT_A, SKILLS, mastered_areas(*complete))
    assert (status.current.code if status.current else None) == expected_a(complete)


@pytest.mark.parametrize("complete", ALL_AREA_SETS, ids=lambda c: "+".join(sorted(c)) or "none")
def test_variant_b_every_combination_of_complete_areas(complete):
    status = evaluate(VARIANT_B, SKILLS, mastered_areas(*complete))
    assert (status.current.code if status.current else None) == expected_b(complete)


def test_empty_mastery_variant_a():
    status = evaluate(VARIANT_A, SKILLS, [])
    assert status.current is None and status.next.code == "purwa"
    # shortest route to one more area: UR (3 skills)
    assert status.missing_skills == tuple(sorted(SKILLS["PP"] + SKILLS["BB"] + SKILLS["UR"]))


def test_partial_mastery_names_the_exact_gap():
    mastered = mastered_areas("PP", "BB", "UR") - {"K19"}
    status = evaluate(VARIANT_A, SKILLS, mastered)
    assert status.current is None
    assert status.missing_skills == ("K19",)
    assert status.next.code == "purwa"


def test_purwa_to_madya_example_from_the_issue():
    status = evaluate(VARIANT_A, SKILLS, mastered_areas("PP", "BB", "UR") | {"K17"})
    assert status.current.code == "purwa" and status.next.code == "madya"
    assert status.missing_skills == ("K14", "K15", "K16")


def test_complete_mastery_both_variants():
    for levels in (VARIANT_A, VARIANT_B):
        status = evaluate(levels, SKILLS, ALL)
        assert status.current.code == "utama" and status.next is None and status.shortfalls == ()


def test_variant_b_purwa_with_only_pp_and_ur():
    status = evaluate(VARIANT_B, SKILLS, mastered_areas("PP", "UR"))
    assert status.current.code == "purwa"
    assert status.next.code == "madya" and status.missing_skills == SKILLS["IH"]


def test_min_skills_rule_reports_how_many_more():
    data = {
        "levels": [
            {
                "code": "x",
                "name": "X",
                "requires": [{"min_skills": {"at_least": 3, "from": ["K01", "K02", "K03", "K04"]}}],
            }
        ]
    }
    levels, problems = parse_levels(data, set(SKILLS), set(ALL))
    assert problems == []
    status = evaluate(levels, SKILLS, ["K01"])
    assert status.shortfalls[0].more_skills == 2
    assert status.shortfalls[0].skills == ("K02", "K03", "K04") and status.missing_skills == ()
    assert evaluate(levels, SKILLS, ["K01", "K02", "K04"]).current.code == "x"


def test_serialisation_round_trip():
    assert levels_from_data(levels_to_data(VARIANT_A)) == VARIANT_A


@pytest.mark.parametrize(
    ("requires", "message"),
    [
        ([{"all_of_area": "ZZ"}], "unknown area 'ZZ'"),
        (
            [{"complete_areas": {"at_least": 4, "from": ["PP", "BB"]}}],
            "at_least 4 is more than the 2 areas listed",
        ),
        ([{"min_skills": {"at_least": 0}}], "at_least must be a whole number of at least 1"),
        ([{"sometimes": "PP"}], "unknown requirement 'sometimes'"),
        ([{"all_of_area": "PP", "min_skills": 2}], "expected one of all_of_area, complete_areas, min_skills"),
    ],
)
def test_invalid_rules_are_explained(requires, message):
    _, problems = parse_levels(
        {"levels": [{"code": "x", "name": "X", "requires": requires}]}, set(SKILLS), set(ALL)
    )
    assert problems == [f"level x, requirement 1: {message}"]


mastery_sets = st.sets(st.sampled_from(ALL))


@settings(max_examples=300)
@given(mastered=mastery_sets, extra=mastery_sets)
def test_more_mastery_never_lowers_the_level(mastered, extra):
    for levels in (VARIANT_A, VARIANT_B):
        order = [None] + [lv.code for lv in levels]
        before = evaluate(levels, SKILLS, mastered).current
        after = evaluate(levels, SKILLS, mastered | extra).current
        assert order.index(after.code if after else None) >= order.index(before.code if before else None)


@settings(max_examples=300)
@given(mastered=mastery_sets)
def test_mastering_what_is_missing_reaches_the_next_level(mastered):
    for levels in (VARIANT_A, VARIANT_B):
        status = evaluate(levels, SKILLS, mastered)
        if status.next is not None:
            assert not level_reached(status.next, SKILLS, mastered)
            assert level_reached(status.next, SKILLS, mastered | set(status.missing_skills))
            assert set(status.missing_skills).isdisjoint(mastered)


def test_old_stored_levels_get_the_default_looks():
    """Versions synced before names in English, colours and wording were data still load."""
    stored = [
        {k: v for k, v in lv.items() if k in ("code", "name", "requirements")}
        for lv in levels_to_data(VARIANT_A)
    ]
    levels = levels_from_data(stored)
    assert [lv.code for lv in levels] == [lv.code for lv in VARIANT_A]
    assert levels[0].label("en") == levels[0].name and levels[0].colour.startswith("#")


def test_level_looks_are_data_and_checked():
    data = {
        "levels": [
            {
                "code": "dasar",
                "name": "Dasar",
                "name_en": "Basic",
                "colour": "#123ABC",
                "certificate": "dinyatakan cakap pada jenjang",
                "requires": [{"min_skills": {"at_least": 1}}],
            },
            {
                "code": "Bad-Code",
                "name": "Y",
                "colour": "green",
                "name_en": "",
                "requires": [{"min_skills": {"at_least": 2}}],
            },
        ]
    }
    levels, problems = parse_levels(data, set(SKILLS), set(ALL))
    first = levels[0]
    assert (first.label("en"), first.label("id"), first.colour, first.wording) == (
        "Basic",
        "Dasar",
        "#123abc",
        "dinyatakan cakap pada jenjang",
    )
    assert level_rank(levels) == {"dasar": 0, "Bad-Code": 1}
    assert any("code 'Bad-Code'" in p for p in problems)
    assert any("colour must be a hex colour" in p for p in problems)
    assert any("name_en must be non-empty" in p for p in problems)
