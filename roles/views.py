from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mentors.accompaniment import home as calendar_home
from mentors.models import Cohort, Pairing
from roles.access import access_for, require
from roles.forms import NudgeSettingsForm
from roles.models import Actor, Responsibility, Role
from schools.counts import school_counts, year_staff
from schools.models import Entitlement, Person, School, StaffAssignment

# The day the statement was last checked against the pages (axe-core run in e2e/test_accessibility.py).
ACCESSIBILITY_REVIEWED_ON = datetime.date(2026, 11, 27)


# Schools per page of the centre's table on the home page.
HOME_SCHOOLS_PER_PAGE = 50


def _mentee_pairings(access):
    return (
        Pairing.objects.active()
        .filter(mentor=access.person, year=access.year)
        .select_related("mentee")
        .prefetch_related(
            Prefetch(
                "mentee__assignments",
                queryset=StaffAssignment.objects.filter(year=access.year).select_related("school"),
            )
        )
    )


@login_required
def home(request):
    """One page per role: a person holding several roles sees each section."""
    access = access_for(request)
    year = access.year
    milestones = calendar_home.timeline(access, year) if year else []
    ctx = {
        "year": year,
        "milestones": milestones,
        "nomination_window": next((row for row in milestones if row.kind == "nominations"), None),
    }
    if access.person is not None:
        ctx["next_events"] = calendar_home.next_events(access)
    if year and (access.centre_wide):
        page = Paginator(School.objects.active().order_by("order", "name").only("pk"), HOME_SCHOOLS_PER_PAGE)
        ctx["centre_page"] = page.get_page(request.GET.get("ecoles"))
        ctx["centre_schools"] = school_counts(School.objects.filter(pk__in=[s.pk for s in ctx["centre_page"]]), year)
        # Each a count of the year's rows on an index (year, …), but the staff: 150,000 rows, kept as an aggregate.
        ctx["centre_totals"] = {
            "schools": page.count,
            "staff": year_staff(year),
            "novices": Entitlement.objects.filter(year=year).count(),
            "pairings": Pairing.objects.active().filter(year=year).count(),
        }
    if year and access.directed_school_ids:
        ctx["directed_schools"] = school_counts(School.objects.filter(id__in=access.directed_school_ids), year)
        ctx["directed_novices"] = (
            Person.objects.at_schools(access.directed_school_ids, year)
            .filter(entitlements__year=year)
            .prefetch_related(
                Prefetch(
                    "pairings_as_mentee",
                    queryset=Pairing.objects.active().filter(year=year).select_related("mentor"),
                    to_attr="active_pairings",
                )
            )
        )
    if year and access.has(Role.MENTOR):
        ctx["mentee_pairings"] = _mentee_pairings(access)
    if year and access.person and access.has(Role.MENTEE):
        ctx["mentor_pairings"] = (
            Pairing.objects.active().filter(mentee=access.person, year=year).select_related("mentor")
        )
    if year and access.person and access.has(Role.PANE):
        ctx["cohorts"] = Cohort.objects.led_by(access.person).filter(year=year).annotate(mentor_count=Count("mentors"))
    return render(request, "roles/home.html", ctx)


def accessibility(request):
    """The accessibility statement (déclaration d'accessibilité), public like the sign-in page."""
    context = {"contact": settings.ACCESSIBILITY_CONTACT_EMAIL, "reviewed_on": ACCESSIBILITY_REVIEWED_ON}
    return render(request, "roles/accessibility.html", context)


def admin_login(request, extra_context=None):
    """/admin/login/: send everyone to the one sign-in form, the rate-limited one (no password here)."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect("admin:index")
    return redirect_to_login(reverse("admin:index"), settings.LOGIN_URL)


def microsoft_sso(view):
    """Allauth's Microsoft views, a 404 while single sign-on is not configured (allauth fails on the missing app)."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.MICROSOFT_SSO_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


@login_required
def sign_in_email(request):
    """Replaces allauth's e-mail management: the address is HR's record, changed only through HR."""
    return render(request, "roles/sign_in_email.html")


@login_required
def nudge_settings(request):
    """« Mes rappels automatiques »: each person turns nudges off (or on) for themselves."""
    # Not `request.POST or None`: unticking the only box posts nothing but the token.
    form = NudgeSettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre choix est enregistré."))
        return redirect("nudge_settings")
    return render(request, "roles/nudge_settings.html", {"form": form})


@require("referential.view")
def referential(request):
    """« Qui fait quoi » : each actor's responsibilities, from the seed's last pages."""
    current = Responsibility.objects.filter(retired_at__isnull=True).order_by("position", "pk")
    actors = Actor.objects.prefetch_related(Prefetch("responsibilities", queryset=current))
    return render(request, "roles/referential.html", {"actors": actors})
