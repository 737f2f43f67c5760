from __future__ import annotations

import json
import logging

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat import outbox
from mentors.models import Pairing
from roles.access import STAFF_MANAGERS, access_for, get_person_for_user, get_school_for_user, require, selected_year
from roles.models import Role
from schools import imports, services
from schools.counts import school_counts, year_staff
from schools.emails import STAFF_INVITATION
from schools.forms import ImportForm, SchoolFilterForm, school_label
from schools.models import Entitlement, Order, School, SchoolYear, StaffAssignment
from schools.privacy.audit import AuditEvent, record_event

PAGE_SIZE = 50
SUGGESTIONS = 20


@require("school.list")
def school_list(request):
    access = access_for(request)
    year = selected_year(request)
    schools = access.visible_schools()
    order = request.GET.get("ordre", "")
    if order in Order.values:
        schools = schools.filter(order=order)
    query = request.GET.get("q", "").strip()
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    page = Paginator(schools.order_by("order", "name").only("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    schools = (
        schools.filter(pk__in=[school.pk for school in page]).order_by("order", "name").prefetch_related("buildings")
    )
    schools = school_counts(schools, year) if year else schools
    filters = {"annee": year.pk if year else "", "ordre": order, "q": query}
    ctx = {
        "schools": schools,
        "page": page,
        "page_query": urlencode({k: v for k, v in filters.items() if v}),
        "year": year,
        "years": SchoolYear.objects.all(),
        "orders": Order.choices,
        "order": order,
        "query": query,
    }
    return render(request, "schools/school_list.html", ctx)


@require("school.list")
def school_detail(request, pk: int):
    school = get_school_for_user(request, pk)
    year = selected_year(request)
    staff = (
        StaffAssignment.objects.filter(school=school, year=year)
        .select_related("person", "building")
        .order_by("person__last_name", "person__first_name")
    )
    novice_ids = set(
        Entitlement.objects.filter(
            year=year, person__assignments__school=school, person__assignments__year=year
        ).values_list("person_id", flat=True)
    )
    pairings = (
        Pairing.objects.active().filter(year=year, mentee_id__in=novice_ids).select_related("mentor", "mentee")
        if year
        else Pairing.objects.none()
    )
    ctx = {
        "school": school,
        "year": year,
        "years": SchoolYear.objects.all(),
        "staff": staff,
        "novice_ids": novice_ids,
        "pairings": pairings,
        "buildings": school.buildings.all(),
        # Names link to a person's page only for those who may open it (general management may not).
        "may_open_people": _may_open_people(access_for(request), school, year),
        "history": _school_history(request, school),
    }
    return render(request, "schools/school_detail.html", ctx)


@require("school.pick")
def school_suggestions(request):
    """The active schools whose code starts with, or name contains, ?q= (20 at most): a school box's datalist."""
    text = request.GET.get("q", "").strip()[:100]
    schools = School.objects.none()
    if len(text) >= 2:
        schools = (
            School.objects.active()
            .filter(Q(code__istartswith=text) | Q(name__icontains=text))
            .order_by("name", "code")
            .only("name", "code")[:SUGGESTIONS]
        )
    return JsonResponse({"schools": [{"label": school_label(school), "code": school.code} for school in schools]})


def _may_open_people(access, school, year) -> bool:
    if access.has(*STAFF_MANAGERS, Role.PANE):
        return True
    return school.id in access.directed_school_ids and year == access.year


def _school_history(request, school, limit: int = 20):
    """The school's recorded changes (who, when, before, after) for the centre's readers; directors see none."""
    if not access_for(request).can("centre.view"):
        return []
    return LogEntry.objects.get_for_object(school).select_related("actor__person")[:limit]


def _filtered_people(params, access, year):
    """The people this user may see, narrowed by the staff list's filters (school, novices, search).

    Each filter is a semi-join (EXISTS), so the list needs no DISTINCT and its page is read in the name index's
    order. The filters' values say whether anything narrowed the list (``narrowed``).
    """
    people = access.visible_people()
    if year:
        people = people.filter(Exists(StaffAssignment.objects.filter(person=OuterRef("pk"), year=year)))
    school_filter = SchoolFilterForm(params, schools=access.visible_schools())
    school_filter.is_valid()
    schools = school_filter.cleaned_data.get("ecole")
    if schools is not None:
        people = people.filter(
            Exists(StaffAssignment.objects.filter(person=OuterRef("pk"), school__in=schools, year=year))
        )
    novices_only = params.get("ip") == "1"
    if novices_only:
        people = people.filter(Exists(Entitlement.objects.filter(person=OuterRef("pk"), year=year)))
    query = params.get("q", "").strip()
    if query:
        people = people.filter(
            Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(employee_number__icontains=query)
            | Q(email__icontains=query)
        )
    narrowed = schools is not None or novices_only or bool(query)
    return people, {"query": query, "school_filter": school_filter, "novices_only": novices_only, "narrowed": narrowed}


@require("staff.list")
def staff_list(request):
    access = access_for(request)
    year = selected_year(request)
    people, filters = _filtered_people(request.GET, access, year)
    people = people.order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch(
            "assignments",
            queryset=StaffAssignment.objects.filter(year=year).select_related("school"),
            to_attr="year_assignments",
        ),
        Prefetch("entitlements", queryset=Entitlement.objects.filter(year=year), to_attr="year_entitlements"),
    )
    paginator = Paginator(people, PAGE_SIZE)
    if year and not filters["narrowed"] and access.sees_all_people:
        # Everyone of the year: the kept total (schools/counts.py) rather than a count of every assignment.
        paginator.count = year_staff(year)
    page = paginator.get_page(request.GET.get("page"))
    ctx = {
        "invitation_emails": outbox.progress(STAFF_INVITATION),
        "page": page,
        "year": year,
        "years": SchoolYear.objects.all(),
        **filters,
    }
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
def staff_invite_many(request):
    """Invite everyone of the filtered list who has an e-mail address and no account yet."""
    access = access_for(request)
    year = selected_year(request)
    people, _filters = _filtered_people(request.POST, access, year)
    invited = services.people_invite(people=people, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s invitation mise en file d'envoi.", "%(count)s invitations mises en file d'envoi.", invited)
        % {"count": invited},
    )
    return redirect(reverse("schools:staff_list") + (f"?annee={year.pk}" if year else ""))


