"""How sure we are of each part of the curriculum (curriculum.yaml `basis`). Pure.

The official list of skills, the level rules and the pass marks are not all published; an admin
must see which parts rest on confirmed public sources and which are reconstructed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CONFIDENCE = ("C2", "C1", "R")


@dataclass(frozen=True)
class BasisEntry:
    part_id: str
    part_en: str
    confidence: str  # C2: two or more sources; C1: one source; R: reconstructed
    note_id: str
    note_en: str


def _pair(raw: Any) -> tuple[str, str] | None:
    if isinstance(raw, dict) and all(isinstance(raw.get(k), str) and raw[k].strip() for k in ("id", "en")):
        return raw["id"].strip(), raw["en"].strip()
    return None


def parse_basis(raw: Any) -> tuple[tuple[BasisEntry, ...], list[str]]:
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), ["basis must be a list"]
    entries: list[BasisEntry] = []
    problems: list[str] = []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(f"basis {n}: expected a mapping")
            continue
        part, note = _pair(entry.get("part")), _pair(entry.get("note"))
        if part is None or note is None:
            problems.append(f"basis {n}: part and note need both an 'id' and an 'en' text")
            continue
        if entry.get("confidence") not in CONFIDENCE:
            problems.append(f"basis {n}: confidence must be one of {', '.join(CONFIDENCE)}")
            continue
        entries.append(BasisEntry(part[0], part[1], entry["confidence"], note[0], note[1]))
    return tuple(entries), problems
