"""Every school's plan at a glance, for HR, the PANE (services éducatifs) and general management."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.spreadsheets import csv_text, xlsx_bytes
from roles.access import require, selected_year
from schools.models import Order, School, SchoolYear
from schools.plans.forms import OverviewFilterForm
from schools.plans.models import CycleStep, DeploymentPlan, PlanStep, StepStatus
from schools.plans.templatetags.plans import display_name

# Schools per page of the table, as on the home page's table of schools.
OVERVIEW_PER_PAGE = 50

# The enums' `values` are rebuilt on every access; the rows read them once per school.
CYCLE_STEPS, STEP_STATUSES = CycleStep.values, StepStatus.values


@dataclass
class OverviewRow:
    school: School
    plan: DeploymentPlan | None
    by_cycle: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def cycle_counts(self) -> list[int]:
        return [self.by_cycle.get(value, 0) for value in CYCLE_STEPS]

    @property
    def status_counts(self) -> list[int]:
        return [self.by_status.get(value, 0) for value in STEP_STATUSES]

    @property
    def changed_by(self) -> str:
        return display_name(self.plan.changed_by) if self.plan else ""


def overview_schools(year: SchoolYear, order: str = "", status: str = "", matching=None) -> QuerySet[School]:
    """The schools the filters keep, in the table's order: every filter, the status one too, runs in SQL.

    `matching`: the schools the school filter found (a subquery), or None for every school.
    """
    schools = School.objects.active().order_by("order", "name")
    if order:
        schools = schools.filter(order=order)
    if matching is not None:
        schools = schools.filter(pk__in=matching)
    has_plan = Exists(DeploymentPlan.objects.filter(year=year, school=OuterRef("pk")))
    if status == "sans_plan":
        schools = schools.filter(~has_plan)
    elif status == "avec_plan":
        schools = schools.filter(has_plan)
    elif status in StepStatus.values:
        steps = PlanStep.objects.filter(plan__year=year, plan__school=OuterRef("pk"), status=status)
        schools = schools.filter(Exists(steps))
    return schools


def overview_rows(year: SchoolYear, schools) -> list[OverviewRow]:
    """Three queries whatever the number of schools: the schools, their plans, their step counts."""
    schools = list(schools)
    ids = [school.pk for school in schools]
    plans = {
        p.school_id: p
        for p in DeploymentPlan.objects.filter(year=year, school_id__in=ids).select_related("changed_by__person")
    }
    by_cycle: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    by_status: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    counts = (
        PlanStep.objects.filter(plan__year=year, plan__school_id__in=ids)
        .values_list("plan__school_id", "cycle_step", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for school_id, cycle_step, step_status, n in counts:
        by_cycle[school_id][cycle_step] += n
        by_status[school_id][step_status] += n
    return [
        OverviewRow(school, plans.get(school.pk), dict(by_cycle[school.pk]), dict(by_status[school.pk]))
        for school in schools
    ]


def export_rows(rows: list[OverviewRow]):
    yield [
        _("École"),
        _("Code"),
        _("Ordre"),
        _("Plan"),
        _("Étapes"),
        *[str(label) for label in CycleStep.labels],
        *[str(label) for label in StepStatus.labels],
        _("Dernière modification"),
        _("Par"),
    ]
    # Translated once, not once per school: at 2,000 schools the lookups cost more than the queries.
    orders, yes, no = {value: str(label) for value, label in Order.choices}, _("Oui"), _("Non")
    for row in rows:
        changed = (
            timezone.localtime(row.plan.changed_at).strftime("%Y-%m-%d %H:%M")
            if row.plan and row.plan.changed_at
            else ""
        )
        yield [
            row.school.name,
            row.school.code,
            orders.get(row.school.order, row.school.order),
            yes if row.plan else no,
            row.total,
            *row.cycle_counts,
            *row.status_counts,
            changed,
            row.changed_by,
        ]


def _export(year: SchoolYear, schools, fmt: str) -> HttpResponse:
    """Every school the filters keep, whatever page the table shows."""
    rows = overview_rows(year, schools)
    if fmt == "csv":
        response = HttpResponse("\ufeff" + csv_text(export_rows(rows)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(_("Plans de déploiement"), export_rows(rows)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="plans-de-deploiement-{year.label}.{fmt}"'
    return response


@require("plan.overview")
def overview(request):
    """One page of OVERVIEW_PER_PAGE schools; the totals count every school the filters keep."""
    year = selected_year(request)
    form = OverviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    schools = (
        overview_schools(year, filters.get("ordre", ""), filters.get("statut", ""), filters.get("ecole"))
        if year
        else School.objects.none()
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and year:
        return _export(year, schools, fmt)
    page = Paginator(schools, OVERVIEW_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    ctx = {
        "year": year,
        "years": SchoolYear.objects.all(),
        "form": form,
        "page": page,
        "rows": overview_rows(year, page.object_list) if year else [],
        "cycle_labels": CycleStep.labels,
        "status_labels": StepStatus.labels,
        "with_plan": schools.filter(plans__year=year).count() if year else 0,  # one plan per school and year
        "query": query.urlencode(),
    }
    return render(request, "plans/overview.html", ctx)
