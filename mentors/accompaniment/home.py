"""What the home page reads from the calendar: one's next events and the year's timeline.

The timeline is ``schools.cycle.milestones.year_milestones`` (each date from its
one source). The regulation and bilan half-days are events: the timeline shows
one's own, or, for the centre-wide roles, the range of dates across the cohorts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from mentors.accompaniment.visibility import visible_events
from mentors.models import EventInvitation, EventKind, EventStatus
from roles.models import Role
from schools.cycle.milestones import Kind as MilestoneKind
from schools.cycle.milestones import Milestone, State, year_milestones

NEXT_EVENTS = 5
TRAINER_DAYS = 12  # six university days and six cohort days

HALF_DAYS = {MilestoneKind.REGULATION: EventKind.REGULATION, MilestoneKind.BILAN: EventKind.BILAN}
RANGE_LABELS = {
    EventKind.REGULATION: lambda: _("Demi-journées de régulation (toutes les cohortes)"),
    EventKind.BILAN: lambda: _("Demi-journées de bilan (toutes les cohortes)"),
}


@dataclass(frozen=True)
class Row:
    """One line of the home page's timeline."""

    kind: str
    starts: datetime.date
    ends: datetime.date | None
    label: str
    state: str

    @property
    def is_current(self) -> bool:
        return self.state == State.CURRENT


def next_events(access) -> list:
    """The next published events this person sees (a trainer: her coming days)."""
    limit = TRAINER_DAYS if access.has(Role.TRAINER) else NEXT_EVENTS
    events = visible_events(access).filter(status=EventStatus.PUBLISHED, date__gte=timezone.localdate())
    return list(events.select_related("cohort").order_by("date", "starts_at", "id")[:limit])


def _own_half_days(access, year) -> list[Row]:
    """A person's own published half-days (the centre-wide roles see the range across cohorts instead)."""
    if access.person is None:
        return []
    mine = EventInvitation.objects.filter(person=access.person).values("event_id")
    events = year.events.filter(status=EventStatus.PUBLISHED, kind__in=HALF_DAYS.values(), id__in=mine)
    today = timezone.localdate()
    rows = []
    for event in events.select_related("cohort"):
        kind = MilestoneKind.REGULATION if event.kind == EventKind.REGULATION else MilestoneKind.BILAN
        rows.append(Row(kind, event.date, None, event.label, Milestone(kind, event.date).state(today)))
    return rows


def _row(access, milestone: Milestone, today) -> Row:
    label = milestone.label
    if milestone.kind in HALF_DAYS and milestone.planned:
        label = RANGE_LABELS[HALF_DAYS[milestone.kind]]()
    return Row(milestone.kind, milestone.starts, milestone.ends, label, milestone.state(today))


def timeline(access, year) -> list[Row]:
    """The year's milestones (``year_milestones``, their one source), in date order.

    The half-days: the centre-wide roles see the range of dates across the cohorts;
    everyone else sees only their own half-days, read from the events.
    """
    today = timezone.localdate()
    milestones = year_milestones(year)
    if access.centre_wide:
        return [_row(access, milestone, today) for milestone in milestones]
    rows = [_row(access, m, today) for m in milestones if m.kind not in HALF_DAYS]
    return sorted([*rows, *_own_half_days(access, year)], key=lambda row: (row.starts, row.ends or row.starts))
