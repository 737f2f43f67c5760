"""Read-side figures: the release-time budget and the follow-up counts (never the notes)."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorat.spreadsheets import neutralise, xlsx_with_rows
from mentors.models import (
    CohortMember,
    Event,
    EventKind,
    EventStatus,
    FollowUpEntry,
    MentorAssignment,
    ProgrammeSettings,
)
from mentors.models.accompaniment import DAYS_PER_COHORT
from schools.models import Order


@dataclass
class BudgetLine:
    label: str
    order: str = ""
    mentors: int = 0
    release_fraction: Decimal = Decimal(0)  # sum of fractions = full-time equivalent
    release_days: Decimal = Decimal(0)
    release_cost: Decimal = Decimal(0)
    compensation: Decimal = Decimal(0)
    # Cohort days outside release time: substitute days on top (0 when they are taken within it).
    cohort_days: int = 0
    cohort_days_cost: Decimal = Decimal(0)
    school: object = None

    @property
    def total(self) -> Decimal:
        return self.release_cost + self.compensation + self.cohort_days_cost

    def add(self, assignment, count: int = 1) -> None:
        """Add `count` assignments costed like this one."""
        programme = assignment.programme
        self.mentors += count
        self.release_fraction += assignment.release_fraction * count
        self.release_days += assignment.release_days_in_year * count
        self.release_cost += assignment.release_days_in_year * programme.substitute_daily_rate * count
        self.compensation += programme.compensation * count
        self.cohort_days += assignment.cohort_days * count
        self.cohort_days_cost += assignment.cohort_days_cost * count


@dataclass
class Budget:
    programme: ProgrammeSettings
    year: object = None
    schools: list[BudgetLine] = field(default_factory=list)
    orders: list[BudgetLine] = field(default_factory=list)
    centre: BudgetLine | None = None

    def assignment_rows(self) -> Iterator[list]:
        """One export row per mentor assignment: plain values in one query, each cost computed once per kind.

        An assignment's costs depend only on its cycle, its release and its cohort's
        days, a few dozen combinations for thousands of mentors.
        """
        programme = self.programme
        planned = {} if programme.cohort_days_in_release else planned_cohort_days(self.year)
        orders = {value: str(label) for value, label in Order.choices}  # translated once, not once a row
        rows = (
            MentorAssignment.objects.for_year(self.year)
            .annotate(cohort_ref=_cohort_of_mentor(self.year))
            .order_by("school__name", "person__last_name", "person__first_name", "pk")
            .values_list(
                "school__name",
                "school__code",
                "school__order",
                "person__employee_number",
                "person__first_name",
                "person__last_name",
                "building__name",
                "cycle_length_days",
                "release_days_per_cycle",
                "cohort_ref",
            )
        )
        costs: dict[tuple, list] = {}
        for name, code, order, number, first, last, building, cycle, release, cohort_id in rows.iterator(2000):
            days = 0 if programme.cohort_days_in_release else (planned.get(cohort_id) or DAYS_PER_COHORT)
            key = (cycle, release, days)
            if key not in costs:
                costs[key] = _costs(programme, cycle, release, days)
            yield [name, code, orders.get(order, order), number, f"{first} {last}", building or "", *costs[key]]


def _sample(programme, cycle: int, release: Decimal, cohort_days: int) -> MentorAssignment:
    """An unsaved assignment costed like every one of this cycle, release and cohort days."""
    sample = MentorAssignment(cycle_length_days=cycle, release_days_per_cycle=release)
    sample.programme = programme  # one settings row for all, not one query each
    sample.cohort_days = cohort_days
    sample.cohort_days_cost = cohort_days * programme.substitute_daily_rate
    sample.total_cost = sample.cost_estimate + sample.cohort_days_cost
    return sample


def _costs(programme, cycle: int, release: Decimal, cohort_days: int) -> list:
    """The export's figures for one kind of assignment, from the model's own rules."""
    sample = _sample(programme, cycle, release, cohort_days)
    return [
        cycle,
        release,
        round(sample.release_fraction, 4),
        sample.release_days_in_year,
        sample.release_days_in_year * programme.substitute_daily_rate,
        programme.compensation,
        sample.cohort_days,
        sample.cohort_days_cost,
        sample.total_cost,
    ]


def _cohort_of_mentor(year):
    """The mentor's cohort of the year, a subquery on (person, year) rather than a join of every person."""
    return Subquery(CohortMember.objects.filter(person=OuterRef("person_id"), year=year).values("cohort_id")[:1])


