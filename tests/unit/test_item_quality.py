"""`curriculum check` judges item banks: guessing strategies, length cues, meta options, quotas."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.curriculum.item_quality import (
    judge,
    longest_option,
    most_shared_words,
    pass_probability,
    shortest_option,
    unique_longest_is_key,
    words,
)
from app.curriculum.loader import Item, Option, load_curriculum
from tests.curriculum_tree import build_tree, edit_yaml


def make_item(texts: list[str], correct: int = 0, question: str = "Apa yang dilakukan kader?") -> Item:
    options = tuple(Option(t, i == correct) for i, t in enumerate(texts))
    return Item("K01-Q01", "mudah", question, options, "Karena.", "recall", "Buku KIA 2023")


def brute_force(success: list[float], drawn: int, pass_mark: int) -> float:
    needed = math.ceil(pass_mark * drawn / 100)
    total = 0.0
    subsets = list(itertools.combinations(range(len(success)), drawn))
    for subset in subsets:
        for outcome in itertools.product((0, 1), repeat=drawn):
            if sum(outcome) < needed:
                continue
            p = 1.0
            for index, hit in zip(subset, outcome, strict=True):
                p *= success[index] if hit else 1 - success[index]
            total += p
    return total / len(subsets)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.25, 1 / 3, 0.5, 1.0]), min_size=1, max_size=7),
    st.integers(1, 7),
    st.integers(1, 100),
)
def test_pass_probability_equals_enumeration_of_every_draw(success, drawn, pass_mark):
    drawn = min(drawn, len(success))
    assert pass_probability(success, drawn, pass_mark) == pytest.approx(
        brute_force(success, drawn, pass_mark)
    )


def test_pass_probability_of_a_known_bank():
    # 30 items, 9 keyed longest: the longest-option strategy passes 8 of 10 only when the draw
    # holds at least 8 of those 9: (C(9,8)C(21,2) + C(9,9)C(21,1)) / C(30,10).
    expected = (9 * math.comb(21, 2) + math.comb(21, 1)) / math.comb(30, 10)
    assert pass_probability([1.0] * 9 + [0.0] * 21, 10, 80) == pytest.approx(expected)
    assert pass_probability([1.0] * 30, 10, 80) == 1.0
    assert pass_probability([0.25] * 30, 10, 80) == pytest.approx(0.000416, abs=1e-5)


def test_longest_and_shortest_strategies_split_ties():
    assert longest_option(make_item(["panjang sekali jawabannya", "pendek", "sedang ya", "kecil"])) == 1
    assert longest_option(make_item(["sama", "sama", "beda", "lain"], correct=0)) == 0.25
    assert longest_option(make_item(["aa", "bbbb", "cccc", "d"], correct=1)) == 0.5
    assert longest_option(make_item(["aa", "bbbb", "cccc", "d"], correct=3)) == 0
    assert shortest_option(make_item(["aa", "bbbb", "cccc", "d"], correct=3)) == 1
    assert unique_longest_is_key(make_item(["panjang sekali", "a", "b", "c"]))
    assert not unique_longest_is_key(make_item(["sama", "sama", "b", "c"]))


def test_word_overlap_strategy_counts_distinct_words_of_three_letters():
    assert words("Ibu di Posyandu, ibu KE posyandu") == {"ibu", "posyandu"}
    item = make_item(
        ["Timbang ulang balita", "Catat saja", "Pulangkan", "Tunggu"],
        question="Balita harus ditimbang ulang?",
    )
    assert most_shared_words(item) == 1
    assert most_shared_words(make_item(["x", "y", "z", "w"])) == 0.25


def _judge(root):
    return judge(load_curriculum(root))


def test_a_good_small_tree_has_no_problem(tmp_path):
    verdicts, problems = _judge(build_tree(tmp_path / "c"))
    assert problems == []
    assert {v.code for v in verdicts} == {"K01", "K02", "K03", "K04", "K05"}
    assert all(rate < 0.01 for v in verdicts for rate in v.guess_pass.values())


def _key_longest(data):
    for item in data["items"]:
        for option in item["options"]:
            if option.get("correct"):
                option["text"] += " dan dicatat dengan lengkap di buku register"


def test_keys_that_are_always_the_longest_fail_naming_the_file(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K03-contoh/items.yaml", _key_longest)
    _, problems = _judge(root)
    found = [str(p) for p in problems]
    assert (
        "skills/K03-contoh/items.yaml: the keyed answer is the unique longest option in 100% of items; "
        "at most 30% allowed"
    ) in found
    assert any(
        p.startswith("skills/K03-contoh/items.yaml: guessing 'always the longest option' passes 100.00%")
        for p in found
    )
    assert all(p.startswith("skills/K03-contoh/") for p in found)


def test_keys_that_echo_the_question_fail(tmp_path):
    root = build_tree(tmp_path / "c")

    def echo(data):
        for item in data["items"]:
            item["options"][0]["text"] = f"Pertanyaan untuk ini {item['id']}"

    edit_yaml(root / "skills/K02-contoh/items.yaml", echo)
    found = [str(p) for p in _judge(root)[1]]
    assert any("'always the option sharing most words with the question' passes 100.00%" in p for p in found)


def test_keys_that_are_always_the_shortest_fail(tmp_path):
    root = build_tree(tmp_path / "c")

    def shortest(data):
        for item in data["items"]:
            item["options"][0]["text"] = "Ya"

    edit_yaml(root / "skills/K02-contoh/items.yaml", shortest)
    found = [str(p) for p in _judge(root)[1]]
    assert any("'always the shortest option' passes 100.00%" in p for p in found)


@pytest.mark.parametrize(
    "text", ["Semua benar", "Semua jawaban di atas benar", "Tidak ada yang benar", "A dan B benar"]
)
def test_options_that_refer_to_other_options_fail(tmp_path, text):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K01-contoh/items.yaml", lambda d: d["items"][3]["options"][2].update(text=text))
    found = [str(p) for p in _judge(root)[1]]
    assert f"skills/K01-contoh/items.yaml: item K01-Q04: option {text!r} refers to other options" in found


def test_a_question_asked_twice_fails_even_across_skills(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(
        root / "skills/K04-contoh/items.yaml",
        lambda d: d["items"][0].update(question="Pertanyaan 1 untuk K01?"),
    )
    found = [str(p) for p in _judge(root)[1]]
    assert "skills/K04-contoh/items.yaml: item K04-Q01: same question as K01-Q01" in found


def test_bank_size_applied_share_and_picture_quota_come_from_the_rules(tmp_path):
    root = build_tree(tmp_path / "c")
    (root / "curriculum.yaml").write_text(
        'version: "uji"\ntitle: Uji\nsettings:\n  item_rules:\n    min_items: 13\n'
        "    min_applied_share: 0.9\n    picture_areas: [IH]\n    min_picture_items: 1\n",
        encoding="utf-8",
    )
    found = [str(p) for p in _judge(root)[1]]
    assert "skills/K05-contoh/items.yaml: item bank needs at least 13 items, has 12" in found
    assert (
        "skills/K01-contoh/items.yaml: only 8 of 12 items are scenario or calculation items; "
        "at least 90% are needed"
    ) in found
    assert "skills/K05-contoh/items.yaml: needs at least 1 picture items, has 0" in found
    assert not any(p.startswith("skills/K04-contoh/items.yaml: needs at least") for p in found)


def test_unknown_or_bad_item_rules_are_format_problems(tmp_path):
    from app.curriculum.loader import CurriculumError

    root = build_tree(tmp_path / "c")
    (root / "curriculum.yaml").write_text(
        'version: "uji"\ntitle: Uji\nsettings:\n  item_rules: {min_itmes: 3, max_guess_pass_rate: 2}\n',
        encoding="utf-8",
    )
    with pytest.raises(CurriculumError) as exc:
        load_curriculum(root)
    found = [str(p) for p in exc.value.problems]
    assert "curriculum.yaml: settings.item_rules: unknown rule 'min_itmes'" in found
    assert "curriculum.yaml: settings.item_rules.max_guess_pass_rate must be a number from 0 to 1" in found
