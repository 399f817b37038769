"""TrueType fonts for every PDF, registered once per process (embedded in each document),
and the reportlab settings every PDF shares.

DejaVu covers the whole Latin range (and more), so any kader's name prints correctly.
The font files ship in static/fonts with their licence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
SANS = "KCSans"
SANS_BOLD = "KCSans-Bold"
SERIF = "KCSerif"
SERIF_BOLD = "KCSerif-Bold"

# Compressed streams are written as binary, not also ASCII85-encoded: A85 only made files a quarter
# larger and cost CPU on every page (every PDF reader takes binary streams).
rl_config.useA85 = 0


@cache
def register_fonts() -> None:
    for name, filename in (
        (SANS, "DejaVuSans.ttf"),
        (SANS_BOLD, "DejaVuSans-Bold.ttf"),
        (SERIF, "DejaVuSerif.ttf"),
        (SERIF_BOLD, "DejaVuSerif-Bold.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
