import shutil

import pytest

from app.curriculum.loader import CurriculumError, load_curriculum
from tests.curriculum_tree import build_tree, edit_yaml, write_skill


def problems(root):
    with pytest.raises(CurriculumError) as exc:
        load_curriculum(root)
    return [str(p) for p in exc.value.problems]


def test_valid_tree_loads_into_frozen_dataclasses(tmp_path):
    cur = load_curriculum(build_tree(tmp_path / "c"))
    assert [s.code for s in cur.skills] == ["K01", "K02", "K03", "K04", "K05"]
    assert cur.skills_by_area() == {"PP": ("K01", "K02"), "BB": ("K03", "K04"), "IH": ("K05",)}
    assert cur.item_count == 60 and cur.step_count == 30
    skill = cur.skills[0]
    assert skill.items[0].correct_index == 0 and skill.checklist[1].critical
    assert [lv.code for lv in cur.levels] == ["purwa", "madya", "utama"]
    with pytest.raises(AttributeError):
        skill.code = "K99"  # frozen


def test_content_hash_is_stable_and_sensitive(tmp_path):
    root = build_tree(tmp_path / "c")
    first = load_curriculum(root).content_hash()
    assert first == load_curriculum(root).content_hash()
    edit_yaml(root / "skills/K01-contoh/items.yaml", lambda d: d["items"][0].update(question="Baru?"))
    assert load_curriculum(root).content_hash() != first


def test_duplicate_skill_code_names_the_file(tmp_path):
    root = build_tree(tmp_path / "c")
    shutil.copytree(root / "skills/K02-contoh", root / "skills/K02-salinan")
    found = problems(root)
    assert any(p.startswith("skills/K02-salinan/skill.yaml: duplicate skill code K02") for p in found), found


def test_item_with_two_correct_options(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(
        root / "skills/K03-contoh/items.yaml", lambda d: d["items"][4]["options"][1].update(correct=True)
    )
    assert "skills/K03-contoh/items.yaml: item K03-Q05: needs exactly one correct option, has 2" in problems(
        root
    )


def test_item_with_no_correct_option(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K03-contoh/items.yaml", lambda d: d["items"][0]["options"][0].pop("correct"))
    assert "skills/K03-contoh/items.yaml: item K03-Q01: needs exactly one correct option, has 0" in problems(
        root
    )


def test_duplicate_options(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(
        root / "skills/K01-contoh/items.yaml",
        lambda d: d["items"][2]["options"][3].update(text=" pilihan 1 SOAL 3 "),
    )
    assert "skills/K01-contoh/items.yaml: item K01-Q03: has duplicate options" in problems(root)


def test_wrong_number_of_options(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K01-contoh/items.yaml", lambda d: d["items"][0]["options"].pop())
    assert "skills/K01-contoh/items.yaml: item K01-Q01: needs exactly 4 options, has 3" in problems(root)


@pytest.mark.parametrize(
    "field", ["code", "area", "title", "confidence", "sources", "objectives", "material", "checklist"]
)
def test_missing_skill_fields_are_reported(tmp_path, field):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K04-contoh/skill.yaml", lambda d: d.pop(field))
    found = problems(root)
    assert any(p.startswith("skills/K04-contoh/") for p in found), found


def test_missing_item_fields(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K01-contoh/items.yaml", lambda d: d["items"][0].pop("explanation"))
    edit_yaml(root / "skills/K01-contoh/items.yaml", lambda d: d["items"][1].update(difficulty="gampang"))
    found = problems(root)
    assert "skills/K01-contoh/items.yaml: item K01-Q01: missing or empty field 'explanation'" in found
    assert (
        "skills/K01-contoh/items.yaml: item K01-Q02: difficulty must be one of mudah, sedang, sulit" in found
    )


def test_too_few_steps(tmp_path):
    # The bank's size is an item-quality rule (tests/unit/test_item_quality.py).
    root = tmp_path / "c"
    build_tree(root)
    write_skill(root, "K05", "IH", n_items=11, n_steps=5)
    found = problems(root)
    assert "skills/K05-contoh/skill.yaml: checklist needs at least 6 steps, has 5" in found
    assert "skills/K05-contoh/skill.yaml: quiz.items_per_attempt (10) exceeds the item bank (11)" not in found


def test_checklist_needs_a_critical_step(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K01-contoh/skill.yaml", lambda d: d["checklist"][1].update(critical=False))
    assert "skills/K01-contoh/skill.yaml: checklist needs at least one critical step" in problems(root)


def test_unknown_area_in_skill(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(root / "skills/K01-contoh/skill.yaml", lambda d: d.update(area="XX"))
    assert "skills/K01-contoh/skill.yaml: unknown area 'XX'" in problems(root)


def test_level_rule_naming_unknown_area_or_skill(tmp_path):
    root = build_tree(
        tmp_path / "c",
        levels=(
            "levels:\n"
            "  - {code: purwa, name: Purwa, requires: [{all_of_area: ZZ}]}\n"
            "  - {code: madya, name: Madya, requires: [{complete_areas: {at_least: 1, from: [PP, QQ]}}]}\n"
            "  - {code: utama, name: Utama, requires: [{min_skills: {at_least: 1, from: [K77]}}]}\n"
        ),
    )
    found = problems(root)
    assert "levels.yaml: level purwa, requirement 1: unknown area 'ZZ'" in found
    assert "levels.yaml: level madya, requirement 1: unknown area(s) QQ" in found
    assert "levels.yaml: level utama, requirement 1: unknown skill(s) K77" in found


def test_invalid_yaml_and_encoding(tmp_path):
    root = build_tree(tmp_path / "c")
    (root / "skills/K01-contoh/items.yaml").write_text("items: [\n  - id: K01-Q01\n", encoding="utf-8")
    (root / "skills/K02-contoh/materi.md").write_bytes("Materi gizi \xe9".encode("latin-1"))
    found = problems(root)
    assert any(p.startswith("skills/K01-contoh/items.yaml: invalid YAML") for p in found), found
    assert "skills/K02-contoh/materi.md: not valid UTF-8" in found


def test_missing_files(tmp_path):
    root = build_tree(tmp_path / "c")
    (root / "skills/K02-contoh/materi.md").unlink()
    (root / "areas.yaml").unlink()
    found = problems(root)
    assert "skills/K02-contoh/materi.md: material file is missing" in found
    assert "areas.yaml: file is missing" in found


def test_every_problem_is_reported_at_once(tmp_path):
    root = build_tree(tmp_path / "c")
    edit_yaml(
        root / "skills/K01-contoh/items.yaml", lambda d: d["items"][0]["options"][1].update(correct=True)
    )
    edit_yaml(root / "skills/K04-contoh/skill.yaml", lambda d: d.pop("sources"))
    assert len(problems(root)) == 2


def test_not_a_directory(tmp_path):
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: not a directory"]
