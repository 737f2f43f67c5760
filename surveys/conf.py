"""Survey settings, read from django.conf.settings with defaults that run out of the box."""

from __future__ import annotations

from django.conf import settings


def min_group() -> int:
    """Fewest respondents a breakdown (order, school) needs before its aggregates are shown."""
    return getattr(settings, "SURVEY_MIN_GROUP", 5)


def min_group_text() -> int:
    """Fewest respondents a breakdown needs before its free-text answers are shown."""
    return getattr(settings, "SURVEY_MIN_GROUP_TEXT", 10)


def texts_per_question() -> int:
    """Free-text answers listed per question on the results page (the raw export has them all)."""
    return getattr(settings, "SURVEY_TEXTS_PER_QUESTION", 100)


def reminder_gap_days() -> int:
    """Days to wait after an invitation or a reminder before reminding again."""
    return getattr(settings, "SURVEY_REMINDER_GAP_DAYS", 3)
