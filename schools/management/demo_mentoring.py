"""The nominations and follow-up part of `seed_demo`: programme settings, candidacies, decisions, follow-up.

As in the seed's first year, the 41 mentors were chosen in the April 2026
window: each has a submitted candidacy, the reflective tool, a favourable
opinion and HR's "nominated" decision (logged), and a mentor assignment with
the release time of its school. About fifteen other teachers applied: some
are on the waiting list, some declined with a reason, a few with a director's
"reserved" opinion. Rows are written directly, not through mentors.services:
the services enforce the (closed) window and e-mail every decision.

The texts below are demo data stored in the database (like the names), not
interface strings, so they are not marked for translation.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from mentorat.demo import DEMO_ACCOUNTS
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    Decision,
    DecisionLog,
    FollowUpEntry,
    FollowUpKind,
    MentorAssignment,
    Opinion,
    Pairing,
    ProgrammeSettings,
    ReflectiveAnswers,
    Topic,
)
from roles.models import User
from schools.models import DEFAULT_MENTOR_QUOTA, Order, Person
from surveys.seed_2023 import load_2023_results

if TYPE_CHECKING:
    from schools.management.commands.seed_demo import Planner, Writer

OTHER_CANDIDACIES = 15  # at scale 1, besides the mentors' own
FOLLOW_UPS_UNTIL = datetime.date(2026, 11, 20)

SUBJECTS = {
    Order.PRIMARY: ["Préscolaire", "1er cycle", "2e cycle", "3e cycle", "Classe multiniveau 1re-2e année"],
    Order.SECONDARY: [
        "Mathématiques, 1re et 2e secondaire",
        "Français, 3e secondaire",
        "Sciences et technologie",
        "Univers social",
        "Anglais, langue seconde",
        "Adaptation scolaire",
    ],
}
MOTIVATIONS = [
    "J'ai été accompagnée à mes débuts et je veux redonner ce soutien à mon tour.",
    "J'aime partager mes outils de gestion de classe et réfléchir avec des collègues qui commencent.",
    "Je connais bien l'école et son équipe : je peux aider une nouvelle personne à trouver sa place.",
    "Accompagner une personne qui débute me garde moi-même en réflexion sur ma pratique.",
    "Je veux contribuer à garder nos nouvelles personnes enseignantes dans la profession.",
]
AVAILABILITIES = [
    "Les jours de libération prévus, et le midi au besoin.",
    "Les mardis et jeudis après les classes ; libération en journée complète.",
    "Disponible en matinée ; rencontres aux deux semaines.",
    "Horaire souple : je m'adapte à l'horaire de la personne accompagnée.",
]
REFLECTIVE_COMMENTS = [
    "",
    "",
    "Je dois surtout protéger du temps pour l'écoute.",
    "La collaboration avec la direction est déjà bien installée.",
]
# (reason, fewest and most years of experience of such a candidate)
DECLINED = [
    ("Moins de cinq années d'expérience en enseignement : candidature à reprendre dans quelques années.", 2, 4),
    ("Disponibilités incompatibles avec l'horaire de libération prévu à l'école.", 6, 15),
]
DECLINED_POST_FILLED = ("Poste de l'école pourvu par une autre candidature.", 5, 20)
DECLINED_AFTER_RESERVE = "Avis réservé de la direction : la candidature pourra être revue l'an prochain."
WAITING_FULL = "Quota de l'école atteint : la candidature sera retenue si un poste se libère."
WAITING_NO_NOVICE = "Aucune personne en insertion professionnelle dans l'école pour le moment."
WAITING_ALL_FOLLOWED = "Les personnes en insertion de l'école sont déjà toutes accompagnées."
RESERVED_COMMENTS = [
    "Personne très engagée, mais déjà responsable de deux comités cette année : je crains la surcharge.",
    "Excellente pédagogue ; je souhaite d'abord la voir terminer son retour progressif.",
    "Bonne candidature, mais une autre personne de l'équipe me semble plus disponible cette année.",
]
FOLLOW_UP_NOTES = [
    "Préparer ensemble la première rencontre de parents.",
    "Routines du matin : essayer le tableau des responsabilités.",
    "Observation en classe ; retour sur les transitions.",
    "Planification de la situation d'évaluation de novembre.",
    "Semaine difficile : prendre le temps d'écouter.",
    "",
]


@dataclass
class CandidacyPlan:
    person: int
    school: int
    years_of_experience: int
    subjects_levels: str
    motivation: str
    availability: str
    capacity: int
    scores: tuple[int, ...]
    reflective_comment: str
    submitted_at: datetime.datetime
    opinion: str
    opinion_at: datetime.datetime
    decision: str
    decided_at: datetime.datetime
    decision_reason: str = ""
    director_comment: str = ""


@dataclass
class FollowUpPlan:
    mentor: int
    mentee: int
    date: datetime.date
    duration_minutes: int
    kind: str
    topics: list[str] = field(default_factory=list)
    notes: str = ""


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- Planning (draws from the planner's Random, writes nothing) ---


def plan_candidacies(planner: Planner) -> list[CandidacyPlan]:
    """The mentors' nominated candidacies, then the others (waiting list, declined, reserved opinions)."""
    plan, rng = planner.plan, planner.rng
    load = Counter(mentor for mentor, _mentee, _start in plan.pairings)
    rows = []
    for school, mentors in sorted(plan.mentors.items()):
        for mentor in mentors:
            row = candidacy(planner, mentor, school, rng.randint(8, 26), scores=[3, 4, 4])
            row.capacity = max(rng.randint(4, 6), load[mentor])
            rows.append(row)
    demo_people = set(plan.demo.values())
    for index in range(max(3, round(OTHER_CANDIDACIES * planner.scale))):
        school = 0 if index == 2 else rng.randrange(len(plan.schools))  # the demo director gave this opinion
        people = [p for p in planner.staff_of(school) if p not in demo_people]
        if not people:
            continue
        person = rng.choice(people)
        planner.busy.add(person)
        reserved = index % 7 in (1, 2)
        if index % 2 == 0:
            row = candidacy(planner, person, school, rng.randint(6, 22), scores=[2, 3, 3, 4])
            row.decision = Decision.WAITING_LIST
            row.decision_reason = waiting_reason(planner, school)
        else:
            reason, fewest, most = rng.choice(DECLINED + ([DECLINED_POST_FILLED] if plan.mentors.get(school) else []))
            row = candidacy(planner, person, school, rng.randint(fewest, most), scores=[2, 3, 3, 4])
            row.decision = Decision.DECLINED
            row.decision_reason = DECLINED_AFTER_RESERVE if reserved else reason
        if reserved:
            row.opinion = Opinion.RESERVED
            row.director_comment = rng.choice(RESERVED_COMMENTS)
        rows.append(row)
    return rows


