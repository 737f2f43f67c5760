"""The planner: a proposed year of university days, cohort days and half-days for a cohort.

How the days are spread (the same input always gives the same proposal):

1. The school days are the weekdays from 1 September to 31 May that are not in
   the centre's calendar of non-school days (NonSchoolDay).
2. That list is cut into six equal slices; cohort day k aims at the middle
   school day of slice k. Counting school days rather than calendar days keeps
   the holidays out of the targets (the Christmas break does not pull a day in).
3. Around its target, cohort day k takes the nearest school day (earlier day
   first on a tie) that comes after cohort day k−1 and on which the cohort's
   PANE and mentors are free all day.
4. University day k then takes the school day nearest to one week before cohort
   day k, strictly between cohort day k−1 and cohort day k, on which the PANE
   and the trainers are free all day. If there is none, cohort day k tries its
   next candidate date.
5. The regulation half-day (morning) aims at early November, as in the seed, and
   the bilan half-day at early June, each moved into its window when HR set one
   elsewhere (ProgrammeSettings.regulation_window / bilan_window): the nearest
   school day in the window where the PANE and the mentors are free that
   morning; ties go to the later day.

Days the cohort already has (live events) are kept and only the missing ones
are proposed; the existing ones and every other live event of the year (other
cohorts sharing a PANE, trainer or mentor) count as bookings.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mentors.accompaniment.dates import long_date
from mentors.models import Cohort, Event, EventKind, EventPeriod, NonSchoolDay, ProgrammeSettings
from mentors.models.accompaniment import DAYS_PER_COHORT

FIRST_MONTH_DAY = (9, 1)  # 1 September of the year's first calendar year
LAST_MONTH_DAY = (5, 31)  # 31 May of the second
UNIVERSITY_LEAD = datetime.timedelta(days=7)
# Where the half-days aim (month, day), the seed's "early November" and end-of-year review.
HALF_DAY_AIMS = {
    EventKind.REGULATION: (11, 1),
    EventKind.BILAN: (6, 1),
}  # university day k about a week before cohort day k
FULL = ("am", "pm")


@dataclass(frozen=True)
class Proposal:
    kind: str
    number: int | None
    date: datetime.date
    period: str

    @property
    def label(self) -> str:
        name = EventKind(self.kind).label
        return f"{name} {self.number}" if self.number else str(name)


@dataclass
class Plan:
    proposals: list[Proposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Fingerprint of the proposal, so accepting checks it has not changed since it was shown."""
        text = "|".join(f"{p.kind}:{p.number}:{p.date}:{p.period}" for p in self.proposals)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def school_days(year, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Weekdays from start to end that are not non-school days."""
    closed = set(NonSchoolDay.objects.filter(date__range=(start, end)).values_list("date", flat=True))
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _bookings(year, person_ids: set[int]) -> dict[int, set[tuple[datetime.date, str]]]:
    """For each of these people, the (date, half-day) they are already booked on by live events of the year."""
    busy: dict[int, set[tuple[datetime.date, str]]] = defaultdict(set)
    events = (
        Event.objects.live()
        .filter(year=year, cohort__isnull=False)
        .prefetch_related("cohort__panes", "cohort__trainers", "cohort__members")
    )
    for event in events:
        cohort = event.cohort
        people = {p.pk for p in cohort.panes.all()}
        if event.kind == EventKind.UNIVERSITY_DAY:
            people |= {p.pk for p in cohort.trainers.all()}
        else:
            people |= {m.person_id for m in cohort.members.all()}
        for person_id in people & person_ids:
            busy[person_id] |= {(event.date, slot) for slot in event.half_day_slots()}
    return busy


def _nearest(days: list[datetime.date], target: datetime.date, later_first: bool = False) -> list[datetime.date]:
    """The days sorted by distance to the target; ties go to the earlier day (or the later one)."""
    sign = -1 if later_first else 1
    return sorted(days, key=lambda day: (abs((day - target).days), sign * day.toordinal()))


class _Planner:
    def __init__(self, cohort: Cohort):
        self.cohort = cohort
        year = cohort.year
        first, last = year.starts_on.year, year.ends_on.year
        self.days = school_days(year, datetime.date(first, *FIRST_MONTH_DAY), datetime.date(last, *LAST_MONTH_DAY))
        self.panes = set(cohort.panes.values_list("id", flat=True))
        self.trainers = set(cohort.trainers.values_list("id", flat=True))
        self.mentors = set(cohort.members.values_list("person_id", flat=True))
        self.busy = _bookings(year, self.panes | self.trainers | self.mentors)
        self.existing = {(e.kind, e.number): e.date for e in cohort.events.live()}
        self.programme = ProgrammeSettings.for_year(year)
        self.plan = Plan()

    def free(self, people: set[int], day: datetime.date, slots=FULL) -> bool:
        return not any((day, slot) in self.busy[person] for person in people for slot in slots)

    def book(self, people: set[int], day: datetime.date, slots=FULL) -> None:
        for person in people:
            self.busy[person] |= {(day, slot) for slot in slots}

    def propose(self, kind: str, number: int | None, day: datetime.date, period: str) -> None:
        self.plan.proposals.append(Proposal(kind, number, day, period))
        people = self.panes | (self.trainers if kind == EventKind.UNIVERSITY_DAY else self.mentors)
        self.book(people, day, EventPeriod(period).half_days())

    def run(self) -> Plan:
        if len(self.days) < 2 * DAYS_PER_COHORT:
            self.plan.problems.append(_("Trop peu de jours de classe entre septembre et mai pour planifier l'année."))
            return self.plan
        previous = None
        for number in range(1, DAYS_PER_COHORT + 1):
            previous = self.plan_pair(number, previous)
        self.plan_half_day(EventKind.REGULATION, self.programme.regulation_window())
        self.plan_half_day(EventKind.BILAN, self.programme.bilan_window())
        self.plan.proposals.sort(key=lambda p: (p.date, p.kind))
        return self.plan

    def plan_pair(self, number: int, previous: datetime.date | None) -> datetime.date | None:
        """Cohort day k and university day k; returns the date of cohort day k (kept or proposed)."""
        cohort_day = self.existing.get((EventKind.COHORT_DAY, number))
        university_day = self.existing.get((EventKind.UNIVERSITY_DAY, number))
        if cohort_day and university_day:
            return cohort_day
        slice_size = len(self.days) / DAYS_PER_COHORT
        target = self.days[int((number - 0.5) * slice_size)]
        if cohort_day:
            candidates = [cohort_day]
        else:
            floor = max(filter(None, [previous, university_day]), default=None)
            after = [d for d in self.days if floor is None or d > floor]
            candidates = [d for d in _nearest(after, target) if self.free(self.panes | self.mentors, d)]
        for day in candidates:
            chosen = university_day or self.university_day_before(day, previous)
            if chosen is None:
                continue
            if not cohort_day:
                self.propose(EventKind.COHORT_DAY, number, day, EventPeriod.FULL_DAY)
            if not university_day:
                self.propose(EventKind.UNIVERSITY_DAY, number, chosen, EventPeriod.FULL_DAY)
            return day
        self.plan.problems.append(
            _("Aucune date libre pour la journée de cohorte %(number)s et la journée universitaire %(number)s.")
            % {"number": number}
        )
        return cohort_day or previous

    def university_day_before(self, day: datetime.date, previous: datetime.date | None) -> datetime.date | None:
        window = [d for d in self.days if d < day and (previous is None or d > previous)]
        people = self.panes | self.trainers
        for candidate in _nearest(window, day - UNIVERSITY_LEAD):
            if self.free(people, candidate):
                return candidate
        return None

    def plan_half_day(self, kind: str, window: tuple[datetime.date, datetime.date]) -> None:
        if (kind, None) in self.existing:
            return
        start, end = window
        month, day = HALF_DAY_AIMS[kind]
        aim_year = self.cohort.year.starts_on.year if month >= 7 else self.cohort.year.ends_on.year
        target = min(max(datetime.date(aim_year, month, day), start), end)
        # The window may reach past May (the bilan in June): its own school days.
        days = school_days(self.cohort.year, start, end)
        people = self.panes | self.mentors
        for day in _nearest(days, target, later_first=True):
            if self.free(people, day, ("am",)):
                self.propose(kind, None, day, EventPeriod.MORNING)
                return
        self.plan.problems.append(
            _("Aucune matinée libre pour la %(kind)s entre le %(start)s et le %(end)s.")
            % {"kind": EventKind(kind).label.lower(), "start": long_date(start), "end": long_date(end)}
        )


def propose(cohort: Cohort) -> Plan:
    """The proposed events of the cohort's year (only those it does not have yet)."""
    return _Planner(cohort).run()
