"""`python manage.py seed_demo`: a realistic, repeatable CSSPS for demos and manual testing.

Everything is drawn from random.Random(2026) and fixed name lists, so two runs
plan exactly the same rows; rows are written by natural key (get_or_create,
bulk_create with ignore_conflicts), so running it twice changes nothing.

At scale 1: 50 schools (38 primary, 12 secondary), 2 000 staff, 150 novices,
41 mentors. Default quotas give 62 mentor posts (1 per primary, 2 per
secondary school); as in the seed's first year only 41 are filled: posts go
first to the schools with the most novices, a school never gets more mentors
than novices, and novices of a school without a mentor are paired with a mentor
of another school of the same order, except the 10 latest arrivals (started in
October–November), not paired yet.

The mentors were nominated in the April 2026 window (schools/management/demo_mentoring.py):
candidacies with the reflective tool, opinions, HR's logged decisions, mentor
assignments (hence the release budget), ~15 other candidacies (waiting list,
declined), the demo mentor's follow-up log; and the February 2023 survey
responses ("34 sur 41").
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from random import Random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from mentorat.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from mentors.models import Candidacy, Cohort, CohortMember, Decision, FollowUpEntry, MentorAssignment, Pairing
from roles.models import Membership, Role, User
from schools.counts import recount_year_staff
from schools.management import demo_accompaniment, demo_plans
from schools.management import demo_mentoring as mentoring
from schools.management import demo_names as names
from schools.models import (
    DEFAULT_MENTOR_QUOTA,
    Building,
    Entitlement,
    Order,
    Person,
    School,
    SchoolYear,
    ServiceCentre,
    StaffAssignment,
)
from surveys.models import Response

CENTRE_NAME = "Centre de services scolaire des Premières-Seigneuries"
CENTRE_SHORT_NAME = "CSSPS"
SEED = 2026
EMAIL_DOMAIN = "demo.mentorat.ca"
TEACHER = "Enseignant(e)"
DIRECTOR = "Direction d'établissement"

# Figures at scale 1.
PRIMARY_SCHOOLS = 38
SECONDARY_SCHOOLS = 12
STAFF = 2000
SHARED_STAFF = 30
NOVICES = 150
MENTORS = 41
UNPAIRED = 10
DEMO_SCHOOL_NOVICES = 4  # the demo mentor follows all of them
MIN_STAFF_PER_SCHOOL = 10

# Schools (index in their order) that have two buildings, "pavillon A / B".
TWO_BUILDINGS = {Order.PRIMARY: {3, 11, 20}, Order.SECONDARY: {1}}

# People of the central services (no school assignment): key, role, first and last name.
CENTRAL_PEOPLE = [
    ("hr", Role.HR, "Isabelle", "Gagnon"),
    ("pane", Role.PANE, "Marie-Ève", "Tremblay"),
    ("pane2", Role.PANE, "Julie", "Bouchard"),
    ("trainer", Role.TRAINER, "Nathalie", "Côté"),
    ("management", Role.MANAGEMENT, "Jean-François", "Roy"),
    ("admin", None, "Alexandre", "Pelletier"),
]


@dataclass
class SchoolPlan:
    code: str
    name: str
    order: str
    buildings: list[str]
    cycle_length_days: int = 10


@dataclass
class PersonPlan:
    number: str
    first_name: str
    last_name: str
    email: str = ""
    school: int | None = None  # index in Plan.schools
    job_title: str = TEACHER
    building: str | None = None
    second_school: int | None = None  # a shared task, 50 % / 50 %


@dataclass
class Plan:
    schools: list[SchoolPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    directors: dict[int, int] = field(default_factory=dict)  # school → person
    novices: dict[int, datetime.date] = field(default_factory=dict)  # person → started_on
    mentors: dict[int, list[int]] = field(default_factory=dict)  # school → persons
    pairings: list[tuple[int, int, datetime.date]] = field(default_factory=list)  # mentor, mentee, start
    central: dict[str, int] = field(default_factory=dict)  # CENTRAL_PEOPLE key → person
    demo: dict[str, int] = field(default_factory=dict)  # demo role → person
    cohorts: list[tuple[str, str, list[int]]] = field(default_factory=list)  # name, PANE key, mentors
    candidacies: list[mentoring.CandidacyPlan] = field(default_factory=list)
    follow_ups: list[mentoring.FollowUpPlan] = field(default_factory=list)

    @property
    def mentor_ids(self) -> list[int]:
        return [m for school in sorted(self.mentors) for m in self.mentors[school]]


def scaled(value: int, scale: float, minimum: int) -> int:
    return max(minimum, round(value * scale))


class Planner:
    """Decides every row from the seed and the scale; writes nothing."""

    def __init__(self, scale: float):
        self.rng = Random(SEED)
        self.scale = scale
        self.plan = Plan()
        self.email_counts: Counter[str] = Counter()
        self.busy: set[int] = set()  # people who already hold a special part

    def build(self) -> Plan:
        self.plan_schools()
        self.plan_staff()
        self.plan_directors()
        self.plan_shared_staff()
        self.plan_novices()
        self.plan_mentors()
        self.plan_demo_people()
        self.plan_pairings()
        self.plan_central()
        self.plan_cohorts()
        # Drawn last, so the rows above stay those of earlier versions of this command.
        self.plan.candidacies = mentoring.plan_candidacies(self)
        self.plan.follow_ups = mentoring.plan_follow_ups(self)
        return self.plan

    # Schools and staff.

    def plan_schools(self) -> None:
        for order, prefix, base, count in (
            (Order.PRIMARY, "PRI", names.PRIMARY_SCHOOLS, scaled(PRIMARY_SCHOOLS, self.scale, 2)),
            (Order.SECONDARY, "SEC", names.SECONDARY_SCHOOLS, scaled(SECONDARY_SCHOOLS, self.scale, 1)),
        ):
            for index in range(count):
                name = base[index % len(base)]
                if index >= len(base):
                    name = f"{name} {index // len(base) + 1}"
                buildings = ["A", "B"] if index in TWO_BUILDINGS[order] else []
                # A few secondary schools run a 9-day cycle: the release share differs (2/9).
                cycle = 9 if order == Order.SECONDARY and index % 5 == 4 else 10
                self.plan.schools.append(SchoolPlan(f"{prefix}-{index + 1:03d}", name, order, buildings, cycle))

    def new_person(self, school: int | None = None, job_title: str = TEACHER) -> int:
        female = self.rng.random() < 0.75
        first = self.rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = self.rng.choice(names.LAST_NAMES)
        index = len(self.plan.people)
        person = PersonPlan(f"{500001 + index}", first, last, self.email_for(first, last), school, job_title)
        self.plan.people.append(person)
        return index

    def email_for(self, first: str, last: str) -> str:
        local = f"{slugify(first)}.{slugify(last)}"
        self.email_counts[local] += 1
        if self.email_counts[local] > 1:
            local = f"{local}{self.email_counts[local]}"
        return f"{local}@{EMAIL_DOMAIN}"

    def school_sizes(self) -> list[int]:
        """Headcount per school summing to the staff total; secondary schools are larger."""
        schools = self.plan.schools
        total = max(scaled(STAFF, self.scale, 0), MIN_STAFF_PER_SCHOOL * len(schools))
        weights = [self.rng.randint(22, 48) if s.order == Order.PRIMARY else self.rng.randint(70, 130) for s in schools]
        spare = total - MIN_STAFF_PER_SCHOOL * len(schools)
        shares = [spare * w / sum(weights) for w in weights]
        sizes = [MIN_STAFF_PER_SCHOOL + int(share) for share in shares]
        # Largest remainders take the leftover people so the total is exact.
        by_remainder = sorted(range(len(schools)), key=lambda i: (int(shares[i]) - shares[i], i))
        for i in by_remainder[: total - sum(sizes)]:
            sizes[i] += 1
        return sizes

    def plan_staff(self) -> None:
        for school, size in enumerate(self.school_sizes()):
            buildings = self.plan.schools[school].buildings
            for rank in range(size):
                title = TEACHER if rank == 0 or self.rng.random() < 0.88 else self.rng.choice(names.OTHER_JOB_TITLES)
                person = self.new_person(school, title)
                if buildings:
                    self.plan.people[person].building = buildings[rank % len(buildings)]

    def staff_of(self, school: int) -> list[int]:
        """The school's teachers still free for a part (director, novice, mentor, demo teacher)."""
        return [
            i
            for i, p in enumerate(self.plan.people)
            if p.school == school and i not in self.busy and p.job_title == TEACHER
        ]

    def plan_directors(self) -> None:
        """The first person of each school directs it; the two last primary schools share one director."""
        primary = [i for i, s in enumerate(self.plan.schools) if s.order == Order.PRIMARY]
        shared = primary[-2:] if len(primary) >= 3 else []
        for school in range(len(self.plan.schools)):
            if shared and school == shared[1]:
                continue
            director = self.staff_of(school)[0]
            self.plan.people[director].job_title = DIRECTOR
            self.plan.directors[school] = director
            self.busy.add(director)
        if shared:
            director = self.plan.directors[shared[0]]
            self.plan.directors[shared[1]] = director
            self.plan.people[director].second_school = shared[1]

    def plan_shared_staff(self) -> None:
        """Specialists (music, English, physical education) shared by two schools of the same order."""
        for _ in range(scaled(SHARED_STAFF, self.scale, 1)):
            home = self.rng.randrange(1, len(self.plan.schools))  # the demo school keeps a simple staff
            same_order = [
                i
                for i, s in enumerate(self.plan.schools)
                if s.order == self.plan.schools[home].order and i not in (0, home)
            ]
            candidates = self.staff_of(home)
            if not same_order or not candidates:
                continue
            person = self.rng.choice(candidates)
            self.plan.people[person].second_school = self.rng.choice(same_order)
            self.busy.add(person)

    # Novices, mentors, pairs.

    def started_on(self) -> datetime.date:
        """Most novices start with the year; replacements arrive until mid-November (weekdays only)."""
        if self.rng.random() < 0.7:
            day = datetime.date(2026, 8, 24) + datetime.timedelta(days=self.rng.randint(0, 9))
        else:
            day = datetime.date(2026, 9, 3) + datetime.timedelta(days=self.rng.randint(0, 71))
        return day + datetime.timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)

    def plan_novices(self) -> None:
        schools = self.plan.schools
        # How much each school hires novices: some none, some many (seed: 10 % to 100 %).
        rates = [0.0] + [self.rng.choice([0, 0.5, 1, 1, 1, 1.5, 2, 3]) for _ in schools[1:]]
        pools = {school: self.staff_of(school) for school in range(len(schools))}
        for person in pools[0][:DEMO_SCHOOL_NOVICES]:
            self.add_novice(person)
        total = scaled(NOVICES, self.scale, DEMO_SCHOOL_NOVICES + 2)
        while len(self.plan.novices) < total:
            # Keep three teachers per school who are not novices (mentor, demo teacher, …).
            open_schools = [s for s in range(1, len(schools)) if len(pools[s]) > 3]
            if not open_schools:
                break
            weights = [rates[s] * len(pools[s]) + 0.1 for s in open_schools]
            school = self.rng.choices(open_schools, weights)[0]
            person = pools[school].pop(self.rng.randrange(len(pools[school])))
            self.add_novice(person)

    def add_novice(self, person: int) -> None:
        self.plan.novices[person] = self.started_on()
        self.busy.add(person)

    def novice_counts(self) -> Counter[int]:
        return Counter(self.plan_school(person) for person in self.plan.novices)

    def plan_school(self, person: int) -> int:
        return self.plan.people[person].school

    def plan_mentors(self) -> None:
        """Fill quota posts, schools with the most novices first (the demo school always first)."""
        total = scaled(MENTORS, self.scale, 2)
        novices = self.novice_counts()
        order = sorted(range(len(self.plan.schools)), key=lambda s: (s != 0, -novices[s], s))
        quota = {s: DEFAULT_MENTOR_QUOTA[self.plan.schools[s].order] for s in order}
        named = 0
        for cap in (lambda s: min(quota[s], novices[s]), lambda s: quota[s]):
            for school in order:
                wanted = min(cap(school) - len(self.plan.mentors.get(school, [])), total - named)
                for person in self.staff_of(school)[: max(wanted, 0)]:
                    self.plan.mentors.setdefault(school, []).append(person)
                    self.busy.add(person)
                    named += 1

    def plan_demo_people(self) -> None:
        demo_school = 0
        self.plan.demo["director"] = self.plan.directors[demo_school]
        self.plan.demo["mentor"] = self.plan.mentors[demo_school][0]
        novices = sorted(
            (p for p in self.plan.novices if self.plan_school(p) == demo_school), key=self.plan.novices.get
        )
        self.plan.demo["mentee"] = novices[0]
        self.plan.demo["teacher"] = self.staff_of(demo_school)[0]
        for role, person in self.plan.demo.items():
            self.plan.people[person].email = demo_email(role)

    def plan_pairings(self) -> None:
        load: Counter[int] = Counter()
        unpaired = set(self.unpaired())
        by_start = sorted(self.plan.novices, key=lambda p: (self.plan.novices[p], p))
        for novice in by_start:
            if novice in unpaired:
                continue
            mentor = self.mentor_for(novice, load)
            if mentor is None:
                continue
            load[mentor] += 1
            start = max(self.plan.novices[novice], datetime.date(2026, 9, 1))
            self.plan.pairings.append((mentor, novice, start + datetime.timedelta(days=self.rng.randint(0, 3))))

    def unpaired(self) -> list[int]:
        """The latest arrivals, not paired yet (the demo school's novices are all paired)."""
        candidates = [p for p in self.plan.novices if self.plan_school(p) != 0]
        candidates.sort(key=lambda p: (self.plan.novices[p], p), reverse=True)
        return candidates[: scaled(UNPAIRED, self.scale, 1)]

    def mentor_for(self, novice: int, load: Counter[int]) -> int | None:
        """A mentor of the novice's school, else the least busy one of the same order (never the demo mentor)."""
        school = self.plan_school(novice)
        mine = self.plan.mentors.get(school)
        if not mine:
            order = self.plan.schools[school].order
            mine = [
                m
                for s, mentors in self.plan.mentors.items()
                for m in mentors
                if s != 0 and self.plan.schools[s].order == order
            ] or [m for m in self.plan.mentor_ids if m != self.plan.demo["mentor"]]
        return min(mine, key=lambda m: (load[m], m)) if mine else None

    # Central services and cohorts.

    def plan_central(self) -> None:
        demo_roles = dict(DEMO_ROLES)
        for position, (key, _role, first, last) in enumerate(CENTRAL_PEOPLE):
            email = demo_roles.get(key) or self.email_for(first, last)
            self.plan.central[key] = len(self.plan.people)
            self.plan.people.append(PersonPlan(f"{490001 + position}", first, last, email))
            if key in demo_roles:
                self.plan.demo[key] = self.plan.central[key]

    def plan_cohorts(self) -> None:
        """Two PANE share the mentors: the first half (demo school first) with the demo PANE."""
        mentors = self.plan.mentor_ids
        half = (len(mentors) + 1) // 2
        self.plan.cohorts = [("Cohorte A", "pane", mentors[:half]), ("Cohorte B", "pane2", mentors[half:])]