def waiting_reason(planner: Planner, school: int) -> str:
    mentors = len(planner.plan.mentors.get(school, []))
    if mentors >= DEFAULT_MENTOR_QUOTA[planner.plan.schools[school].order]:
        return WAITING_FULL
    return WAITING_ALL_FOLLOWED if planner.novice_counts()[school] else WAITING_NO_NOVICE


def candidacy(planner: Planner, person: int, school: int, years: int, scores: list[int]) -> CandidacyPlan:
    """A candidacy submitted in the April 2026 window, favourably reviewed and nominated (callers adjust)."""
    rng = planner.rng
    submitted = datetime.date(2026, 4, 20) + datetime.timedelta(days=rng.randint(0, 10))
    opinion = submitted + datetime.timedelta(days=rng.randint(1, 7))
    decided = datetime.date(2026, 5, 19) + datetime.timedelta(days=rng.randint(0, 10))
    return CandidacyPlan(
        person=person,
        school=school,
        years_of_experience=years,
        subjects_levels=rng.choice(SUBJECTS[planner.plan.schools[school].order]),
        motivation=rng.choice(MOTIVATIONS),
        availability=rng.choice(AVAILABILITIES),
        capacity=rng.randint(2, 4),
        scores=tuple(rng.choice(scores) for _ in ReflectiveAnswers.DIMENSIONS),
        reflective_comment=rng.choice(REFLECTIVE_COMMENTS),
        submitted_at=local(submitted, rng.randint(8, 20), rng.choice([0, 15, 30, 45])),
        opinion=Opinion.FAVOURABLE,
        opinion_at=local(opinion, rng.randint(8, 16)),
        decision=Decision.NOMINATED,
        decided_at=local(decided, rng.randint(9, 15)),
    )


