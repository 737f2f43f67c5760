"""Roles of the year: who holds each role, grant, end, copy last year's roles forward."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.parsing import as_id
from roles import services
from roles.access import access_for, require
from roles.forms import DirectorsFilterForm, EndForm, GrantForm
from roles.models import Membership, Role
from schools.imports import ImportKind
from schools.models import School, SchoolYear

CENTRE_ROLES = [Role.PANE, Role.TRAINER, Role.HR, Role.MANAGEMENT, Role.ADMIN]


def _selected_year(request) -> SchoolYear | None:
    """The year in ?annee=<id> (the page's year selector), or the current one."""
    year_id = as_id(request.GET.get("annee"))
    if year_id is not None:
        year = SchoolYear.objects.filter(pk=year_id).first()
        if year is None:
            raise Http404
        return year
    return access_for(request).year or SchoolYear.objects.first()


def _roles_url(year: SchoolYear) -> str:
    return f"{reverse('roles:membership_list')}?annee={year.pk}"


# Schools per page of the directors' table, as on the home page's table of schools.
DIRECTORS_SCHOOLS_PER_PAGE = 50


def _directors_page(request, year: SchoolYear) -> dict:
    """One page of schools with their directions of the year, the school filter, and totals over every school."""
    form = DirectorsFilterForm(request.GET or None)
    matching = form.cleaned_data.get("ecole") if form.is_valid() else None
    schools = School.objects.active().order_by("order", "name")
    if matching is not None:
        schools = schools.filter(pk__in=matching)
    in_year = Membership.objects.filter(year=year, role=Role.DIRECTOR)
    directions = in_year.select_related("person").order_by("starts_on")
    page = Paginator(
        schools.prefetch_related(Prefetch("memberships", queryset=directions, to_attr="directions")),
        DIRECTORS_SCHOOLS_PER_PAGE,
    ).get_page(request.GET.get("ecoles"))
    query = request.GET.copy()
    query.pop("ecoles", None)
    return {
        "filter_form": form,
        "schools_page": page,
        "schools_without_director": schools.exclude(Exists(in_year.filter(school=OuterRef("pk")))).count(),
        "query": query.urlencode(),
    }


@require("membership.list")
def membership_list(request):
    """The year's directors school by school (a page at a time), then the centre's roles (the year's and the permanent ones)."""
    year = _selected_year(request)
    if year is None:
        return render(request, "roles/memberships/list.html", {"year": None})
    centre_roles = (
        Membership.objects.filter(Q(year=year) | Q(year__isnull=True), role__in=CENTRE_ROLES)
        .select_related("person", "year")
        .order_by("person__last_name", "person__first_name")
    )
    by_role = {role: [] for role in CENTRE_ROLES}
    for membership in centre_roles:
        by_role[membership.role].append(membership)
    access = access_for(request)
    ctx = {
        "year": year,
        "years": SchoolYear.objects.all(),
        **_directors_page(request, year),
        "centre_roles": [(role, Role(role).label, by_role[role]) for role in CENTRE_ROLES],
        "today": timezone.localdate(),
        "previous": services.previous_year(year),
        "can_manage": access.can("membership.manage"),
        "import_kind": ImportKind.DIRECTORS,
    }
    return render(request, "roles/memberships/list.html", ctx)


def _grantable_roles(access) -> list[str]:
    return [role for role in services.YEAR_ROLES if access.can("membership.manage", role)]


@require("membership.manage")
def membership_grant(request):
    year = _selected_year(request)
    if year is None:
        raise Http404
    access = access_for(request)
    form = GrantForm(request.POST or None, year=year, roles=_grantable_roles(access), initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                person=data["person"],
                role=data["role"],
                year=year,
                school=data["school"],
                starts_on=data["starts_on"],
                replace_school_director=data["replace_school_director"],
                leave_other_schools=data["leave_other_schools"],
            )
        except services.RoleError as error:
            form.add_error("person", str(error))
        else:
            messages.success(
                request,
                _("Rôle « %(role)s » attribué à %(name)s.")
                % {"role": Role(data["role"]).label, "name": data["person"].full_name},
            )
            return redirect(_roles_url(year))
    return render(request, "roles/memberships/grant.html", {"form": form, "year": year})


@require("membership.manage")
def membership_end(request, pk: int):
    membership = Membership.objects.select_related("person", "school", "year").filter(pk=pk).first()
    if membership is None:
        raise Http404
    if not access_for(request).can("membership.manage", membership):
        raise PermissionDenied
    form = EndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    back = _roles_url(membership.year) if membership.year else reverse("roles:membership_list")
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.membership_end(membership=membership, ends_on=form.cleaned_data["ends_on"])
        except services.RoleError as error:
            form.add_error("ends_on", str(error))
        else:
            names = {"role": membership.get_role_display(), "name": membership.person.full_name}
            if outcome == "removed":
                messages.success(request, _("Rôle « %(role)s » retiré à %(name)s (il n'avait pas commencé).") % names)
            else:
                messages.success(request, _("Rôle « %(role)s » de %(name)s terminé.") % names)
            return redirect(back)
    ctx = {"form": form, "membership": membership, "back": back, "today": timezone.localdate()}
    return render(request, "roles/memberships/end.html", ctx)


@require("membership.manage")
def membership_copy(request):
    """Review what copying last year's roles into this year would do, then copy in one step."""
    target = _selected_year(request)
    source = services.previous_year(target) if target else None
    if source is None:
        messages.error(request, _("Aucune année précédente dont copier les rôles."))
        return redirect(reverse("roles:membership_list"))
    access = access_for(request)
    plan = services.copy_plan(source=source, target=target, may_grant_admin_roles=access.has(Role.ADMIN))
    if request.method == "POST":
        if request.POST.get("digest") != plan.digest:
            messages.warning(request, _("Les rôles ont changé depuis l'aperçu : vérifiez ce nouvel aperçu."))
        else:
            copied = services.memberships_copy_forward(plan=plan)
            messages.success(
                request,
                ngettext("%(count)s rôle copié en %(label)s.", "%(count)s rôles copiés en %(label)s.", copied)
                % {"count": copied, "label": target.label},
            )
            return redirect(_roles_url(target))
    return render(request, "roles/memberships/copy.html", {"plan": plan, "year": target})
