"""Builds small, valid curriculum trees on disk for loader and sync tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REAL_TREE = ROOT / "curriculum"
AREAS = {"PP": ["K01", "K02"], "BB": ["K03", "K04"], "IH": ["K05"]}
# One title as long as the real ones, so layouts meet a label that wraps on a phone.
LONG_TITLES = {"K05": "Keterampilan K05: menimbang dan mengukur LiLA ibu hamil lalu menjelaskan hasilnya"}


def item(code: str, n: int, correct: int = 0) -> dict:
    return {
        "id": f"{code}-Q{n:02d}",
        "difficulty": ["mudah", "sedang", "sulit"][n % 3],
        "question": f"Pertanyaan {n} untuk {code}?",
        "options": [
            {"text": f"Pilihan {k} soal {n}", **({"correct": True} if k == correct else {})} for k in range(4)
        ],
        "explanation": f"Penjelasan soal {n}.",
        "kind": ["recall", "scenario", "calculation"][n % 3],
        "source": "Buku KIA 2023",
    }


def write_skill(root: Path, code: str, area: str, n_items: int = 12, n_steps: int = 6) -> Path:
    folder = root / "skills" / f"{code}-contoh"
    folder.mkdir(parents=True, exist_ok=True)
    skill = {
        "code": code,
        "area": area,
        "title": {"id": LONG_TITLES.get(code, f"Keterampilan {code}"), "en": f"Skill {code}"},
        "confidence": "C1",
        "sources": ["Buku KIA 2023"],
        "objectives": ["Tujuan satu", "Tujuan dua", "Tujuan tiga"],
        "material": "materi.md",
        "quiz": {"pass_mark": 80, "items_per_attempt": 10, "time_limit_minutes": None},
        "checklist": [
            {"id": f"{code}-S{i:02d}", "text": f"Langkah {i}", "critical": i == 2}
            for i in range(1, n_steps + 1)
        ],
    }
    (folder / "skill.yaml").write_text(yaml.safe_dump(skill, allow_unicode=True), encoding="utf-8")
    items = {"items": [item(code, i) for i in range(1, n_items + 1)]}
    (folder / "items.yaml").write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    (folder / "materi.md").write_text(
        f"## Materi {code}\n\nIsi materi <script>alert(1)</script>.\n", encoding="utf-8"
    )
    return folder


def build_tree(root: Path, levels: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    # Small banks of 12 same-length items: size and picture quotas relaxed, guessing rules kept.
    (root / "curriculum.yaml").write_text(
        'version: "uji-1"\ntitle: Uji\n'
        "settings:\n  item_rules: {min_items: 12, min_picture_items: 0}\n",
        encoding="utf-8",
    )
    areas = {"areas": [{"code": a, "title": {"id": f"Bidang {a}", "en": f"Area {a}"}} for a in AREAS]}
    (root / "areas.yaml").write_text(yaml.safe_dump(areas), encoding="utf-8")
    (root / "levels.yaml").write_text(
        levels
        or (
            "levels:\n"
            "  - {code: purwa, name: Purwa, requires: [{all_of_area: PP}]}\n"
            "  - {code: madya, name: Madya, requires: [{all_of_area: PP}, {all_of_area: BB}]}\n"
            "  - {code: utama, name: Utama, requires: [{min_skills: {at_least: 5}}]}\n"
        ),
        encoding="utf-8",
    )
    for area, codes in AREAS.items():
        for code in codes:
            write_skill(root, code, area)
    return root


def copy_real_tree(dest: Path) -> Path:
    shutil.copytree(REAL_TREE, dest)
    return dest


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
