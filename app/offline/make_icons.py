"""Draw the app's PNG icons with Pillow (run once; the PNGs are committed under static/icons/).

.venv/bin/python -m app.offline.make_icons
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (11, 110, 79, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[2] / "static" / "icons"


def draw(size: int, *, maskable: bool) -> Image.Image:
    """A white tick in a green field; a maskable icon keeps the mark in the central safe zone."""
    image = Image.new("RGBA", (size, size), GREEN if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=GREEN)
    inset = size * (0.28 if maskable else 0.2)
    span = size - 2 * inset
    points = [
        (inset + span * 0.05, inset + span * 0.55),
        (inset + span * 0.38, inset + span * 0.85),
        (inset + span * 0.95, inset + span * 0.18),
    ]
    pen.line(points, fill=WHITE, width=max(2, int(size * 0.09)), joint="curve")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
