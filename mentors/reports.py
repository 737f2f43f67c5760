"""Read-side figures: the release-time budget and the follow-up counts (never the notes)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, FilteredRelation, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorat.spreadsheets import neutralise, safe_cell
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

    @property
    def assignments(self):
        """Every mentor assignment with its cost, read in chunks (for the exports)."""
        cohort_days = {} if self.programme.cohort_days_in_release else cohort_days_by_mentor(self.year)
        rows = (
            MentorAssignment.objects.for_year(self.year)
            .select_related("person", "school", "building")
            .only(
                "person_id",
                "school_id",
                "building_id",
                "cycle_length_days",
                "release_days_per_cycle",
                "year_id",
                "person__employee_number",
                "person__first_name",
                "person__last_name",
                "school__name",
                "school__code",
                "school__order",
                "building__name",
            )
            .order_by("school__name", "person__last_name", "person__first_name", "pk")
        )
        for assignment in rows.iterator(chunk_size=2000):
            _cost(assignment, self.programme, cohort_days)
            yield assignment


def _cost(assignment, programme, cohort_days: dict[int, int]) -> None:
    assignment.programme = programme  # one settings row for all, not one query each
    days = 0 if programme.cohort_days_in_release else cohort_days.get(assignment.person_id, DAYS_PER_COHORT)
    assignment.cohort_days = days
    assignment.cohort_days_cost = days * programme.substitute_daily_rate
    assignment.total_cost = assignment.cost_estimate + assignment.cohort_days_cost


def budget_for(year) -> Budget:
    """The year's release-time costs totalled per school, per order and for the centre.

    The totals come from one GROUP BY (school, cycle, release per cycle, cohort):
    a few rows per school whatever the number of mentors; the per-mentor rows
    are read only by the exports (Budget.assignments).
    """
    from schools.models import School

    programme = ProgrammeSettings.for_year(year)
    planned = {} if programme.cohort_days_in_release else planned_cohort_days(year)
    groups = (
        MentorAssignment.objects.for_year(year)
        .annotate(
            cohort=FilteredRelation("person__cohort_memberships", condition=Q(person__cohort_memberships__year=year))
        )
        .values("school_id", "cycle_length_days", "release_days_per_cycle", "cohort__cohort_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    groups = list(groups)
    schools = School.objects.in_bulk({g["school_id"] for g in groups})
    by_school: dict[int, BudgetLine] = {}
    by_order = {value: BudgetLine(str(label), order=value) for value, label in Order.choices}
    centre = BudgetLine(_("Centre de services"))
    for group in groups:
        sample = MentorAssignment(
            cycle_length_days=group["cycle_length_days"], release_days_per_cycle=group["release_days_per_cycle"]
        )
        cohort = group["cohort__cohort_id"]
        sample.cohort_days = 0 if programme.cohort_days_in_release else (planned.get(cohort) or DAYS_PER_COHORT)
        sample.cohort_days_cost = sample.cohort_days * programme.substitute_daily_rate
        sample.programme = programme
        school = schools[group["school_id"]]
        line = by_school.setdefault(school.pk, BudgetLine(school.name, order=school.order, school=school))
        for total in (line, by_order[school.order], centre):
            total.add(sample, group["n"])
    lines = sorted(by_school.values(), key=lambda line: (line.label, line.school.pk))
    return Budget(programme, year, lines, list(by_order.values()), centre)


def planned_cohort_days(year) -> dict[int, int]:
    """{cohort id: cohort days planned} (one query)."""
    return dict(
        Event.objects.filter(year=year, kind=EventKind.COHORT_DAY)
        .exclude(status=EventStatus.CANCELLED)
        .values("cohort")
        .annotate(n=Count("id"))
        .values_list("cohort", "n")
    )


def cohort_days_by_mentor(year) -> dict[int, int]:
    """{person id: cohort days planned for their cohort} (six until the PANE plan them; two queries)."""
    planned = planned_cohort_days(year)
    return {
        person_id: planned.get(cohort_id) or DAYS_PER_COHORT
        for person_id, cohort_id in CohortMember.objects.filter(year=year).values_list("person_id", "cohort_id")
    }


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


def budget_rows(budget: Budget):
    """One row per mentor assignment, for the exports."""
    programme = budget.programme
    orders = {value: str(label) for value, label in Order.choices}  # translated once, not once a row
    for a in budget.assignments:
        yield [
            a.school.name,
            a.school.code,
            orders.get(a.school.order, a.school.order),
            a.person.employee_number,
            a.person.full_name,
            a.building.name if a.building else "",
            a.cycle_length_days,
            a.release_days_per_cycle,
            round(a.release_fraction, 4),
            a.release_days_in_year,
            a.release_days_in_year * programme.substitute_daily_rate,
            programme.compensation,
            a.cohort_days,
            a.cohort_days_cost,
            a.total_cost,
        ]


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
    for row in budget_rows(budget):
        writer.writerow([safe_cell(value) for value in row])
        yield line()
    for total in [*budget.schools, *budget.orders, budget.centre]:
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
        yield line()


def budget_xlsx(budget: Budget) -> bytes:
    """The workbook in openpyxl's write-only mode: rows go to disk as they come, memory stays flat."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Personnes mentores"))[:31])
    totals = workbook.create_sheet(str(_("Totaux"))[:31])
    for ws in (sheet, totals):
        ws.freeze_panes = "A2"
    sheet.append([str(h) for h in BUDGET_HEADERS])
    for row in budget_rows(budget):
        sheet.append([float(v) if isinstance(v, Decimal) else safe_cell(v) for v in row])
    totals.append(
        [
            str(_("Regroupement")),
            str(_("Ordre")),
            str(_("Personnes mentores")),
            str(_("ETC libérés")),
            str(_("Jours de libération")),
            str(_("Suppléance ($)")),
            str(_("Compensation ($)")),
            str(_("Journées de cohorte hors libération")),
            str(_("Suppléance des journées de cohorte ($)")),
            str(_("Total ($)")),
        ]
    )
    for line in [*budget.schools, *budget.orders, budget.centre]:
        totals.append(
            [
                safe_cell(line.label),
                safe_cell(line.order),
                line.mentors,
                float(line.release_fraction),
                float(line.release_days),
                float(line.release_cost),
                float(line.compensation),
                line.cohort_days,
                float(line.cohort_days_cost),
                float(line.total),
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def follow_up_counts(pairings) -> dict[int, dict]:
    """{pairing id: {month: (entries, minutes)}} — counts and time only, never the notes."""
    rows = (
        FollowUpEntry.objects.filter(pairing__in=pairings)
        .annotate(month=TruncMonth("date"))
        .values("pairing_id", "month")
        .annotate(entries=Count("id"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    counts: dict[int, dict] = defaultdict(dict)
    for row in rows:
        counts[row["pairing_id"]][row["month"]] = (row["entries"], row["minutes"])
    return counts
