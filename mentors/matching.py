"""Mentor suggestions for a novice, ranked by an explained score.

Proximity comes first because the seed's survey ranks it the first success
condition (25 mentors of 34 put it first): same building, then same school.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.utils.translation import gettext as _

POINTS_SAME_BUILDING = 40
POINTS_SAME_SCHOOL = 30
POINTS_SAME_ORDER = 10
POINTS_COMMON_SUBJECTS = 10
POINTS_PER_FREE_SEAT = 2
MAX_CAPACITY_POINTS = 10

# Words too common in job titles and subjects to say anything about a match.
STOPWORDS = {"enseignant", "enseignante", "enseignant(e)", "année", "annee", "classe", "cycle", "niveau", "niveaux"}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w']+", (text or "").lower()) if len(w) >= 4 and w not in STOPWORDS}


@lru_cache(maxsize=20_000)
def frozen_words(text: str) -> frozenset[str]:
    """words(), memoised: a province's mentors write a few thousand distinct subject lines."""
    return frozenset(words(text))


@dataclass
class NoviceProfile:
    school_ids: set[int]
    building_ids: set[int]
    orders: set[str]
    words: set[str]

    @classmethod
    def from_assignments(cls, assignments) -> NoviceProfile:
        """From the novice's staff assignments of the year (with school loaded)."""
        return cls(
            school_ids={a.school_id for a in assignments},
            building_ids={a.building_id for a in assignments if a.building_id},
            orders={a.school.order for a in assignments},
            words=set().union(*(words(a.job_title) for a in assignments)) if assignments else set(),
        )


REASON_LABELS = {
    "building": lambda n: _("Même bâtiment"),
    "school": lambda n: _("Même école"),
    "order": lambda n: _("Même ordre d'enseignement"),
    "subjects": lambda n: _("Disciplines ou niveaux en commun"),
    "capacity": lambda n: _("Places libres : %(n)s") % {"n": n},
}


@dataclass
class Suggestion:
    assignment: object  # MentorAssignment annotated with load
    score: int = 0
    # (reason code, points); labels are translated only for the suggestions shown
    points: list[tuple[str, int]] = field(default_factory=list)
    same_school: bool = False

    @property
    def remaining(self) -> int:
        return self.assignment.capacity - self.assignment.load

    @property
    def cross_school(self) -> bool:
        return not self.same_school

    @cached_property
    def reasons(self) -> list[tuple[str, int]]:
        """(French label, points) for each reason of the score."""
        return [(REASON_LABELS[code](self.remaining), pts) for code, pts in self.points]


def score(novice: NoviceProfile, assignment, mentor_words: set[str]) -> Suggestion:
    """The mentor assignment's score for this novice, with each reason and its points."""
    suggestion = Suggestion(assignment)
    points = suggestion.points
    if assignment.building_id and assignment.building_id in novice.building_ids:
        points.append(("building", POINTS_SAME_BUILDING))
    if assignment.school_id in novice.school_ids:
        suggestion.same_school = True
        points.append(("school", POINTS_SAME_SCHOOL))
    if assignment.school.order in novice.orders:
        points.append(("order", POINTS_SAME_ORDER))
    if mentor_words & novice.words:
        points.append(("subjects", POINTS_COMMON_SUBJECTS))
    free = assignment.capacity - assignment.load
    if free > 0:
        points.append(("capacity", min(free * POINTS_PER_FREE_SEAT, MAX_CAPACITY_POINTS)))
    suggestion.score = sum(pts for _code, pts in points)
    return suggestion


def _quick_score(novice: NoviceProfile, assignment, mentor_words: set[str]) -> int:
    """The same total as score(), without building the explanation (called for every mentor)."""
    total = min((assignment.capacity - assignment.load) * POINTS_PER_FREE_SEAT, MAX_CAPACITY_POINTS)
    if assignment.building_id and assignment.building_id in novice.building_ids:
        total += POINTS_SAME_BUILDING
    if assignment.school_id in novice.school_ids:
        total += POINTS_SAME_SCHOOL
    if assignment.school.order in novice.orders:
        total += POINTS_SAME_ORDER
    if mentor_words and not mentor_words.isdisjoint(novice.words):
        total += POINTS_COMMON_SUBJECTS
    return total


def _words_of(assignment) -> set[str]:
    mentor_words = getattr(assignment, "subject_words", None)
    if mentor_words is None:
        candidacy = assignment.candidacy
        mentor_words = assignment.subject_words = words(candidacy.subjects_levels) if candidacy else set()
    return mentor_words


