"""Uncertain dates: a day, a month, a year or a range, entered in the Jalali (Iranian) or the
Gregorian calendar and shown in both.

Pure Python (jdatetime does the calendar arithmetic). A date is stored as the Gregorian interval it
covers (``start``..``end``, both inclusive), the precision and calendar it was entered in, and the
text as entered, so nothing the researcher wrote is lost: "1403" is the Iranian year from 20 March
2024 to 20 March 2025, not a Gregorian year.

Counting (``month_key``/``year_key``): a date is counted in a month or a year of a calendar only
when all of its interval falls inside it. "2024" has no month; a Gregorian month that straddles two
Iranian years (March) has no Iranian year; such dates are counted under ``unknown``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import jdatetime

GREGORIAN, JALALI = "gregorian", "jalali"
CALENDARS = (GREGORIAN, JALALI)
DAY, MONTH, YEAR, RANGE = "day", "month", "year", "range"
PRECISIONS = (DAY, MONTH, YEAR, RANGE)
UNKNOWN = "unknown"

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
# The Iranian months in their usual English spellings and in Persian.
JALALI_MONTHS = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban",
                 "Azar", "Dey", "Bahman", "Esfand"]
JALALI_MONTHS_FA = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                    "دی", "بهمن", "اسفند"]
GREGORIAN_MONTHS_FA = ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر",
                       "اکتبر", "نوامبر", "دسامبر"]
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_PART = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class DateError(ValueError):
    """A date that does not exist or cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class UncertainDate:
    start: dt.date
    end: dt.date
    precision: str
    calendar: str = GREGORIAN
    text: str = ""

    def month_key(self, calendar: str) -> str:
        return month_key(self.start, self.end, calendar)

    def year_key(self, calendar: str) -> str:
        return year_key(self.start, self.end, calendar)


def _month_end(year, month, calendar):
    if calendar == JALALI:
        if month < 12:
            return jdatetime.date(year, month + 1, 1).togregorian() - dt.timedelta(days=1)
        return jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _part(text, calendar):
    """(start, end, precision) of one 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' in `calendar`."""
    m = _PART.match(text)
    if not m:
        raise DateError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    lowest = 1200 if calendar == JALALI else 1800
    if not lowest <= year <= 2200:
        other = "Jalali" if calendar == GREGORIAN else "Gregorian"
        raise DateError(f"year {year} is out of range for the {calendar.title()} calendar "
                        f"(is it a {other} date? set the calendar column)")
    if month is None:
        start, end_month = (year, 1), (year, 12)
        if calendar == JALALI:
            return jdatetime.date(year, 1, 1).togregorian(), _month_end(year, 12, JALALI), YEAR
        return dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR
    month = int(month)
    if not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist in the {calendar.title()} calendar (months are 1 to 12)")
    if day is None:
        if calendar == JALALI:
            return jdatetime.date(year, month, 1).togregorian(), _month_end(year, month, JALALI), MONTH
        return dt.date(year, month, 1), _month_end(year, month, GREGORIAN), MONTH
    day = int(day)
    try:
        if calendar == JALALI:
            value = jdatetime.date(year, month, day).togregorian()
        else:
            value = dt.date(year, month, day)
    except ValueError:
        raise DateError(f"day {day} does not exist in month {month} of {year} "
                        f"({calendar.title()} calendar)") from None
    return value, value, DAY


def parse(text: str, calendar: str = GREGORIAN) -> UncertainDate:
    """Read a date as a spreadsheet writes it: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', or a range of two
    of those separated by '/' ('2024-04-17/2024-04-27': "either 17 or 27 April"). Persian digits
    are accepted. Raises DateError with a reason a researcher can act on."""
    calendar = (calendar or GREGORIAN).strip().lower()
    if calendar not in CALENDARS:
        raise DateError(f"unknown calendar {calendar!r}: use gregorian or jalali")
    raw = (text or "").strip()
    cleaned = raw.translate(_DIGITS).replace("/", " / ")
    if not cleaned:
        raise DateError("no date")
    parts = [p.strip() for p in cleaned.split(" / ")]
    if len(parts) == 1:
        start, end, precision = _part(parts[0], calendar)
        return UncertainDate(start, end, precision, calendar, raw)
    if len(parts) != 2:
        raise DateError(f"{raw!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or a range FROM/TO")
    start, _, _ = _part(parts[0], calendar)
    _, end, _ = _part(parts[1], calendar)
    if end < start:
        raise DateError(f"{raw!r}: the range ends before it starts")
    return UncertainDate(start, end, RANGE, calendar, raw)


