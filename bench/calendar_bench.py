"""Benchmark of the calendar pages on a large centre, and again on a small one (flat query counts).

Builds, in its own SQLite file, a year of 200 schools, ~300 mentors in 60 cohorts,
each cohort with 6 cohort days, 6 university days and 2 half-days, and every
invitation the invitee rule gives; then times the centre-wide calendar (month and
list), « Mon calendrier » of a mentor, a cohort's calendar, an event page, the
attendance report and a feed, and prints median / max ms and query counts.
The same on 20 schools (6 cohorts) shows the query counts do not grow.

    .venv/bin/python bench/calendar_bench.py            # both sizes (build once, then time)
    .venv/bin/python bench/calendar_bench.py --rebuild  # start from empty databases
    .venv/bin/python bench/calendar_bench.py --schools 200

`build()` is importable (bench/accompaniment_bench.py may share it). The databases
are var/bench-calendar-<schools>.sqlite3 (DATABASE_URL is overridden), so the
development database is never touched. Time is frozen at 24 Nov 2026.
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
RUNS = 5
TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


def db_path(schools: int) -> Path:
    return ROOT / "var" / f"bench-calendar-{schools}.sqlite3"


def setup_django(schools: int, rebuild: bool) -> bool:
    """Point Django at the bench database; True when it must be generated."""
    path = db_path(schools)
    path.parent.mkdir(exist_ok=True)
    if rebuild and path.exists():
        path.unlink()
    fresh = not path.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
    os.environ["DEBUG"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return fresh


def build(schools: int = 200, cohorts: int = 60, mentors_per_school: float = 1.5) -> dict:
    """A year of `schools` schools, their mentors in `cohorts` cohorts, 14 events each, every invitation.

    Written with bulk_create; returns the names of the bench accounts.
    """
    from django.db import transaction

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
    from roles.models import Membership, Role, User
    from schools.models import Entitlement, Order, Person, School, SchoolYear, StaffAssignment

    with transaction.atomic():
        year, _ = SchoolYear.objects.get_or_create(
            label="2026-2027", defaults={"starts_on": datetime.date(2026, 7, 1), "ends_on": datetime.date(2027, 6, 30)}
        )
        school_rows = School.objects.bulk_create(
            School(
                code=f"S{n:03d}",
                name=f"École {n:03d}",
                order=Order.SECONDARY if n % 4 == 0 else Order.PRIMARY,
                mentor_quota=2 if n % 4 == 0 else 1,
            )
            for n in range(schools)
        )
        serial = iter(range(10**6))

        def people(count, prefix):
            return Person.objects.bulk_create(
                Person(
                    employee_number=f"{prefix}{next(serial):06d}",
                    first_name=prefix,
                    last_name=f"{prefix}-{n}",
                    email=f"{prefix}{n}@bench.example.org",
                )
                for n in range(count)
            )

        directors = people(schools, "dir")
        mentors = people(int(schools * mentors_per_school), "mentor")
        novices = people(schools * 3, "novice")
        panes = people(max(1, cohorts // 6), "pane")
        trainers = people(max(1, cohorts // 12), "trainer")
        Membership.objects.bulk_create(
            [Membership(person=p, role=Role.DIRECTOR, school=s, year=year) for p, s in zip(directors, school_rows)]
            + [Membership(person=p, role=Role.MENTOR, year=year) for p in mentors]
            + [Membership(person=p, role=Role.MENTEE, year=year) for p in novices]
            + [Membership(person=p, role=Role.PANE) for p in panes]
            + [Membership(person=p, role=Role.TRAINER) for p in trainers]
        )
        StaffAssignment.objects.bulk_create(
            [StaffAssignment(person=p, school=school_rows[n % schools], year=year) for n, p in enumerate(novices)]
            + [StaffAssignment(person=p, school=school_rows[n % schools], year=year) for n, p in enumerate(mentors)]
        )
        Entitlement.objects.bulk_create(
            Entitlement(person=p, year=year, started_on=datetime.date(2026, 8, 25)) for p in novices
        )
        MentorAssignment.objects.bulk_create(
            MentorAssignment(person=p, school=school_rows[n % schools], year=year) for n, p in enumerate(mentors)
        )
        Pairing.objects.bulk_create(
            Pairing(year=year, mentor=mentors[n % len(mentors)], mentee=p, started_on=datetime.date(2026, 9, 1))
            for n, p in enumerate(novices[: len(mentors) * 2])
        )
        cohort_rows = Cohort.objects.bulk_create(
            Cohort(year=year, name=f"Cohorte {n:02d}", order=Order.SECONDARY if n % 4 == 0 else Order.PRIMARY)
            for n in range(cohorts)
        )
        Cohort.panes.through.objects.bulk_create(
            Cohort.panes.through(cohort=c, person=panes[n % len(panes)]) for n, c in enumerate(cohort_rows)
        )
        Cohort.trainers.through.objects.bulk_create(
            Cohort.trainers.through(cohort=c, person=trainers[n % len(trainers)]) for n, c in enumerate(cohort_rows)
        )
        CohortMember.objects.bulk_create(
            CohortMember(cohort=cohort_rows[n % cohorts], person=p, year=year) for n, p in enumerate(mentors)
        )
        # Days 1–6 a month apart from September; university day k the week before cohort day k.
        events = []
        for n, cohort in enumerate(cohort_rows):
            for k in range(1, 7):
                day = datetime.date(2026, 9, 1) + datetime.timedelta(days=28 * (k - 1) + 7 + n % 20)
                for kind, date in (
                    (EventKind.COHORT_DAY, day),
                    (EventKind.UNIVERSITY_DAY, day - datetime.timedelta(7)),
                ):
                    events.append(Event(year=year, cohort=cohort, kind=kind, number=k, date=date))
            for kind, date in (
                (EventKind.REGULATION, datetime.date(2026, 11, 2) + datetime.timedelta(days=n % 25)),
                (EventKind.BILAN, datetime.date(2027, 5, 3) + datetime.timedelta(days=n % 40)),
            ):
                events.append(Event(year=year, cohort=cohort, kind=kind, date=date, period=EventPeriod.AFTERNOON))
        for event in events:
            event.status = EventStatus.PUBLISHED
            event.starts_at, event.ends_at = (
                (datetime.time(13), datetime.time(16))
                if event.period == EventPeriod.AFTERNOON
                else (datetime.time(8, 30), datetime.time(16))
            )
        events = Event.objects.bulk_create(events)
        invitations = []
        for event in Event.objects.select_related("cohort"):
            invitations += [EventInvitation(event=event, person_id=pid) for pid in invitee_ids(event)]
        EventInvitation.objects.bulk_create(invitations, batch_size=2000)
        accounts = {"rh": None, "pane": panes[0], "mentor": mentors[0], "trainer": trainers[0]}
        for name, person in accounts.items():
            user = User.objects.create(email=f"{name}@bench.example.org")
            if person is None:
                person = Person.objects.create(employee_number=f"rh{schools}", first_name="RH", last_name="Bench")
                Membership.objects.create(person=person, role=Role.HR)
            person.user = user
            person.save(update_fields=["user"])
    return {"events": len(events), "invitations": len(invitations), "mentors": len(mentors)}


def time_pages() -> list[tuple[str, float, float, int]]:
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentors.models import CalendarFeed, Cohort, Event
    from roles.models import User

    pane = User.objects.get(email="pane@bench.example.org").person
    cohort = Cohort.objects.filter(panes=pane).order_by("pk").first()
    event = Event.objects.filter(cohort=cohort, kind="cohort_day").order_by("date").first()
    mentor = User.objects.get(email="mentor@bench.example.org").person
    feed, _ = CalendarFeed.objects.get_or_create(person=mentor)
    pane_feed, _ = CalendarFeed.objects.get_or_create(person=pane)
    pages = [
        ("Centre calendar, month (Dec.)", "rh", "/mentorat/calendrier/centre/?mois=2026-12"),
        ("Centre calendar, list (50/page)", "rh", "/mentorat/calendrier/centre/?vue=liste"),
        ("Centre calendar, list, page 5", "rh", "/mentorat/calendrier/centre/?vue=liste&page=5"),
        ("Centre calendar, filtered", "rh", "/mentorat/calendrier/centre/?vue=liste&kind=cohort_day&order=primaire"),
        ("Mon calendrier (mentor), month", "mentor", "/mentorat/calendrier/?mois=2026-12"),
        ("Mon calendrier (mentor), list", "mentor", "/mentorat/calendrier/?vue=liste"),
        ("Mon calendrier (trainer), list", "trainer", "/mentorat/calendrier/?vue=liste"),
        ("Cohort calendar (PANE), month", "pane", f"/mentorat/calendrier/cohorte/{cohort.pk}/?mois=2026-12"),
        ("Event page (PANE)", "pane", f"/mentorat/calendrier/evenements/{event.pk}/"),
        ("Attendance checklist (PANE)", "pane", f"/mentorat/calendrier/evenements/{event.pk}/presences/"),
        ("Attendance report (HR)", "rh", "/mentorat/calendrier/presences/"),
        ("Feed of a mentor (.ics)", None, f"/mentorat/calendrier/abonnement/{feed.token}.ics"),
        ("Feed of a PANE (all events)", None, f"/mentorat/calendrier/abonnement/{pane_feed.token}.ics"),
    ]
    clients = {None: Client()}
    for who in ("rh", "pane", "mentor", "trainer"):
        clients[who] = Client()
        clients[who].force_login(User.objects.get(email=f"{who}@bench.example.org"))
    results = []
    with time_machine.travel(TODAY, tick=True):
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
            results.append((label, statistics.median(timings) * 1000, max(timings) * 1000, len(queries)))
    return results


def run(schools: int, rebuild: bool) -> None:
    cohorts = max(1, schools * 60 // 200)
    if setup_django(schools, rebuild):
        started = time.perf_counter()
        sizes = build(schools=schools, cohorts=cohorts)
        print(f"built {schools} schools, {cohorts} cohorts, {sizes} in {time.perf_counter() - started:.0f} s")
    print(f"\n{schools} schools, {cohorts} cohorts")
    print(f"{'page':40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, median, worst, queries in time_pages():
        print(f"{label:40} {median:10.1f} {worst:8.1f} {queries:8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--schools", type=int, help="one size only (default: 200, then 20)")
    args = parser.parse_args()
    if args.schools:
        run(args.schools, args.rebuild)
        return
    for schools in (200, 20):  # one process per database (Django is set up once per process)
        command = [sys.executable, __file__, "--schools", str(schools)] + (["--rebuild"] if args.rebuild else [])
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
