"""Password and PIN rules. Pure: no flask, no sqlalchemy."""

from __future__ import annotations

from itertools import pairwise

STAFF_MIN_LENGTH = 10
KADER_MIN_LENGTH = 6
_WEAK = frozenset({"123456", "654321", "000000", "111111", "123123", "password", "kadercakap"})


def password_problems(password: str, username: str, role: str) -> list[str]:
    """Codes of the rules a new password breaks; empty when it is acceptable."""
    problems: list[str] = []
    minimum = KADER_MIN_LENGTH if role == "kader" else STAFF_MIN_LENGTH
    if len(password) < minimum:
        problems.append("too_short")
    if len(password) > 128:
        problems.append("too_long")
    lowered = password.lower()
    if lowered in _WEAK or len(set(password)) <= 2 or _is_sequence(password):
        problems.append("too_simple")
    if username and lowered == username.lower():
        problems.append("same_as_username")
    return problems


def _is_sequence(text: str) -> bool:
    if len(text) < 4 or not text.isdigit():
        return False
    steps = {int(b) - int(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1})