def _groups(year, programme, planned: dict[int, int], key: str, **filters):
    """(key value, costed sample, count): the year's assignments grouped by key, cycle, release and cohort."""
    rows = (
        MentorAssignment.objects.for_year(year)
        .filter(**filters)
        .annotate(cohort_ref=_cohort_of_mentor(year))
        .values(key, "cycle_length_days", "release_days_per_cycle", "cohort_ref")
        .annotate(n=Count("id"))
        .order_by()
    )
    samples: dict[tuple, MentorAssignment] = {}  # a few kinds of assignment for thousands of groups
    for row in rows:
        days = 0 if programme.cohort_days_in_release else (planned.get(row["cohort_ref"]) or DAYS_PER_COHORT)
        kind = (row["cycle_length_days"], row["release_days_per_cycle"], days)
        if kind not in samples:
            samples[kind] = _sample(programme, *kind)
        yield row[key], samples[kind], row["n"]


def budget_schools(year):
    """The schools with mentors this year, in the budget's order (the page shows them a page at a time)."""
    from schools.models import School

    assigned = MentorAssignment.objects.for_year(year).values("school_id")
    return School.objects.filter(pk__in=assigned).order_by("name", "pk")


def budget_for(year, schools=None) -> Budget:
    """The year's release-time costs per order and for the centre, and per school for ``schools`` (default all).

    Each total comes from one GROUP BY (order or school, cycle, release per cycle,
    cohort): a few rows per order or school whatever the number of mentors. The
    page asks for its 50 schools only; the per-mentor rows are read only by the
    exports (Budget.assignment_rows).
    """
    programme = ProgrammeSettings.for_year(year)
    planned = {} if programme.cohort_days_in_release else planned_cohort_days(year)
    by_order = {value: BudgetLine(str(label), order=value) for value, label in Order.choices}
    centre = BudgetLine(_("Centre de services"))
    for order, sample, n in _groups(year, programme, planned, "school__order"):
        by_order[order].add(sample, n)
        centre.add(sample, n)
    if schools is None:  # the exports: every school's line, from plain values
        filters = {}
        rows = budget_schools(year).values_list("pk", "name", "order")
        lines = {pk: BudgetLine(name, order=order) for pk, name, order in rows}
    else:
        filters = {"school__in": schools}
        lines = {school.pk: BudgetLine(school.name, order=school.order, school=school) for school in schools}
    for school_id, sample, n in _groups(year, programme, planned, "school_id", **filters):
        lines[school_id].add(sample, n)
    return Budget(programme, year, list(lines.values()), list(by_order.values()), centre)


def planned_cohort_days(year) -> dict[int, int]:
    """{cohort id: cohort days planned} (one query)."""
    return dict(
        Event.objects.filter(year=year, kind=EventKind.COHORT_DAY)
        .exclude(status=EventStatus.CANCELLED)
        .values("cohort")
        .annotate(n=Count("id"))
        .values_list("cohort", "n")
    )


BUDGET_HEADERS = [
    gettext_lazy("École"),
    gettext_lazy("Code"),
    gettext_lazy("Ordre"),
    gettext_lazy("Matricule"),
    gettext_lazy("Personne mentore"),
    gettext_lazy("Bâtiment"),
    gettext_lazy("Cycle (jours)"),
    gettext_lazy("Libération par cycle (jours)"),
    gettext_lazy("Pourcentage de libération"),
    gettext_lazy("Jours de libération dans l'année"),
    gettext_lazy("Coût de la suppléance ($)"),
    gettext_lazy("Compensation ($)"),
    gettext_lazy("Journées de cohorte hors libération"),
    gettext_lazy("Suppléance des journées de cohorte ($)"),
    gettext_lazy("Coût estimé ($)"),
]


# The export's first six columns are text (names, codes), the others numbers.
TEXT_COLUMNS = 6
CSV_ROWS_PER_CHUNK = 500


def budget_rows(budget: Budget) -> Iterator[list]:
    """One row per mentor assignment, for the exports."""
    return budget.assignment_rows()


