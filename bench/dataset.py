"""Benchmark dataset of a very large service centre, written by COPY into PostgreSQL.

Ten school years of history (assignments, entitlements, candidacies, mentor
assignments, pairings) and the latest year's mentee survey with its responses:
a copy of the previous year's (which has a tenth as many), so its results page
shows the year comparison.
A fixed seed: the same preset always gives the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        .venv/bin/python bench/dataset.py --preset small   # CI: about 20 s
    ... bench/dataset.py --preset full                      # 2 000 schools, 150 000 staff: about 4 min

The database must be PostgreSQL; it is migrated, then emptied (flush) before
the build. `build(preset)` does the same from another script. Every bench
persona signs in with the password « bench » (see PERSONAS).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

SEED = 2027
PASSWORD = "bench"


@dataclass(frozen=True)
class Preset:
    schools: int
    staff: int
    novices: int  # per year
    mentors: int  # per year
    years: int
    responses: int  # in the latest year's mentee survey (a tenth of it in the previous year's)


PRESETS = {
    "full": Preset(schools=2000, staff=150_000, novices=20_000, mentors=6000, years=10, responses=150_000),
    "medium": Preset(schools=500, staff=37_500, novices=5000, mentors=1500, years=10, responses=37_500),
    "small": Preset(schools=40, staff=3000, novices=400, mentors=120, years=3, responses=2000),
}

# (e-mail, role): one account per role, every one with the password « bench ».
PERSONAS = {
    "hr": "rh@bench.example.org",
    "director": "direction@bench.example.org",
    "pane": "pane@bench.example.org",
    "trainer": "formation@bench.example.org",
    "management": "dg@bench.example.org",
    "mentor": "mentor@bench.example.org",
    "mentee": "mentore@bench.example.org",
    "teacher": "enseignant@bench.example.org",
}


def setup_django() -> None:
    import django

    django.setup()


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Copier:
    """COPY rows (dicts keyed by field attname) into a model's table; missing fields take their default."""

    def __init__(self, model, now):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = now
            elif field.has_default() and not callable(field.default):
                self.defaults[field.attname] = field.default
            elif field.null:
                self.defaults[field.attname] = None
        self.buffer = io.StringIO()
        self.count = 0
        self.next_id = 1

    def add(self, **row) -> int:
        """Write one row; return its id (ids are assigned here, from 1)."""
        pk = self.next_id
        self.next_id += 1
        values = [pk]
        for field in self.fields:
            name = field.attname
            values.append(row[name] if name in row else self.defaults[name])
        self.buffer.write("\t".join(_text(v) for v in values))
        self.buffer.write("\n")
        self.count += 1
        if self.buffer.tell() > 32 * 1024 * 1024:
            self.flush()
        return pk

    def flush(self) -> None:
        from django.db import connection

        if not self.buffer.tell():
            return
        table = self.model._meta.db_table
        columns = ", ".join([self.model._meta.pk.column] + [f'"{f.column}"' for f in self.fields])
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f'COPY "{table}" ({columns}) FROM STDIN', self.buffer)
            if self.next_id > 1:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{self.model._meta.pk.column}'), %s)",
                    [self.next_id - 1],
                )
        self.buffer = io.StringIO()


