"""factory_boy factories of the plans area (tests and bench)."""

from __future__ import annotations

import factory

from mentorat.factories import SchoolFactory, SchoolYearFactory
from schools.plans.models import CycleStep, DeploymentPlan, PlanStep, StepDocument


class DeploymentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeploymentPlan

    school = factory.SubFactory(SchoolFactory)
    year = factory.SubFactory(SchoolYearFactory)


class PlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStep

    plan = factory.SubFactory(DeploymentPlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Étape {n} : rencontrer l'équipe-école")
    intentions = factory.LazyFunction(lambda: ["Nommer les besoins et les enjeux", "Se réguler"])
    cycle_step = CycleStep.NAME


class LinkDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepDocument

    step = factory.SubFactory(PlanStepFactory)
    title = "Aide-mémoire"
    url = "https://example.org/aide-memoire"
