"""Fixtures of the plans area, on top of the project's personas."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from mentorat import factories as f
from schools.plans.models import Newcomer, NewcomerReason, StepDocument
from schools.plans.tests.factories import DeploymentPlanFactory, PlanStepFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_plan_a(year, school_a):
    plan = DeploymentPlanFactory(school=school_a, year=year)
    PlanStepFactory(plan=plan, position=1, title="Rencontrer le CPE")
    PlanStepFactory(plan=plan, position=2, title="Créer le comité insertion professionnelle")
    return plan


def make_plan_b(year, school_b):
    plan = DeploymentPlanFactory(school=school_b, year=year)
    PlanStepFactory(plan=plan, position=1, title="Étape de l'école B")
    return plan


@pytest.fixture
def plan_a(year, school_a):
    return make_plan_a(year, school_a)


@pytest.fixture
def plan_b(year, school_b):
    return make_plan_b(year, school_b)


@pytest.fixture
def step_a(plan_a):
    return plan_a.steps.order_by("position").first()


@pytest.fixture
def step_b(plan_b):
    return plan_b.steps.first()


def file_document(step, name="compte-rendu.pdf", content=PDF):
    document = StepDocument(step=step, title="Compte rendu", size=len(content), content_type="application/pdf")
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def document_a(step_a):
    return file_document(step_a)


@pytest.fixture
def document_b(step_b):
    return file_document(step_b)


def make_newcomer_a(year, school_a):
    person = f.PersonFactory(first_name="Léa", last_name="Tremblay")
    f.StaffAssignmentFactory(person=person, school=school_a, year=year)
    f.EntitlementFactory(person=person, year=year)
    return Newcomer.objects.create(school=school_a, year=year, person=person, reason=NewcomerReason.ENTITLEMENT)


def make_newcomer_b(year, school_b):
    person = f.PersonFactory()
    f.StaffAssignmentFactory(person=person, school=school_b, year=year)
    return Newcomer.objects.create(school=school_b, year=year, person=person, reason=NewcomerReason.ENTITLEMENT)


@pytest.fixture
def newcomer_a(year, school_a):
    return make_newcomer_a(year, school_a)


@pytest.fixture
def newcomer_b(year, school_b):
    return make_newcomer_b(year, school_b)