def build(preset: str | Preset = "small", verbose: bool = True) -> dict:
    """Migrate and empty the database of DATABASE_URL, then write the preset's centre; return counts."""
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("bench/dataset.py writes with COPY: set DATABASE_URL to a PostgreSQL database.")
    p = PRESETS[preset] if isinstance(preset, str) else preset
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The rows are consistent by construction: skip the deferred foreign-key checks,
            # one trigger call per row at COMMIT (minutes at the full preset).
            cursor.execute("SET LOCAL session_replication_role = replica")
        counts = _write(p)
    # The kept survey counts (surveys/aggregates.py) and raw CSV lines (surveys/rawlines.py), rebuilt from the
    # answers as after a deployment: the results pages and the raw export read them.
    from surveys.aggregates import survey_rebuild
    from surveys.models import Survey
    from surveys.rawlines import raw_lines_rebuild

    counts["result counts"] = sum(survey_rebuild(survey=survey) for survey in Survey.objects.order_by("pk"))
    counts["raw lines"] = sum(raw_lines_rebuild(survey=survey) for survey in Survey.objects.order_by("pk"))
    call_command("rebuild_staff_totals", verbosity=0)  # the homes' staff total per year (schools/counts.py)
    with connection.cursor() as cursor:
        # VACUUM as well: the visibility map lets the counts read their indexes only, as autovacuum
        # would have it in production.
        cursor.execute("VACUUM ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    if verbose:
        print(", ".join(f"{k}: {v}" for k, v in counts.items()), flush=True)
    return counts


def _write(p: Preset) -> dict:  # noqa: PLR0915 — one linear script is the readable shape here
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from mentors.models import (
        Candidacy,
        CandidacyStatus,
        Decision,
        MentorAssignment,
        Opinion,
        Pairing,
        PairingStatus,
        ProgrammeSettings,
    )
    from roles.models import Membership, Role, User
    from schools.models import Building, Entitlement, Order, Person, School, SchoolYear, StaffAssignment

    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    current = today.year if today.month >= 7 else today.year - 1
    copiers = {
        m: Copier(m, now)
        for m in (
            School,
            Building,
            Person,
            StaffAssignment,
            Entitlement,
            Candidacy,
            MentorAssignment,
            Pairing,
            Membership,
            User,
        )
    }
    c = copiers.__getitem__

    # Years: created through the model, as the app does (milestones seeded).
    years = []
    for start in range(current - p.years + 1, current + 1):
        year = SchoolYear.with_seed_milestones(start)
        year.is_current = start == current
        year.save()
        years.append(year)
    latest = years[-1]
    ProgrammeSettings.objects.create(
        year=latest, opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=7)
    )

    schools, buildings = [], {}
    for i in range(p.schools):
        order = Order.SECONDARY if i % 4 == 0 else Order.PRIMARY
        pk = c(School).add(
            code=f"S{i:04d}",
            name=f"École {_school_name(i)}",
            order=order,
            mentor_quota=2 if order == Order.SECONDARY else 1,
            cycle_length_days=9 if order == Order.SECONDARY else 10,
            release_days_per_cycle=Decimal(1),
            is_active=True,
        )
        schools.append((pk, order))
        buildings[pk] = [
            c(Building).add(school_id=pk, code=f"B{k}", name=f"École {_school_name(i)} — pavillon {k}")
            for k in range(2 if i % 5 == 0 else 1)
        ]

    people = [
        c(Person).add(
            employee_number=f"{100000 + n}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=f"{rng.choice(LAST_NAMES)}-{n}",
            email=f"p{n}@bench.example.org",
            user_id=None,
        )
        for n in range(p.staff)
    ]
    # Each person stays in one school (a few move every year).
    home = [rng.randrange(p.schools) for _ in people]
    subjects = ["1re année", "2e cycle", "mathématiques", "français", "sciences", "univers social", "anglais"]
    per_school: dict[int, list[int]] = {}
    for year_index, year in enumerate(years):
        for n, person in enumerate(people):
            if rng.random() < 0.03:
                home[n] = rng.randrange(p.schools)
            school_pk, _order = schools[home[n]]
            c(StaffAssignment).add(
                person_id=person,
                school_id=school_pk,
                year_id=year.pk,
                building_id=buildings[school_pk][n % len(buildings[school_pk])],
                job_title=f"Enseignant(e) {subjects[n % len(subjects)]}",
                task_share=100,
            )
            if year is latest:
                per_school.setdefault(home[n], []).append(n)
        # Novices: a different slice every year; mentors: mostly the same experienced people.
        novices = rng.sample(range(p.staff), p.novices)
        mentor_pool = rng.sample(range(p.staff), p.mentors + p.mentors // 3)
        mentor_set = set(mentor_pool)
        novices = [n for n in novices if n not in mentor_set]
        for n in novices:
            c(Entitlement).add(
                person_id=people[n], year_id=year.pk, started_on=year.starts_on + datetime.timedelta(rng.randint(0, 60))
            )
        mentors = []
        for k, n in enumerate(mentor_pool):
            school_pk, order = schools[home[n]]
            nominated = k < p.mentors
            decided = nominated or rng.random() < 0.5
            capacity = rng.randint(2, 4)
            candidacy = c(Candidacy).add(
                person_id=people[n],
                year_id=year.pk,
                school_id=school_pk,
                building_id=buildings[school_pk][0],
                order=order,
                years_of_experience=rng.randint(5, 30),
                subjects_levels=", ".join(rng.sample(subjects, 2)),
                motivation="Partager ma pratique.",
                availability="Mardi et jeudi",
                capacity=capacity,
                status=CandidacyStatus.SUBMITTED,
                is_renewal=year_index > 0 and k % 3 == 0,
                submitted_at=now,
                director_opinion=rng.choice([*Opinion.values, "", ""]),
                director_comment="",
                decision=Decision.NOMINATED if nominated else (Decision.WAITING_LIST if decided else ""),
                decision_reason="",
                decided_at=now if decided else None,
            )
            if nominated:
                mentors.append((n, school_pk, capacity))
                c(MentorAssignment).add(
                    person_id=people[n],
                    year_id=year.pk,
                    school_id=school_pk,
                    building_id=buildings[school_pk][0],
                    candidacy_id=candidacy,
                    capacity=capacity,
                    cycle_length_days=9 if order == Order.SECONDARY else 10,
                    release_days_per_cycle=Decimal(2),
                )
        # Three novices in four are paired (all of them in past years), by seat.
        seats = [(n, school_pk) for n, school_pk, capacity in mentors for _ in range(capacity)]
        rng.shuffle(seats)
        paired = novices if year is not latest else novices[: len(novices) * 3 // 4]
        for mentee, (mentor, _school) in zip(paired, seats, strict=False):
            c(Pairing).add(
                year_id=year.pk,
                mentor_id=people[mentor],
                mentee_id=people[mentee],
                started_on=year.starts_on + datetime.timedelta(60),
                ended_on=None if year is latest else year.ends_on,
                status=PairingStatus.ACTIVE if year is latest else PairingStatus.COMPLETED,
                end_reason="",
            )
        if year is latest:
            latest_novices, latest_paired, first_mentor = novices, paired, seats[0][0]
            for n, school_pk, _capacity in mentors:
                c(Membership).add(person_id=people[n], role=Role.MENTOR, school_id=school_pk, year_id=year.pk)
            for n in novices:
                c(Membership).add(person_id=people[n], role=Role.MENTEE, school_id=schools[home[n]][0], year_id=year.pk)

    # Personas: existing people get a user account and a role.
    hashed = make_password(PASSWORD)
    teacher = next(n for n in range(p.staff) if n not in set(latest_novices) and home[n] == 0)
    mentee = latest_paired[0]
    persona_people = {
        "director": rng.choice(per_school[0]),
        "mentor": first_mentor,
        "mentee": mentee,
        "teacher": teacher,
    }
    user_ids = {}
    for key, email in PERSONAS.items():
        user_ids[key] = c(User).add(
            email=email,
            password=hashed,
            first_name="",
            last_name="",
            is_staff=False,
            is_superuser=False,
            is_active=True,
            date_joined=now,
            last_login=None,
            language="",
        )
    for copier in copiers.values():
        copier.flush()
    for key in ("hr", "pane", "trainer", "management"):
        person = Person.objects.create(
            employee_number=f"BENCH-{key}", first_name=key, last_name="Banc", email=PERSONAS[key]
        )
        person.user_id = user_ids[key]
        person.save(update_fields=["user"])
        Membership.objects.create(person=person, role=key)
    for key, n in persona_people.items():
        Person.objects.filter(pk=people[n]).update(user_id=user_ids[key], email=PERSONAS[key])
    Membership.objects.create(person_id=people[persona_people["director"]], role=Role.DIRECTOR, school_id=schools[0][0])
    Membership.objects.get_or_create(person_id=people[teacher], role=Role.TEACHER, school=None, year=latest)
    _surveys(p, years[-2:], [pk for pk, _ in schools], [o for _, o in schools], rng, now)
    counts = {m._meta.model_name: copier.count for m, copier in copiers.items()}
    counts["responses"] = p.responses
    return counts


def _surveys(p: Preset, years: list, school_pks, orders, rng, now) -> None:
    """The mentee survey of the latest year (open), a copy of the previous year's (for the year comparison)."""
    from surveys import services
    from surveys.models import Answer, Audience, Response
    from surveys.tests.factories import full_survey

    opens_at, closes_at = now - datetime.timedelta(days=30), now + datetime.timedelta(days=30)
    surveys = [
        full_survey(
            years[0],
            title=f"Sondage des personnes mentorées {years[0].label}",
            audience=Audience.MENTEES,
            opens_at=opens_at - datetime.timedelta(days=365),
            closes_at=now - datetime.timedelta(days=300),
        )
    ]
    if len(years) > 1:
        title = f"Sondage des personnes mentorées {years[-1].label}"
        surveys.append(
            services.survey_copy(survey=surveys[0], year=years[-1], title=title, opens_at=opens_at, closes_at=closes_at)
        )
    responses, answers = Copier(Response, now), Copier(Answer, now)
    for survey in surveys:
        n = p.responses if survey is surveys[-1] else max(p.responses // 10, 1)
        _responses(survey, n, school_pks, orders, rng, now, responses, answers)
    responses.flush()
    answers.flush()
    # Their kept counts are recounted with every survey's at the end of build() (on main since 33e0fb5).


def _responses(survey, n: int, school_pks, orders, rng, now, responses: Copier, answers: Copier) -> None:
    """n responses to a survey of factories.full_survey (one question of each kind)."""
    from surveys.models import week_of

    q = {question.position: question for question in survey.questions.prefetch_related("choices")}
    ch = {pos: [choice.pk for choice in question.choices.all()] for pos, question in q.items()}
    week = week_of(min(survey.closes_at, now).date())
    for _ in range(n):
        i = rng.randrange(len(school_pks))
        r = responses.add(survey_id=survey.pk, submitted_week=week, school_id=school_pks[i], order=orders[i])
        add = answers.add
        add(response_id=r, question_id=q[1].pk, choice_id=rng.choice(ch[1]))
        for choice in rng.sample(ch[2], rng.randint(1, 2)):
            add(response_id=r, question_id=q[2].pk, choice_id=choice)
        yes = rng.random() < 0.8
        add(response_id=r, question_id=q[3].pk, boolean=yes)
        if yes:
            add(response_id=r, question_id=q[4].pk, choice_id=rng.choice(ch[4]))
        add(response_id=r, question_id=q[5].pk, number=rng.randint(1, 15))
        for rank, choice in enumerate(rng.sample(ch[6], 3), start=1):
            add(response_id=r, question_id=q[6].pk, choice_id=choice, rank=rank)
        add(response_id=r, question_id=q[7].pk, number=rng.randint(1, 10))
        if rng.random() < 0.1:
            add(response_id=r, question_id=q[8].pk, text=f"Commentaire {rng.randint(1, 10**6)}")


def _school_name(i: int) -> str:
    return f"{SAINTS[i % len(SAINTS)]} {i // len(SAINTS) + 1}" if i >= len(SAINTS) else SAINTS[i]


SAINTS = [
    "Saint-Jean",
    "Sainte-Marie",
    "des Érables",
    "du Boisé",
    "Marguerite-Bourgeoys",
    "Louis-Hébert",
    "de la Rivière",
    "des Pionniers",
    "Jacques-Cartier",
    "Champlain",
    "du Plateau",
    "des Cèdres",
]
FIRST_NAMES = ["Marie", "Jean", "Sophie", "Luc", "Julie", "Marc", "Isabelle", "Éric", "Nathalie", "François"]
LAST_NAMES = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
    args = parser.parse_args()
    setup_django()
    build(args.preset)


if __name__ == "__main__":
    main()
