"""What `curriculum check` demands of every item bank, from curriculum.yaml `settings.item_rules`.

The defaults are the house standard; a ministry may tighten them in the file, and small test
trees may relax them there too. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ItemRules:
    min_items: int = 30
    min_applied_share: float = 1 / 3  # scenario + calculation items
    max_longest_key_share: float = 0.30  # keyed answer is the unique longest option
    max_guess_pass_rate: float = 0.01  # any guessing strategy, over the real draws
    picture_areas: tuple[str, ...] = ("BB", "IH", "DL")
    min_picture_items: int = 3


_SHARES = ("min_applied_share", "max_longest_key_share", "max_guess_pass_rate")
_COUNTS = ("min_items", "min_picture_items")


def parse_item_rules(raw: Any) -> tuple[ItemRules, list[str]]:
    """(rules, problems) from the `item_rules` mapping; unknown keys and bad values are problems."""
    if raw is None:
        return ItemRules(), []
    if not isinstance(raw, dict):
        return ItemRules(), ["settings.item_rules must be a mapping"]
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _SHARES:
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                problems.append(f"settings.item_rules.{key} must be a number from 0 to 1")
                continue
            values[key] = float(value)
        elif key in _COUNTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"settings.item_rules.{key} must be a whole number, 0 or more")
                continue
            values[key] = value
        elif key == "picture_areas":
            if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                problems.append("settings.item_rules.picture_areas must be a list of area codes")
                continue
            values[key] = tuple(value)
        else:
            problems.append(f"settings.item_rules: unknown rule {key!r}")
    return ItemRules(**values), problems
