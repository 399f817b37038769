"""`curriculum check` on the real tree and on broken copies of it."""

import shutil

from tests.conftest import run_cli
from tests.curriculum_tree import REAL_TREE, copy_real_tree, edit_yaml


def test_real_curriculum_passes_with_25_skills(app):
    result = run_cli(app, "curriculum", "check")
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("OK: 25 skills in 5 areas, ")
    items = int(last.split(", ")[1].split()[0])
    steps = int(last.split(", ")[2].split()[0])
    assert items >= 750 and steps >= 200
    for code in ("PP", "BB", "IH", "UR", "DL"):
        assert f"\n{code}  " in "\n" + result.output
    # Each skill's line reports what a guesser would get.
    assert result.output.count("guessing passes: longest ") == 25


def test_a_skill_whose_keys_are_all_the_longest_option_fails_and_names_the_file(app, tmp_path):
    tree = copy_real_tree(tmp_path / "c")
    items = next((tree / "skills").glob("K16-*")) / "items.yaml"

    def key_longest(data):
        for item in data["items"]:
            longest = max(len(o["text"]) for o in item["options"])
            key = next(o for o in item["options"] if o.get("correct"))
            key["text"] = key["text"] + " " + "x" * (longest - len(key["text"]) + 1)

    edit_yaml(items, key_longest)
    result = run_cli(app, "curriculum", "check", str(tree))
    assert result.exit_code == 1
    rel = items.relative_to(tree)
    assert f"{rel}: the keyed answer is the unique longest option in 100% of items" in result.output
    assert f"{rel}: guessing 'always the longest option' passes 100.00% of quiz draws" in result.output
    assert "K15-" not in result.output and "K17-" not in result.output  # only the broken skill


def test_duplicated_skill_code_fails_and_names_the_file(app, tmp_path):
    tree = copy_real_tree(tmp_path / "c")
    k05 = next((tree / "skills").glob("K05-*"))
    shutil.copytree(k05, tree / "skills" / "K05-salinan")
    result = run_cli(app, "curriculum", "check", str(tree))
    assert result.exit_code == 1
    assert "skills/K05-salinan/skill.yaml: duplicate skill code K05" in result.output


def test_item_with_two_correct_options_fails_and_names_the_file(app, tmp_path):
    tree = copy_real_tree(tmp_path / "c")
    items = next((tree / "skills").glob("K22-*")) / "items.yaml"

    def second_correct(data):
        item = data["items"][0]
        wrong = next(o for o in item["options"] if not o.get("correct"))
        wrong["correct"] = True

    edit_yaml(items, second_correct)
    result = run_cli(app, "curriculum", "check", str(tree))
    assert result.exit_code == 1
    rel = items.relative_to(tree)
    assert f"{rel}: item K22-Q01: needs exactly one correct option, has 2" in result.output


def test_real_tree_is_not_modified_by_tests():
    assert (REAL_TREE / "levels.yaml").is_file()
