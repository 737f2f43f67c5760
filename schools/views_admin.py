"""The centre's administration pages: schools and buildings, school years (HR edits, readers read)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorat.parsing import as_id
from mentors.models import MentorAssignment, ProgrammeSettings
from roles.access import access_for, get_school_for_user, require
from roles.models import Membership
from schools import centre
from schools.forms_admin import BuildingForm, SchoolForm, YearDatesForm
from schools.models import Building, SchoolYear, StaffAssignment

# --- Schools and buildings ---


@require("school.edit")
def school_create(request):
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = form.save()
        messages.success(request, _("École %(name)s créée.") % {"name": school.name})
        return redirect("schools:school_detail", pk=school.pk)
    return render(request, "schools/admin/school_form.html", {"form": form, "school": None})


@require("school.edit")
def school_edit(request, pk: int):
    """Edit a school; a change of this year's figures asks to confirm first, a concurrent save answers 409."""
    school = get_school_for_user(request, pk)
    stored = copy.copy(school)  # the form writes its data into `school` while validating
    form = SchoolForm(request.POST or None, instance=school)
    ctx = {"form": form, "school": stored}
    if request.method != "POST" or not form.is_valid():
        return render(request, "schools/admin/school_form.html", ctx)
    impact = centre.school_change_impact(stored, form.cleaned_data)
    version = form.cleaned_data.get("version") or 0
    if version != stored.version:
        return _conflict(request, ctx, form, stored)
    if impact.needs_confirmation and form.cleaned_data.get("confirmed") != impact.signature:
        return render(request, "schools/admin/school_form.html", {**ctx, "impact": impact})
    try:
        saved = centre.school_save(school_id=stored.pk, data=form.settings_data(), expected_version=version)
    except centre.SchoolConflict as conflict:
        return _conflict(request, ctx, form, conflict.current)
    messages.success(request, _("École %(name)s enregistrée.") % {"name": saved.name})
    return redirect("schools:school_detail", pk=saved.pk)


def _conflict(request, ctx, form, current):
    """409: the user's typing stays in the form, the other person's saved values are shown beside it."""
    data = form.data.copy()
    data["version"] = current.version
    data["confirmed"] = ""
    ctx = {**ctx, "form": SchoolForm(data, instance=copy.copy(current)), "conflict": current, "school": current}
    ctx["form"].is_valid()
    return render(request, "schools/admin/school_form.html", ctx, status=409)


def _school_for_buildings(request, pk: int):
    return get_school_for_user(request, pk)


@require("school.edit")
def building_create(request, pk: int):
    school = _school_for_buildings(request, pk)
    form = BuildingForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        building = form.save()
        messages.success(request, _("Bâtiment %(name)s ajouté.") % {"name": building.name})
        return redirect("schools:school_detail", pk=school.pk)
    return render(request, "schools/admin/building_form.html", {"form": form, "school": school, "building": None})


def _building_for_editor(request, pk: int) -> Building:
    building = Building.objects.select_related("school").filter(pk=pk).first()
    if building is None:
        raise Http404
    get_school_for_user(request, building.school_id)
    return building


@require("school.edit")
def building_edit(request, pk: int):
    building = _building_for_editor(request, pk)
    form = BuildingForm(request.POST or None, instance=building, school=building.school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Bâtiment %(name)s enregistré.") % {"name": building.name})
        return redirect("schools:school_detail", pk=building.school_id)
    ctx = {"form": form, "school": building.school, "building": building}
    return render(request, "schools/admin/building_form.html", ctx)


@require_POST
@require("school.edit")
def building_delete(request, pk: int):
    building = _building_for_editor(request, pk)
    try:
        centre.building_delete(building=building)
    except centre.CentreError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bâtiment %(name)s supprimé.") % {"name": building.name})
    return redirect("schools:school_detail", pk=building.school_id)


# --- School years ---


def _counts_by_year(queryset) -> dict[int, int]:
    return dict(queryset.values_list("year").annotate(n=Count("id")).order_by())


@require("year.list")
def year_list(request):
    """Every year with what it holds; HR creates the next one and marks the current one."""
    years = list(SchoolYear.objects.order_by("-starts_on"))
    staff = _counts_by_year(StaffAssignment.objects.all())
    roles = _counts_by_year(Membership.objects.filter(year__isnull=False))
    mentors = _counts_by_year(MentorAssignment.objects.all())
    settings = set(ProgrammeSettings.objects.values_list("year_id", flat=True))
    for year in years:
        year.staff_count, year.role_count = staff.get(year.pk, 0), roles.get(year.pk, 0)
        year.mentor_count, year.has_settings = mentors.get(year.pk, 0), year.pk in settings
    current = access_for(request).year
    source = current or (years[0] if years else None)  # as centre.next_year_source(), without asking again
    ctx = {
        "years": years,
        "current": current,
        "marked": next((y for y in years if y.is_current), None),
        "next_year": centre.next_year_preview(source),
        "source": source,
    }
    return render(request, "schools/admin/year_list.html", ctx)


@require_POST
@require("year.manage")
def year_create_next(request):
    try:
        year = centre.school_year_create_next()
    except centre.CentreError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Année %(label)s créée : jalons décalés d'un an, paramètres du programme reportés.")
            % {"label": year.label},
        )
    return redirect("schools:year_list")


@require_POST
@require("year.manage")
def year_mark_current(request):
    """Mark the posted year as current, or go back to the dates with an empty value."""
    year_id = request.POST.get("year", "")
    year = get_object_or_404(SchoolYear, pk=as_id(year_id)) if year_id else None
    centre.school_year_mark_current(year=year)
    if year is None:
        messages.success(request, _("L'année en cours suit de nouveau les dates (1er juillet au 30 juin)."))
    else:
        messages.success(request, _("L'année %(label)s est maintenant l'année en cours.") % {"label": year.label})
    return redirect("schools:year_list")


@require_POST
@require("year.manage")
def year_delete(request, pk: int):
    year = get_object_or_404(SchoolYear, pk=pk)
    if not access_for(request).can("year.manage", year):
        raise PermissionDenied
    try:
        centre.school_year_delete(year=year)
    except centre.CentreError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Année %(label)s supprimée.") % {"label": year.label})
    return redirect("schools:year_list")


@require("year.manage")
def year_edit(request, pk: int):
    """HR edits the year's own milestone dates; a concurrent save answers 409 with nothing saved."""
    year = get_object_or_404(SchoolYear, pk=pk)
    form = YearDatesForm(request.POST or None, instance=copy.copy(year))
    ctx = {"form": form, "year": year}
    if request.method != "POST" or not form.is_valid():
        return render(request, "schools/admin/year_form.html", ctx)
    try:
        centre.school_year_save_dates(year=year, dates=form.dates(), expected_version=form.cleaned_data.get("version"))
    except centre.YearConflict as conflict:
        form.add_error(None, str(conflict))
        return render(request, "schools/admin/year_form.html", ctx, status=409)
    messages.success(request, _("Dates de l'année %(label)s enregistrées.") % {"label": year.label})
    return redirect(f"{reverse('cycle:overview')}?annee={year.pk}")
