"""Cohorts and planning (PANE, HR): cohorts, their mentors, the planner, events, the non-school days."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, DateField, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat.parsing import as_id
from mentors.accompaniment import placement, planner, services
from mentors.accompaniment.dates import long_date
from mentors.accompaniment.forms import (
    CohortForm,
    DocumentFormSet,
    EventForm,
    NonSchoolDayForm,
    PlacementForm,
    documents_from,
)
from mentors.models import (
    Cohort,
    CohortMember,
    Event,
    EventInvitation,
    EventKind,
    EventStatus,
    MentorAssignment,
    NonSchoolDay,
    Pairing,
)
from mentors.models.accompaniment import DEFAULT_TIMES, EventPeriod
from roles.access import access_for, require, selected_year
from roles.models import Role
from roles.rules_accompaniment import (
    get_cohort_for_manager,
    get_cohort_for_user,
    get_event_for_manager,
    get_event_for_user,
)
from schools import imports
from schools.models import SchoolYear

logger = logging.getLogger(__name__)


def _no_year(request):
    messages.error(request, _("Créez d'abord une année scolaire."))
    return redirect("home")


def _cohort_url(cohort: Cohort) -> str:
    return reverse("mentors:cohort_detail", kwargs={"pk": cohort.pk})


# --- Cohorts ---


@require("cohort.list")
def cohort_list(request):
    year = selected_year(request)
    if year is None:
        return _no_year(request)
    access = access_for(request)
    cohorts = Cohort.objects.for_year(year).prefetch_related("panes", "trainers").order_by("name")
    if not access.has(Role.HR, Role.PANE, Role.ADMIN):
        cohorts = cohorts.trained_by(access.person)  # a trainer: the cohorts she accompanies
    cohorts = list(cohorts)
    ids = [c.pk for c in cohorts]
    mentors = dict(
        CohortMember.objects.filter(cohort_id__in=ids)
        .values("cohort")
        .annotate(n=Count("id"))
        .values_list("cohort", "n")
    )
    today = timezone.localdate()
    stats = {
        row["cohort"]: row
        for row in Event.objects.filter(cohort_id__in=ids)
        .live()
        .values("cohort")
        .annotate(
            planned=Count("id"),
            drafts=Count("id", filter=Q(status=EventStatus.DRAFT)),
            next_date=Min("date", filter=Q(date__gte=today), output_field=DateField()),
        )
    }
    for cohort in cohorts:
        cohort.mentor_count = mentors.get(cohort.pk, 0)
        cohort.stats = stats.get(cohort.pk, {})
    nominated = MentorAssignment.objects.filter(year=year).values("person").distinct().count()
    placed = CohortMember.objects.filter(year=year).count()
    ctx = {
        "year": year,
        "years": SchoolYear.objects.all(),
        "cohorts": cohorts,
        "unplaced": max(nominated - placed, 0),
        "can_create": access.can("cohort.create"),
    }
    return render(request, "mentors/cohorts/cohort_list.html", ctx)


def _save_cohort(request, form: CohortForm, cohort: Cohort):
    try:
        services.cohort_save(
            cohort=form.instance,
            panes=list(form.cleaned_data["panes"]),
            trainers=list(form.cleaned_data["trainers"]),
            by=request.user,
            expected_version=form.cleaned_data.get("version") or cohort.version,
        )
    except services.ConflictError as error:
        form.add_error(None, str(error))
        return None
    except services.PlanningError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    return form.instance


@require("cohort.create")
def cohort_create(request):
    year = selected_year(request)
    if year is None:
        return _no_year(request)
    cohort = Cohort(year=year)
    form = CohortForm(request.POST or None, instance=cohort, year=year)
    person = access_for(request).person
    if request.method == "GET" and access_for(request).has(Role.PANE) and person is not None:
        form.fields["panes"].initial = [person.pk]
    if request.method == "POST" and form.is_valid():
        saved = _save_cohort(request, form, cohort)
        if saved:
            messages.success(request, _("Cohorte « %(name)s » créée.") % {"name": saved.name})
            return redirect(_cohort_url(saved))
    return render(request, "mentors/cohorts/cohort_form.html", {"form": form, "year": year, "cohort": None})


@require("cohort.create")
def cohort_edit(request, pk: int):
    cohort = get_cohort_for_manager(request, pk)
    form = CohortForm(request.POST or None, instance=cohort, year=cohort.year)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _save_cohort(request, form, cohort):
            messages.success(request, _("Cohorte « %(name)s » enregistrée.") % {"name": cohort.name})
            return redirect(_cohort_url(cohort))
        if any("par une autre personne" in str(e) for e in form.non_field_errors()):
            status = 409
    ctx = {"form": form, "year": cohort.year, "cohort": cohort}
    if status == 409:
        ctx["current"] = Cohort.objects.prefetch_related("panes", "trainers").get(pk=cohort.pk)
        form.data = form.data.copy()
        form.data["version"] = ctx["current"].version
    return render(request, "mentors/cohorts/cohort_form.html", ctx, status=status)


def _mentor_rows(cohort: Cohort) -> list[dict]:
    """The cohort's mentors with their schools, active mentees and attendance at past cohort days."""
    members = list(
        CohortMember.objects.filter(cohort=cohort)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    ids = [m.person_id for m in members]
    schools: dict[int, list[str]] = {}
    for assignment in (
        MentorAssignment.objects.filter(year_id=cohort.year_id, person_id__in=ids)
        .select_related("school")
        .order_by("school__name")
    ):
        schools.setdefault(assignment.person_id, []).append(assignment.school.name)
    mentees = dict(
        Pairing.objects.active()
        .filter(year_id=cohort.year_id, mentor_id__in=ids)
        .values("mentor")
        .annotate(n=Count("id"))
        .values_list("mentor", "n")
    )
    past = Q(event__cohort=cohort, event__kind=EventKind.COHORT_DAY, event__status=EventStatus.PUBLISHED)
    past &= Q(event__date__lt=timezone.localdate())
    attended = dict(
        EventInvitation.objects.filter(past, person_id__in=ids, attended=True)
        .values("person")
        .annotate(n=Count("id"))
        .values_list("person", "n")
    )
    return [
        {
            "person": m.person,
            "schools": schools.get(m.person_id, []),
            "mentees": mentees.get(m.person_id, 0),
            "attended": attended.get(m.person_id, 0),
        }
        for m in members
    ]


@require("cohort.list")
def cohort_detail(request, pk: int):
    cohort = get_cohort_for_user(request, pk)
    access = access_for(request)
    can_manage = access.can("cohort.edit", cohort)
    events = cohort.events.order_by("date", "starts_at")
    if not can_manage:
        events = events.exclude(status=EventStatus.DRAFT)
    events = list(events)
    today = timezone.localdate()
    past_days = sum(
        1 for e in events if e.kind == EventKind.COHORT_DAY and e.status == EventStatus.PUBLISHED and e.date < today
    )
    ctx = {
        "cohort": cohort,
        "panes": list(cohort.panes.all()),
        "trainers": list(cohort.trainers.all()),
        "mentors": _mentor_rows(cohort),
        "past_days": past_days,
        "events": events,
        "drafts": sum(1 for e in events if e.status == EventStatus.DRAFT),
        "can_manage": can_manage,
        "today": today,
    }
    return render(request, "mentors/cohorts/cohort_detail.html", ctx)


@require("cohort.create")
def cohort_placement(request, pk: int):
    """Place the year's nominated mentors, with the suggestion checked (the PANE keeps all or some)."""
    cohort = get_cohort_for_manager(request, pk)
    suggestion = placement.suggest(cohort.year)
    profiles = placement.mentor_profiles(cohort.year)
    placed = set(CohortMember.objects.filter(year_id=cohort.year_id).values_list("person_id", flat=True))
    unplaced = sorted(
        (p for pid, p in profiles.items() if pid not in placed),
        key=lambda p: (p.school.order, p.school.name, p.person.last_name, p.person.first_name),
    )
    suggested = suggestion.for_cohort(cohort)
    form = PlacementForm(request.POST or None, profiles=unplaced, suggested_ids=[p.person.pk for p in suggested])
    if request.method == "POST" and form.is_valid():
        try:
            added = services.cohort_place(cohort=cohort, people=form.chosen(), by=request.user)
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error("mentors", message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s personne mentore placée dans la cohorte.",
                    "%(count)s personnes mentores placées dans la cohorte.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect(_cohort_url(cohort))
    ctx = {"cohort": cohort, "form": form, "suggested": suggested, "unplaced_count": len(unplaced)}
    return render(request, "mentors/cohorts/cohort_placement.html", ctx)


@require_POST
@require("cohort.create")
def cohort_member_remove(request, pk: int, person_pk: int):
    cohort = get_cohort_for_manager(request, pk)
    member = get_object_or_404(CohortMember.objects.select_related("person"), cohort=cohort, person_id=person_pk)
    services.cohort_remove_member(cohort=cohort, person=member.person, by=request.user)
    messages.success(request, _("%(name)s a été retirée de la cohorte.") % {"name": member.person.full_name})
    return redirect(_cohort_url(cohort))


@require("cohort.create")
def cohort_plan(request, pk: int):
    """GET: the planner's proposal. POST: accept it (draft events, each checked by the rules)."""
    cohort = get_cohort_for_manager(request, pk)
    if request.method == "POST":
        try:
            events = services.plan_accept(cohort=cohort, by=request.user, digest=request.POST.get("digest", ""))
        except services.PlanningError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s événement ajouté en brouillon : déplacez ou modifiez-le, puis publiez.",
                    "%(count)s événements ajoutés en brouillon : déplacez ou modifiez-les, puis publiez.",
                    len(events),
                )
                % {"count": len(events)},
            )
            return redirect(_cohort_url(cohort))
    plan = planner.propose(cohort)
    return render(request, "mentors/cohorts/cohort_plan.html", {"cohort": cohort, "plan": plan})


