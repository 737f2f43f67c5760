"""Law 25 pages: the retention schedule and its dry run, the confidentiality incident register."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.spreadsheets import csv_text
from roles.access import require
from schools.law25 import retention, services
from schools.law25.forms import IncidentForm, RetentionRuleForm
from schools.law25.models import ConfidentialityIncident, RetentionRule

# --- Retention schedule ---


@require("retention.view")
def retention_list(request):
    rules = RetentionRule.objects.select_related("updated_by")
    return render(request, "schools/law25/retention_list.html", {"rules": rules})


@require("retention.view")
def retention_dry_run(request):
    """What the next run of the schedule would destroy or anonymise, rule by rule."""
    return render(request, "schools/law25/retention_dry_run.html", {"rows": retention.dry_run()})


@require("retention.edit")
def retention_edit(request, pk: int):
    return _versioned_edit(
        request,
        get_object_or_404(RetentionRule, pk=pk),
        form_class=RetentionRuleForm,
        save=services.retention_rule_save,
        template="schools/law25/retention_form.html",
        name="rule",
        saved=_("Règle de conservation enregistrée."),
        done=lambda rule: redirect("law25:retention_list"),
    )


def _versioned_edit(request, obj, *, form_class, save, template, name, saved, done):
    """The edit page of a record under optimistic locking: a save that lost the race answers 409 (``_conflict``)."""
    stored = copy.copy(obj)
    form = form_class(request.POST or None, instance=obj)
    ctx = {"form": form, name: stored}
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            save(**{name: stored}, data=data, expected_version=form.cleaned_data.get("version") or 0, by=request.user)
        except services.Conflict as conflict:
            return _conflict(request, template, form_class, form, conflict, ctx)
        messages.success(request, saved)
        return done(stored)
    return render(request, template, ctx)


def _conflict(request, template, form_class, form, conflict, ctx):
    """409: the user's typing stays in the form, the values saved meanwhile are shown beside it."""
    data = form.data.copy()
    data["version"] = conflict.current.version
    fresh = form_class(data, instance=copy.copy(conflict.current))
    fresh.is_valid()
    return render(request, template, {**ctx, "form": fresh, "conflict": conflict.current}, status=409)


# --- Incident register ---

INCIDENT_LIST_LIMIT = 500


@require("incident.list")
def incident_list(request):
    incidents = ConfidentialityIncident.objects.order_by("-learned_on", "-pk")[:INCIDENT_LIST_LIMIT]
    return render(request, "schools/law25/incident_list.html", {"incidents": incidents})


@require("incident.manage")
def incident_create(request):
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        incident = services.incident_create(data=data, by=request.user)
        messages.success(request, _("Incident inscrit au registre."))
        return redirect("law25:incident_detail", pk=incident.pk)
    return render(request, "schools/law25/incident_form.html", {"form": form, "incident": None})


@require("incident.list")
def incident_detail(request, pk: int):
    incident = get_object_or_404(ConfidentialityIncident.objects.select_related("created_by"), pk=pk)
    return render(request, "schools/law25/incident_detail.html", {"incident": incident})


@require("incident.manage")
def incident_edit(request, pk: int):
    return _versioned_edit(
        request,
        get_object_or_404(ConfidentialityIncident, pk=pk),
        form_class=IncidentForm,
        save=services.incident_save,
        template="schools/law25/incident_form.html",
        name="incident",
        saved=_("Incident enregistré."),
        done=lambda incident: redirect("law25:incident_detail", pk=incident.pk),
    )


# The export holds what the form records, then who recorded it and when.
INCIDENT_COLUMNS = [*IncidentForm.Meta.fields, "created_at", "created_by"]


def _cell(incident, name):
    value = getattr(incident, name)
    if name == "risk_level":
        return incident.get_risk_level_display()
    if name == "created_by":
        return str(value) if value else ""
    if name == "created_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@require("incident.list")
def incident_export(request):
    """The whole register as CSV (Excel opens it in UTF-8); numbers stay numbers."""
    header = [str(ConfidentialityIncident._meta.get_field(name).verbose_name) for name in INCIDENT_COLUMNS]
    incidents = ConfidentialityIncident.objects.select_related("created_by").order_by("learned_on", "pk")
    rows = [header] + [[_cell(incident, name) for name in INCIDENT_COLUMNS] for incident in incidents]
    response = HttpResponse("\ufeff" + csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registre-incidents-confidentialite.csv"'
    return response