def budget_csv(budget: Budget) -> Iterator[str]:
    """The CSV line by line, for a streamed response (a byte-order mark first, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([str(h) for h in BUDGET_HEADERS])
    yield "\ufeff" + line()
    for n, row in enumerate(budget_rows(budget), 1):
        writer.writerow([neutralise(value) for value in row[:TEXT_COLUMNS]] + row[TEXT_COLUMNS:])
        if n % CSV_ROWS_PER_CHUNK == 0:  # a chunk of rows at a time: one row each was most of the time
            yield line()
    for n, total in enumerate([*budget.schools, *budget.orders, budget.centre], 1):
        writer.writerow(
            [
                _("Total"),
                neutralise(total.label),
                "",
                "",
                total.mentors,
                "",
                "",
                "",
                round(total.release_fraction, 4),
                total.release_days,
                total.release_cost,
                total.compensation,
                total.cohort_days,
                total.cohort_days_cost,
                total.total,
            ]
        )
        if n % CSV_ROWS_PER_CHUNK == 0:
            yield line()
    yield line()


def budget_xlsx(budget: Budget) -> bytes:
    """The workbook: openpyxl (write-only) writes its frame and headers, the rows are written as XML
    (mentorat.spreadsheets.xlsx_with_rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Personnes mentores"))[:31])
    totals = workbook.create_sheet(str(_("Totaux"))[:31])
    for ws in (sheet, totals):
        ws.freeze_panes = "A2"
    sheet.append([str(h) for h in BUDGET_HEADERS])
    totals.append([str(h) for h in BUDGET_TOTALS_HEADERS])
    frame = io.BytesIO()
    workbook.save(frame)
    total_rows = (
        [
            line.label,
            line.order,
            line.mentors,
            line.release_fraction,
            line.release_days,
            line.release_cost,
            line.compensation,
            line.cohort_days,
            line.cohort_days_cost,
            line.total,
        ]
        for line in [*budget.schools, *budget.orders, budget.centre]
    )
    return xlsx_with_rows(
        frame, {"xl/worksheets/sheet1.xml": budget_rows(budget), "xl/worksheets/sheet2.xml": total_rows}
    )


BUDGET_TOTALS_HEADERS = [
    gettext_lazy("Regroupement"),
    gettext_lazy("Ordre"),
    gettext_lazy("Personnes mentores"),
    gettext_lazy("ETC libérés"),
    gettext_lazy("Jours de libération"),
    gettext_lazy("Suppléance ($)"),
    gettext_lazy("Compensation ($)"),
    gettext_lazy("Journées de cohorte hors libération"),
    gettext_lazy("Suppléance des journées de cohorte ($)"),
    gettext_lazy("Total ($)"),
]


@dataclass
class FollowUpCounts:
    """One pair's meetings and minutes: per month, in all, and in the month shown up to its last day shown."""

    months: dict = field(default_factory=dict)  # first of the month → (entries, minutes)
    entries: int = 0
    minutes: int = 0
    month_entries: int = 0
    month_minutes: int = 0


def follow_up_counts(pairings, month_start: datetime.date, until: datetime.date) -> dict[int, FollowUpCounts]:
    """{pairing id: its counts} for a page of pairs (one query) — counts and time only, never the notes.

    ``month_entries`` and ``month_minutes`` count the entries from ``month_start`` to ``until``.
    """
    to_date = Q(date__lte=until)
    rows = (
        FollowUpEntry.objects.filter(pairing__in=pairings)
        .annotate(month=TruncMonth("date"))
        .values("pairing_id", "month")
        .annotate(
            entries=Count("id"),
            minutes=Sum("duration_minutes"),
            entries_to_date=Count("id", filter=to_date),
            minutes_to_date=Sum("duration_minutes", filter=to_date),
        )
        .order_by()
    )
    counts: dict[int, FollowUpCounts] = defaultdict(FollowUpCounts)
    for row in rows:
        pair = counts[row["pairing_id"]]
        pair.months[row["month"]] = (row["entries"], row["minutes"])
        pair.entries += row["entries"]
        pair.minutes += row["minutes"] or 0
        if row["month"] == month_start:
            pair.month_entries, pair.month_minutes = row["entries_to_date"], row["minutes_to_date"] or 0
    return counts
