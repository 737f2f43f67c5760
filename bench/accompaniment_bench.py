"""Benchmark of the cohorts and planning pages on a large centre, and on a small one.

``build(schools=200, cohorts=60)`` writes, with bulk_create, one school year
(2026-2027) of a centre: its schools, ~5 nominated mentors per cohort (300 for
60 cohorts) with a pairing or two each, 20 PANE and 10 trainers, the cohorts
with their six university days, six cohort days and two half-days (published),
the invitations of every event and attendance at the days already past. The
calendar bench imports it (``from bench.accompaniment_bench import build``).

The timing part signs in as HR and times, with Django's test client, the
cohort list, a cohort page and the planner's proposal for a new cohort (median
of 7 runs, and the query count), on the large centre and on a small one
(20 schools, 6 cohorts) to show the query counts stay flat.

    .venv/bin/python bench/accompaniment_bench.py         # both sizes, each in its own SQLite file
    .venv/bin/python bench/accompaniment_bench.py --size large

The databases are var/bench-accompaniment-<size>.sqlite3 (DATABASE_URL is
overridden), rebuilt on each run; the development database is never touched.
Time is frozen at 24 November 2026, 10:00 (Toronto), as in the tests.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 7
SIZES = {"large": {"schools": 200, "cohorts": 60}, "small": {"schools": 20, "cohorts": 6}}
MENTORS_PER_COHORT = 5
PANES, TRAINERS = 20, 10
TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


def setup_django(db_path: Path) -> None:
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


def _school_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    return [day for day in days if day.weekday() < 5]


def build(schools: int = 200, cohorts: int = 60, year=None) -> dict:
    """A year of the accompaniment calendar for a centre of this size; returns what the benches need.

    Events do not go through the planning rules (60 cohorts share 20 PANE and
    10 trainers, so some collide): this builds volume, not a plan.
    """
    from django.db import transaction
    from django.utils import timezone

    from mentors.accompaniment.people import invitee_ids
    from mentors.models import (
        Cohort,
        CohortMember,
        Event,
        EventInvitation,
        EventKind,
        EventPeriod,
        EventStatus,
        MentorAssignment,
        Pairing,
    )
    from mentors.models.accompaniment import DEFAULT_TIMES
    from roles.models import Membership, Role, User
    from schools.models import Entitlement, Order, Person, School, SchoolYear, StaffAssignment

    today = timezone.localdate()
    with transaction.atomic():
        if year is None:
            year = SchoolYear.with_seed_milestones(2026)
            year.save()
        school_rows = School.objects.bulk_create(
            [
                School(
                    code=f"A{i:03d}",
                    name=f"École {i:03d}",
                    order=Order.SECONDARY if i % 4 == 0 else Order.PRIMARY,
                    mentor_quota=2 if i % 4 == 0 else 1,
                )
                for i in range(schools)
            ]
        )
        n_mentors = cohorts * MENTORS_PER_COHORT
        n_people = n_mentors * 3 + PANES + TRAINERS + 1 + schools
        people = Person.objects.bulk_create(
            [
                Person(employee_number=f"{700000 + n}", first_name=f"Prénom{n}", last_name=f"Nom{n:05d}")
                for n in range(n_people)
            ]
        )
        mentors, mentees = people[:n_mentors], people[n_mentors : 3 * n_mentors]
        rest = people[3 * n_mentors :]
        panes, trainers, hr, directors = (
            rest[:PANES],
            rest[PANES : PANES + TRAINERS],
            rest[PANES + TRAINERS],
            rest[-schools:],
        )
        school_of = {p.pk: school_rows[i % schools] for i, p in enumerate(mentors)}
        StaffAssignment.objects.bulk_create(
            [StaffAssignment(person=p, school=school_of[p.pk], year=year) for p in mentors]
            + [StaffAssignment(person=m, school=school_rows[i % schools], year=year) for i, m in enumerate(mentees)]
            + [StaffAssignment(person=d, school=s, year=year) for d, s in zip(directors, school_rows, strict=True)]
        )
        Entitlement.objects.bulk_create([Entitlement(person=m, year=year, started_on=year.starts_on) for m in mentees])
        MentorAssignment.objects.bulk_create(
            [MentorAssignment(person=p, year=year, school=school_of[p.pk]) for p in mentors]
        )
        Pairing.objects.bulk_create(
            [
                Pairing(year=year, mentor=mentors[i // 2], mentee=mentee, started_on=year.starts_on)
                for i, mentee in enumerate(mentees)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(person=p, role=Role.MENTOR, school=school_of[p.pk], year=year) for p in mentors]
            + [Membership(person=p, role=Role.PANE) for p in panes]
            + [Membership(person=p, role=Role.TRAINER) for p in trainers]
            + [
                Membership(person=d, role=Role.DIRECTOR, school=s, year=year)
                for d, s in zip(directors, school_rows, strict=True)
            ]
            + [Membership(person=hr, role=Role.HR)]
        )
        cohort_rows = Cohort.objects.bulk_create(
            [
                Cohort(year=year, name=f"Cohorte {c:02d}", order=Order.PRIMARY if c % 4 else Order.SECONDARY)
                for c in range(cohorts)
            ]
        )
        Cohort.panes.through.objects.bulk_create(
            [Cohort.panes.through(cohort=c, person=panes[i % PANES]) for i, c in enumerate(cohort_rows)]
        )
        Cohort.trainers.through.objects.bulk_create(
            [Cohort.trainers.through(cohort=c, person=trainers[i % TRAINERS]) for i, c in enumerate(cohort_rows)]
        )
        CohortMember.objects.bulk_create(
            [
                CohortMember(cohort=cohort_rows[i // MENTORS_PER_COHORT], person=p, year=year)
                for i, p in enumerate(mentors)
            ]
        )
        days = _school_days(datetime.date(2026, 9, 1), datetime.date(2027, 5, 31))
        events = []
        full, morning = DEFAULT_TIMES[EventPeriod.FULL_DAY], DEFAULT_TIMES[EventPeriod.MORNING]
        for c, cohort in enumerate(cohort_rows):
            for k in range(1, 7):
                cohort_day = days[(k - 1) * len(days) // 6 + 6 + c % 20]
                university_day = days[days.index(cohort_day) - 5]
                for kind, day in ((EventKind.UNIVERSITY_DAY, university_day), (EventKind.COHORT_DAY, cohort_day)):
                    events.append(
                        Event(
                            year=year, cohort=cohort, kind=kind, number=k, date=day, starts_at=full[0], ends_at=full[1]
                        )
                    )
            for kind, day in (
                (EventKind.REGULATION, datetime.date(2026, 11, 2) + datetime.timedelta(days=c % 5)),
                (EventKind.BILAN, datetime.date(2027, 6, 1) + datetime.timedelta(days=c % 4)),
            ):
                events.append(
                    Event(
                        year=year,
                        cohort=cohort,
                        kind=kind,
                        date=day,
                        period=EventPeriod.MORNING,
                        starts_at=morning[0],
                        ends_at=morning[1],
                    )
                )
        for event in events:
            event.status = EventStatus.PUBLISHED
        events = Event.objects.bulk_create(events)
        invitations = []
        for n, event in enumerate(Event.objects.filter(year=year).select_related("cohort")):
            past = event.date < today
            for i, person_id in enumerate(sorted(invitee_ids(event))):
                attended = ((n + i) % 10 != 0) if past else None
                invitations.append(EventInvitation(event=event, person_id=person_id, attended=attended))
        EventInvitation.objects.bulk_create(invitations, batch_size=2000)
        hr_user = User.objects.create_user(email=f"rh-{year.label}@bench.example.org", password="bench")
        Person.objects.filter(pk=hr.pk).update(user=hr_user)
        # A cohort with its people but no event yet, for the planner.
        to_plan = Cohort.objects.create(year=year, name="Cohorte à planifier")
        to_plan.panes.add(panes[0])
        to_plan.trainers.add(trainers[0])
    return {
        "year": year,
        "hr_user": hr_user,
        "cohorts": cohort_rows,
        "to_plan": to_plan,
        "events": Event.objects.filter(year=year).count(),
        "invitations": len(invitations),
    }


def time_pages(built: dict) -> list[tuple[str, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(built["hr_user"])
    year = built["year"]
    pages = [
        ("cohort list", f"{reverse('mentors:cohort_list')}?annee={year.pk}"),
        ("cohort page", reverse("mentors:cohort_detail", args=[built["cohorts"][0].pk])),
        ("planner proposal", reverse("mentors:cohort_plan", args=[built["to_plan"].pk])),
    ]
    results = []
    for label, url in pages:
        client.get(url)  # warm up
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        results.append((label, statistics.median(timings) * 1000, len(queries)))
    return results


def run(size: str) -> None:
    import time_machine

    setup_django(ROOT / "var" / f"bench-accompaniment-{size}.sqlite3")
    with time_machine.travel(TODAY, tick=True):
        started = time.perf_counter()
        built = build(**SIZES[size])
        print(
            f"{size}: {SIZES[size]['schools']} schools, {len(built['cohorts'])} cohorts, "
            f"{len(built['cohorts']) * MENTORS_PER_COHORT} mentors, {built['events']} events, "
            f"{built['invitations']} invitations (built in {time.perf_counter() - started:.1f} s)"
        )
        for label, median, queries in time_pages(built):
            print(f"  {label:18} {median:8.0f} ms median {queries:4d} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), help="one size only (default: both, one process each)")
    args = parser.parse_args()
    if args.size:
        run(args.size)
        return
    for size in ("large", "small"):
        subprocess.run([sys.executable, __file__, "--size", size], check=True)


if __name__ == "__main__":
    main()
