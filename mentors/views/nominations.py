"""Nominations (window, candidacies, opinions, HR board, budget), pairings and the mentor's follow-up log."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat import outbox
from mentorat.parsing import as_id
from mentors import matching, reports, services
from mentors.forms import (
    BoardFilterForm,
    BulkDecisionForm,
    CandidacyForm,
    DecisionForm,
    FollowUpEntryForm,
    FollowUpFilterForm,
    OpinionForm,
    PairingEndForm,
    ProgrammeSettingsForm,
    ReflectiveAnswersForm,
)
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    CohortMember,
    Decision,
    FollowUpEntry,
    MentorAssignment,
    Pairing,
    ProgrammeSettings,
    ReflectiveAnswers,
)
from roles.access import access_for, require
from roles.rules_mentors import get_candidacy_for_user, get_pairing_for_manager, get_pairing_for_mentor
from schools.models import Entitlement, Person, School, SchoolYear, StaffAssignment
from schools.privacy.audit import AuditEvent, record_event

SCHOOLS_PER_PAGE = 20
NOVICES_PER_PAGE = 25
ROWS_PER_PAGE = 50
WAITING_FLAG_DAYS = 30


def _year_from_query(request) -> SchoolYear | None:
    year_id = as_id(request.GET.get("annee"))
    return SchoolYear.objects.filter(pk=year_id).first() if year_id else None


def _nomination_year(request) -> SchoolYear | None:
    """?annee, else the year whose nomination window is open, next or last; else the current year."""
    year = _year_from_query(request)
    if year:
        return year
    programme = ProgrammeSettings.objects.nomination_settings()
    return programme.year if programme else access_for(request).year


def _current_year(request) -> SchoolYear | None:
    return _year_from_query(request) or access_for(request).year or SchoolYear.objects.first()


def _safe_next(request, default: str) -> str:
    """The posted `next` if it is a printable path on this site, else the default page.

    Read before any write: `redirect("abc")` would try it as a view name and fail after the save."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return reverse(default)


def _person_or_404(request) -> Person:
    person = access_for(request).person
    if person is None:
        raise Http404
    return person


# --- HR: the window and the year's rates ---


@require("nomination.settings")
def settings_edit(request):
    year = _nomination_year(request)
    if year is None:
        messages.error(request, _("Créez d'abord une année scolaire."))
        return redirect("home")
    form = ProgrammeSettingsForm(request.POST or None, instance=ProgrammeSettings.for_year(year))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_settings_save(form=form, expected_version=form.cleaned_data.get("version"))
        except services.ConflictError as error:
            form.add_error(None, str(error))
            return render(request, "mentors/settings_edit.html", _settings_context(form, year), status=409)
        messages.success(request, _("Paramètres de l'année %(year)s enregistrés.") % {"year": year.label})
        return redirect(f"{request.path}?annee={year.pk}")
    return render(request, "mentors/settings_edit.html", _settings_context(form, year))


def _settings_context(form, year) -> dict:
    return {
        "form": form,
        "year": year,
        "programme": ProgrammeSettings.for_year(year),
        "years": SchoolYear.objects.all(),
        "all_settings": ProgrammeSettings.objects.select_related("year").order_by("-year__starts_on"),
    }


# --- The teacher: reflective tool, candidacy, withdrawal, renewal ---


def _window_context(programme: ProgrammeSettings | None) -> dict:
    state = programme.window_state() if programme else "unset"
    return {"programme": programme, "window_state": state, "window_open": state == "open"}


@require("candidacy.apply")
def candidacy_mine(request):
    person = _person_or_404(request)
    programme = ProgrammeSettings.objects.nomination_settings()
    year = programme.year if programme else None
    candidacy = reflective = renewable = None
    if year:
        candidacy = Candidacy.objects.filter(person=person, year=year).select_related("school", "building").first()
        reflective = ReflectiveAnswers.objects.filter(person=person, year=year).first()
        if candidacy is None:
            renewable = services.renewable_assignment(person=person, year=year)
    ctx = {
        "year": year,
        "candidacy": candidacy,
        "reflective": reflective,
        "renewable": renewable,
        **_window_context(programme),
    }
    return render(request, "mentors/candidacy_mine.html", ctx)


