"""Local days in Indonesia's three time zones."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.core.local_time import WIB, WIT, WITA, local_day_start, zone_for


def test_zones_by_province():
    assert zone_for("33.29") is WIB  # Brebes, Jawa Tengah
    assert zone_for("11.01.05") is WIB  # Aceh Selatan
    assert zone_for("62") is WIB  # Kalimantan Tengah
    assert zone_for("51.71") is WITA  # Denpasar
    assert zone_for("64.72") is WITA  # Kalimantan Timur
    assert zone_for("73.71") is WITA  # Makassar
    assert zone_for("82.71") is WIT  # Maluku Utara
    assert zone_for("94.71") is WIT  # Papua Tengah
    assert zone_for(None) is WIB and zone_for("") is WIB


def test_the_day_turns_at_local_midnight():
    # 23:30 UTC on 1 March is 06:30 on 2 March in Java: the day began at 17:00 UTC on 1 March
    assert local_day_start(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), WIB) == datetime(
        2026, 3, 1, 17, tzinfo=UTC
    )
    # 16:59 UTC is still 23:59 the day before in Java
    assert local_day_start(datetime(2026, 3, 1, 16, 59, tzinfo=UTC), WIB) == datetime(
        2026, 2, 28, 17, tzinfo=UTC
    )
    assert local_day_start(datetime(2026, 3, 1, 15, 0, tzinfo=UTC), WIT) == datetime(
        2026, 3, 1, 15, tzinfo=UTC
    )


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from([WIB, WITA, WIT]),
)
def test_day_start_is_the_last_local_midnight(naive, zone):
    now = naive.replace(tzinfo=UTC)
    start = local_day_start(now, zone)
    assert timedelta(0) <= now - start < timedelta(days=1)
    local = start.astimezone(zone)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def test_local_today_at_2330_utc_is_tomorrow_everywhere_in_indonesia():
    from datetime import date

    from app.core.local_time import local_today

    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert {local_today(code, late) for code in ("33.29", "51.71", "94.71")} == {date(2026, 11, 28)}
    early = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 23:30 WIB, 00:30 WITA, 01:30 WIT
    assert local_today("33.29", early) == date(2026, 11, 27)
    assert local_today("51.71", early) == local_today("94.71", early) == date(2026, 11, 28)


@given(st.datetimes(timezones=st.just(UTC)), st.sampled_from(["33.29", "51.71", "94.71", None]))
def test_local_today_is_the_date_at_the_zone_offset(now, code):
    from app.core.local_time import ZONE_NAMES, local_today, zone_name

    zone = zone_for(code)
    assert local_today(code, now) == (now + zone.utcoffset(None)).date()
    assert zone_name(code) == ZONE_NAMES[zone]
