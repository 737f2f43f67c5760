"""How long the « envoyer les invitations » button takes to queue a survey campaign in the outbox.

The request writes one outbox row per invitation (no SMTP); this times that
write, through the view, for a campaign of N people, with the Celery hand-off
after commit switched off (the broker is not what is measured).

    .venv/bin/python bench/outbox_bench.py              # 150 and 3,000 invitations
    .venv/bin/python bench/outbox_bench.py --people 500

The data go to var/bench-outbox.sqlite3 (rebuilt on each run) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")


def setup() -> None:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    path = BASE_DIR / "var" / "bench-outbox.sqlite3"
    if "DATABASE_URL" not in os.environ:
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def campaign(n: int):
    from django.utils import timezone

    from roles.models import Membership, Role
    from schools.models import Person, SchoolYear
    from surveys.models import Invitation, Survey

    year, _ = SchoolYear.objects.get_or_create(
        label="2026-2027", defaults={"starts_on": datetime.date(2026, 7, 1), "ends_on": datetime.date(2027, 6, 30)}
    )
    now = timezone.now()
    survey = Survey.objects.create(
        title=f"Bench {n}",
        audience="custom",
        year=year,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    people = Person.objects.bulk_create(
        Person(employee_number=f"B{n}-{i}", first_name="P", last_name=str(i), email=f"b{n}.{i}@example.org")
        for i in range(n)
    )
    Invitation.objects.bulk_create(Invitation(survey=survey, person=p) for p in people)
    Membership.objects.get_or_create(person=people[0], role=Role.HR)
    return survey


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="*", default=[150, 3000])
    args = parser.parse_args()
    setup()
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from mentorat.models import OutboundEmail
    from schools.models import Person

    for n in args.people:
        survey = campaign(n)
        hr = Person.objects.get(employee_number=f"B{n}-0")
        user = get_user_model().objects.create_user(email=f"rh{n}@example.org", password="x")
        hr.user = user
        hr.save()
        client = Client()
        client.force_login(user)
        with (
            mock.patch("mentorat.outbox.dispatch"),
            mock.patch("mentorat.outbox.dispatch_many"),
            CaptureQueriesContext(connection) as queries,
        ):
            start = time.perf_counter()
            response = client.post(reverse("surveys:campaign_send", args=[survey.pk]))
            elapsed = time.perf_counter() - start
        rows = OutboundEmail.objects.filter(source=f"survey:{survey.pk}:invitation").count()
        print(
            f"{n:>6} invitations: {elapsed:.2f} s, {len(queries)} queries, {rows} rows queued, HTTP {response.status_code}"
        )


if __name__ == "__main__":
    main()
