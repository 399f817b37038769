"""Roster membership changes: the one path for join, leave and move, whether a dinkes user
uses the form, a roster file is imported or the demo is seeded, so the history and the audit
trail read the same however the data came in.

Memberships are history: a move or a departure closes the open row with an end date and, for
a move, opens a new one. Nothing is overwritten except a same-day correction in a batch.
Every check runs before the first write, so an error leaves nothing half-done; services flush,
the caller's request (or CLI command) commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.core import audit
from app.core.batching import batched
from app.extensions import db
from app.rosters.models import ROSTER_ROLES, Kader, Posyandu, RosterMembership
from app.rosters.services import RosterError


@dataclass(frozen=True)
class Placement:
    """Kader `kader` serves at Posyandu `posyandu_id` as `role` from `on`."""

    kader: Kader
    posyandu_id: int
    role: str
    on: date
    reason: str | None = None  # why the previous membership ended, for a move


@dataclass(frozen=True)
class PlacementCounts:
    joined: int = 0
    moved: int = 0
    corrected: int = 0
    unchanged: int = 0


def open_membership(kader_id: int) -> RosterMembership | None:
    return db.session.scalar(
        select(RosterMembership).where(
            RosterMembership.kader_id == kader_id, RosterMembership.end_date.is_(None)
        )
    )


def _last_end(kader_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(RosterMembership.end_date)).where(RosterMembership.kader_id == kader_id)
    )


def _check_target(kader: Kader, posyandu_kabupaten: str, role: str) -> None:
    if role not in ROSTER_ROLES:
        raise RosterError("role_unknown")
    if posyandu_kabupaten != kader.kabupaten_code:
        raise RosterError("posyandu_other_kabupaten")


def _open(kader: Kader, posyandu_id: int, role: str, start: date, user_id: int | None) -> RosterMembership:
    membership = RosterMembership(kader_id=kader.id, posyandu_id=posyandu_id, role=role, start_date=start)
    db.session.add(membership)
    audit.record(
        "roster.joined",
        "kader",
        kader.id,
        user_id=user_id,
        kabupaten_code=kader.kabupaten_code,
        after={"posyandu_id": posyandu_id, "role": role, "start_date": start},
    )
    return membership


def _close(
    kader: Kader, current: RosterMembership, end: date, reason: str | None, user_id: int | None
) -> None:
    current.end_date = end
    current.end_reason = reason or None
    audit.record(
        "roster.left",
        "kader",
        kader.id,
        user_id=user_id,
        kabupaten_code=kader.kabupaten_code,
        before={"posyandu_id": current.posyandu_id, "role": current.role},
        after={"end_date": end, "reason": reason},
    )


def join(
    kader: Kader, posyandu: Posyandu, role: str, start: date, *, user_id: int | None
) -> RosterMembership:
    """A kader with no open membership starts at a Posyandu, after any earlier membership ended."""
    _check_target(kader, posyandu.kabupaten_code, role)
    if open_membership(kader.id) is not None:
        raise RosterError("already_member")
    last_end = _last_end(kader.id)
    if last_end is not None and start <= last_end:
        raise RosterError("start_before_previous_end")
    membership = _open(kader, posyandu.id, role, start, user_id)
    db.session.flush()
    return membership


def leave(kader: Kader, end: date, reason: str | None, *, user_id: int | None) -> RosterMembership:
    current = open_membership(kader.id)
    if current is None:
        raise RosterError("not_member")
    if end < current.start_date:
        raise RosterError("end_before_start")
    _close(kader, current, end, reason, user_id)
    db.session.flush()
    return current


def move(
    kader: Kader, posyandu: Posyandu, role: str, start: date, reason: str | None, *, user_id: int | None
) -> RosterMembership:
    """Close the open membership the day before `start` and open one at the new Posyandu
    (or with the new role at the same Posyandu)."""
    _check_target(kader, posyandu.kabupaten_code, role)
    current = open_membership(kader.id)
    if current is None:
        raise RosterError("not_member")
    if current.posyandu_id == posyandu.id and current.role == role:
        raise RosterError("nothing_to_change")
    if start <= current.start_date:
        raise RosterError("start_before_previous_end")
    _close(kader, current, start - timedelta(days=1), reason, user_id)
    db.session.flush()  # the old row is closed before the new one opens (one open row per kader)
    membership = _open(kader, posyandu.id, role, start, user_id)
    db.session.flush()
    return membership


def place(
    kader: Kader, posyandu: Posyandu, role: str, on: date, reason: str | None, *, user_id: int | None
) -> RosterMembership:
    """Join when the kader serves nowhere, move when she serves somewhere: the form's one action."""
    if open_membership(kader.id) is None:
        return join(kader, posyandu, role, on, user_id=user_id)
    return move(kader, posyandu, role, on, reason, user_id=user_id)


