"""Benchmark of the nomination pages on a large centre.

Builds, in its own SQLite file, a centre of 200 schools, 5 000 candidacies,
1 500 mentors and 5 000 novices, then times the HR board, the budget page and
the pairing page (and their exports) and prints their query counts.

    .venv/bin/python bench/nominations_bench.py            # build (once) and time
    .venv/bin/python bench/nominations_bench.py --rebuild  # start from an empty database

The database is var/bench-nominations.sqlite3 (DATABASE_URL is overridden), so
the development database is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = ROOT / "var" / "bench-nominations.sqlite3"

SCHOOLS = 200
CANDIDACIES = 5000
MENTORS = 1500
NOVICES = 5000
PAIRED_NOVICES = 3000
FOLLOW_UPS = 12000
RUNS = 5


def setup_django(rebuild: bool) -> None:
    DB_PATH.parent.mkdir(exist_ok=True)
    if rebuild and DB_PATH.exists():
        DB_PATH.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
    os.environ["DEBUG"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate() -> None:
    """A large centre, written with bulk_create (about a minute)."""
    import datetime
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from mentors.models import (
        Candidacy,
        CandidacyStatus,
        Decision,
        FollowUpEntry,
        FollowUpKind,
        MentorAssignment,
        Opinion,
        Pairing,
        ProgrammeSettings,
    )
    from roles.models import Membership, Role, User
    from schools.models import Building, Entitlement, Order, Person, School, SchoolYear, StaffAssignment

    rng = random.Random(2027)
    today = timezone.localdate()
    start = today.year if today.month >= 7 else today.year - 1
    with transaction.atomic():
        year = SchoolYear.with_seed_milestones(start)
        year.save()
        now = timezone.now()
        ProgrammeSettings.objects.create(
            year=year, opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=7)
        )
        schools = School.objects.bulk_create(
            [
                School(
                    code=f"S{i:03d}",
                    name=f"École {i:03d}",
                    order=Order.SECONDARY if i % 4 == 0 else Order.PRIMARY,
                    mentor_quota=2 if i % 4 == 0 else 1,
                )
                for i in range(SCHOOLS)
            ]
        )
        buildings = Building.objects.bulk_create(
            [
                Building(school=school, code=f"B{k}", name=f"{school.name} — pavillon {k}")
                for i, school in enumerate(schools)
                for k in range(2 if i % 5 == 0 else 1)
            ]
        )
        by_school: dict[int, list] = {}
        for building in buildings:
            by_school.setdefault(building.school_id, []).append(building)

        people = Person.objects.bulk_create(
            [
                Person(
                    employee_number=f"{500000 + n}",
                    first_name=f"Prénom{n}",
                    last_name=f"Nom{n:05d}",
                    email=f"p{n}@bench.example.org",
                )
                for n in range(CANDIDACIES + NOVICES)
            ]
        )
        candidates, novices = people[:CANDIDACIES], people[CANDIDACIES:]

        def place(n):
            school = schools[n % SCHOOLS]
            return school, rng.choice(by_school[school.pk])

        assignments, candidacies = [], []
        subjects = ["1re année", "2e cycle", "mathématiques", "français", "sciences", "univers social", "anglais"]
        for n, person in enumerate(candidates):
            school, building = place(n)
            assignments.append(
                StaffAssignment(
                    person=person,
                    school=school,
                    year=year,
                    building=building,
                    job_title=f"Enseignant(e) {rng.choice(subjects)}",
                )
            )
            candidacies.append(
                Candidacy(
                    person=person,
                    year=year,
                    school=school,
                    building=building,
                    order=school.order,
                    years_of_experience=rng.randint(5, 30),
                    subjects_levels=", ".join(rng.sample(subjects, 2)),
                    motivation="Partager ma pratique.",
                    availability="Mardi et jeudi",
                    capacity=rng.randint(2, 5),
                    status=CandidacyStatus.SUBMITTED,
                    submitted_at=now,
                    is_renewal=n % 7 == 0,
                    director_opinion=rng.choice(list(Opinion.values) + ["", ""]),
                    decision=Decision.NOMINATED if n < MENTORS else rng.choice(["", "", Decision.WAITING_LIST]),
                )
            )
        for n, person in enumerate(novices):
            school, building = place(n)
            assignments.append(
                StaffAssignment(
                    person=person,
                    school=school,
                    year=year,
                    building=building,
                    job_title=f"Enseignant(e) {rng.choice(subjects)}",
                )
            )
        StaffAssignment.objects.bulk_create(assignments)
        candidacies = Candidacy.objects.bulk_create(candidacies)
        Entitlement.objects.bulk_create(
            [
                Entitlement(person=person, year=year, started_on=today - datetime.timedelta(days=rng.randint(0, 90)))
                for person in novices
            ]
        )
        mentors = MentorAssignment.objects.bulk_create(
            [
                MentorAssignment(
                    person=c.person,
                    year=year,
                    school=c.school,
                    building=c.building,
                    candidacy=c,
                    capacity=c.capacity,
                    cycle_length_days=c.school.cycle_length_days,
                    release_days_per_cycle=Decimal(2),
                )
                for c in candidacies[:MENTORS]
            ]
        )
        Membership.objects.bulk_create(
            [Membership(person=m.person, role=Role.MENTOR, school=m.school, year=year) for m in mentors]
        )
        pairings, seats = [], [m for m in mentors for _ in range(m.capacity)]
        rng.shuffle(seats)
        for novice, mentor in zip(novices[:PAIRED_NOVICES], seats, strict=False):
            pairings.append(Pairing(year=year, mentor=mentor.person, mentee=novice, started_on=year.starts_on))
        pairings = Pairing.objects.bulk_create(pairings)
        FollowUpEntry.objects.bulk_create(
            [
                FollowUpEntry(
                    pairing=p,
                    author=p.mentor,
                    date=today - datetime.timedelta(days=rng.randint(0, 80)),
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    kind=rng.choice(FollowUpKind.values),
                    topics=["planning"],
                    notes="Note privée",
                )
                for p in (rng.choice(pairings) for _ in range(FOLLOW_UPS))
            ]
        )
        for email, role in (("rh@bench.example.org", Role.HR), ("pane@bench.example.org", Role.PANE)):
            user = User.objects.create_user(email=email, password="bench")
            person = Person.objects.create(
                employee_number=email[:8], first_name=role, last_name="Bench", email=email, user=user
            )
            Membership.objects.create(person=person, role=role)


def time_pages() -> list[tuple[str, float, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from roles.models import User

    pages = [
        ("HR board (20 schools/page)", "rh", "/mentorat/rh/candidatures/"),
        ("HR board, page 5, sorted", "rh", "/mentorat/rh/candidatures/?page=5&tri=experience"),
        ("HR board, secondary, pending", "rh", "/mentorat/rh/candidatures/?ordre=secondaire&statut=pending"),
        ("Budget page", "rh", "/mentorat/rh/budget/"),
        ("Budget CSV export", "rh", "/mentorat/rh/budget/?format=csv"),
        ("Budget XLSX export", "rh", "/mentorat/rh/budget/?format=xlsx"),
        ("Pairing page (25 novices)", "pane", "/mentorat/jumelages/"),
        ("Pairing page, page 40", "pane", "/mentorat/jumelages/?page=40"),
        ("Pairing list and loads", "pane", "/mentorat/jumelages/liste/"),
        ("Follow-up counts", "pane", "/mentorat/suivi/"),
    ]
    clients = {}
    for who in ("rh", "pane"):
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
        results.append(
            (label, statistics.median(timings) * 1000, max(timings) * 1000, len(queries), len(response.content))
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="delete the benchmark database first")
    args = parser.parse_args()
    setup_django(args.rebuild)
    from mentors.models import Candidacy, MentorAssignment, Pairing
    from schools.models import Entitlement, School

    if not School.objects.exists():
        started = time.perf_counter()
        generate()
        print(f"Generated in {time.perf_counter() - started:.1f} s")
    print(
        f"{School.objects.count()} schools, {Candidacy.objects.count()} candidacies, "
        f"{MentorAssignment.objects.count()} mentors, {Entitlement.objects.count()} novices, "
        f"{Pairing.objects.count()} pairings"
    )
    print(f"{'page':34} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KiB':>7}")
    for label, median, worst, queries, size in time_pages():
        print(f"{label:34} {median:10.0f} {worst:8.0f} {queries:8d} {size / 1024:7.0f}")


if __name__ == "__main__":
    main()
