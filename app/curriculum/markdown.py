"""Material Markdown -> safe HTML (rendered once at sync, sanitised with an allow-list)."""

from __future__ import annotations

import re

import markdown as md
import nh3

from app.curriculum.pictures import MATERIAL_PICTURE

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "br",
    "hr",
    "code",
    "img",
}
ATTRIBUTES = {"img": {"src", "alt", "loading", "class"}}


_PICTURE_SRC = re.compile(r"gambar/[0-9a-f]{64}\.svg")


def _only_our_pictures(element: str, attribute: str, value: str) -> str | None:
    # Raw HTML in a material file must not point an <img> anywhere but a stored picture.
    if element == "img" and attribute == "src" and not _PICTURE_SRC.fullmatch(value):
        return None
    return value


def picture_url(sha256: str) -> str:
    """Relative to the material page (/belajar/<code>): /belajar/gambar/<sha256>.svg."""
    return f"gambar/{sha256}.svg"


def render_material(text: str, pictures: dict[str, str] | None = None) -> str:
    """Markdown -> sanitised HTML; pictures (path in the skill folder -> SHA-256) become <img>s
    served by hash. A picture path not in `pictures` is dropped rather than left dangling."""
    known = pictures or {}

    def picture(match) -> str:
        alt, path = match.group(1), match.group(2)
        return f"![{alt}]({picture_url(known[path])})" if path in known else ""

    html = md.markdown(MATERIAL_PICTURE.sub(picture, text), extensions=["tables", "sane_lists"])
    html = html.replace("<img ", '<img loading="lazy" class="picture" ')
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ATTRIBUTES,
        link_rel=None,
        url_schemes=set(),
        attribute_filter=_only_our_pictures,
    )