def rank(novice: NoviceProfile, assignments, limit: int | None = 3) -> list[Suggestion]:
    """Mentors with room left, best first; a mentor at several schools appears once, at their best."""
    best: dict[int, tuple[int, object]] = {}
    for assignment in assignments:
        if assignment.capacity - assignment.load <= 0:
            continue
        total = _quick_score(novice, assignment, _words_of(assignment))
        kept = best.get(assignment.person_id)
        if kept is None or total > kept[0]:
            best[assignment.person_id] = (total, assignment)
    ordered = sorted(best.values(), key=lambda item: (-item[0], item[1].person.last_name, item[1].pk))
    if limit is not None:
        ordered = ordered[:limit]
    return [score(novice, assignment, _words_of(assignment)) for _total, assignment in ordered]


# --- The year's pool, ranked without scoring every mentor for every novice ---


class PoolEntry(NamedTuple):
    """One mentor assignment of the year, reduced to what its score and its rank read."""

    pk: int
    person_id: int
    school_id: int
    building_id: int | None
    order: str
    capacity: int
    load: int
    last_name: str
    words: frozenset[str]

    @property
    def free(self) -> int:
        return self.capacity - self.load

    @property
    def capacity_points(self) -> int:
        return min(self.free * POINTS_PER_FREE_SEAT, MAX_CAPACITY_POINTS)


def entry_total(novice: NoviceProfile, entry: PoolEntry) -> int:
    """The same total as score() and _quick_score() for an assignment with room left."""
    total = entry.capacity_points
    if entry.building_id and entry.building_id in novice.building_ids:
        total += POINTS_SAME_BUILDING
    if entry.school_id in novice.school_ids:
        total += POINTS_SAME_SCHOOL
    if entry.order in novice.orders:
        total += POINTS_SAME_ORDER
    if entry.words and not entry.words.isdisjoint(novice.words):
        total += POINTS_COMMON_SUBJECTS
    return total


# Each mentor's active pairings of the year, counted once per mentor from the partial index on
# the active pairings (year, mentor): joined to the year's assignments `a`.
_ACTIVE_LOADS = """
    LEFT JOIN (
        SELECT mentor_id, COUNT(*) AS n FROM mentors_pairing
        WHERE year_id = %s AND ended_on IS NULL
        GROUP BY mentor_id
    ) active ON active.mentor_id = a.person_id
"""

# The assignments with room left, each with its mentor's last name and subject line read by
# primary key (a scalar subquery is one index probe per row): the cost follows the year's
# mentors, never every person or candidacy ever kept, whichever join the planner would prefer.
_POOL_WITH_ROOM = f"""
    SELECT a.id, a.person_id, a.school_id, a.building_id, s."order", a.capacity, COALESCE(active.n, 0),
        (SELECT p.last_name FROM schools_person p WHERE p.id = a.person_id),
        (SELECT c.subjects_levels FROM mentors_candidacy c WHERE c.id = a.candidacy_id)
    FROM mentors_mentorassignment a
    JOIN schools_school s ON s.id = a.school_id
    {_ACTIVE_LOADS}
    WHERE a.year_id = %s AND a.capacity > COALESCE(active.n, 0)
"""

# Mentors, active pairings counted once per assignment (as each one shows its load) and seats.
_POOL_TOTALS = f"""
    SELECT COUNT(DISTINCT a.person_id), COALESCE(SUM(COALESCE(active.n, 0)), 0), COALESCE(SUM(a.capacity), 0)
    FROM mentors_mentorassignment a
    {_ACTIVE_LOADS}
    WHERE a.year_id = %s
"""


