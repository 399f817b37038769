"""Indonesia's three time zones, by province code. Pure: no flask, no database.

A kader's "day" (for the daily quiz limit) starts at local midnight, not at 00:00 UTC,
which is 07:00 in Java. Indonesia keeps no daylight saving time, so fixed offsets are
exact: WIB UTC+7, WITA UTC+8, WIT UTC+9 (Keppres 41/1988).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

# Kemendagri province codes outside WIB.
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def zone_for(area_code: str | None) -> timezone:
    """The time zone of an area (any level of its Kemendagri code); WIB when unknown."""
    province = (area_code or "")[:2]
    if province in WIT_PROVINCES:
        return WIT
    if province in WITA_PROVINCES:
        return WITA
    return WIB


def local_day_start(now: datetime, zone: timezone) -> datetime:
    """The UTC instant of the most recent local midnight in `zone` at `now` (aware)."""
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


# The IANA names Babel formats with (same offsets; Indonesia has no daylight saving time).
ZONE_NAMES = {WIB: "Asia/Jakarta", WITA: "Asia/Makassar", WIT: "Asia/Jayapura"}


def zone_name(area_code: str | None) -> str:
    return ZONE_NAMES[zone_for(area_code)]


def _now() -> datetime:
    return datetime.now(UTC)


def local_today(area_code: str | None, now: datetime | None = None) -> date:
    """Today's date where the area is: at 23:30 UTC it is already tomorrow in all of Indonesia."""
    return (now or _now()).astimezone(zone_for(area_code)).date()
