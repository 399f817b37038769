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

from flask import Response, jsonify
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.core.numbers import parse_id
from app.extensions import db
from app.practicals.models import PracticalResult, ReplayKey

KEY_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")


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
    key = _key(form)
    if key is not None and not already_applied(form, user_id):
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


def answer_early(result: PracticalResult, form: MultiDict, user_id: int) -> tuple[Response, int] | None:
    """The answer to a replayed tick that must not be applied (a resend or a conflict), else None."""
    if already_applied(form, user_id):
        return jsonify(saved=True, duplicate=True, suggested=result.suggested, state=state(result)), 200
    stale = conflicts(result, form)
    if stale:
        return jsonify(error=conflict_message(), conflict=stale, state=state(result)), 409
    return None


def refusal(result: PracticalResult, form: MultiDict, user_id: int) -> str | None:
    """For the whole checklist form replayed: "" when already applied, a message on conflict."""
    if already_applied(form, user_id):
        return ""
    return conflict_message() if conflicts(result, form) else None
