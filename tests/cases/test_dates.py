"""Uncertain dates: Jalali and Gregorian months and years at their edges, ranges, bad dates."""
import datetime as dt

import pytest

from rightsdesk.cases import dates
from rightsdesk.cases.dates import GREGORIAN, JALALI, UNKNOWN


def test_a_jalali_day_is_stored_as_its_gregorian_day_and_counted_in_both_calendars():
    d = dates.parse("1403-01-01", JALALI)  # Nowruz 1403
    assert (d.start, d.end, d.precision) == (dt.date(2024, 3, 20), dt.date(2024, 3, 20), "day")
    assert d.month_key(JALALI) == "1403-01" and d.year_key(JALALI) == "1403"
    assert d.month_key(GREGORIAN) == "2024-03" and d.year_key(GREGORIAN) == "2024"


def test_the_last_day_of_a_jalali_year_and_the_leap_day_of_esfand():
    last = dates.parse("1402-12-29", JALALI)
    assert last.start == dt.date(2024, 3, 19) and last.year_key(JALALI) == "1402"
    # 1403 is a leap year (Esfand has 30 days), 1402 is not.
    assert dates.parse("1403-12-30", JALALI).start == dt.date(2025, 3, 20)
    with pytest.raises(dates.DateError, match="day 30 does not exist"):
        dates.parse("1402-12-30", JALALI)


def test_a_gregorian_month_that_straddles_two_iranian_years_has_no_iranian_year():
    march = dates.parse("2024-03", GREGORIAN)
    assert march.month_key(GREGORIAN) == "2024-03" and march.year_key(GREGORIAN) == "2024"
    assert march.month_key(JALALI) == UNKNOWN and march.year_key(JALALI) == UNKNOWN
    # April 2024 lies inside 1403 but across Farvardin and Ordibehesht.
    april = dates.parse("2024-04", GREGORIAN)
    assert april.year_key(JALALI) == "1403" and april.month_key(JALALI) == UNKNOWN


def test_a_year_has_no_month_and_a_jalali_year_is_no_gregorian_year():
    year = dates.parse("2024", GREGORIAN)
    assert (year.start, year.end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert year.month_key(GREGORIAN) == UNKNOWN and year.year_key(GREGORIAN) == "2024"
    jyear = dates.parse("1403", JALALI)
    assert (jyear.start, jyear.end) == (dt.date(2024, 3, 20), dt.date(2025, 3, 20))
    assert jyear.year_key(JALALI) == "1403" and jyear.year_key(GREGORIAN) == UNKNOWN


def test_a_jalali_month_maps_to_its_gregorian_interval():
    esfand = dates.parse("1402-12", JALALI)
    assert (esfand.start, esfand.end) == (dt.date(2024, 2, 20), dt.date(2024, 3, 19))
    assert esfand.month_key(JALALI) == "1402-12" and esfand.month_key(GREGORIAN) == UNKNOWN
    dey = dates.parse("1402-10", JALALI)  # 22 December 2023 - 20 January 2024
    assert dey.year_key(JALALI) == "1402" and dey.year_key(GREGORIAN) == UNKNOWN


def test_ranges_count_only_where_all_of_them_fall():
    either = dates.parse("2024-04-17/2024-04-27", GREGORIAN)  # "either 17 or 27 April"
    assert either.precision == "range" and either.month_key(GREGORIAN) == "2024-04"
    assert either.month_key(JALALI) == "1403-01" or either.month_key(JALALI) == UNKNOWN
    # 17-27 April 2024 = 29 Farvardin - 8 Ordibehesht 1403: two Iranian months.
    assert either.month_key(JALALI) == UNKNOWN and either.year_key(JALALI) == "1403"
    across = dates.parse("2023-12-30/2024-01-02", GREGORIAN)
    assert across.year_key(GREGORIAN) == UNKNOWN
    with pytest.raises(dates.DateError, match="ends before it starts"):
        dates.parse("2024-05-01/2024-04-01", GREGORIAN)


def test_impossible_dates_are_errors_that_say_why():
    with pytest.raises(dates.DateError, match="day 30 does not exist in month 2 of 2024"):
        dates.parse("2024-02-30", GREGORIAN)
    with pytest.raises(dates.DateError, match="month 13 does not exist in the Jalali calendar"):
        dates.parse("1403-13-01", JALALI)
    with pytest.raises(dates.DateError, match="is it a Jalali date"):
        dates.parse("1403-02-01", GREGORIAN)
    with pytest.raises(dates.DateError, match="not a date"):
        dates.parse("17/04/2024x", GREGORIAN)
    with pytest.raises(dates.DateError, match="unknown calendar"):
        dates.parse("2024", "hijri")


def test_persian_digits_are_read_and_dates_are_shown_in_both_calendars():
    d = dates.parse("۱۴۰۳-۰۱-۱۰", JALALI)
    assert d.start == dt.date(2024, 3, 29)
    assert dates.both(d.start, d.end, d.precision, JALALI) == "10 Farvardin 1403 (29 March 2024)"
    assert dates.both(d.start, d.end, d.precision, JALALI, "fa") == "۱۰ فروردین ۱۴۰۳ (۲۹ مارس ۲۰۲۴)"
    month = dates.parse("1403-01", JALALI)
    assert dates.both(month.start, month.end, month.precision, JALALI) == (
        "Farvardin 1403 (between 20 March 2024 and 19 April 2024)")