@require_POST
@require("person.invite")
def person_invite(request, pk: int):
    person = get_person_for_user(request, pk)
    try:
        queued = services.person_invite(person=person, by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        if not queued:
            messages.info(request, _("Une invitation lui a déjà été envoyée aujourd'hui."))
        else:
            messages.success(request, _("Invitation mise en file d'envoi pour %(email)s.") % {"email": person.email})
    return redirect("schools:person_detail", pk=person.pk)


# The staff import: parsing, validation and writes live in schools/imports.py;
# the parsed rows wait in the default storage (shared by every web machine) between preview and confirmation,
# and the session remembers which tokens belong to this user.
IMPORT_SESSION_KEY = "schools.imports"
logger = logging.getLogger(__name__)


def _uploads(request) -> dict:
    return request.session.get(IMPORT_SESSION_KEY, {})


def _forget_upload(request, token: str) -> None:
    uploads = _uploads(request)
    uploads.pop(token, None)
    request.session[IMPORT_SESSION_KEY] = uploads
    imports.delete_upload(token)


@require("staff.import")
def import_start(request):
    # The roles page links here with the directors' kind and its year already chosen.
    initial = {"kind": request.GET.get("type"), "year": request.GET.get("annee")}
    form = ImportForm(request.POST or None, request.FILES or None, initial={k: v for k, v in initial.items() if v})
    if request.method == "POST" and form.is_valid():
        token = imports.store_upload(form.cleaned_data["content"])
        uploads = _uploads(request)
        uploads[token] = {
            "kind": form.cleaned_data["kind"],
            "year": form.cleaned_data["year"].pk,
            "filename": form.cleaned_data["file"].name,
        }
        request.session[IMPORT_SESSION_KEY] = uploads
        return redirect("schools:import_preview", token=token)
    kinds = [
        (value, label, imports.REQUIRED_COLUMNS[value], imports.OPTIONAL_COLUMNS[value])
        for value, label in imports.ImportKind.choices
        if value in imports.STAFF_KINDS
    ]
    return render(request, "schools/import_start.html", {"form": form, "kinds": kinds})


@require("staff.import")
def import_preview(request, token: str):
    """GET: what the file would change. POST: re-check and apply it, all or nothing."""
    upload = _uploads(request).get(token)
    if upload is None:
        raise Http404
    content = imports.read_upload(token)
    year = SchoolYear.objects.filter(pk=upload["year"]).first()
    if content is None or year is None:
        _forget_upload(request, token)
        messages.error(request, _("Ce fichier n'est plus disponible : téléversez-le de nouveau."))
        return redirect("schools:import_start")
    if request.method == "POST":
        return _import_confirm(request, token, upload, content, year)
    plan = imports.plan_stored(content, upload["kind"], year)
    return _render_preview(request, token, upload, plan)


def _render_preview(request, token: str, upload: dict, plan: imports.ImportPlan):
    ctx = {
        "token": token,
        "upload": upload,
        "plan": plan,
        "counts": plan.counts(),
        "kind_label": imports.ImportKind(upload["kind"]).label,
    }
    return render(request, "schools/import_preview.html", ctx)


def _import_confirm(request, token: str, upload: dict, content: bytes, year: SchoolYear):
    try:
        with transaction.atomic():
            plan = imports.plan_stored(content, upload["kind"], year)
            changed_since_preview = plan.ok and request.POST.get("digest") != plan.digest
            if plan.ok and not changed_since_preview:
                counts = imports.apply(plan)
    except IntegrityError:
        messages.error(
            request,
            _("Les données ont été modifiées pendant l'importation : vérifiez l'aperçu et confirmez de nouveau."),
        )
        return redirect("schools:import_preview", token=token)
    if not plan.ok:
        return _render_preview(request, token, upload, plan)
    if changed_since_preview:
        messages.warning(
            request, _("Les données ont changé depuis l'aperçu : vérifiez ce nouvel aperçu avant de confirmer.")
        )
        return _render_preview(request, token, upload, plan)
    _forget_upload(request, token)
    logger.info("Import %s for %s by user %s: %s", upload["kind"], year, request.user.pk, counts)
    record_event(request, AuditEvent.IMPORT, label=f"{upload['kind']} {year}", detail=json.dumps(counts, default=str))
    messages.success(request, _import_summary(upload["kind"], counts))
    if upload["kind"] == imports.ImportKind.DIRECTORS:
        return redirect(f"{reverse('roles:membership_list')}?annee={year.pk}")
    return redirect(f"{reverse('schools:staff_list')}?annee={year.pk}")


def _import_summary(kind: str, counts: dict[str, int]) -> str:
    if kind == imports.ImportKind.DIRECTORS:
        return (
            _(
                "Importation terminée. Directions attribuées : %(directors_created)s ; terminées : "
                "%(directors_ended)s ; inchangées : %(directors_unchanged)s."
            )
            % counts
        )
    if kind == imports.ImportKind.NOVICES:
        return (
            _(
                "Importation terminée. Admissibilités créées : %(entitlements_created)s ; "
                "mises à jour : %(entitlements_updated)s."
            )
            % counts
        )
    return (
        _(
            "Importation terminée. Personnes créées : %(people_created)s ; mises à jour : %(people_updated)s. "
            "Affectations créées : %(assignments_created)s ; mises à jour : %(assignments_updated)s."
        )
        % counts
    )


@require("staff.import")
def import_template(request, kind: str):
    """A model CSV with the expected headers, for HR to fill in."""
    if kind not in imports.ImportKind.values:
        raise Http404
    response = HttpResponse(imports.example_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.csv"'
    return response
