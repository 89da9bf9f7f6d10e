"""Business days in Québec: weekends and the statutory holidays (computed per year) are skipped."""

import datetime
from functools import lru_cache

MONDAY = 0


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _sunday_to_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=64)
def quebec_holidays(year: int) -> dict[datetime.date, str]:
    """Statutory holidays (Loi sur les normes du travail and Loi sur la fête nationale)."""
    easter = easter_sunday(year)
    may_25 = datetime.date(year, 5, 25)
    patriotes = may_25 - datetime.timedelta(days=(may_25.weekday() - MONDAY) % 7 or 7)
    return {
        datetime.date(year, 1, 1): "Jour de l'An",
        easter - datetime.timedelta(days=2): "Vendredi saint",
        easter + datetime.timedelta(days=1): "Lundi de Pâques",
        patriotes: "Journée nationale des patriotes",
        # The Fête nationale and Canada Day falling on a Sunday are observed on the Monday.
        _sunday_to_monday(datetime.date(year, 6, 24)): "Fête nationale du Québec",
        _sunday_to_monday(datetime.date(year, 7, 1)): "Fête du Canada",
        nth_weekday(year, 9, MONDAY, 1): "Fête du Travail",
        nth_weekday(year, 10, MONDAY, 2): "Action de grâce",
        datetime.date(year, 12, 25): "Noël",
    }


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in quebec_holidays(day.year)


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` business days after ``start`` (``start`` itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    if days == 0:
        while not is_business_day(day):
            day += datetime.timedelta(days=1)
    return day


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many business days after ``start`` up to ``end`` included (0 when ``end <= start``).

    The inverse of `add_business_days`: ``business_days_between(d, add_business_days(d, n)) == n``.
    Whole weeks are counted at once, so a year-long span costs a few steps, not 365.
    """
    if end <= start:
        return 0
    total_days = (end - start).days
    weeks, rest = divmod(total_days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + datetime.timedelta(days=offset + weeks * 7)).weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(
            1 for holiday in quebec_holidays(year) if start < holiday <= end and holiday.weekday() < 5
        )
    return count
