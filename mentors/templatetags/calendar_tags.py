"""Template filters of the accompaniment calendar: dates and times as people read them."""

from django import template

from mentors.accompaniment import dates

register = template.Library()


@register.filter
def long_date(value, weekday=False):
    """« 1er décembre 2026 »; ``|long_date:True`` adds the weekday (« mardi 1er décembre 2026 »)."""
    return dates.long_date(value, weekday=bool(weekday))


@register.filter
def clock(value):
    """« 8 h 30 »."""
    return dates.clock(value) if value else ""


@register.filter
def event_when(event):
    """« mardi 1er décembre 2026, de 8 h 30 à 16 h »."""
    return dates.when(event)