@require_POST
@require("cohort.create")
def cohort_publish(request, pk: int):
    cohort = get_cohort_for_manager(request, pk)
    try:
        published = services.cohort_publish(cohort=cohort, by=request.user)
    except services.PlanningError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s événement publié : les personnes invitées en sont avisées.",
                "%(count)s événements publiés : les personnes invitées en sont avisées.",
                len(published),
            )
            % {"count": len(published)},
        )
    return redirect(_cohort_url(cohort))


# --- Events ---


def _event_form_page(request, cohort: Cohort, event: Event, template_ctx: dict):
    access = access_for(request)
    can_override = access.can("event.override", event)
    form = EventForm(request.POST or None, instance=event, can_override=can_override)
    initial_docs = [{"title": d.title, "url": d.url} for d in event.documents.all()] if event.pk else []
    documents = DocumentFormSet(request.POST or None, initial=initial_docs, prefix="documents")
    status = 200
    if request.method == "POST" and form.is_valid() and documents.is_valid():
        try:
            services.event_save(
                event=form.instance,
                by=request.user,
                expected_version=form.cleaned_data.get("version") or event.version,
                override_reason=form.cleaned_data.get("override_reason", ""),
                documents=documents_from(documents),
            )
        except services.PlanningConflicts as error:
            form.add_conflicts(error.conflicts)
            if can_override:
                form.add_error(
                    "override_reason",
                    _("Pour enregistrer malgré ces règles, indiquez le motif de la dérogation."),
                )
        except services.ConflictError as error:
            form.add_error(None, str(error))
            status = 409
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("« %(label)s » est enregistré.") % {"label": form.instance.label})
            return redirect("mentors:cohort_event_detail", pk=form.instance.pk)
    ctx = {"form": form, "documents": documents, "cohort": cohort, "event": event, **template_ctx}
    if status == 409:
        current = Event.objects.get(pk=event.pk)
        ctx["current"] = current
        form.data = form.data.copy()
        form.data["version"] = current.version
    ctx["default_times"] = [(EventPeriod(p).label, start, end) for p, (start, end) in DEFAULT_TIMES.items()]
    return render(request, "mentors/cohorts/event_form.html", ctx, status=status)