@require("candidacy.apply")
def reflective_tool(request):
    person = _person_or_404(request)
    programme = ProgrammeSettings.objects.nomination_settings()
    if programme is None or not programme.is_open():
        return render(request, "mentors/window_closed.html", _window_context(programme))
    answers = ReflectiveAnswers.objects.filter(person=person, year=programme.year).first()
    form = ReflectiveAnswersForm(
        request.POST or None, instance=answers or ReflectiveAnswers(person=person, year=programme.year)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos réponses sont enregistrées. Voici votre synthèse."))
        return redirect("mentors:candidacy_mine")
    return render(request, "mentors/reflective_tool.html", {"form": form, "year": programme.year})


def _initial_candidacy(person: Person, year: SchoolYear) -> Candidacy:
    """A new candidacy pre-filled with the person's main school this year."""
    assignment = (
        StaffAssignment.objects.filter(person=person)
        .select_related("school")
        .order_by("-year__starts_on", "-task_share")
        .first()
    )
    candidacy = Candidacy(person=person, year=year)
    if assignment:
        candidacy.school, candidacy.building_id, candidacy.order = (
            assignment.school,
            assignment.building_id,
            assignment.school.order,
        )
    return candidacy


@require("candidacy.apply")
def candidacy_edit(request):
    person = _person_or_404(request)
    programme = ProgrammeSettings.objects.nomination_settings()
    if programme is None or not programme.is_open():
        return render(request, "mentors/window_closed.html", _window_context(programme))
    year = programme.year
    if not ReflectiveAnswers.objects.filter(person=person, year=year).exists():
        messages.info(request, _("Remplissez d'abord l'outil réflexif « Moi mentore, pourquoi pas ? »."))
        return redirect("mentors:reflective_tool")
    candidacy = Candidacy.objects.filter(person=person, year=year).first() or _initial_candidacy(person, year)
    if candidacy.decision:
        messages.info(request, _("Une décision a déjà été rendue : communiquez avec les ressources humaines."))
        return redirect("mentors:candidacy_mine")
    form = CandidacyForm(request.POST or None, instance=candidacy)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidacy_submit(candidacy=form.instance, expected_version=form.cleaned_data.get("version"))
        except services.MentoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Votre candidature est déposée. Vous pouvez la modifier ou la retirer "
                    "jusqu'à la fermeture de la période."
                ),
            )
            return redirect("mentors:candidacy_mine")
    return render(request, "mentors/candidacy_form.html", {"form": form, "year": year, "programme": programme})


@require_POST
@require("candidacy.apply")
def candidacy_withdraw(request):
    person = _person_or_404(request)
    programme = ProgrammeSettings.objects.nomination_settings()
    candidacy = get_object_or_404(Candidacy, person=person, year=programme.year if programme else None)
    version = request.POST.get("version", "")
    try:
        services.candidacy_withdraw(
            candidacy=candidacy, expected_version=as_id(version) if as_id(version) is not None else -1
        )
    except services.MentoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre candidature est retirée."))
    return redirect("mentors:candidacy_mine")


@require_POST
@require("candidacy.apply")
def candidacy_renew(request):
    person = _person_or_404(request)
    programme = ProgrammeSettings.objects.nomination_settings()
    if programme is None:
        raise Http404
    try:
        services.candidacy_renew(person=person, year=programme.year)
    except services.MentoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Votre renouvellement est déposé. Vérifiez les informations reprises de l'an "
                "dernier et modifiez-les au besoin."
            ),
        )
    return redirect("mentors:candidacy_mine")


# --- The director: their schools' candidacies and an opinion on each ---


@require("candidacy.opinion")
def director_candidacies(request):
    access = access_for(request)
    year = _nomination_year(request)
    candidacies = (
        Candidacy.objects.filter(year=year, school_id__in=access.directed_school_ids)
        .exclude(status=CandidacyStatus.DRAFT)
        .select_related("person", "school", "building")
        .order_by("school__name", "person__last_name", "person__first_name")
    )
    return render(request, "mentors/director_candidacies.html", {"year": year, "candidacies": candidacies})


