"""What the home page reads from the calendar: one's next events and the year's timeline.

The regulation and bilan half-days are events (their one source of truth): the
timeline shows one's own, or, for the centre-wide roles, the range of dates
across the cohorts.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from mentors.accompaniment.visibility import visible_events
from mentors.models import EventInvitation, EventKind, EventStatus
from roles.models import Role

NEXT_EVENTS = 5
TRAINER_DAYS = 12  # six university days and six cohort days

Row = tuple[datetime.date, datetime.date | None, str]
RANGE_LABELS = {
    EventKind.REGULATION: lambda: _("Demi-journées de régulation (toutes les cohortes)"),
    EventKind.BILAN: lambda: _("Demi-journées de bilan (toutes les cohortes)"),
}


def next_events(access) -> list:
    """The next published events this person sees (a trainer: her coming days)."""
    limit = TRAINER_DAYS if access.has(Role.TRAINER) else NEXT_EVENTS
    events = visible_events(access).filter(status=EventStatus.PUBLISHED, date__gte=timezone.localdate())
    return list(events.select_related("cohort").order_by("date", "starts_at", "id")[:limit])


def _half_day_rows(access, year) -> list[Row]:
    half_days = year.events.filter(status=EventStatus.PUBLISHED, kind__in=RANGE_LABELS.keys())
    if access.centre_wide:
        spans = half_days.values("kind").annotate(first=Min("date"), last=Max("date")).order_by()
        return [
            (span["first"], span["last"] if span["last"] != span["first"] else None, RANGE_LABELS[span["kind"]]())
            for span in spans
        ]
    if access.person is None:
        return []
    mine = EventInvitation.objects.filter(person=access.person).values("event_id")
    return [(event.date, None, event.label) for event in half_days.filter(id__in=mine).select_related("cohort")]


def timeline(access, year) -> list[Row]:
    """The year's milestones with the half-days read from the events, in date order."""
    return sorted([*year.milestones(), *_half_day_rows(access, year)], key=lambda row: row[0])
