"""Template filters of the accompaniment calendar: dates and times as people read them."""

from django import template

from mentorat.templatetags import formatting
from mentors.accompaniment import dates

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, weekday=False):
    """The project's one long date (``formatting.long_date``): « 1er décembre 2026 », ``:True`` adds the weekday."""
    return formatting.long_date_filter(value, weekday)


@register.filter
def clock(value):
    """« 8 h 30 »."""
    return dates.clock(value) if value else ""


@register.filter
def event_when(event):
    """« mardi 1er décembre 2026, de 8 h 30 à 16 h »."""
    return dates.when(event)
