"""Material Markdown -> safe HTML (rendered once at sync, sanitised with an allow-list)."""

from __future__ import annotations

import markdown as md
import nh3

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
}


def render_material(text: str) -> str:
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None)
