from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentors.models import Pairing
from roles.access import access_for, get_person_for_user, get_school_for_user, require
from roles.views import school_counts
from schools import services
from schools.models import Entitlement, Order, Person, SchoolYear, StaffAssignment

PAGE_SIZE = 50


def _selected_year(request) -> SchoolYear | None:
    """The year in ?annee=<id>, or the current one."""
    year_id = request.GET.get("annee", "")
    if year_id.isdigit():
        year = SchoolYear.objects.filter(pk=year_id).first()
        if year:
            return year
    return access_for(request).year or SchoolYear.objects.first()


@require("school.list")
def school_list(request):
    access = access_for(request)
    year = _selected_year(request)
    schools = access.visible_schools()
    order = request.GET.get("ordre", "")
    if order in Order.values:
        schools = schools.filter(order=order)
    query = request.GET.get("q", "").strip()
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    schools = school_counts(schools, year).prefetch_related("buildings") if year else schools
    ctx = {"schools": schools, "year": year, "years": SchoolYear.objects.all(), "orders": Order.choices,
           "order": order, "query": query}
    return render(request, "schools/school_list.html", ctx)


@require("school.list")
def school_detail(request, pk: int):
    school = get_school_for_user(request, pk)
    year = _selected_year(request)
    staff = (
        StaffAssignment.objects.filter(school=school, year=year)
        .select_related("person", "building")
        .order_by("person__last_name", "person__first_name")
    )
    novice_ids = set(Entitlement.objects.filter(year=year, person__assignments__school=school,
                                                person__assignments__year=year).values_list("person_id", flat=True))
    pairings = (
        Pairing.objects.active().filter(year=year, mentee_id__in=novice_ids).select_related("mentor", "mentee")
        if year else Pairing.objects.none()
    )
    ctx = {"school": school, "year": year, "years": SchoolYear.objects.all(), "staff": staff,
           "novice_ids": novice_ids, "pairings": pairings, "buildings": school.buildings.all()}
    return render(request, "schools/school_detail.html", ctx)


@require("staff.list")
def staff_list(request):
    access = access_for(request)
    year = _selected_year(request)
    people = access.visible_people()
    if year:
        people = people.filter(assignments__year=year)
    school_id = request.GET.get("ecole", "")
    if school_id.isdigit():
        people = people.filter(assignments__school_id=school_id, assignments__year=year)
    if request.GET.get("ip") == "1":
        people = people.filter(entitlements__year=year)
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(
            Q(last_name__icontains=query) | Q(first_name__icontains=query)
            | Q(employee_number__icontains=query) | Q(email__icontains=query)
        )
    people = people.distinct().order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch("assignments", queryset=StaffAssignment.objects.filter(year=year).select_related("school"),
                 to_attr="year_assignments"),
        Prefetch("entitlements", queryset=Entitlement.objects.filter(year=year), to_attr="year_entitlements"),
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page": page, "year": year, "years": SchoolYear.objects.all(), "query": query,
           "schools": access.visible_schools().only("id", "name", "code"), "school_id": school_id,
           "novices_only": request.GET.get("ip") == "1"}
    return render(request, "schools/staff_list.html", ctx)


@require("staff.list")
def person_detail(request, pk: int):
    person = get_person_for_user(request, pk)
    ctx = {
        "person": person,
        "assignments": person.assignments.select_related("school", "year", "building").order_by("-year__starts_on"),
        "entitlements": person.entitlements.select_related("year").order_by("-year__starts_on"),
        "memberships": person.memberships.select_related("school", "year"),
    }
    return render(request, "schools/person_detail.html", ctx)


@require_POST
@require("person.invite")
def person_invite(request, pk: int):
    person = get_person_for_user(request, pk)
    try:
        services.person_invite(person=person, by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": person.email})
    return redirect("schools:person_detail", pk=person.pk)


# The staff import lives in schools/imports.py (parsing and validation) and its
# views below; see test_imports.py.
@require("staff.import")
def import_start(request):
    raise NotImplementedError


@require("staff.import")
def import_preview(request, token: str):
    raise NotImplementedError
