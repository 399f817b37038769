"""Checklist writes replayed from a phone's queue: each applies once, and nothing is lost silently.

Conflict rule. With each write the phone sends the value it last saw on the server for every
step it changes (`seen-<step id>`: "1" done, "0" not done, "" not ticked) and for the decision
(`seen_result`). When the server's value differs both from what the phone saw and from what the
phone wants, someone changed it meanwhile on another device: the server keeps its value, no part
of the write is applied, and the answer (409) names the steps so the page shows the conflict.
Equal values are not a conflict (the resend of a write whose answer was lost). An
`idempotency_key` makes a resend of an applied write a no-op.
"""

from __future__ import annotations

import re
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.core.numbers import parse_id
from app.extensions import db
from app.practicals.models import PracticalResult, ReplayKey

KEY_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")
DUPLICATE = "duplicate"


def _key(form: MultiDict) -> str | None:
    key = form.get("idempotency_key", "")
    return key if KEY_RE.match(key) else None


def already_applied(form: MultiDict, user_id: int) -> bool:
    key = _key(form)
    if key is None:
        return False
    owner = db.session.scalar(select(ReplayKey.user_id).where(ReplayKey.key == key))
    return owner == user_id


def remember(form: MultiDict, user_id: int, result_id: int) -> None:
    """Keep the key of a write just applied (`check` ruled out a resend before it)."""
    key = _key(form)
    if key is not None:
        db.session.add(ReplayKey(key=key, user_id=user_id, result_id=result_id))
        db.session.flush()


def state(result: PracticalResult) -> dict:
    """What the server holds now, for the phone to show and to send as `seen` next time."""
    return {
        "steps": {str(t.step_id): "1" if t.done else "0" for t in result.ticks},
        "result": result.result or "",
    }


def conflicts(result: PracticalResult, form: MultiDict) -> list[str]:
    """Steps (ids) and "result" that another device changed since the phone last saw them."""
    held = state(result)
    stale: list[str] = []
    for name, seen in form.items():
        if not name.startswith("seen-"):
            continue
        step_id = parse_id(name.removeprefix("seen-"))
        if step_id is None:
            continue
        have = held["steps"].get(str(step_id), "")
        if have not in (seen, form.get(f"step-{step_id}")):
            stale.append(str(step_id))
    if "seen_result" in form:
        wanted = form.get("decision") if form.get("action") == "confirm" else None
        if held["result"] not in (form["seen_result"], wanted):
            stale.append("result")
    return stale


def conflict_message() -> str:
    return _(
        "Hasil ini sudah diubah di perangkat lain sebelum perubahan dari HP ini terkirim. "
        "Nilai di server dipertahankan; periksa lagi lalu ubah bila perlu."
    )


def check(result: PracticalResult, form: MultiDict, user_id: int) -> Literal["duplicate"] | list[str] | None:
    """Whether a replayed write must not be applied: DUPLICATE (a resend of an applied write),
    the steps another device changed meanwhile (a conflict), or None (apply it)."""
    if already_applied(form, user_id):
        return DUPLICATE
    return conflicts(result, form) or None