@require("cohort.create")
def event_create(request, pk: int):
    cohort = get_cohort_for_manager(request, pk)
    kind = request.GET.get("type", EventKind.COHORT_DAY)
    event = Event(year_id=cohort.year_id, cohort=cohort, kind=kind if kind in EventKind.values else EventKind.MEETING)
    return _event_form_page(request, cohort, event, {"creating": True})


@require("cohort.list")
def event_detail(request, pk: int):
    event = get_event_for_user(request, pk)
    ctx = {
        "event": event,
        "cohort": event.cohort,
        "documents": list(event.documents.all()),
        "can_manage": access_for(request).can("event.manage", event),
    }
    return render(request, "mentors/cohorts/event_detail.html", ctx)


@require("cohort.create")
def event_edit(request, pk: int):
    event = get_event_for_manager(request, pk)
    if event.status == EventStatus.CANCELLED:
        messages.info(request, _("Cet événement est annulé : il ne peut plus être modifié."))
        return redirect("mentors:cohort_event_detail", pk=event.pk)
    return _event_form_page(request, event.cohort, event, {"creating": False})


@require_POST
@require("cohort.create")
def event_cancel(request, pk: int):
    event = get_event_for_manager(request, pk)
    version = request.POST.get("version", "")
    try:
        deleted = services.event_cancel(
            event=event, by=request.user, expected_version=as_id(version) if as_id(version) is not None else -1
        )
    except services.ConflictError as error:
        messages.error(request, str(error))
        return redirect("mentors:cohort_event_detail", pk=event.pk)
    if deleted:
        messages.success(request, _("Le brouillon « %(label)s » est supprimé.") % {"label": event.label})
    else:
        messages.success(
            request, _("« %(label)s » est annulé : les personnes invitées en sont avisées.") % {"label": event.label}
        )
    return redirect(_cohort_url(event.cohort))


# --- The centre's calendar of non-school days ---


