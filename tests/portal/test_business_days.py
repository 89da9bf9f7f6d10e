import datetime

import pytest

from portal.business_days import add_business_days, easter_sunday, is_business_day, quebec_holidays

D = datetime.date


@pytest.mark.parametrize(
    "year, easter",
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_quebec_holidays_2026():
    assert set(quebec_holidays(2026)) == {
        D(2026, 1, 1),
        D(2026, 4, 3),  # Good Friday
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 18),  # Journée nationale des patriotes: Monday before May 25
        D(2026, 6, 24),
        D(2026, 7, 1),
        D(2026, 9, 7),  # Labour Day
        D(2026, 10, 12),  # Thanksgiving
        D(2026, 12, 25),
    }


def test_patriotes_when_may_25_is_a_monday():
    # 2026-05-25 is a Monday: the holiday is the Monday before, May 18.
    assert D(2026, 5, 18) in quebec_holidays(2026)
    assert D(2026, 5, 25) not in quebec_holidays(2026)
    assert D(2025, 5, 19) in quebec_holidays(2025)


def test_sunday_fete_nationale_and_canada_day_move_to_monday():
    assert D(2028, 6, 26) in quebec_holidays(2028) or D(2028, 6, 24).weekday() != 6
    # 2029: June 24 and July 1 are Sundays.
    assert D(2029, 6, 25) in quebec_holidays(2029)
    assert D(2029, 7, 2) in quebec_holidays(2029)


def test_weekends_and_holidays_are_not_business_days():
    assert not is_business_day(D(2026, 11, 21))  # Saturday
    assert not is_business_day(D(2026, 12, 25))
    assert is_business_day(D(2026, 11, 23))


def test_add_business_days_skips_weekend():
    assert add_business_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday + 1 → Monday
    assert add_business_days(D(2026, 11, 23), 5) == D(2026, 11, 30)


def test_add_business_days_skips_easter_and_christmas():
    # Thursday before Good Friday 2026 + 1 → Tuesday after Easter Monday.
    assert add_business_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    # Dec 24 2026 (Thursday) + 2: Dec 25 holiday, weekend → Dec 28, Dec 29.
    assert add_business_days(D(2026, 12, 24), 2) == D(2026, 12, 29)
    # Across the New Year: Dec 31 2026 (Thu) + 1 → Jan 2 2027 is Saturday… → Monday Jan 4.
    assert add_business_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_submitted_on_a_weekend_counts_from_monday():
    assert add_business_days(D(2026, 11, 21), 1) == D(2026, 11, 23)


def test_a_holiday_of_the_package_calendar_is_skipped():
    # Labour Day 2027 (first Monday of September) comes from the `holidays` calendar for Québec.
    assert D(2027, 9, 6) in quebec_holidays(2027)
    assert add_business_days(D(2027, 9, 3), 1) == D(2027, 9, 7)  # Friday + 1 → Tuesday


def test_the_citys_adjustments_to_the_package_calendar():
    # Easter Monday is a city holiday, though not in the package's Québec calendar.
    assert not is_business_day(D(2027, 3, 29))
    # Christmas 2027 is a Saturday: the city does not move it to Monday December 27.
    assert is_business_day(D(2027, 12, 27))
    assert is_business_day(D(2028, 1, 3))  # nor New Year's Day 2028 (a Saturday)