def open_memberships(kader_ids: Iterable[int]) -> dict[int, RosterMembership]:
    """kader id -> their open membership, a query per 900 kader."""
    out: dict[int, RosterMembership] = {}
    for chunk in batched(list(kader_ids)):
        for m in db.session.scalars(
            select(RosterMembership).where(
                RosterMembership.kader_id.in_(chunk), RosterMembership.end_date.is_(None)
            )
        ):
            out[m.kader_id] = m
    return out


def _state(kader_ids: list[int]) -> tuple[dict[int, RosterMembership], dict[int, date]]:
    """Open memberships and the last end date of each kader, a few queries for any number."""
    last_end: dict[int, date] = {}
    for chunk in batched(kader_ids):
        last_end.update(
            db.session.execute(
                select(RosterMembership.kader_id, func.max(RosterMembership.end_date))
                .where(RosterMembership.kader_id.in_(chunk), RosterMembership.end_date.is_not(None))
                .group_by(RosterMembership.kader_id)
            ).all()
        )
    return open_memberships(kader_ids), last_end


def _check_batch(placements: Sequence[Placement]) -> None:
    ids = sorted({p.posyandu_id for p in placements})
    kabupaten: dict[int, str] = {}
    for chunk in batched(ids):
        kabupaten.update(
            db.session.execute(
                select(Posyandu.id, Posyandu.kabupaten_code).where(Posyandu.id.in_(chunk))
            ).all()
        )
    for p in placements:
        _check_target(p.kader, kabupaten.get(p.posyandu_id, ""), p.role)
    if len({id(p.kader) for p in placements}) != len(placements):
        raise ValueError("one placement per kader in a batch")


def place_many(placements: Sequence[Placement], *, user_id: int | None) -> PlacementCounts:
    """`place` for many kader at once (roster import, demo seed), with the same history and audit
    rows and a few queries in all. Unlike the form, a batch does not refuse what a file cannot
    choose: a kader already placed elsewhere from `on` or later is corrected in place (a file
    imported again the same day), and a join starts the day after an earlier membership ended.
    Raises RosterError (unknown role, Posyandu of another district) before writing anything."""
    if not placements:
        return PlacementCounts()
    _check_batch(placements)
    db.session.flush()  # new kader get their ids
    open_rows, last_end = _state([p.kader.id for p in placements])
    joined: list[tuple[Placement, date]] = []
    moved = corrected = unchanged = 0
    for p in placements:
        current = open_rows.get(p.kader.id)
        if current is None:
            previous_end = last_end.get(p.kader.id)
            joined.append((p, max(p.on, previous_end + timedelta(days=1)) if previous_end else p.on))
        elif (current.posyandu_id, current.role) == (p.posyandu_id, p.role):
            unchanged += 1
        elif current.start_date >= p.on:
            _correct(p, current, user_id)
            corrected += 1
        else:
            _close(p.kader, current, p.on - timedelta(days=1), p.reason, user_id)
            joined.append((p, p.on))
            moved += 1
    db.session.flush()  # close the old rows before opening new ones (one open row per kader)
    for p, start in joined:
        _open(p.kader, p.posyandu_id, p.role, start, user_id)
    db.session.flush()
    return PlacementCounts(len(joined) - moved, moved, corrected, unchanged)


def _correct(p: Placement, current: RosterMembership, user_id: int | None) -> None:
    """No earlier day to close the row on: the open row takes the new Posyandu and role."""
    before = {"posyandu_id": current.posyandu_id, "role": current.role}
    current.posyandu_id, current.role = p.posyandu_id, p.role
    audit.record(
        "roster.corrected",
        "kader",
        p.kader.id,
        user_id=user_id,
        kabupaten_code=p.kader.kabupaten_code,
        before=before,
        after={"posyandu_id": p.posyandu_id, "role": p.role, "start_date": current.start_date},
    )
