"""Dates as the pages and messages of the accompaniment calendar write them."""

from __future__ import annotations

import datetime

from django.utils import formats, translation


def long_date(value: datetime.date | None) -> str:
    """« 1er septembre 2026 », « 13 novembre 2026 » in French; the locale's long date otherwise ("" for none)."""
    if not isinstance(value, datetime.date):
        return ""
    text = formats.date_format(value, "DATE_FORMAT")
    language = translation.get_language() or ""
    if language.startswith("fr") and value.day == 1:
        return "1er" + text[1:]
    return text
