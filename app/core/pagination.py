"""Keyset-free offset pagination with a counted total, for server-rendered lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: Select[Any], page: int, per_page: int = 25, *, rows: bool = False) -> Page[Any]:
    """One page of `stmt`; with `rows`, items are whole result rows instead of first-column objects."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    # A page past the end (or a typed 10**20) shows the last page instead of an overflowing OFFSET.
    page = min(max(1, page), max(1, -(-(total or 0) // per_page)))
    limited = stmt.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.execute(limited).all()) if rows else list(db.session.scalars(limited))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
