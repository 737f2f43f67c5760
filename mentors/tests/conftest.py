"""Fixtures of the mentors area, on top of the project's personas."""

from __future__ import annotations

import pytest

from mentorat import factories as f
from mentors.tests.factories import CandidacyFactory, MentorAssignmentFactory, ProgrammeSettingsFactory


@pytest.fixture
def window(year):
    """The nomination window of the year, open now (24 Nov 2026) for five days."""
    return ProgrammeSettingsFactory(year=year)


@pytest.fixture
def candidacy_a(year, school_a, teacher):
    return CandidacyFactory(person=teacher.person, year=year, school=school_a)


@pytest.fixture
def candidacy_b(year, school_b):
    person = f.PersonFactory()
    f.StaffAssignmentFactory(person=person, school=school_b, year=year)
    return CandidacyFactory(person=person, year=year, school=school_b)


@pytest.fixture
def assignment_a(year, school_a, mentor_a):
    return MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)


@pytest.fixture
def novice_a(year, school_a):
    """An unpaired novice teaching at school A."""
    person = f.PersonFactory()
    f.StaffAssignmentFactory(person=person, school=school_a, year=year)
    f.EntitlementFactory(person=person, year=year)
    return person