def plan_follow_ups(planner: Planner) -> list[FollowUpPlan]:
    """The demo mentor's log: a meeting every two weeks or so with each mentee, up to mid-November."""
    plan, rng = planner.plan, planner.rng
    rows = []
    kinds, topics = list(FollowUpKind.values), list(Topic.values)
    for mentor, mentee, started_on in plan.pairings:
        if mentor != plan.demo["mentor"]:
            continue
        day = started_on + datetime.timedelta(days=rng.randint(2, 7))
        while day <= FOLLOW_UPS_UNTIL:
            if day.weekday() < 5:
                rows.append(
                    FollowUpPlan(
                        mentor,
                        mentee,
                        day,
                        rng.choice([30, 45, 60, 60, 75, 90]),
                        rng.choice(kinds),
                        rng.sample(topics, rng.randint(1, 2)),
                        rng.choice(FOLLOW_UP_NOTES),
                    )
                )
            day += datetime.timedelta(days=rng.randint(10, 18))
    return rows


# --- Writing (by natural keys: a second run inserts nothing) ---


def demo_user(role: str) -> User | None:
    email = next(email for email, account_role, _label in DEMO_ACCOUNTS if account_role == role)
    return User.objects.filter(email=email).first()


def write_programme_settings(writer: Writer) -> None:
    """2026-2027: the April 2026 window, now closed. 2027-2028: the rates only; HR opens its window."""
    ProgrammeSettings.objects.get_or_create(
        year=writer.year,
        defaults={
            "opens_at": local(datetime.date(2026, 4, 20), 8),
            "closes_at": local(datetime.date(2026, 4, 30), 23, 59),
        },
    )
    ProgrammeSettings.objects.get_or_create(year=writer.school_year(2027))


def director_accounts(writer: Writer) -> dict[int, User]:
    """Every school's director gets an account (no usable password but the demo director's):
    the opinions they gave in April carry their names."""
    accounts = {}
    for school, person_index in writer.plan.directors.items():
        person = Person.objects.select_related("user").get(id=writer.person_ids[person_index])
        if person.user is None:
            user = User.objects.filter(email=person.email).first() or User.objects.create_user(
                person.email, None, first_name=person.first_name, last_name=person.last_name
            )
            Person.objects.filter(id=person.id).update(user=user)
            person.user = user
        accounts[school] = person.user
    return accounts


