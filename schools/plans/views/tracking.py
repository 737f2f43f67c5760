"""The tracking table of new staff (tableau de suivi des nouveaux): the school's directors and mentors only.

Nothing here reads mentors.FollowUpEntry: a mentor's follow-up notes are theirs alone.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roles.access import access_for, require, selected_year
from roles.models import Role
from roles.rules_plans import get_newcomer_for_user, get_school_for_plans
from schools.models import SchoolYear, StaffAssignment
from schools.plans import services
from schools.plans.forms import FollowUpForm, NewcomerForm
from schools.plans.models import Newcomer, NewcomerFollowUp, NewcomerStatus


@require("tracking.list")
def tracking_index(request):
    access = access_for(request)
    school_ids = access.directed_school_ids or access.school_ids(Role.MENTOR)
    return redirect("plans:tracking_table", school_pk=min(school_ids))


def _rows(school, year):
    return (
        Newcomer.objects.filter(school=school, year=year)
        .select_related("person", "followed_by")
        .prefetch_related(
            Prefetch(
                "person__assignments",
                queryset=StaffAssignment.objects.filter(school=school, year=year),
                to_attr="here",
            ),
            Prefetch("follow_ups", queryset=NewcomerFollowUp.objects.select_related("by__person"), to_attr="traces"),
        )
    )


@login_required
def tracking_table(request, school_pk: int):
    school = get_school_for_plans(request, school_pk, "tracking.view")
    year = selected_year(request)
    if year:
        services.newcomers_sync(school=school, year=year)
    rows = list(_rows(school, year)) if year else []
    today = timezone.localdate()
    ctx = {
        "school": school,
        "year": year,
        "years": SchoolYear.objects.all(),
        "rows": rows,
        "today": today,
        "can_edit": access_for(request).can("tracking.edit", school),
        "status_counts": [
            (label, sum(1 for r in rows if r.status == value)) for value, label in NewcomerStatus.choices
        ],
    }
    return render(request, "plans/tracking_table.html", ctx)


def _table_url(row: Newcomer) -> str:
    return reverse("plans:tracking_table", kwargs={"school_pk": row.school_id}) + f"?annee={row.year_id}#row-{row.pk}"


@login_required
def newcomer_detail(request, pk: int):
    """One new person: the row's form (directors) and the history of follow-ups."""
    row = get_newcomer_for_user(request, pk)
    can_edit = access_for(request).can("tracking.edit", row)
    ctx = {"row": row, "can_edit": can_edit, "traces": row.follow_ups.select_related("by__person")}
    if can_edit:
        ctx["form"] = NewcomerForm(instance=row)
        ctx["follow_up_form"] = FollowUpForm(initial={"date": timezone.localdate(), "status": row.status})
    return render(request, "plans/newcomer_detail.html", ctx)


@login_required
def newcomer_edit(request, pk: int):
    row = get_newcomer_for_user(request, pk, edit=True)
    if request.method != "POST":
        return redirect("plans:newcomer_detail", pk=row.pk)
    form = NewcomerForm(request.POST, instance=row)
    ctx = {"row": row, "can_edit": True, "traces": row.follow_ups.select_related("by__person"), "form": form}
    ctx["follow_up_form"] = FollowUpForm(initial={"date": timezone.localdate(), "status": row.status})
    if form.is_valid():
        try:
            services.newcomer_update(
                newcomer=row, data=form.cleaned_data, expected_version=form.cleaned_data["version"], by=request.user
            )
        except services.NewcomerConflict as conflict:
            data = request.POST.copy()
            data["version"] = conflict.current.version
            ctx["form"] = NewcomerForm(data, instance=Newcomer.objects.get(pk=row.pk))
            ctx["form"].is_valid()
            ctx["form"].add_error(None, str(conflict))
            ctx["theirs"] = conflict.current
            return render(request, "plans/newcomer_detail.html", ctx, status=409)
        messages.success(request, _("Le suivi de %(name)s est enregistré.") % {"name": row.person.full_name})
        return redirect(_table_url(row))
    return render(request, "plans/newcomer_detail.html", ctx)


@login_required
def newcomer_follow_up(request, pk: int):
    row = get_newcomer_for_user(request, pk, edit=True)
    if request.method != "POST":
        return redirect("plans:newcomer_detail", pk=row.pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.newcomer_follow_up(newcomer=row, by=request.user, **form.cleaned_data)
        messages.success(request, _("Le suivi est noté."))
        return redirect("plans:newcomer_detail", pk=row.pk)
    ctx = {
        "row": row,
        "can_edit": True,
        "traces": row.follow_ups.select_related("by__person"),
        "form": NewcomerForm(instance=row),
        "follow_up_form": form,
    }
    return render(request, "plans/newcomer_detail.html", ctx)