def from_interval(start, end, precision=RANGE, calendar=GREGORIAN, text=""):
    return UncertainDate(start, end, precision, calendar, text)


# --- counting ---------------------------------------------------------------------------------

@lru_cache(maxsize=20_000)
def _month_of(day: dt.date, calendar: str) -> tuple[int, int]:
    if calendar == JALALI:
        j = jdatetime.date.fromgregorian(date=day)
        return j.year, j.month
    return day.year, day.month


def month_key(start, end, calendar=GREGORIAN) -> str:
    """'YYYY-MM' of the month in `calendar` that holds the whole interval, else 'unknown'."""
    if start is None or end is None:
        return UNKNOWN
    a, b = _month_of(start, calendar), _month_of(end, calendar)
    return f"{a[0]:04d}-{a[1]:02d}" if a == b else UNKNOWN


def year_key(start, end, calendar=GREGORIAN) -> str:
    if start is None or end is None:
        return UNKNOWN
    a, b = _month_of(start, calendar)[0], _month_of(end, calendar)[0]
    return f"{a:04d}" if a == b else UNKNOWN


# --- display ----------------------------------------------------------------------------------

def fa_digits(value) -> str:
    return str(value).translate(_FA_DIGITS)


def _format_day(day: dt.date, calendar: str, language: str) -> str:
    if calendar == JALALI:
        j = jdatetime.date.fromgregorian(date=day)
        if language == "fa":
            return fa_digits(f"{j.day} {JALALI_MONTHS_FA[j.month - 1]} {j.year}")
        return f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
    if language == "fa":
        return fa_digits(f"{day.day} {GREGORIAN_MONTHS_FA[day.month - 1]} {day.year}")
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def _format_month(key: str, calendar: str, language: str) -> str:
    year, month = (int(x) for x in key.split("-"))
    names = (JALALI_MONTHS_FA if language == "fa" else JALALI_MONTHS) if calendar == JALALI else (
        GREGORIAN_MONTHS_FA if language == "fa" else EN_MONTHS)
    text = f"{names[month - 1]} {year}"
    return fa_digits(text) if language == "fa" else text


def label(key: str, by: str, calendar: str, language: str = "en") -> str:
    """A readable label of a month or year key ('2024-03' -> 'March 2024', 'اسفند ۱۴۰۲')."""
    if key == UNKNOWN:
        return "نامعلوم" if language == "fa" else "unknown"
    if by == "month":
        return _format_month(key, calendar, language)
    return fa_digits(key) if language == "fa" else key


def describe(start, end, precision, calendar, language="en") -> str:
    """The date in one calendar as precisely as it is known: '17 April 2024', 'Farvardin 1403',
    '1403', 'between 17 April 2024 and 27 April 2024'."""
    if start is None:
        return "نامعلوم" if language == "fa" else "unknown"
    if precision == DAY or start == end:
        return _format_day(start, calendar, language)
    month = month_key(start, end, calendar)
    first_day = _month_of(start - dt.timedelta(days=1), calendar) != _month_of(start, calendar)
    last_day = _month_of(end + dt.timedelta(days=1), calendar) != _month_of(end, calendar)
    if month != UNKNOWN and first_day and last_day:
        return _format_month(month, calendar, language)
    year = year_key(start, end, calendar)
    if year != UNKNOWN and _month_of(start, calendar)[1] == 1 and first_day and _month_of(end, calendar)[1] == 12 and last_day:
        return fa_digits(year) if language == "fa" else year
    a, b = _format_day(start, calendar, language), _format_day(end, calendar, language)
    return f"بین {a} و {b}" if language == "fa" else f"between {a} and {b}"


def both(start, end, precision, calendar, language="en") -> str:
    """The date as entered, then in the other calendar: 'Farvardin 1403 (20 March – 19 April 2024)'."""
    first = describe(start, end, precision, calendar, language)
    other = JALALI if calendar == GREGORIAN else GREGORIAN
    second = describe(start, end, precision, other, language)
    return f"{first} ({second})"
