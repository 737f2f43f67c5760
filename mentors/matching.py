"""Mentor suggestions for a novice, ranked by an explained score.

Proximity comes first because the seed's survey ranks it the first success
condition (25 mentors of 34 put it first): same building, then same school.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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

    @property
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
