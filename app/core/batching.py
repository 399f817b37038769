"""Values in batches for `IN (...)` lists: SQLite binds at most 999 parameters per statement."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_LIMIT = 900  # ids per IN (...), below SQLite's bound-parameter limit


def batched(values: Iterable[T], size: int = IN_LIMIT) -> Iterator[list[T]]:
    """Consecutive batches of at most `size` values, in the order given (itertools.batched is 3.12)."""
    items: Sequence[T] = values if isinstance(values, Sequence) else list(values)
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
