"""Benchmark of the deployment plans: the overview of every school and a long plan.

Builds, in its own SQLite file, N schools (200 by default) each with a plan of
25 steps, plus a school whose plan has 60 steps (with actors, people and
comments), then times with the Django test client the overview, its CSV and XLSX
exports, the 60-step plan page and its print view, and prints the median time
and the query count of each. Run it with --schools 20 as well: the query counts
must be the same (flat as rows grow).

    .venv/bin/python bench/plans_bench.py               # 200 schools × 25 steps
    .venv/bin/python bench/plans_bench.py --schools 20  # the same pages on 20 schools

The database is var/bench-plans-<N>.sqlite3, rebuilt on every run (DATABASE_URL
is overridden), so the development database is never touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS_PER_PLAN = 25
LONG_PLAN_STEPS = 60
RUNS = 7


def setup_django(schools: int) -> None:
    db_path = ROOT / "var" / f"bench-plans-{schools}.sqlite3"
    db_path.parent.mkdir(exist_ok=True)
    if db_path.exists():
        db_path.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
    os.environ["DEBUG"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(school_count: int) -> int:
    """N schools × 25 steps and one 60-step plan, with bulk_create; returns the long plan's id."""
    from django.db import transaction
    from django.utils import timezone

    from roles.models import Actor, Membership, Role, User
    from schools.models import Order, Person, School, SchoolYear, StaffAssignment
    from schools.plans.models import CycleStep, DeploymentPlan, PlanStep, StepComment, StepStatus

    cycle, statuses = CycleStep.values, StepStatus.values
    with transaction.atomic():
        today = timezone.localdate()
        year = SchoolYear.with_seed_milestones(today.year if today.month >= 7 else today.year - 1)
        year.save()
        pane = User.objects.create_user(email="pane@bench.example.org", password="bench", first_name="Pane")
        Membership.objects.create(
            person=Person.objects.create(employee_number="P1", first_name="Pane", last_name="Bench", user=pane),
            role=Role.PANE,
        )
        School.objects.bulk_create(
            School(
                code=f"S{i:04d}",
                name=f"École {i:04d}",
                order=Order.PRIMARY if i % 4 else Order.SECONDARY,
                mentor_quota=1,
            )
            for i in range(school_count + 1)
        )
        schools = list(School.objects.order_by("code"))
        DeploymentPlan.objects.bulk_create(
            DeploymentPlan(school=s, year=year, changed_at=timezone.now(), changed_by=pane) for s in schools
        )
        plans = list(DeploymentPlan.objects.order_by("school__code"))
        long_plan, others = plans[0], plans[1:]
        steps = [
            PlanStep(
                plan=plan,
                position=n + 1,
                title=f"Étape {n + 1} du plan de l'école {plan.school_id}",
                intentions=["Nommer les besoins et les enjeux", "Proposer des pistes de solution ou d’actions"],
                cycle_step=cycle[(n + i) % len(cycle)],
                status=statuses[(n * 7 + i) % len(statuses)],
                when_text="Novembre 2026",
            )
            for i, plan in enumerate(others)
            for n in range(STEPS_PER_PLAN)
        ]
        steps += [
            PlanStep(
                plan=long_plan,
                position=n + 1,
                title=f"Étape {n + 1} : une étape détaillée de mise en œuvre du plan long",
                intentions=[
                    "Assurer un suivi quant au programme de mentorat",
                    "Se réguler",
                    "Échanger sur les pratiques",
                ],
                responsible_other="PANE",
                people_other="Membres du CPE\nÉquipe-école",
                cycle_step=cycle[n % len(cycle)],
                status=statuses[n % len(statuses)],
                comments="Programme de mentorat (pratiques)",
            )
            for n in range(LONG_PLAN_STEPS)
        ]
        PlanStep.objects.bulk_create(steps, batch_size=1000)
        # The long plan's steps name actors, people of the school and carry a comment each.
        director = User.objects.create_user(email="direction@bench.example.org", password="bench", first_name="Dir")
        director_person = Person.objects.create(
            employee_number="D1", first_name="Dir", last_name="Bench", user=director
        )
        Membership.objects.create(person=director_person, role=Role.DIRECTOR, school=long_plan.school, year=year)
        staff = Person.objects.bulk_create(
            Person(employee_number=f"T{n}", first_name="Ens", last_name=f"{n}") for n in range(30)
        )
        StaffAssignment.objects.bulk_create(
            StaffAssignment(person=p, school=long_plan.school, year=year) for p in staff
        )
        long_steps = list(PlanStep.objects.filter(plan=long_plan))
        actors = list(Actor.objects.all()[:3])
        PlanStep.responsible_actors.through.objects.bulk_create(
            PlanStep.responsible_actors.through(planstep=s, actor=actors[0]) for s in long_steps
        )
        PlanStep.people_actors.through.objects.bulk_create(
            PlanStep.people_actors.through(planstep=s, actor=a) for s in long_steps for a in actors
        )
        PlanStep.people_persons.through.objects.bulk_create(
            PlanStep.people_persons.through(planstep=s, person=staff[n % 30]) for n, s in enumerate(long_steps)
        )
        StepComment.objects.bulk_create(
            StepComment(step=s, author=pane, body="Bravo pour cette étape.") for s in long_steps
        )
    return long_plan.pk


def time_pages(long_plan: int) -> list[tuple[str, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from roles.models import User

    pages = [
        ("Overview (every school)", "pane", "/ecoles/plans/vue-ensemble/"),
        ("Overview, secondary, réalisé", "pane", "/ecoles/plans/vue-ensemble/?ordre=secondaire&statut=realise"),
        ("Overview CSV export", "pane", "/ecoles/plans/vue-ensemble/?format=csv"),
        ("Overview XLSX export", "pane", "/ecoles/plans/vue-ensemble/?format=xlsx"),
        ("Plan of 60 steps (director)", "direction", f"/ecoles/plans/{long_plan}/"),
        ("Plan of 60 steps (PANE)", "pane", f"/ecoles/plans/{long_plan}/"),
        ("Print view of 60 steps", "pane", f"/ecoles/plans/{long_plan}/imprimer/"),
    ]
    clients = {}
    for who in ("pane", "direction"):
        clients[who] = Client()
        clients[who].force_login(User.objects.get(email=f"{who}@bench.example.org"))
    results = []
    for label, who, url in pages:
        client = clients[who]
        client.get(url)  # warm up
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        results.append((label, statistics.median(timings) * 1000, len(queries), len(response.content)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200, help="schools with a 25-step plan (default 200)")
    args = parser.parse_args()
    setup_django(args.schools)
    started = time.perf_counter()
    long_plan = generate(args.schools)
    from schools.plans.models import PlanStep

    print(
        f"{args.schools} schools × {STEPS_PER_PLAN} steps + a plan of {LONG_PLAN_STEPS} steps "
        f"({PlanStep.objects.count()} steps) generated in {time.perf_counter() - started:.1f} s"
    )
    print(f"{'page':32} {'median ms':>10} {'queries':>8} {'KiB':>7}")
    for label, median, queries, size in time_pages(long_plan):
        print(f"{label:32} {median:10.0f} {queries:8d} {size / 1024:7.0f}")


if __name__ == "__main__":
    main()
