"""Factories and a small world of cohorts and events for the calendar tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
import pytest

from mentorat import factories as f
from mentors.models import Event, EventKind, EventPeriod, EventStatus
from mentors.tests.factories import MentorAssignmentFactory
from roles.models import Role


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    year = factory.SubFactory(f.SchoolYearFactory)
    kind = EventKind.COHORT_DAY
    number = factory.Sequence(lambda n: n % 6 + 1)
    date = datetime.date(2026, 12, 8)
    period = EventPeriod.FULL_DAY
    starts_at = datetime.time(8, 30)
    ends_at = datetime.time(16, 0)
    place = "Centre administratif, salle 204"
    status = EventStatus.PUBLISHED


@dataclass
class World:
    cohort_a: object
    cohort_b: object
    pane_b: object
    mentor_b: object
    university_a: Event
    cohort_day_a: Event
    regulation_a: Event
    draft_a: Event
    cohort_day_b: Event
    regulation_b: Event


def build_world(*, year, school_a, school_b, pane, trainer, mentor_a) -> World:
    """Cohort A (pane, trainer, mentor_a at school A) and cohort B (another PANE, a mentor at school B)."""
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)
    cohort_a = f.CohortFactory(
        year=year, name="Cohorte A", panes=[pane.person], trainers=[trainer.person], mentors=[mentor_a.person]
    )
    pane_b = f.person_with_account("pane.b@example.org")
    f.give_role(pane_b, Role.PANE)
    mentor_b = f.person_with_account("mentor.b@example.org")
    f.give_role(mentor_b, Role.MENTOR, school=school_b, year=year)
    MentorAssignmentFactory(person=mentor_b, year=year, school=school_b)
    cohort_b = f.CohortFactory(year=year, name="Cohorte B", panes=[pane_b], mentors=[mentor_b])

    def event(cohort, kind, **kwargs):
        number = kwargs.pop("number", 1 if kind in (EventKind.UNIVERSITY_DAY, EventKind.COHORT_DAY) else None)
        return EventFactory(year=year, cohort=cohort, kind=kind, number=number, **kwargs)

    return World(
        cohort_a=cohort_a,
        cohort_b=cohort_b,
        pane_b=pane_b,
        mentor_b=mentor_b,
        university_a=event(cohort_a, EventKind.UNIVERSITY_DAY, date=datetime.date(2026, 12, 1)),
        cohort_day_a=event(cohort_a, EventKind.COHORT_DAY, date=datetime.date(2026, 12, 8)),
        regulation_a=event(
            cohort_a,
            EventKind.REGULATION,
            date=datetime.date(2026, 11, 26),
            period=EventPeriod.AFTERNOON,
            starts_at=datetime.time(13, 0),
            ends_at=datetime.time(16, 0),
        ),
        draft_a=event(cohort_a, EventKind.COHORT_DAY, number=2, date=datetime.date(2027, 1, 12), status="draft"),
        cohort_day_b=event(cohort_b, EventKind.COHORT_DAY, date=datetime.date(2026, 12, 9)),
        regulation_b=event(
            cohort_b,
            EventKind.REGULATION,
            date=datetime.date(2026, 11, 27),
            period=EventPeriod.MORNING,
            starts_at=datetime.time(8, 30),
            ends_at=datetime.time(11, 45),
        ),
    )


@pytest.fixture(name="world")
def world_fixture(year, school_a, school_b, pane, trainer, mentor_a, director_a, director_b, mentee_a):
    """The calendar tests' world (import `world_fixture` into a test module to use `world`)."""
    return build_world(year=year, school_a=school_a, school_b=school_b, pane=pane, trainer=trainer, mentor_a=mentor_a)
