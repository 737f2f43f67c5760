"""A small realistic world for the project-wide harness tests (crawl, hostile input)."""

from __future__ import annotations

import copy
import datetime
import shutil
from dataclasses import dataclass

import pytest
from django.test import override_settings

from mentorat import factories as f
from mentorat.models import OutboundEmail
from mentorat.testing import PERSONAS, make_world
from mentors.accompaniment.notify import sync_invitations
from mentors.models import CalendarFeed, NonSchoolDay, NonSchoolDayKind, Pairing
from mentors.tests.factories import (
    CandidacyFactory,
    FollowUpEntryFactory,
    ProgrammeSettingsFactory,
    ReflectiveAnswersFactory,
)
from mentors.tests.factories_calendar import build_world
from schools.plans.models import Newcomer, NewcomerReason
from schools.plans.tests.conftest import file_document
from schools.plans.tests.factories import DeploymentPlanFactory, PlanStepFactory
from surveys.tests.factories import full_survey, invite


@dataclass
class Harness:
    """Every object a persona's pages lead to: one of each, in school A, plus cohort B."""

    objects: dict


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def harness(request, year, school_a, school_b):
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    return make_harness(users, year, school_a, school_b)


@pytest.fixture(scope="class")
def harness_made_once(made_once, tmp_path_factory):
    """The harness made once for a test class (see `made_once`), its files in a folder of their own."""
    media = tmp_path_factory.mktemp("media")

    def build():
        with override_settings(MEDIA_ROOT=media):
            world = make_world()
            return make_harness(world, world["year"], world["school_a"], world["school_b"])

    return {"harness": made_once(build), "media": media}


@pytest.fixture
def shared_harness(harness_made_once, db, _media_in_tmp, settings):
    """This test's copy of its class's harness, and of its files (a test deleting a document leaves the next one's)."""
    shutil.copytree(harness_made_once["media"], settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(harness_made_once["harness"])


def make_harness(users, year, school_a, school_b) -> Harness:
    calendar = build_world(
        year=year,
        school_a=school_a,
        school_b=school_b,
        pane=users["pane"],
        trainer=users["trainer"],
        mentor_a=users["mentor_a"],
    )
    sync_invitations(calendar.cohort_day_a)
    ProgrammeSettingsFactory(year=year)
    CalendarFeed.objects.create(person=calendar.mentor_b)
    ReflectiveAnswersFactory(person=users["teacher"].person, year=year)
    pairing = Pairing.objects.get(mentor=users["mentor_a"].person)
    novice = f.PersonFactory(first_name="Noé", last_name="Novice")
    f.StaffAssignmentFactory(person=novice, school=school_a, year=year)
    f.EntitlementFactory(person=novice, year=year)
    plan = DeploymentPlanFactory(school=school_a, year=year)
    step = PlanStepFactory(plan=plan, position=1, title="Rencontrer le CPE")
    PlanStepFactory(plan=plan, position=2, title="Créer le comité")
    person = f.PersonFactory(first_name="Léa", last_name="Tremblay")
    f.StaffAssignmentFactory(person=person, school=school_a, year=year)
    survey = full_survey(year)
    objects = {
        "year": year,
        "school_a": school_a,
        "school_b": school_b,
        "building_a": f.BuildingFactory(school=school_a),
        "candidacy": CandidacyFactory(person=users["teacher"].person, year=year, school=school_a),
        "pairing": pairing,
        "entry": FollowUpEntryFactory(pairing=pairing),
        "novice": novice,
        "cohort_a": calendar.cohort_a,
        "cohort_b": calendar.cohort_b,
        "event": calendar.cohort_day_a,
        "draft": calendar.draft_a,
        "mentor_b": calendar.mentor_b,
        "nonschoolday": NonSchoolDay.objects.create(
            year=year, date=datetime.date(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL
        ),
        "plan": plan,
        "step": step,
        "document": file_document(step),
        "newcomer": Newcomer.objects.create(
            school=school_a, year=year, person=person, reason=NewcomerReason.ENTITLEMENT
        ),
        "survey": survey,
        "question": survey.questions.order_by("position").last(),
        "invitation": invite(survey, users["mentee_a"].person),
        "outbound_failed": OutboundEmail.objects.create(
            key="test:failed", kind="invitation", to="echec@example.org", status=OutboundEmail.Status.FAILED
        ),
    }
    return Harness(objects={**objects, **{name: users[name] for name in PERSONAS}})
