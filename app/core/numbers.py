"""Numbers typed into URLs and forms, checked at the edge: a bad one is 'not found', never a 500.

`str.isdigit()` accepts '²' and '①', which `int()` then refuses; and an id past the 32-bit
range makes PostgreSQL fail the query. Every view reads numbers through these helpers.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases


def parse_int(text: str | None, lo: int = 0, hi: int = MAX_ID) -> int | None:
    """An ASCII whole number within [lo, hi], or None."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > len(str(hi)):
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def parse_id(text: str | None) -> int | None:
    return parse_int(text, 1, MAX_ID)


class IdConverter(IntegerConverter):
    """The app's `<int:...>`: ASCII digits up to MAX_ID (a larger number is a 404, not a 500)."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