class MentorPool:
    """The year's mentor assignments, indexed so that ranking one novice reads few of them.

    rank() scores every assignment; ranked() gives the same list while scoring only:
    - the novice's "local" assignments (at one of their schools or buildings), all of them;
    - the others in decreasing order of an upper bound of their score, until the bound
      cannot reach the last kept rank.

    An assignment elsewhere scores its free-seat points, plus 10 if its order is one of the
    novice's, plus 10 if a subject word is shared: at most capacity points + order points + 10
    (0 when the novice has no subject word). Each order's assignments are sorted once by
    (-capacity points, last name, pk), so each order's bound decreases along its list, and the
    merged lists come in increasing (-bound, last name, pk). The true sort key of a
    suggestion, (-score, last name, pk), is never smaller than that bound key; once the next
    bound key is greater than the key of the limit-th person kept, no assignment left can
    enter the first `limit` or move one of them. A person's key is the smallest key of their
    assignments (best score, then lowest pk), as rank() keeps the first best of a person in
    its pool's (last name, first name, pk) order.
    """

    def __init__(self, entries, year_id: int | None = None):
        self.entries = list(entries)
        # Set by for_year(), whose entries are only those with room left: totals() then counts the whole year.
        self.year_id = year_id
        self.by_pk = {entry.pk: entry for entry in self.entries}
        self.by_school: dict[int, list[PoolEntry]] = defaultdict(list)
        self.by_building: dict[int, list[PoolEntry]] = defaultdict(list)
        by_order: dict[str, list[PoolEntry]] = defaultdict(list)
        with_room = [entry for entry in self.entries if entry.free > 0]
        for entry in with_room:
            self.by_school[entry.school_id].append(entry)
            if entry.building_id:
                self.by_building[entry.building_id].append(entry)
            by_order[entry.order].append(entry)
        self.by_order = {
            order: sorted(group, key=lambda e: (-e.capacity_points, e.last_name, e.pk))
            for order, group in by_order.items()
        }
        # Mentors with room left: the length of a full ranking.
        self.ranked_count = len({entry.person_id for entry in with_room})

    @classmethod
    def for_year(cls, year) -> MentorPool:
        """The year's mentor assignments with room left, in one query reading no model."""
        from django.db import connection

        year_id = getattr(year, "pk", year)
        with connection.cursor() as cursor:
            cursor.execute(_POOL_WITH_ROOM, [year_id, year_id])
            rows = cursor.fetchall()
        no_words = frozenset()
        return cls(
            (
                PoolEntry(
                    pk,
                    person,
                    school,
                    building,
                    order,
                    capacity,
                    load,
                    last_name,
                    frozen_words(text) if text else no_words,
                )
                for pk, person, school, building, order, capacity, load, last_name, text in rows
            ),
            year_id,
        )

    def totals(self) -> tuple[int, int, int]:
        """Mentors, active pairings (counted once per assignment, as each one shows its load) and seats."""
        if self.year_id is not None:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(_POOL_TOTALS, [self.year_id, self.year_id])
                mentors, pairings, seats = cursor.fetchone()
            return mentors, int(pairings), int(seats)  # PostgreSQL sums bigints as numeric
        return (
            len({entry.person_id for entry in self.entries}),
            sum(entry.load for entry in self.entries),
            sum(entry.capacity for entry in self.entries),
        )

    def ranked(self, novice: NoviceProfile, limit: int | None = 3) -> list[tuple[int, PoolEntry]]:
        """(score, entry) of the first `limit` mentors (all when None), in rank()'s order."""
        if limit is not None and limit <= 0:
            return []
        best: dict[int, tuple[int, str, int]] = {}  # person -> their key (-score, last name, pk)
        keys: list[tuple[int, str, int]] = []  # every kept person's key, sorted

        def consider(entry: PoolEntry) -> None:
            key = (-entry_total(novice, entry), entry.last_name, entry.pk)
            kept = best.get(entry.person_id)
            if kept is not None:
                if kept < key:
                    return
                del keys[bisect.bisect_left(keys, kept)]
            best[entry.person_id] = key
            bisect.insort(keys, key)

        local: dict[int, PoolEntry] = {}
        for school_id in novice.school_ids:
            local.update((entry.pk, entry) for entry in self.by_school.get(school_id, ()))
        for building_id in novice.building_ids:
            local.update((entry.pk, entry) for entry in self.by_building.get(building_id, ()))
        for entry in local.values():
            consider(entry)

        subjects = POINTS_COMMON_SUBJECTS if novice.words else 0

        def bounded(order: str, group: list[PoolEntry]):
            extra = subjects + (POINTS_SAME_ORDER if order in novice.orders else 0)
            for entry in group:
                if entry.pk not in local:
                    yield (-(entry.capacity_points + extra), entry.last_name, entry.pk), entry

        for bound_key, entry in heapq.merge(*(bounded(order, group) for order, group in self.by_order.items())):
            if limit is not None and len(keys) >= limit and bound_key > keys[limit - 1]:
                break
            consider(entry)
        kept = keys if limit is None else keys[:limit]
        return [(-score, self.by_pk[pk]) for score, _last_name, pk in kept]
