"""Dates and times as the accompaniment calendar writes them: « 1er décembre 2026 », « 8 h 30 à 16 h »."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def local_zone() -> zoneinfo.ZoneInfo:
    """Events are planned in the centre's time zone (America/Toronto)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def starts(event) -> datetime.datetime:
    return datetime.datetime.combine(event.date, event.starts_at, tzinfo=local_zone())


def ends(event) -> datetime.datetime:
    return datetime.datetime.combine(event.date, event.ends_at, tzinfo=local_zone())


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


def long_date(day: datetime.date | None, weekday: bool = False) -> str:
    """« 1er décembre 2026 » (« mardi 1er décembre 2026 » with the weekday) in French,
    « December 1, 2026 » (« Tuesday, December 1, 2026 ») in English; "" for no date."""
    if not isinstance(day, datetime.date):
        return ""
    if not _french():
        return date_format(day, "l, F j, Y" if weekday else "F j, Y")
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {date_format(day, 'F Y')}"
    return f"{date_format(day, 'l')} {text}" if weekday else text


def clock(time: datetime.time) -> str:
    """« 8 h 30 », « 16 h » in French; « 8:30 », « 16:00 » in English (24-hour time)."""
    if not _french():
        return f"{time.hour}:{time.minute:02d}"
    return f"{time.hour} h {time.minute:02d}" if time.minute else f"{time.hour} h"


def time_range(event) -> str:
    return _("de %(start)s à %(end)s") % {"start": clock(event.starts_at), "end": clock(event.ends_at)}


def when(event) -> str:
    """« mardi 1er décembre 2026, de 8 h 30 à 16 h »."""
    return f"{long_date(event.date, weekday=True)}, {time_range(event)}"
