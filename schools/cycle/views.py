"""The cycle page: the year's timeline, what the system did, and HR's « Lancer maintenant »."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorat.parsing import as_id
from roles.access import access_for, require, selected_year
from schools.cycle import engine
from schools.cycle.overview import cycle_overview
from schools.models import SchoolYear


def _failed_emails_url() -> str:
    """The mail helper's failed e-mails page, once it is there."""
    try:
        return reverse("outbox:list")
    except NoReverseMatch:
        return ""


@require("cycle.view")
def overview(request):
    year = selected_year(request)
    if year is None:
        raise Http404
    can_run = access_for(request).can("cycle.run")
    ctx = {
        "year": year,
        "overview": cycle_overview(year, with_due=can_run),
        "can_run": can_run,
        "failed_emails_url": _failed_emails_url(),
    }
    return render(request, "cycle/overview.html", ctx)


@require_POST
@require("cycle.run")
def run(request, key: str):
    step = engine.STEPS.get(key)
    if step is None:
        raise Http404
    year_id = as_id(request.POST.get("annee"))
    if year_id is None:
        raise Http404
    year = get_object_or_404(SchoolYear, pk=year_id)
    effects = engine.run_step(year=year, key=key, by=request.user)
    if effects:
        messages.success(
            request, _("« %(step)s » a été fait pour l'année %(year)s.") % {"step": step.label(), "year": year}
        )
    else:
        messages.info(
            request, _("Rien à faire : « %(step)s » n'est pas dû ou a déjà été fait.") % {"step": step.label()}
        )
    return redirect(f"{reverse('cycle:overview')}?annee={year.pk}")
