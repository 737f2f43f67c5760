"""Who sees which event: the one queryset behind every calendar page, the event page and the feeds.

- HR and the administrator: every event, drafts included;
- the PANE: every published (or cancelled) event, and the drafts they may manage
  (those of the cohorts they lead, and meetings without a cohort);
- a trainer: the university days and cohort days of the cohorts she accompanies;
- a mentor: the events of their cohort (but the university days, between trainers and PANE);
- anyone: the events they are invited to (directors and mentees thus see the
  half-days that concern their school);
- outside the managers, only published and cancelled events (a cancelled event
  stays visible, marked « annulé », so a link in an e-mail still explains itself).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mentors.models import Cohort, CohortMember, Event, EventInvitation, EventKind, EventStatus
from roles.models import Role

SHOWN = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visible_events(access) -> QuerySet[Event]:
    """The events this user may see (an Access from roles.access)."""
    events = Event.objects.all()
    if not access.authenticated:
        return events.none()
    if access.has(Role.HR, Role.ADMIN):
        return events
    person = access.person
    if person is None:
        return events.none()
    shown = Q(status__in=SHOWN)
    if access.has(Role.PANE):
        led = Cohort.objects.filter(panes=person).values("id")
        return events.filter(shown | Q(cohort__isnull=True) | Q(cohort_id__in=led))
    mine = Q(id__in=EventInvitation.objects.filter(person=person).values("event_id"))
    member_of = CohortMember.objects.filter(person=person).values("cohort_id")
    mine |= Q(cohort_id__in=member_of) & ~Q(kind=EventKind.UNIVERSITY_DAY)
    trained = Cohort.objects.filter(trainers=person).values("id")
    mine |= Q(kind__in=(EventKind.UNIVERSITY_DAY, EventKind.COHORT_DAY), cohort_id__in=trained)
    return events.filter(shown & mine)


def for_display(events: QuerySet[Event]) -> QuerySet[Event]:
    """What a calendar row shows: the cohort's name without one query per event."""
    return events.select_related("cohort").order_by("date", "starts_at", "id")
