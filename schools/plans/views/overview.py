"""Every school's plan at a glance, for HR, the PANE (services éducatifs) and general management."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.spreadsheets import csv_text, xlsx_bytes
from roles.access import require, selected_year
from schools.models import School, SchoolYear
from schools.plans.forms import OverviewFilterForm
from schools.plans.models import CycleStep, DeploymentPlan, PlanStep, StepStatus
from schools.plans.templatetags.plans import display_name


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
        return [self.by_cycle.get(value, 0) for value in CycleStep.values]

    @property
    def status_counts(self) -> list[int]:
        return [self.by_status.get(value, 0) for value in StepStatus.values]

    @property
    def changed_by(self) -> str:
        return display_name(self.plan.changed_by) if self.plan else ""


def overview_rows(year: SchoolYear, order: str = "", status: str = "", matching=None) -> list[OverviewRow]:
    """Three queries whatever the number of schools: schools, plans, step counts.

    `matching`: the schools the school filter found (a subquery), or None for every school.
    """
    schools = School.objects.active().order_by("order", "name")
    if order:
        schools = schools.filter(order=order)
    if matching is not None:
        schools = schools.filter(pk__in=matching)
    plans = {p.school_id: p for p in DeploymentPlan.objects.filter(year=year).select_related("changed_by__person")}
    by_cycle: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    by_status: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    counts = (
        PlanStep.objects.filter(plan__year=year)
        .values_list("plan__school_id", "cycle_step", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for school_id, cycle_step, step_status, n in counts:
        by_cycle[school_id][cycle_step] += n
        by_status[school_id][step_status] += n
    rows = [
        OverviewRow(school, plans.get(school.pk), dict(by_cycle[school.pk]), dict(by_status[school.pk]))
        for school in schools
    ]
    if status == "sans_plan":
        rows = [row for row in rows if row.plan is None]
    elif status == "avec_plan":
        rows = [row for row in rows if row.plan is not None]
    elif status in StepStatus.values:
        rows = [row for row in rows if row.by_status.get(status)]
    return rows


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
    for row in rows:
        changed = (
            timezone.localtime(row.plan.changed_at).strftime("%Y-%m-%d %H:%M")
            if row.plan and row.plan.changed_at
            else ""
        )
        yield [
            row.school.name,
            row.school.code,
            row.school.get_order_display(),
            _("Oui") if row.plan else _("Non"),
            row.total,
            *row.cycle_counts,
            *row.status_counts,
            changed,
            row.changed_by,
        ]


@require("plan.overview")
def overview(request):
    year = selected_year(request)
    form = OverviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = (
        overview_rows(year, filters.get("ordre", ""), filters.get("statut", ""), filters.get("ecole")) if year else []
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and year:
        name = f"plans-de-deploiement-{year.label}.{fmt}"
        if fmt == "csv":
            response = HttpResponse("\ufeff" + csv_text(export_rows(rows)), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_bytes(_("Plans de déploiement"), export_rows(rows)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    ctx = {
        "year": year,
        "years": SchoolYear.objects.all(),
        "form": form,
        "rows": rows,
        "cycle_labels": CycleStep.labels,
        "status_labels": StepStatus.labels,
        "with_plan": sum(1 for row in rows if row.plan),
        "query": request.GET.urlencode(),
    }
    return render(request, "plans/overview.html", ctx)
