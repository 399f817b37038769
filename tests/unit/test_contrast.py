"""Text colours of the stylesheet meet WCAG AA contrast (4.5:1) on the backgrounds they are used on."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text(encoding="utf-8")
VARS = {
    name: value if len(value) == 7 else "#" + "".join(ch * 2 for ch in value[1:])
    for name, value in re.findall(r"--([a-z-]+):(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", CSS)
}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("ink", "bg"), ("ink", "card"), ("muted", "bg"), ("muted", "card"), ("blue", "card"), ("blue", "bg"),
        ("green", "card"), ("red", "card"), ("amber", "card"), ("green-dark", "card"),
    ],
)
def test_text_colours_meet_aa(text, background):
    assert ratio(VARS[text], VARS[background]) >= 4.5, (text, background)


def test_white_on_green_buttons_and_header():
    assert ratio("#ffffff", VARS["green"]) >= 4.5


@pytest.mark.parametrize(
    ("text", "background"),
    [("#1c2421", "#f3f7f5"), ("#1c2421", "#d4eadf"), ("#1c2421", "#a9d4bf"), ("#ffffff", "#23754f"),
     ("#ffffff", "#0b4f38")],
)
def test_heatmap_cells_are_readable(text, background):
    assert f"background:{background}" in CSS
    assert ratio(text, background) >= 4.5, (text, background)
