"""Demo deployment plans: the demo director's school starts from the primary template, a dozen others have plans.

Called by seed_demo's Writer.write(). Deterministic (no randomness: statuses follow
the step's position and the school's rank) and idempotent: a school that already
has its plan of the year is left as it is.
"""

from __future__ import annotations

import datetime

from django.db.models import F

from roles.models import Role, User
from schools.models import Order
from schools.plans import services
from schools.plans.models import (
    DeploymentPlan,
    Newcomer,
    NewcomerFollowUp,
    NewcomerStatus,
    PlanSource,
    PlanStep,
    PlanTemplate,
    StepComment,
    StepStatus,
)

OTHER_SCHOOLS_WITH_PLANS = 12
PRIMARY = "Exemple d’un plan de déploiement d’une école primaire"
SECONDARY = "Exemple d’un plan de déploiement d’une école secondaire"
# The seed's plans are dated 2022-2023; the demo year is 2026-2027.
YEARS_SINCE_SEED = 4
STATUS_CYCLE = [StepStatus.DONE, StepStatus.DONE, StepStatus.ONGOING, StepStatus.UPCOMING]
DEMO_COMMENT = (
    "Belle structure de communication avec les mentores. Pensez à inviter la PANE à la rencontre d’équipe "
    "de décembre : nous pourrons présenter l’aide-mémoire."
)


def write_plans(writer) -> None:
    templates = {t.name: t for t in PlanTemplate.objects.all()}
    if PRIMARY not in templates:
        return
    director = User.objects.filter(person__id=writer.person_ids[writer.plan.demo["director"]]).first()
    pane = User.objects.filter(person__memberships__role=Role.PANE).order_by("pk").first()
    demo_school = writer.schools[0]
    plan = _plan(
        demo_school,
        writer.year,
        templates[PRIMARY],
        director,
        statuses=[StepStatus.DONE, StepStatus.DONE, StepStatus.DONE, StepStatus.ONGOING, StepStatus.ONGOING],
    )
    if plan is not None and pane is not None:
        step = plan.steps.order_by("position")[3]
        StepComment.objects.create(step=step, author=pane, body=DEMO_COMMENT)
    _tracking(demo_school, writer.year, director)
    for rank, school in enumerate(writer.schools[1 : OTHER_SCHOOLS_WITH_PLANS + 1], start=1):
        template = templates[SECONDARY if school.order == Order.SECONDARY else PRIMARY]
        done = rank % 5  # schools at different points of their cycle
        _plan(
            school, writer.year, template, None, statuses=[StepStatus.DONE] * done + [StepStatus.ONGOING] * (rank % 3)
        )


def _plan(school, year, template, by, statuses) -> DeploymentPlan | None:
    """The school's plan from the template, dated this year, statuses in order; None when it already existed."""
    if DeploymentPlan.objects.filter(school=school, year=year).exists():
        return None
    plan = services.plan_create(school=school, year=year, by=by, source=PlanSource.TEMPLATE, template=template)
    steps = list(plan.steps.order_by("position"))
    for index, step in enumerate(steps):
        step.status = statuses[index] if index < len(statuses) else StepStatus.UPCOMING
        step.when_text = services.shift_year_in_text(step.when_text, YEARS_SINCE_SEED)
    PlanStep.objects.bulk_update(steps, ["status", "when_text"])
    PlanStep.objects.filter(plan=plan, status__in=[StepStatus.DONE, StepStatus.ONGOING]).update(
        version=F("version") + 1
    )
    return plan


def _tracking(school, year, by) -> None:
    """The demo school's tracking table, with a few traces of follow-ups the first time."""
    services.newcomers_sync(school=school, year=year)
    rows = list(
        Newcomer.objects.filter(school=school, year=year).select_related("person").order_by("person__last_name", "pk")
    )
    if not rows or NewcomerFollowUp.objects.filter(newcomer__in=rows).exists():
        return
    plan = [
        (
            NewcomerStatus.FINE,
            "",
            "Rencontre d’accueil : guide des nouveaux remis, horaire des premières journées revu.",
        ),
        (NewcomerStatus.WATCH, "Gestion de classe en 2e année", "Observation en classe avec la mentore prévue."),
        (NewcomerStatus.SUPPORT, "Planification et évaluation", "Deux jours de libération accordés pour planifier."),
    ]
    for index, row in enumerate(rows[: len(plan)]):
        status, needs, note = plan[index]
        NewcomerFollowUp.objects.create(
            newcomer=row, date=datetime.date(2026, 10, 15 + index), status=status, note=note, by=by
        )
        Newcomer.objects.filter(pk=row.pk).update(
            status=status, needs=needs, next_follow_up_on=datetime.date(2026, 12, 1 + index), updated_by=by
        )
