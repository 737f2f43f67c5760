"""Dates and times as the accompaniment calendar writes them: « 1er décembre 2026 », « 8 h 30 à 16 h »."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils.translation import gettext as _

# The project's one long date and clock (mentorat.templatetags.formatting); re-exported for the calendar.
from mentorat.templatetags.formatting import clock, long_date  # noqa: F401


def local_zone() -> zoneinfo.ZoneInfo:
    """Events are planned in the centre's time zone (America/Toronto)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def starts(event) -> datetime.datetime:
    return datetime.datetime.combine(event.date, event.starts_at, tzinfo=local_zone())


def ends(event) -> datetime.datetime:
    return datetime.datetime.combine(event.date, event.ends_at, tzinfo=local_zone())


def time_range(event) -> str:
    return _("de %(start)s à %(end)s") % {"start": clock(event.starts_at), "end": clock(event.ends_at)}


def when(event) -> str:
    """« mardi 1er décembre 2026, de 8 h 30 à 16 h »."""
    return f"{long_date(event.date, weekday=True)}, {time_range(event)}"