DEMO_ROLES = [(role, email) for email, role, _label in DEMO_ACCOUNTS]


def demo_email(role: str) -> str:
    return dict(DEMO_ROLES)[role]


class Writer:
    """Writes a Plan by natural keys: a second run inserts nothing."""

    def __init__(self, plan: Plan):
        self.plan = plan

    def write(self) -> None:
        ServiceCentre.objects.get_or_create(short_name=CENTRE_SHORT_NAME, defaults={"name": CENTRE_NAME})
        self.years = [self.school_year(2025), self.school_year(2026)]
        self.year = self.years[1]
        self.write_schools()
        self.write_people()
        self.write_assignments()
        self.write_novices()
        self.write_memberships()
        self.write_pairings()
        self.write_cohorts()
        self.write_accounts()
        mentoring.write_programme_settings(self)
        mentoring.write_candidacies(self)
        mentoring.write_follow_ups(self)
        mentoring.write_surveys()
        demo_accompaniment.write(self)
        demo_plans.write_plans(self)

    def school_year(self, start: int) -> SchoolYear:
        template = SchoolYear.with_seed_milestones(start)
        fields = {f.name: getattr(template, f.name) for f in SchoolYear._meta.concrete_fields if f.name != "id"}
        year, _ = SchoolYear.objects.get_or_create(label=fields.pop("label"), defaults=fields)
        return year

    def write_schools(self) -> None:
        self.schools: list[School] = []
        self.buildings: dict[tuple[int, str], int] = {}
        for index, spec in enumerate(self.plan.schools):
            school, _ = School.objects.get_or_create(
                code=spec.code,
                defaults={"name": spec.name, "order": spec.order, "cycle_length_days": spec.cycle_length_days},
            )
            self.schools.append(school)
            for code in spec.buildings:
                building, _ = Building.objects.get_or_create(
                    school=school, code=code, defaults={"name": f"Pavillon {code}"}
                )
                self.buildings[index, code] = building.id

    def write_people(self) -> None:
        Person.objects.bulk_create(
            [
                Person(employee_number=p.number, first_name=p.first_name, last_name=p.last_name, email=p.email)
                for p in self.plan.people
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        ids = dict(Person.objects.values_list("employee_number", "id"))
        missing = [p.number for p in self.plan.people if p.number not in ids]
        if missing:
            raise CommandError(
                f"Impossible de créer les personnes {missing[:5]} : leur courriel est déjà pris. La base contient "
                "d'autres données (ou une exécution à une autre --scale) : repartir d'une base vide."
            )
        self.person_ids = [ids[p.number] for p in self.plan.people]

    def write_assignments(self) -> None:
        rows = []
        for index, p in enumerate(self.plan.people):
            if p.school is None:
                continue
            share = 50 if p.second_school is not None else 100
            building = self.buildings.get((p.school, p.building))
            rows.append(self.assignment(index, p.school, share, p.job_title, building))
            if p.second_school is not None:
                rows.append(self.assignment(index, p.second_school, 50, p.job_title, None))
        StaffAssignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        recount_year_staff(self.year.pk)  # bulk_create sends no signal

    def assignment(self, person: int, school: int, share: int, title: str, building: int | None) -> StaffAssignment:
        return StaffAssignment(
            person_id=self.person_ids[person],
            school=self.schools[school],
            year=self.year,
            building_id=building,
            job_title=title,
            task_share=share,
        )

    def write_novices(self) -> None:
        Entitlement.objects.bulk_create(
            [
                Entitlement(person_id=self.person_ids[p], year=self.year, started_on=started_on)
                for p, started_on in self.plan.novices.items()
            ],
            ignore_conflicts=True,
        )

    def membership(self, person: int, role: str, school: int | None = None, year: SchoolYear | None = None):
        school_obj = self.schools[school] if school is not None else None
        # Every demo role has held since the first day of the demo year; none has ended.
        return Membership(
            person_id=self.person_ids[person], role=role, school=school_obj, year=year, starts_on=self.year.starts_on
        )

    def write_memberships(self) -> None:
        plan, year = self.plan, self.year
        rows = [self.membership(person, Role.DIRECTOR, school, year) for school, person in plan.directors.items()]
        rows += [self.membership(m, Role.MENTOR, school, year) for school, ms in plan.mentors.items() for m in ms]
        rows += [self.membership(p, Role.MENTEE, plan.people[p].school, year) for p in plan.novices]
        rows.append(self.membership(plan.demo["teacher"], Role.TEACHER, None, year))
        rows += [self.membership(plan.central[key], role) for key, role, *_ in CENTRAL_PEOPLE if role]
        Membership.objects.bulk_create(rows, ignore_conflicts=True)

    def write_pairings(self) -> None:
        Pairing.objects.bulk_create(
            [
                Pairing(
                    year=self.year,
                    mentor_id=self.person_ids[mentor],
                    mentee_id=self.person_ids[mentee],
                    started_on=started_on,
                )
                for mentor, mentee, started_on in self.plan.pairings
            ],
            ignore_conflicts=True,
        )

    def write_cohorts(self) -> None:
        for name, pane, mentors in self.plan.cohorts:
            cohort, _ = Cohort.objects.get_or_create(year=self.year, name=name)
            cohort.panes.add(self.person_ids[self.plan.central[pane]])
            cohort.trainers.add(self.person_ids[self.plan.central["trainer"]])
            for mentor in mentors:
                CohortMember.objects.get_or_create(
                    person_id=self.person_ids[mentor], year=self.year, defaults={"cohort": cohort}
                )

    def write_accounts(self) -> None:
        for role, person in self.plan.demo.items():
            spec = self.plan.people[person]
            user = User.objects.filter(email=spec.email).first()
            if user is None:
                create = User.objects.create_superuser if role == Role.ADMIN else User.objects.create_user
                user = create(spec.email, DEMO_PASSWORD, first_name=spec.first_name, last_name=spec.last_name)
            if not Person.objects.filter(user=user).exists():
                Person.objects.filter(id=self.person_ids[person], user__isnull=True).update(user=user)


class Command(BaseCommand):
    help = (
        "Remplit la base avec un CSSPS réaliste et reproductible (écoles, personnel, PE en IP, personnes "
        "mentores, jumelages, cohortes), les mises en candidature 2026-2027 (candidatures, décisions, affectations), "
        "un suivi, les réponses aux sondages de février 2023 et un compte de démonstration par rôle. "
        "Peut être relancée sans effet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Ne rien faire si une école existe déjà.")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Facteur de taille (1 = 50 écoles, 2 000 personnes)."
        )

    def handle(self, *args, if_empty: bool, scale: float, **options):
        if scale <= 0:
            raise CommandError("--scale doit être positif.")
        if if_empty and School.objects.exists():
            self.stdout.write("seed_demo : des écoles existent déjà, rien n'a été fait.")
            return
        plan = Planner(scale).build()
        with transaction.atomic():
            Writer(plan).write()
        self.stdout.write(summary())


def summary() -> str:
    year = SchoolYear.objects.get(label="2026-2027")
    candidacies = Candidacy.objects.filter(year=year)
    counts = [
        (School.objects.count(), gettext("écoles")),
        (Person.objects.filter(assignments__year=year).distinct().count(), gettext("membres du personnel")),
        (Entitlement.objects.filter(year=year).count(), gettext("PE en IP")),
        (
            Membership.objects.filter(role=Role.MENTOR, year=year).values("person").distinct().count(),
            gettext("personnes mentores"),
        ),
        (Pairing.objects.active().filter(year=year).count(), gettext("jumelages")),
        (Cohort.objects.filter(year=year).count(), gettext("cohortes")),
        (candidacies.count(), gettext("candidatures")),
        (candidacies.filter(decision=Decision.NOMINATED).count(), gettext("nominations")),
        (MentorAssignment.objects.filter(year=year).count(), gettext("affectations de personnes mentores")),
        (FollowUpEntry.objects.filter(pairing__year=year).count(), gettext("entrées de suivi")),
        (Response.objects.filter(survey__year__label="2022-2023").count(), gettext("réponses aux sondages de 2023")),
        (
            User.objects.filter(email__in=[email for email, *_rest in DEMO_ACCOUNTS]).count(),
            gettext("comptes de démonstration"),
        ),
    ]
    # Quebec style: a no-break space between thousands (2 000).
    return "seed_demo : " + ", ".join(f"{value:,} {label}".replace(",", "\u00a0") for value, label in counts) + "."