def write_candidacies(writer: Writer) -> None:
    plan, year = writer.plan, writer.year
    hr, directors = demo_user("hr"), director_accounts(writer)
    ReflectiveAnswers.objects.bulk_create(
        [reflective_answers(writer, row) for row in plan.candidacies], ignore_conflicts=True
    )
    existing = set(Candidacy.objects.filter(year=year).values_list("person_id", flat=True))
    new = [
        new_candidacy(writer, row, hr, directors.get(row.school))
        for row in plan.candidacies
        if writer.person_ids[row.person] not in existing
    ]
    Candidacy.objects.bulk_create(new)
    created = list(Candidacy.objects.filter(year=year, person_id__in=[c.person_id for c in new]))
    planned = {writer.person_ids[row.person]: row for row in plan.candidacies}
    for c in created:
        # auto_now_add stamped today: put the dates of the April window back.
        c.created_at, c.updated_at = planned[c.person_id].submitted_at, planned[c.person_id].decided_at
    Candidacy.objects.bulk_update(created, ["created_at", "updated_at"])
    logs = DecisionLog.objects.bulk_create(
        [
            DecisionLog(candidacy=c, by=hr, to_decision=c.decision, reason=c.decision_reason)
            for c in created
            if c.decision
        ]
    )
    for log in logs:
        log.at = log.candidacy.decided_at
    DecisionLog.objects.bulk_update(logs, ["at"])
    write_assignments(writer, Candidacy.objects.filter(year=year, decision=Decision.NOMINATED))


def reflective_answers(writer: Writer, row: CandidacyPlan) -> ReflectiveAnswers:
    scores = {name: score for (name, _label), score in zip(ReflectiveAnswers.DIMENSIONS, row.scores, strict=True)}
    return ReflectiveAnswers(
        person_id=writer.person_ids[row.person], year=writer.year, comment=row.reflective_comment, **scores
    )


def new_candidacy(writer: Writer, row: CandidacyPlan, hr: User | None, director: User | None) -> Candidacy:
    school = writer.schools[row.school]
    building = writer.plan.people[row.person].building
    return Candidacy(
        person_id=writer.person_ids[row.person],
        year=writer.year,
        school=school,
        building_id=writer.buildings.get((row.school, building)),
        order=school.order,
        years_of_experience=row.years_of_experience,
        subjects_levels=row.subjects_levels,
        motivation=row.motivation,
        availability=row.availability,
        capacity=row.capacity,
        status=CandidacyStatus.SUBMITTED,
        submitted_at=row.submitted_at,
        director_opinion=row.opinion,
        director_comment=row.director_comment,
        opinion_by=director if row.opinion else None,
        opinion_at=row.opinion_at,
        decision=row.decision,
        decision_reason=row.decision_reason,
        decided_by=hr,
        decided_at=row.decided_at,
    )


def write_assignments(writer: Writer, nominated) -> None:
    """One assignment per nominated candidacy, with the release time of its school."""
    MentorAssignment.objects.bulk_create(
        [
            MentorAssignment(
                person_id=c.person_id,
                year_id=c.year_id,
                school=c.school,
                building_id=c.building_id,
                candidacy=c,
                cycle_length_days=c.school.cycle_length_days,
                release_days_per_cycle=c.school.release_days_per_cycle,
                capacity=c.capacity,
            )
            for c in nominated.select_related("school")
        ],
        ignore_conflicts=True,
    )


def write_follow_ups(writer: Writer) -> None:
    """The demo mentor's entries, for the pairings that have none yet."""
    plan = writer.plan
    mentor = writer.person_ids[plan.demo["mentor"]]
    pairings = dict(Pairing.objects.filter(year=writer.year, mentor_id=mentor).values_list("mentee_id", "id"))
    done = set(FollowUpEntry.objects.filter(pairing_id__in=pairings.values()).values_list("pairing_id", flat=True))
    todo = {mentee: pairing for mentee, pairing in pairings.items() if pairing not in done}
    FollowUpEntry.objects.bulk_create(
        [
            FollowUpEntry(
                pairing_id=todo[writer.person_ids[row.mentee]],
                author_id=mentor,
                date=row.date,
                duration_minutes=row.duration_minutes,
                kind=row.kind,
                topics=row.topics,
                notes=row.notes,
            )
            for row in plan.follow_ups
            if writer.person_ids[row.mentee] in todo
        ]
    )


def write_surveys() -> None:
    """The February 2023 responses ("34 sur 41"…); the loader skips a survey that already has some."""
    load_2023_results()
