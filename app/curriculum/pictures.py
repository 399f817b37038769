"""Pictures in the curriculum tree: hand-drawn SVG files checked before they reach a page. Pure.

A picture is served from the app's own origin as an <img> (scripts in an <img> never run),
but it is still checked here so that nothing in the tree can load from elsewhere, run code or
break the page budget of a cheap phone.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

MAX_PICTURE_BYTES = 16_000
PICTURE_PATH = re.compile(r"gambar/[A-Za-z0-9][A-Za-z0-9._-]*\.svg")
MATERIAL_PICTURE = re.compile(r"!\[([^\]\n]*)\]\(([^)\s]+)\)")
_SVG = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_TAGS = {"script", "foreignObject", "image", "iframe", "object", "embed"}
_EXTERNAL = re.compile(r"url\(\s*['\"]?(?!#)|@import|javascript:", re.IGNORECASE)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def svg_problem(data: bytes) -> str | None:
    """Why this SVG may not be shown, or None when it is fine."""
    if len(data) > MAX_PICTURE_BYTES:
        return f"picture is {len(data):,} bytes; at most {MAX_PICTURE_BYTES:,} (page budget)"
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "picture may not declare a DOCTYPE or entities"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"picture is not well-formed SVG: {exc}"
    if root.tag != f"{_SVG}svg":
        return "picture must be an <svg> in the SVG namespace"
    if not root.get("viewBox"):
        return "picture needs a viewBox so that it scales to the phone's width"
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG)
        if tag.split("}")[-1] in _FORBIDDEN_TAGS:
            return f"picture may not contain <{tag.split('}')[-1]}>"
        for name, value in element.attrib.items():
            local = name.split("}")[-1]
            if local.lower().startswith("on"):
                return f"picture may not have event attributes ({local})"
            if local == "href" and not value.startswith("#"):
                return "picture may not link outside itself"
            if _EXTERNAL.search(value):
                return "picture may not load anything from outside"
        if tag == "style" and element.text and _EXTERNAL.search(element.text):
            return "picture may not load anything from outside"
    return None


def read_picture(folder: Path, relative: str) -> tuple[bytes | None, str | None]:
    """(bytes, None) for a valid picture in the skill folder, else (None, problem)."""
    if not PICTURE_PATH.fullmatch(relative):
        return None, f"picture path {relative!r} must look like gambar/K05-name.svg"
    path = folder / relative
    if not path.is_file():
        return None, f"picture {relative} is missing"
    data = path.read_bytes()
    problem = svg_problem(data)
    return (None, f"{relative}: {problem}") if problem else (data, None)


def material_pictures(markdown: str) -> list[tuple[str, str]]:
    """(alt, path) of every picture written as ![alt](path) in a material file."""
    return [(alt.strip(), path) for alt, path in MATERIAL_PICTURE.findall(markdown)]
