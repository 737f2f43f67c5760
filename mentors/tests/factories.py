"""Factories of the mentors area (tests and benchmarks)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from mentorat import factories as f
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    FollowUpEntry,
    FollowUpKind,
    MentorAssignment,
    ProgrammeSettings,
    ReflectiveAnswers,
)
from schools.models import Order


class ProgrammeSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSettings
        django_get_or_create = ("year",)

    year = factory.SubFactory(f.SchoolYearFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=5))


class ReflectiveAnswersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReflectiveAnswers

    person = factory.SubFactory(f.PersonFactory)
    year = factory.SubFactory(f.SchoolYearFactory)
    motivation = 4
    availability = 3
    listening = 4
    sharing_practice = 3
    collaboration = 2


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    person = factory.SubFactory(f.PersonFactory)
    year = factory.SubFactory(f.SchoolYearFactory)
    school = factory.SubFactory(f.SchoolFactory)
    order = factory.LazyAttribute(lambda c: c.school.order or Order.PRIMARY)
    years_of_experience = 12
    subjects_levels = "2e cycle, mathématiques"
    motivation = "Accompagner les nouveaux collègues."
    availability = "Mardis après-midi"
    status = CandidacyStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class MentorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorAssignment

    person = factory.SubFactory(f.PersonFactory)
    year = factory.SubFactory(f.SchoolYearFactory)
    school = factory.SubFactory(f.SchoolFactory)


class FollowUpEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpEntry

    pairing = factory.SubFactory(f.PairingFactory)
    author = factory.LazyAttribute(lambda e: e.pairing.mentor)
    date = datetime.date(2026, 11, 10)
    duration_minutes = 60
    kind = FollowUpKind.MEETING
    topics = factory.LazyFunction(lambda: ["planning"])
    notes = "Note confidentielle de la mentore"
