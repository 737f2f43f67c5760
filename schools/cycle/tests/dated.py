"""A dated school year for the cycle's tests: 2026-2027 with its people, window, survey and half-days."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from mentorat import factories as f
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    Event,
    EventInvitation,
    EventKind,
    EventPeriod,
    EventStatus,
    MentorAssignment,
    ProgrammeSettings,
    Rsvp,
)
from roles.models import Role
from schools.models import SchoolYear
from surveys.models import Survey

TORONTO = ZoneInfo("America/Toronto")


def local(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TORONTO)


@dataclass
class DatedYear:
    year: SchoolYear
    next_year: SchoolYear
    teachers: list = field(default_factory=list)
    directors: list = field(default_factory=list)
    mentors: list = field(default_factory=list)
    hr: list = field(default_factory=list)
    pane: list = field(default_factory=list)
    survey: Survey | None = None
    regulation: Event | None = None


def _candidacy(person, year, school, status, decision=""):
    return Candidacy.objects.create(
        person=person,
        year=year,
        school=school,
        order=school.order,
        years_of_experience=8,
        subjects_levels="2e cycle",
        motivation="Accompagner",
        availability="Lundi",
        status=status,
        decision=decision,
    )


def dated_year(*, window: tuple[datetime.datetime, datetime.datetime] | None = None) -> DatedYear:
    """2026-2027 (seed milestones), 2027-2028 holding the window, 3 teachers, 2 directors, 2 mentors and pairings.

    - two schools (A active, C closed: its teacher hears nothing), one director each;
    - teacher 1 has a draft candidacy (reminded before closing), teacher 2 a submitted one
      waiting for the director's opinion and HR's decision;
    - the mentors' survey opens 1 February 2027 at 8 h and closes 28 February at 17 h;
    - the regulation half-day is published for 5 November 2026 (mentor 2 answered absent);
      the bilan half-day is not planned.
    """
    window = window or (local(2027, 4, 20, 8), local(2027, 4, 30, 16))
    year = SchoolYear.with_seed_milestones(2026)
    year.save()
    following = year.next_year()
    following.save()
    ProgrammeSettings.objects.create(year=year)
    ProgrammeSettings.objects.create(year=following, opens_at=window[0], closes_at=window[1])
    school = f.SchoolFactory(code="A100", name="École des Cèdres")
    closed = f.SchoolFactory(code="C100", name="École fermée", is_active=False)
    data = DatedYear(year=year, next_year=following)
    for n in range(3):
        teacher = f.PersonFactory(first_name=f"Enseignant{n}")
        f.StaffAssignmentFactory(person=teacher, school=school, year=year)
        data.teachers.append(teacher)
    f.StaffAssignmentFactory(person=f.PersonFactory(first_name="Fermée"), school=closed, year=year)
    for target in (school, closed):
        director = f.PersonFactory(first_name="Direction")
        f.give_role(director, Role.DIRECTOR, school=target, year=year)
        data.directors.append(director)
    for n in range(2):
        mentor = f.PersonFactory(first_name=f"Mentor{n}")
        f.give_role(mentor, Role.MENTOR, school=school, year=year)
        MentorAssignment.objects.create(person=mentor, year=year, school=school)
        f.PairingFactory(year=year, mentor=mentor, mentee=f.PersonFactory(first_name=f"Novice{n}"))
        data.mentors.append(mentor)
    data.hr.append(f.PersonFactory(first_name="RH"))
    f.give_role(data.hr[0], Role.HR)
    data.pane.append(f.PersonFactory(first_name="PANE"))
    f.give_role(data.pane[0], Role.PANE)
    _candidacy(data.teachers[0], following, school, CandidacyStatus.DRAFT)
    _candidacy(data.teachers[1], following, school, CandidacyStatus.SUBMITTED)
    data.survey = Survey.objects.create(
        title="Sondage des personnes mentores",
        audience="mentors",
        year=year,
        opens_at=local(2027, 2, 1, 8),
        closes_at=local(2027, 2, 28, 17),
    )
    data.regulation = Event.objects.create(
        year=year,
        kind=EventKind.REGULATION,
        date=datetime.date(2026, 11, 5),
        period=EventPeriod.AFTERNOON,
        starts_at=datetime.time(13),
        ends_at=datetime.time(16),
        place="Centre administratif",
        status=EventStatus.PUBLISHED,
    )
    for person, rsvp in [
        (data.mentors[0], Rsvp.PRESENT),
        (data.mentors[1], Rsvp.ABSENT),
        (data.directors[0], Rsvp.PENDING),
    ]:
        EventInvitation.objects.create(event=data.regulation, person=person, rsvp=rsvp)
    return data
