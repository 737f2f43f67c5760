"""The month grid of the calendars (server-rendered, an accessible table) and the month in the query."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

# Weeks start on Sunday, as on Quebec calendars (FIRST_DAY_OF_WEEK of fr-CA).
FIRST_WEEKDAY = calendar.SUNDAY


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


@dataclass
class Month:
    first: datetime.date
    weeks: list[list[Day]]

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=32)).replace(day=1)

    @property
    def last(self) -> datetime.date:
        return self.next - datetime.timedelta(days=1)

    @property
    def weekdays(self) -> list[datetime.date]:
        return [day.date for day in self.weeks[0]]


def month_from_query(value: str | None) -> datetime.date:
    """« 2026-11 » → 1 Nov 2026; anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def grid_span(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day the grid shows (whole weeks around the month)."""
    days = calendar.Calendar(FIRST_WEEKDAY).monthdatescalendar(first.year, first.month)
    return days[0][0], days[-1][-1]


def month_grid(first: datetime.date, events) -> Month:
    """The weeks of the month, each day with its events (already ordered by the caller)."""
    today = timezone.localdate()
    by_day = defaultdict(list)
    for event in events:
        by_day[event.date].append(event)
    weeks = [
        [Day(day, day.month == first.month, day == today, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(FIRST_WEEKDAY).monthdatescalendar(first.year, first.month)
    ]
    return Month(first, weeks)
