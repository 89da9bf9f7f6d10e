"""Business days in Québec: weekends and the statutory holidays (computed per year) are skipped.

The holidays come from the `holidays` package (Canada, province of Québec), with the city's
adjustments: Easter Monday is a holiday at the city (the law lets employers pick Good Friday
or Easter Monday; the city gives both), and only the Fête nationale and Canada Day falling on
a Sunday move to the Monday (as the laws say): New Year's Day and Christmas on a weekend are
not moved, the city's offices being closed over the holidays anyway.
"""

import datetime
from functools import lru_cache

import holidays

# The holidays whose "observed" Monday the city keeps: the Fête nationale and Canada Day (June, July).
OBSERVED_MONTHS = {6, 7}


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


@lru_cache(maxsize=64)
def quebec_holidays(year: int) -> dict[datetime.date, str]:
    """The city's holidays of one year, date → French name: the package's calendar for Québec,
    plus Easter Monday, minus the observed Mondays of New Year's Day and Christmas."""
    calendar = holidays.country_holidays("CA", subdiv="QC", years=year, language="fr")
    actual = holidays.country_holidays("CA", subdiv="QC", years=year, language="fr", observed=False)
    days = {
        day: name for day, name in sorted(calendar.items()) if day in actual or day.month in OBSERVED_MONTHS
    }
    days[easter_sunday(year) + datetime.timedelta(days=1)] = "Lundi de Pâques"
    return days


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
