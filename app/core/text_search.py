"""Case-insensitive "contains" search that treats the user's text literally.

`%` and `_` typed into a search box are LIKE wildcards unless escaped; "%" must find names
containing a percent sign, not every row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import InstrumentedAttribute

ESCAPE = "\\"


def like_pattern(text: str) -> str:
    escaped = text.lower().replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def any_contains(text: str, *columns: InstrumentedAttribute | ColumnElement) -> ColumnElement[bool]:
    """True where any of `columns` contains `text`, ignoring case."""
    pattern = like_pattern(text)
    return or_(*(func.lower(column).like(pattern, escape=ESCAPE) for column in columns))
