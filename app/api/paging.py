"""Cursor pagination and `updated_since` for the API lists.

A cursor is the last key of the page, base64url-encoded: opaque to clients, stable under
inserts (keyset, not offset), and checked on the way back in (a forged one is a 400).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select

from app.api.problems import ApiProblem
from app.core.numbers import parse_int
from app.extensions import db

T = TypeVar("T")
_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")


def encode_cursor(key: object) -> str:
    return base64.urlsafe_b64encode(str(key).encode()).decode().rstrip("=")


def _bad_cursor() -> ApiProblem:
    return ApiProblem(400, "The cursor is not one this API gave out.", type_="invalid-cursor")


def _decode(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise _bad_cursor() from None


def decode_int_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    value = parse_int(_decode(cursor), 1)
    if value is None:
        raise _bad_cursor()
    return value


def decode_code_cursor(cursor: str | None) -> str:
    """A wilayah code (the key of wilayah pages and of level-summary units)."""
    if cursor is None:
        return ""
    text = _decode(cursor)
    if not (_CODE.fullmatch(text) or parse_int(text, 1) is not None):
        raise _bad_cursor()
    return text


def since(moment: datetime | None) -> datetime | None:
    """`updated_since` in UTC; a moment that cannot be one (year 1 minus an hour) is a 400."""
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiProblem(
            400, "updated_since is outside the range of dates.", type_="invalid-parameters"
        ) from None


def keyset_page(
    stmt: Select[Any], key: ColumnElement[Any], after: Any, limit: int
) -> tuple[list[Any], Any | None]:
    """Rows after `after` in key order, and the key to continue from (None at the end)."""
    rows = list(db.session.scalars(stmt.where(key > after).order_by(key).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1] if more else None)


def envelope(
    items: Sequence[T], last: T | None, to_json: Callable[[T], dict[str, Any]], key: Callable[[T], Any]
) -> dict[str, Any]:
    return {
        "items": [to_json(i) for i in items],
        "next": encode_cursor(key(last)) if last is not None else None,
    }