@require("nonschoolday.manage")
def nonschoolday_list(request):
    year = selected_year(request)
    if year is None:
        return _no_year(request)
    form = NonSchoolDayForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        day = form.save()
        messages.success(request, _("Le %(date)s est ajouté au calendrier.") % {"date": long_date(day.date)})
        return redirect(f"{reverse('mentors:nonschoolday_list')}?annee={year.pk}")
    days = NonSchoolDay.objects.filter(year=year).order_by("date")
    ctx = {"year": year, "years": SchoolYear.objects.all(), "days": days, "form": form}
    return render(request, "mentors/cohorts/nonschoolday_list.html", ctx)


@require("nonschoolday.manage")
def nonschoolday_edit(request, pk: int):
    day = get_object_or_404(NonSchoolDay.objects.select_related("year"), pk=pk)
    form = NonSchoolDayForm(request.POST or None, instance=day, year=day.year)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Journée enregistrée."))
        return redirect(f"{reverse('mentors:nonschoolday_list')}?annee={day.year_id}")
    return render(request, "mentors/cohorts/nonschoolday_form.html", {"form": form, "day": day})


@require_POST
@require("nonschoolday.manage")
def nonschoolday_delete(request, pk: int):
    day = get_object_or_404(NonSchoolDay, pk=pk)
    day.delete()
    messages.success(request, _("Journée retirée du calendrier."))
    return redirect(f"{reverse('mentors:nonschoolday_list')}?annee={day.year_id}")


IMPORT_SESSION_KEY = "mentors.nonschoolday_imports"


@require("nonschoolday.manage")
def nonschoolday_import(request):
    from schools.forms import ImportForm

    form = ImportForm(request.POST or None, request.FILES or None, kinds=[imports.ImportKind.NON_SCHOOL_DAYS])
    if request.method == "POST" and form.is_valid():
        token = imports.store_upload(form.cleaned_data["content"])
        uploads = request.session.get(IMPORT_SESSION_KEY, {})
        uploads[token] = {"year": form.cleaned_data["year"].pk, "filename": form.cleaned_data["file"].name}
        request.session[IMPORT_SESSION_KEY] = uploads
        return redirect("mentors:nonschoolday_import_preview", token=token)
    kind = imports.ImportKind.NON_SCHOOL_DAYS
    ctx = {
        "form": form,
        "required": imports.REQUIRED_COLUMNS[kind],
        "optional": imports.OPTIONAL_COLUMNS[kind],
    }
    return render(request, "mentors/cohorts/nonschoolday_import.html", ctx)


def _forget_upload(request, token: str) -> None:
    uploads = request.session.get(IMPORT_SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[IMPORT_SESSION_KEY] = uploads
    imports.delete_upload(token)


@require("nonschoolday.manage")
def nonschoolday_import_preview(request, token: str):
    """GET: what the file would change. POST: check it again and write it, all or nothing."""
    upload = request.session.get(IMPORT_SESSION_KEY, {}).get(token)
    if upload is None:
        raise Http404
    content = imports.read_upload(token)
    year = SchoolYear.objects.filter(pk=upload["year"]).first()
    if content is None or year is None:
        _forget_upload(request, token)
        messages.error(request, _("Ce fichier n'est plus disponible : téléversez-le de nouveau."))
        return redirect("mentors:nonschoolday_import")
    kind = imports.ImportKind.NON_SCHOOL_DAYS
    if request.method == "POST":
        try:
            with transaction.atomic():
                plan = imports.plan_stored(content, kind, year)
                fresh = plan.ok and request.POST.get("digest") == plan.digest
                if fresh:
                    counts = imports.apply(plan)
        except IntegrityError:
            fresh = False
        if plan.ok and fresh:
            _forget_upload(request, token)
            logger.info("Non-school days import for %s by user %s: %s", year, request.user.pk, counts)
            messages.success(
                request,
                _("Importation terminée. Journées ajoutées : %(created)s ; mises à jour : %(updated)s.")
                % {"created": counts["days_created"], "updated": counts["days_updated"]},
            )
            return redirect(f"{reverse('mentors:nonschoolday_list')}?annee={year.pk}")
        if plan.ok:
            messages.warning(
                request, _("Les données ont changé depuis l'aperçu : vérifiez ce nouvel aperçu avant de confirmer.")
            )
    else:
        plan = imports.plan_stored(content, kind, year)
    ctx = {"plan": plan, "counts": plan.counts(), "token": token, "upload": upload}
    return render(request, "mentors/cohorts/nonschoolday_import_preview.html", ctx)


@require("nonschoolday.manage")
def nonschoolday_template(request):
    kind = imports.ImportKind.NON_SCHOOL_DAYS
    response = HttpResponse(imports.example_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-calendrier-scolaire.csv"'
    return response
