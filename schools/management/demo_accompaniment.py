"""The accompaniment part of `seed_demo`: the 2026-2027 calendar of the demo centre.

- the year's non-school days (a Quebec school calendar: Labour Day, Thanksgiving,
  pedagogical days, the Christmas break, spring break, Easter, Patriots' Day);
- for each cohort, the six university days, the six cohort days and the two
  half-days proposed by the planner (mentors.accompaniment.planner) and created
  through the planning rules (services.plan_accept), then published;
- the invitations, by the invitee rule (mentors.accompaniment.people);
- attendance at the days already past: the demo runs on 24 November 2026, and
  about nine invitees in ten were present (a fixed hash, so every run agrees).

Events are published by a direct update rather than services.cohort_publish so
that seeding sends no e-mail; the invitations are written here instead.
Labels are demo data stored in the database, not interface strings.
"""

from __future__ import annotations

import datetime
import zlib
from typing import TYPE_CHECKING

from django.utils import timezone

from mentors.accompaniment import planner, services
from mentors.accompaniment.people import invitee_ids
from mentors.models import Cohort, EventInvitation, EventStatus, NonSchoolDay, NonSchoolDayKind, Rsvp
from roles.models import User

if TYPE_CHECKING:
    from schools.management.commands.seed_demo import Writer

DEMO_TODAY = datetime.date(2026, 11, 24)
PRESENT_PER_TEN = 9


def _weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    return [day for day in days if day.weekday() < 5]


D = datetime.date
HOLIDAY, PEDAGOGICAL, BREAK = NonSchoolDayKind.HOLIDAY, NonSchoolDayKind.PEDAGOGICAL, NonSchoolDayKind.BREAK
NON_SCHOOL_DAYS_2026 = [
    (D(2026, 8, 24), PEDAGOGICAL, "Journée pédagogique de la rentrée"),
    (D(2026, 8, 25), PEDAGOGICAL, "Journée pédagogique de la rentrée"),
    (D(2026, 8, 26), PEDAGOGICAL, "Journée pédagogique de la rentrée"),
    (D(2026, 9, 7), HOLIDAY, "Fête du Travail"),
    (D(2026, 9, 25), PEDAGOGICAL, "Journée pédagogique"),
    (D(2026, 10, 12), HOLIDAY, "Action de grâce"),
    (D(2026, 10, 23), PEDAGOGICAL, "Journée pédagogique"),
    (D(2026, 11, 13), PEDAGOGICAL, "Journée pédagogique"),
    (D(2026, 12, 4), PEDAGOGICAL, "Journée pédagogique"),
    *[(day, BREAK, "Congé des Fêtes") for day in _weekdays(D(2026, 12, 21), D(2027, 1, 5))],
    (D(2027, 1, 6), PEDAGOGICAL, "Journée pédagogique"),
    (D(2027, 1, 29), PEDAGOGICAL, "Journée pédagogique de fin d'étape"),
    (D(2027, 2, 19), PEDAGOGICAL, "Journée pédagogique"),
    *[(day, BREAK, "Semaine de relâche") for day in _weekdays(D(2027, 3, 1), D(2027, 3, 5))],
    (D(2027, 3, 26), HOLIDAY, "Vendredi saint"),
    (D(2027, 3, 29), HOLIDAY, "Lundi de Pâques"),
    (D(2027, 4, 16), PEDAGOGICAL, "Journée pédagogique"),
    (D(2027, 5, 21), PEDAGOGICAL, "Journée pédagogique"),
    (D(2027, 5, 24), HOLIDAY, "Journée nationale des patriotes"),
    (D(2027, 6, 24), HOLIDAY, "Fête nationale du Québec"),
]


def write(writer: Writer) -> None:
    NonSchoolDay.objects.bulk_create(
        [NonSchoolDay(year=writer.year, date=day, kind=kind, label=label) for day, kind, label in NON_SCHOOL_DAYS_2026],
        ignore_conflicts=True,
    )
    for cohort in Cohort.objects.for_year(writer.year).order_by("name"):
        pane_user = User.objects.filter(person__cohorts_led=cohort).order_by("pk").first()
        plan = planner.propose(cohort)
        if plan.proposals:
            services.plan_accept(cohort=cohort, by=pane_user, digest=plan.digest)
        cohort.events.filter(status=EventStatus.DRAFT).update(status=EventStatus.PUBLISHED)
        for event in cohort.events.published().select_related("cohort", "year"):
            write_invitations(event, pane_user)


def present(event, person_number: str) -> bool:
    """About nine in ten, the same on every run."""
    key = f"{event.cohort.name}|{event.kind}|{event.number}|{person_number}"
    return zlib.crc32(key.encode()) % 10 < PRESENT_PER_TEN


def write_invitations(event, pane_user) -> None:
    EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, person_id=person_id) for person_id in sorted(invitee_ids(event))],
        ignore_conflicts=True,
    )
    if event.date >= DEMO_TODAY:
        return
    noted_at = timezone.make_aware(datetime.datetime.combine(event.date, event.ends_at))
    invitations = list(event.invitations.filter(attended__isnull=True).select_related("person"))
    for invitation in invitations:
        invitation.attended = present(event, invitation.person.employee_number)
        invitation.rsvp = Rsvp.PRESENT if invitation.attended else Rsvp.ABSENT
        invitation.attendance_by = pane_user
        invitation.attendance_at = noted_at
    EventInvitation.objects.bulk_update(invitations, ["attended", "rsvp", "attendance_by", "attendance_at"])
