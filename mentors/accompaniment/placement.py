"""Which nominated mentors are placed, and a suggestion for the others.

The suggestion keeps the mentors of one school together and cohorts of one
order: schools are taken from the largest group of unplaced mentors to the
smallest (then by name); each school's group goes to the cohort of its order
that already holds mentors of that school, else to the cohort of its order with
the fewest mentors so far (then by name). A cohort without an order takes the
mentors of an order that has no cohort of its own. Mentors of an order without
any suitable cohort stay unplaced. The PANE accepts all or some of it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mentors.models import Cohort, CohortMember, MentorAssignment
from schools.models import Person, School


@dataclass
class MentorProfile:
    """A nominated mentor with the school that places them (their first assignment by school name)."""

    person: Person
    school: School
    schools: list[School] = field(default_factory=list)

    @property
    def order(self) -> str:
        return self.school.order


def mentor_profiles(year) -> dict[int, MentorProfile]:
    """Every nominated mentor of the year, by person id (one query)."""
    profiles: dict[int, MentorProfile] = {}
    assignments = (
        MentorAssignment.objects.filter(year=year)
        .select_related("person", "school")
        .order_by("school__name", "person__last_name", "person__first_name", "pk")
    )
    for assignment in assignments:
        profile = profiles.setdefault(assignment.person_id, MentorProfile(assignment.person, assignment.school))
        profile.schools.append(assignment.school)
    return profiles


@dataclass
class Suggestion:
    by_cohort: dict[int, list[MentorProfile]]
    unplaced: list[MentorProfile]

    def for_cohort(self, cohort: Cohort) -> list[MentorProfile]:
        return self.by_cohort.get(cohort.pk, [])


def suggest(year, cohorts: list[Cohort] | None = None) -> Suggestion:
    """Spread the year's unplaced mentors over its cohorts (see the module's docstring)."""
    cohorts = sorted(cohorts if cohorts is not None else Cohort.objects.for_year(year), key=lambda c: c.name)
    profiles = mentor_profiles(year)
    load: Counter[int] = Counter()
    school_in: dict[int, Counter[int]] = defaultdict(Counter)  # school id → cohort id → mentors
    placed = set()
    for member in CohortMember.objects.filter(year=year).values("person_id", "cohort_id"):
        placed.add(member["person_id"])
        load[member["cohort_id"]] += 1
        profile = profiles.get(member["person_id"])
        if profile:
            school_in[profile.school.pk][member["cohort_id"]] += 1
    groups: dict[int, list[MentorProfile]] = defaultdict(list)
    for person_id, profile in profiles.items():
        if person_id not in placed:
            groups[profile.school.pk].append(profile)
    ordered_orders = {c.order for c in cohorts if c.order}
    result = Suggestion(by_cohort=defaultdict(list), unplaced=[])
    for group in sorted(groups.values(), key=lambda g: (-len(g), g[0].school.name, g[0].school.pk)):
        order = group[0].order
        fits = [c for c in cohorts if c.order == order] or (
            [c for c in cohorts if not c.order] if order not in ordered_orders else []
        )
        if not fits:
            result.unplaced += group
            continue
        colleagues = school_in[group[0].school.pk]
        best = min(fits, key=lambda c: (-colleagues[c.pk], load[c.pk], c.name))
        result.by_cohort[best.pk] += group
        load[best.pk] += len(group)
        colleagues[best.pk] += len(group)
    for members in result.by_cohort.values():
        members.sort(key=lambda p: (p.school.name, p.person.last_name, p.person.first_name))
    return result
