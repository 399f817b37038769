"""Item fields the quality judge relies on (kind, source) and pictures in the curriculum tree."""

from __future__ import annotations

import pytest

from app.curriculum.basis import parse_basis
from app.curriculum.loader import CurriculumError, load_curriculum
from app.curriculum.markdown import render_material
from app.curriculum.pictures import sha256, svg_problem
from tests.curriculum_tree import build_tree, edit_yaml

GOOD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 120">'
    b'<rect x="10" y="10" width="300" height="100" fill="#fff" stroke="#000"/>'
    b'<text x="20" y="60" font-family="sans-serif" font-size="16">22,8 cm</text></svg>'
)


def problems(root):
    with pytest.raises(CurriculumError) as exc:
        load_curriculum(root)
    return [str(p) for p in exc.value.problems]


def test_a_clean_svg_passes():
    assert svg_problem(GOOD) is None


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (GOOD.replace(b"<rect", b"<script>alert(1)</script><rect"), "may not contain <script>"),
        (GOOD.replace(b"<rect", b'<rect onclick="x()"'), "event attributes"),
        (GOOD.replace(b"<rect", b'<a href="https://example.org"><rect/></a><rect'), "link outside"),
        (GOOD.replace(b'fill="#fff"', b'fill="url(https://x.org/a.svg)"'), "load anything from outside"),
        (GOOD.replace(b"<rect", b'<image href="data:image/png;base64,AA"/><rect'), "may not contain <image>"),
        (GOOD.replace(b' viewBox="0 0 320 120"', b""), "needs a viewBox"),
        (b"<html><body/></html>", "must be an <svg>"),
        (b"<svg", "not well-formed"),
        (GOOD.replace(b"</svg>", b"<!--" + b"x" * 20_000 + b"--></svg>"), "page budget"),
        (b'<!DOCTYPE svg [<!ENTITY a "aa">]>' + GOOD, "DOCTYPE"),
    ],
)
def test_unsafe_or_heavy_svgs_are_refused(svg, reason):
    problem = svg_problem(svg)
    assert problem is not None and reason in problem


def _with_picture(root, alt="Pita LiLA menunjuk 22,8 cm", path="gambar/K05-lila.svg"):
    folder = root / "skills/K05-contoh"
    (folder / "gambar").mkdir(exist_ok=True)
    (folder / "gambar/K05-lila.svg").write_bytes(GOOD)
    edit_yaml(folder / "items.yaml", lambda d: d["items"][0].update(image=path, image_alt=alt))
    return folder


def test_an_item_picture_is_loaded_by_hash_with_its_alt_text(tmp_path):
    root = build_tree(tmp_path / "c")
    _with_picture(root)
    cur = load_curriculum(root)
    item = next(s for s in cur.skills if s.code == "K05").items[0]
    assert item.picture is not None and item.picture.sha256 == sha256(GOOD)
    assert item.picture.alt == "Pita LiLA menunjuk 22,8 cm"
    assert cur.pictures == {sha256(GOOD): GOOD}


@pytest.mark.parametrize(
    ("alt", "path", "message"),
    [
        ("", "gambar/K05-lila.svg", "item K05-Q01: picture gambar/K05-lila.svg needs alt text"),
        ("Pita", "gambar/K05-tidak-ada.svg", "item K05-Q01: picture gambar/K05-tidak-ada.svg is missing"),
        ("Pita", "../../../etc/passwd", "must look like gambar/K05-name.svg"),
    ],
)
def test_bad_item_pictures_name_the_file(tmp_path, alt, path, message):
    root = build_tree(tmp_path / "c")
    _with_picture(root, alt=alt, path=path)
    assert any(p.startswith("skills/K05-contoh/items.yaml: ") and message in p for p in problems(root))


def test_items_need_a_kind_and_a_source(tmp_path):
    root = build_tree(tmp_path / "c")

    def strip(data):
        data["items"][0].pop("source")
        data["items"][1]["kind"] = "hafalan"

    edit_yaml(root / "skills/K01-contoh/items.yaml", strip)
    found = problems(root)
    assert "skills/K01-contoh/items.yaml: item K01-Q01: missing or empty field 'source'" in found
    assert (
        "skills/K01-contoh/items.yaml: item K01-Q02: kind must be one of recall, scenario, calculation"
        in found
    )


def test_material_pictures_are_served_by_hash_and_nothing_else_is(tmp_path):
    root = build_tree(tmp_path / "c")
    folder = _with_picture(root)
    (folder / "materi.md").write_text(
        "## Materi\n\n![Pita LiLA pada lengan kiri](gambar/K05-lila.svg)\n\n<img src=/logout>\n",
        encoding="utf-8",
    )
    skill = next(s for s in load_curriculum(root).skills if s.code == "K05")
    assert skill.material_pictures == (("gambar/K05-lila.svg", sha256(GOOD)),)
    html = render_material(skill.material, dict(skill.material_pictures))
    assert f'src="gambar/{sha256(GOOD)}.svg"' in html and 'alt="Pita LiLA pada lengan kiri"' in html
    assert "/logout" not in html


def test_a_material_picture_that_is_missing_names_the_material_file(tmp_path):
    root = build_tree(tmp_path / "c")
    (root / "skills/K02-contoh/materi.md").write_text("![Papan](gambar/K02-papan.svg)\n", encoding="utf-8")
    assert "skills/K02-contoh/materi.md: picture gambar/K02-papan.svg is missing" in problems(root)


def test_basis_entries_need_both_languages_and_a_confidence():
    entries, found = parse_basis(
        [
            {
                "part": {"id": "Lima bidang", "en": "Five areas"},
                "confidence": "C2",
                "note": {"id": "a", "en": "b"},
            },
            {"part": {"id": "Aturan"}, "confidence": "C1", "note": {"id": "a", "en": "b"}},
            {"part": {"id": "x", "en": "y"}, "confidence": "pasti", "note": {"id": "a", "en": "b"}},
        ]
    )
    assert [e.part_en for e in entries] == ["Five areas"]
    assert found == [
        "basis 2: part and note need both an 'id' and an 'en' text",
        "basis 3: confidence must be one of C2, C1, R",
    ]