@require("candidacy.review")
def candidacy_detail(request, pk: int):
    candidacy = get_candidacy_for_user(request, pk)
    access = access_for(request)
    ctx = {"candidacy": candidacy}
    if access.can("candidacy.opinion", candidacy):
        ctx["opinion_form"] = OpinionForm(
            initial={
                "version": candidacy.version,
                "opinion": candidacy.director_opinion,
                "comment": candidacy.director_comment,
            }
        )
    if access.can("candidacy.decide", candidacy):
        ctx["decision_form"] = DecisionForm(
            initial={"version": candidacy.version, "decision": candidacy.decision, "reason": candidacy.decision_reason}
        )
        ctx["history"] = candidacy.decision_logs.select_related("by")
    return render(request, "mentors/candidacy_detail.html", ctx)


@require_POST
@require("candidacy.opinion")
def candidacy_opinion(request, pk: int):
    candidacy = get_candidacy_for_user(request, pk)
    if not access_for(request).can("candidacy.opinion", candidacy):
        raise Http404
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.candidacy_give_opinion(
                candidacy=candidacy,
                opinion=form.cleaned_data["opinion"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.MentoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Votre avis est enregistré."))
            return redirect("mentors:director_candidacies")
    return render(
        request,
        "mentors/candidacy_detail.html",
        {"candidacy": candidacy, "opinion_form": form},
        status=409 if _is_conflict(form) else 200,
    )


def _is_conflict(form) -> bool:
    return any("modifiée" in str(e) for e in form.non_field_errors())


# --- HR: the review board and decisions ---


def _board_candidacies(year, data: dict):
    candidacies = Candidacy.objects.filter(year=year).exclude(status=CandidacyStatus.DRAFT)
    if data.get("ordre"):
        candidacies = candidacies.filter(order=data["ordre"])
    if data.get("ecole"):
        candidacies = candidacies.filter(school__in=data["ecole"])
    status = data.get("statut")
    if status == "pending":
        candidacies = candidacies.filter(decision="", status=CandidacyStatus.SUBMITTED)
    elif status in CandidacyStatus.values:
        candidacies = candidacies.filter(status=status)
    elif status in Decision.values:
        candidacies = candidacies.filter(decision=status)
    if data.get("renouvellement"):
        candidacies = candidacies.filter(is_renewal=True)
    return candidacies


BOARD_SORTS = {
    "name": ["person__last_name", "person__first_name"],
    "experience": ["-years_of_experience", "person__last_name"],
    "opinion": ["director_opinion", "person__last_name"],
    "decision": ["decision", "person__last_name"],
    "submitted": ["submitted_at", "person__last_name"],
}


def _seats(schools, year) -> dict:
    """Per school: [(building or None, quota, nominated)], the quota applying per building when there are two."""
    nominated = {
        (row["school_id"], row["building_id"]): row["n"]
        for row in Candidacy.objects.filter(year=year, school__in=schools, decision=Decision.NOMINATED)
        .values("school_id", "building_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    seats = {}
    for school in schools:
        buildings = list(school.buildings.all())
        if len(buildings) > 1:
            rows = [(b, school.mentor_quota, nominated.get((school.pk, b.pk), 0)) for b in buildings]
            unplaced = sum(n for (s, b), n in nominated.items() if s == school.pk and b is None)
            if unplaced:
                rows.append((None, 0, unplaced))
        else:
            total = sum(n for (s, _b), n in nominated.items() if s == school.pk)
            rows = [(None, school.mentor_quota, total)]
        seats[school.pk] = rows
    return seats


@require("candidacy.board")
def board(request):
    """Every candidacy of the year by school: quota vs candidacies, opinions, decisions (20 schools a page)."""
    year = _nomination_year(request)
    filters = BoardFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    candidacies = _board_candidacies(year, data)
    # The schools of the filtered candidacies, each with its count of the year: a subquery run for the page's
    # 20 schools on the (year, school, status) index, not a join of every year's candidacies.
    submitted = (
        Candidacy.objects.filter(year=year, school=OuterRef("pk"))
        .exclude(status=CandidacyStatus.DRAFT)
        .order_by()
        .values("school")
        .annotate(n=Count("id"))
        .values("n")
    )
    schools = (
        School.objects.filter(pk__in=candidacies.values("school_id"))
        .annotate(candidacy_count=Coalesce(Subquery(submitted), 0))
        .prefetch_related("buildings")
        .order_by("name")
    )
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    page_schools = list(page.object_list)
    rows = (
        candidacies.filter(school__in=page_schools)
        .select_related("person", "building", "school")
        .order_by("school__name", *BOARD_SORTS.get(data.get("tri") or "name"))
    )
    by_school: dict[int, list] = {}
    for candidacy in rows:
        by_school.setdefault(candidacy.school_id, []).append(candidacy)
    seats = _seats(page_schools, year)
    groups = [(school, seats[school.pk], by_school.get(school.pk, [])) for school in page_schools]
    totals = Candidacy.objects.filter(year=year).aggregate(
        submitted=Count("id", filter=Q(status=CandidacyStatus.SUBMITTED)),
        withdrawn=Count("id", filter=Q(status=CandidacyStatus.WITHDRAWN)),
        nominated=Count("id", filter=Q(decision=Decision.NOMINATED)),
        waiting=Count("id", filter=Q(decision=Decision.WAITING_LIST)),
        renewals=Count("id", filter=Q(is_renewal=True, status=CandidacyStatus.SUBMITTED)),
        pending=Count("id", filter=Q(decision="", status=CandidacyStatus.SUBMITTED)),
    )
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "year": year,
        "filters": filters,
        "page": page,
        "groups": groups,
        "totals": totals,
        "totals_sentence": _totals_sentence(totals),
        "decision_emails": outbox.progress(f"decisions:{year.pk}"),
        "bulk_form": BulkDecisionForm(),
        "query": query.urlencode(),
        # The window of this year's candidacies, from its one place (shown as the other pages show it).
        "programme": ProgrammeSettings.objects.filter(year=year).first(),
    }
    return render(request, "mentors/board.html", ctx)


@require_POST
@require("candidacy.decide")
def candidacy_decide(request, pk: int):
    candidacy = get_candidacy_for_user(request, pk)
    form = DecisionForm(request.POST)
    back = _safe_next(request, "mentors:board")
    if form.is_valid():
        try:
            services.candidacy_decide(
                candidacy=candidacy,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
                quota_reason=form.cleaned_data["quota_reason"],
            )
        except services.QuotaConfirmationNeeded as error:
            form.add_error("quota_reason", str(error))
        except services.MentoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Décision enregistrée pour %(name)s.") % {"name": candidacy.person.full_name})
            return HttpResponseRedirect(back)
    ctx = {"candidacy": candidacy, "decision_form": form, "history": candidacy.decision_logs.select_related("by")}
    return render(request, "mentors/candidacy_detail.html", ctx, status=409 if _is_conflict(form) else 200)


@require_POST
@require("candidacy.decide")
def board_decide_many(request):
    form = BulkDecisionForm(request.POST)
    back = _safe_next(request, "mentors:board")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(back)
    try:
        decided = services.candidacy_decide_many(
            versions=form.cleaned_data["selection"],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            quota_reason=form.cleaned_data["quota_reason"],
        )
    except services.MentoringError as error:
        messages.error(request, str(error))
    else:
        n = len(decided)
        messages.success(
            request,
            ngettext("Décision enregistrée pour %(n)s candidature.", "Décision enregistrée pour %(n)s candidatures.", n)
            % {"n": n}
            + " "
            + _("Les courriels aux personnes sont mis en file d'envoi ; leur progression s'affiche sur cette page."),
        )
    return HttpResponseRedirect(back)


# --- HR: budget ---


@require("budget.view")
def budget(request):
    year = _current_year(request)
    fmt = request.GET.get("format")
    if fmt not in ("csv", "xlsx"):
        # The page: totals per order and for the centre, and one page of schools.
        schools = Paginator(reports.budget_schools(year), ROWS_PER_PAGE).get_page(request.GET.get("page"))
        ctx = {
            "year": year,
            "budget": reports.budget_for(year, schools=list(schools)),
            "schools": schools,
            "page_query": f"annee={year.pk}",
            "years": SchoolYear.objects.all(),
        }
        return render(request, "mentors/budget.html", ctx)
    data = reports.budget_for(year)
    if fmt == "csv":
        response = StreamingHttpResponse(reports.budget_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="budget-mentorat-{year.label}.csv"'
        record_event(request, AuditEvent.EXPORT, label=f"budget-mentorat-{year.label}.csv")
        return response
    response = HttpResponse(
        reports.budget_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="budget-mentorat-{year.label}.xlsx"'
    record_event(request, AuditEvent.EXPORT, label=f"budget-mentorat-{year.label}.xlsx")
    return response


# --- HR and PANE: pairings ---


def _suggestions(profiles, rankings) -> list[list[matching.Suggestion]]:
    """Each novice's ranked (score, pool entry) as explained suggestions: one query reads every mentor shown."""
    pks = {entry.pk for ranking in rankings for _score, entry in ranking}
    assignments = MentorAssignment.objects.select_related("person", "school", "building").in_bulk(pks)
    suggestions = []
    for profile, ranking in zip(profiles, rankings, strict=True):
        row = []
        for _score, entry in ranking:
            assignment = assignments.get(entry.pk)
            if assignment is None:  # deleted since the pool was read
                continue
            assignment.load = entry.load
            row.append(matching.score(profile, assignment, entry.words))
        suggestions.append(row)
    return suggestions


class _RankedMentors:
    """Every mentor with room left in rank order, for the Paginator: a page ranks only as far as its end."""

    def __init__(self, pool: matching.MentorPool, profile: matching.NoviceProfile):
        self.pool, self.profile = pool, profile

    def count(self) -> int:
        return self.pool.ranked_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a page of ranked mentors is read by slice")
        ranking = self.pool.ranked(self.profile, limit=index.stop)[index]
        return _suggestions([self.profile], [ranking])[0]


def _novices_waiting(year):
    active = Pairing.objects.active().filter(year=year, mentee=OuterRef("person"))
    return (
        Entitlement.objects.filter(year=year)
        .filter(~Exists(active))
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__assignments",
                to_attr="year_assignments",
                queryset=StaffAssignment.objects.filter(year=year).select_related("school", "building"),
            )
        )
        .order_by("started_on", "person__last_name", "pk")
    )


def _waiting_days(entitlement, today: datetime.date) -> int | None:
    return (today - entitlement.started_on).days if entitlement.started_on else None


@require("pairing.manage")
def pairing_board(request):
    """Unpaired novices, longest waiting first, each with the three best mentor suggestions."""
    year = _current_year(request)
    page = Paginator(_novices_waiting(year), NOVICES_PER_PAGE).get_page(request.GET.get("page"))
    pool = matching.MentorPool.for_year(year)
    profiles = [matching.NoviceProfile.from_assignments(e.person.year_assignments) for e in page.object_list]
    suggestions = _suggestions(profiles, [pool.ranked(profile) for profile in profiles])
    today = timezone.localdate()
    rows = []
    for entitlement, best in zip(page.object_list, suggestions, strict=True):
        days = _waiting_days(entitlement, today)
        rows.append(
            {
                "entitlement": entitlement,
                "person": entitlement.person,
                "days": days,
                "late": days is not None and days > WAITING_FLAG_DAYS,
                "schools": entitlement.person.year_assignments,
                "suggestions": best,
            }
        )
    mentors, load, seats = pool.totals()
    ctx = {
        "year": year,
        "page": page,
        "rows": rows,
        "pool_sentence": _pool_sentence(mentors, load, seats, page.paginator.count),
        "flag_days": WAITING_FLAG_DAYS,
    }
    return render(request, "mentors/pairing_board.html", ctx)


@require("pairing.manage")
def pairing_novice(request, person_pk: int):
    """Every mentor with room left, ranked for one novice, with the score explained."""
    year = _current_year(request)
    entitlement = get_object_or_404(Entitlement.objects.select_related("person"), person_id=person_pk, year=year)
    assignments = list(
        StaffAssignment.objects.filter(person_id=person_pk, year=year).select_related("school", "building")
    )
    profile = matching.NoviceProfile.from_assignments(assignments)
    ranked = _RankedMentors(matching.MentorPool.for_year(year), profile)
    page = Paginator(ranked, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    current = Pairing.objects.active().filter(mentee_id=person_pk).select_related("mentor").first()
    ctx = {
        "year": year,
        "novice": entitlement.person,
        "entitlement": entitlement,
        "assignments": assignments,
        "page": page,
        "current": current,
    }
    return render(request, "mentors/pairing_novice.html", ctx)


@require_POST
@require("pairing.manage")
def pairing_create(request):
    year = _current_year(request)
    mentor = get_object_or_404(Person, pk=as_id(request.POST.get("mentor")) or 0)
    mentee = get_object_or_404(Person, pk=as_id(request.POST.get("mentee")) or 0)
    confirmed = request.POST.get("confirm") == "1"
    try:
        services.pairing_create(
            mentor=mentor, mentee=mentee, year=year, by=request.user, confirm_cross_school=confirmed
        )
    except services.CrossSchoolConfirmationNeeded as error:
        ctx = {"mentor": mentor, "mentee": mentee, "message": str(error), "year": year}
        return render(request, "mentors/pairing_confirm.html", ctx)
    except services.MentoringError as error:
        messages.error(request, str(error))
        return redirect("mentors:pairing_novice", person_pk=mentee.pk)
    messages.success(
        request, _("%(mentee)s est jumelée avec %(mentor)s.") % {"mentee": mentee.full_name, "mentor": mentor.full_name}
    )
    return redirect("mentors:pairing_board")


class _MentorsByLoad:
    """The year's mentor assignments, most loaded first, for the Paginator: the count needs no load, a page reads its rows."""

    def __init__(self, year):
        self.year = year

    def count(self) -> int:
        return MentorAssignment.objects.for_year(self.year).count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a page of mentors is read by slice")
        return MentorAssignment.objects.select_related("person", "school").by_load(self.year, index.start, index.stop)


@require("pairing.manage")
def pairing_list(request):
    """The year's pairings and each mentor's load."""
    year = _current_year(request)
    pairings = Pairing.objects.filter(year=year).select_related("mentor", "mentee")
    status = request.GET.get("statut", "active")
    if status == "active":
        # No end date to sort by: the first page walks the mentors' name index.
        pairings = pairings.active().order_by("mentor__last_name", "mentee__last_name", "pk")
    else:
        pairings = pairings.order_by("ended_on", "mentor__last_name", "mentee__last_name", "pk")
    page = Paginator(pairings, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    mentors = Paginator(_MentorsByLoad(year), ROWS_PER_PAGE).get_page(request.GET.get("mpage"))
    return render(
        request, "mentors/pairing_list.html", {"year": year, "page": page, "mentors": mentors, "status": status}
    )


@require("pairing.manage")
def pairing_end(request, pk: int):
    pairing = get_pairing_for_manager(request, pk)
    form = PairingEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_end(
                pairing=pairing,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                ended_on=form.cleaned_data["ended_on"],
                by=request.user,
            )
        except services.MentoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Le jumelage est terminé."))
            return redirect("mentors:pairing_list")
    return render(request, "mentors/pairing_end.html", {"pairing": pairing, "form": form})


# --- The mentor: my mentees and the follow-up log; the mentee: my mentor ---


@require("mentor.mentees")
def my_mentees(request):
    person = _person_or_404(request)
    pairings = (
        Pairing.objects.filter(mentor=person)
        .select_related("mentee", "year")
        .annotate(entries=Count("follow_ups"), minutes=Sum("follow_ups__duration_minutes"))
        .order_by("ended_on", "-year__starts_on", "mentee__last_name")
    )
    assignments = MentorAssignment.objects.filter(person=person).select_related("school", "year", "building")
    return render(request, "mentors/my_mentees.html", {"pairings": pairings, "assignments": assignments})


@require("mentor.mentees")
def followup_log(request, pk: int):
    pairing = get_pairing_for_mentor(request, pk)
    form = FollowUpEntryForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.pairing, entry.author = pairing, pairing.mentor
        entry.save()
        messages.success(request, _("Rencontre ajoutée au suivi."))
        return redirect("mentors:followup_log", pk=pairing.pk)
    entries = pairing.follow_ups.filter(author=access_for(request).person)
    totals = entries.aggregate(count=Count("id"), minutes=Sum("duration_minutes"))
    return render(
        request, "mentors/followup_log.html", {"pairing": pairing, "form": form, "entries": entries, "totals": totals}
    )


@require_POST
@require("mentor.mentees")
def followup_delete(request, pk: int):
    entry = get_object_or_404(FollowUpEntry, pk=pk, author=access_for(request).person)
    pairing_pk = entry.pairing_id
    entry.delete()
    messages.success(request, _("Entrée supprimée."))
    return redirect("mentors:followup_log", pk=pairing_pk)


@require("mentee.mentor")
def my_mentor(request):
    person = _person_or_404(request)
    pairings = (
        Pairing.objects.filter(mentee=person).select_related("mentor", "year").order_by("ended_on", "-started_on")
    )
    return render(request, "mentors/my_mentor.html", {"pairings": pairings})


# --- HR and PANE: follow-up counts and hours per pair per month (never the notes) ---


def _school_year_months(year) -> list[datetime.date]:
    months, day = [], year.starts_on.replace(day=1)
    while day <= year.ends_on:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


STALE_DAYS = 21  # "no meeting for 3 weeks"


def _followup_pairings(year, filters: dict, today: datetime.date):
    """The year's pairings kept by the filters, each with its last meeting (never the notes).

    The last meeting is one probe per pair on the entries' (pairing, date) index: ordering a year's
    pairs reads none of their entries. The page's counts come from reports.follow_up_counts.
    """
    entries = FollowUpEntry.objects.filter(pairing=OuterRef("pk")).order_by()
    pairings = Pairing.objects.filter(year=year).annotate(
        last_meeting=Subquery(entries.order_by("-date").values("date")[:1])
    )
    if filters.get("cohorte"):
        members = CohortMember.objects.filter(cohort=filters["cohorte"], person=OuterRef("mentor"))
        pairings = pairings.filter(Exists(members))
    if filters.get("ecole"):
        school = filters["ecole"]
        novice_there = StaffAssignment.objects.filter(person=OuterRef("mentee"), year=year, school__in=school)
        mentor_there = MentorAssignment.objects.filter(person=OuterRef("mentor"), year=year, school__in=school)
        pairings = pairings.filter(Exists(novice_there) | Exists(mentor_there))
    stale = _stale(today)
    if filters.get("sans_rencontre"):
        pairings = pairings.filter(stale)
    pairings = pairings.annotate(stale=ExpressionWrapper(stale, output_field=BooleanField()))
    if filters.get("tri") == "heures":
        minutes = entries.values("pairing").annotate(total=Sum("duration_minutes")).values("total")
        pairings = pairings.annotate(year_minutes=Subquery(minutes))
    return pairings


# The follow-up page's orders: these keys (ascending, with whether NULLs come first), then the names.
FOLLOW_UP_ORDERS = {
    "nom": [],
    "heures": [("year_minutes", True)],
    "derniere": [("ended_on", False), ("last_meeting", True)],
}


class _FollowUpPairs:
    """The follow-up page's pairings for the Paginator: the count reads no entry, a page reads its own rows."""

    def __init__(self, pairings, year, keys: list[tuple[str, bool]]):
        self.pairings, self.year, self.keys = pairings, year, keys

    def count(self) -> int:
        return self.pairings.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a page of pairings is read by slice")
        assignments = StaffAssignment.objects.filter(year=self.year).select_related("school")
        return (
            self.pairings.page(self.keys, index.start, index.stop)
            .select_related("mentor", "mentee")
            .prefetch_related(Prefetch("mentee__assignments", queryset=assignments, to_attr="year_assignments"))
        )


def _stale(today: datetime.date) -> Q:
    """Pairs still running, started three weeks ago or more, with no meeting in those three weeks."""
    cutoff = today - datetime.timedelta(days=STALE_DAYS)
    return Q(ended_on__isnull=True, started_on__lte=cutoff) & (
        Q(last_meeting__isnull=True) | Q(last_meeting__lt=cutoff)
    )


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


@require("followup.stats")
def followup_stats(request):
    """Each pair's last meeting, meetings and hours this month and this year; the quiet pairs first."""
    year = _current_year(request)
    filters = FollowUpFilterForm(request.GET or None, year=year)
    chosen = filters.cleaned_data if filters.is_valid() else getattr(filters, "cleaned_data", {})
    today = min(timezone.localdate(), year.ends_on)  # a past year reads as of its last day
    month_start = today.replace(day=1)
    keys = FOLLOW_UP_ORDERS.get(chosen.get("tri"), FOLLOW_UP_ORDERS["derniere"])
    pairs = _FollowUpPairs(_followup_pairings(year, chosen, today), year, keys)
    page = Paginator(pairs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    counts = reports.follow_up_counts([p.pk for p in page.object_list], month_start, today)
    months = _school_year_months(year)
    rows = []
    for pairing in page.object_list:
        pair = counts.get(pairing.pk) or reports.FollowUpCounts()
        cells = [pair.months.get(month, (0, 0)) for month in months]
        rows.append(
            {
                "pairing": pairing,
                "schools": sorted({a.school.name for a in pairing.mentee.year_assignments}),
                "months": [(month, n, _hours(m)) for month, (n, m) in zip(months, cells, strict=True) if n],
                "month_entries": pair.month_entries,
                "month_hours": _hours(pair.month_minutes),
                "entries": pair.entries,
                "hours": _hours(pair.minutes),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "year": year,
        "years": SchoolYear.objects.all(),
        "filters": filters,
        "page": page,
        "rows": rows,
        "month_start": month_start,
        "query": query.urlencode(),
    }
    return render(request, "mentors/followup_stats.html", ctx)


def _totals_sentence(totals: dict) -> str:
    """« 1 candidature déposée, dont 1 sans décision, 0 nommée… », each count meeting its noun."""
    parts = [
        ngettext("%(n)s candidature déposée", "%(n)s candidatures déposées", totals["submitted"]),
        ngettext("dont %(n)s sans décision", "dont %(n)s sans décision", totals["pending"]),
        ngettext("%(n)s nommée", "%(n)s nommées", totals["nominated"]),
        ngettext("%(n)s en liste d'attente", "%(n)s en liste d'attente", totals["waiting"]),
        ngettext("%(n)s renouvellement", "%(n)s renouvellements", totals["renewals"]),
    ]
    keys = ["submitted", "pending", "nominated", "waiting", "renewals"]
    text = ", ".join(part % {"n": totals[key]} for part, key in zip(parts, keys, strict=True))
    withdrawn = ngettext("%(n)s retirée", "%(n)s retirées", totals["withdrawn"]) % {"n": totals["withdrawn"]}
    return f"{text} ; {withdrawn}."


def _pool_sentence(mentors: int, load: int, seats: int, waiting: int) -> str:
    """« 1 personne mentore, 2 jumelages actifs pour 3 places ; 1 personne … sans mentore. »"""
    return "{}, {} {} ; {}.".format(
        ngettext("%(n)s personne mentore", "%(n)s personnes mentores", mentors) % {"n": mentors},
        ngettext("%(n)s jumelage actif", "%(n)s jumelages actifs", load) % {"n": load},
        ngettext("pour %(n)s place", "pour %(n)s places", seats) % {"n": seats},
        ngettext(
            "%(n)s personne en insertion professionnelle sans mentore",
            "%(n)s personnes en insertion professionnelle sans mentore",
            waiting,
        )
        % {"n": waiting},
    )
