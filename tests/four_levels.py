"""A curriculum with four levels under codes, names and colours the app has never heard of.

Built on tests/curriculum_tree.py's small tree (PP: K01-K02, BB: K03-K04, IH: K05); each level
needs more than the one below, so mastering all five skills reaches the fourth.
"""

from __future__ import annotations

from pathlib import Path

from tests.curriculum_tree import build_tree

FOUR_LEVELS = """\
levels:
  - code: pemula
    name: Pemula
    name_en: Beginner
    colour: "#1f6f8b"
    certificate: telah menyelesaikan tahap awal keterampilan kader pada jenjang
    requires: [{all_of_area: PP}]
  - code: terampil
    name: Terampil
    name_en: Skilled
    colour: "#5b3c88"
    certificate: telah terampil dalam keterampilan dasar kader pada jenjang
    requires: [{all_of_area: PP}, {min_skills: {at_least: 3}}]
  - code: mahir
    name: Mahir
    name_en: Proficient
    colour: "#8a5a00"
    certificate: telah mahir dalam keterampilan dasar kader pada jenjang
    requires: [{all_of_area: PP}, {all_of_area: BB}]
  - code: teladan
    name: Teladan
    name_en: Exemplary
    colour: "#a31d5f"
    certificate: menjadi teladan dalam keterampilan dasar kader pada jenjang
    requires: [{complete_areas: {at_least: 3, from: [PP, BB, IH]}}]
"""
CODES = ["pemula", "terampil", "mahir", "teladan"]
NAMES = ["Pemula", "Terampil", "Mahir", "Teladan"]
NAMES_EN = ["Beginner", "Skilled", "Proficient", "Exemplary"]
TOP_COLOUR = "#a31d5f"
TOP_WORDING = "menjadi teladan dalam keterampilan dasar kader pada jenjang"


def build_four_level_tree(root: Path) -> Path:
    return build_tree(root, levels=FOUR_LEVELS)
