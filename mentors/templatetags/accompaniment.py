"""Template filters of the accompaniment calendar."""

from __future__ import annotations

from django import template

from mentors.accompaniment.dates import long_date as _long_date

register = template.Library()


@register.filter
def long_date(value):
    """{{ event.date|long_date }} → « 1er septembre 2026 »."""
    return _long_date(value)
