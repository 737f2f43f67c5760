from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentorat import outbox
from mentorat.parsing import as_id
from roles.access import access_for, require, selected_year
from schools.forms import SchoolFilterForm
from schools.models import Order, School, SchoolYear
from surveys import exports, services
from surveys.forms import CopyForm, ImportForm, QuestionForm, ResponseForm, SurveyForm
from surveys.models import Invitation, Question, Response, Survey, shift_years
from surveys.results import Scope, results_for


def get_survey_for_user(request, pk: int, action: str) -> Survey:
    """The survey if the user's role allows the action (403 otherwise); surveys are centre-wide."""
    if not access_for(request).can(action, None):
        raise PermissionDenied
    return get_object_or_404(Survey.objects.select_related("year", "copied_from"), pk=pk)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return as_id(value)


def _count(model, **filters):
    """A correlated COUNT subquery, so list rows never multiply through joins."""
    rows = model.objects.filter(survey=OuterRef("pk"), **filters).order_by().values("survey")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


@require("survey.list")
def survey_list(request):
    # Queries: the user's access (2–3), then one for the surveys of the selected year with their counts.
    year = selected_year(request)
    surveys = (
        Survey.objects.filter(year=year)
        .select_related("year")
        .annotate(
            response_count=_count(Response),
            invitation_count=_count(Invitation),
        )
    )
    return render(request, "surveys/survey_list.html", {"surveys": surveys, "year": year})


@require("survey.edit")
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_save(form=form)
        messages.success(request, _("Sondage créé. Ajoutez maintenant ses questions."))
        return redirect("surveys:survey_detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@require("survey.edit")
def survey_edit(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_save(form=form, version=_version(request))
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Sondage enregistré."))
            return redirect("surveys:survey_detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@require("survey.edit")
def survey_detail(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    questions = survey.questions.prefetch_related("choices").select_related("show_if_question")
    invitations = survey.invitations.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(has_answered=True)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    ctx = {
        "survey": survey,
        "questions": questions,
        "invitations": invitations,
        "invitation_emails": outbox.progress(f"survey:{survey.pk}:invitation"),
        "reminder_emails": outbox.progress(f"survey:{survey.pk}:reminder"),
        "response_count": survey.responses.count(),
        "locked": survey.has_responses(),
    }
    return render(request, "surveys/survey_detail.html", ctx)


def _copy_proposal(survey: Survey) -> dict:
    """The next school year and the title with its years moved to it (« Sondage 2023 » → « Sondage 2024 »)."""
    target = SchoolYear.objects.filter(starts_on__gt=survey.year.starts_on).order_by("starts_on").first()
    if target is None:
        return {"title": survey.title}
    return {"year": target, "title": shift_years(survey.title, target.starts_on.year - survey.year.starts_on.year)}


@require("survey.edit")
def survey_copy(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    form = CopyForm(request.POST or None, initial=_copy_proposal(survey))
    if request.method == "POST" and form.is_valid():
        copy = services.survey_copy(survey=survey, **form.cleaned_data)
        messages.success(
            request,
            _("Copie créée : les résultats pourront être comparés d'une année à l'autre. Relisez son introduction."),
        )
        return redirect("surveys:survey_detail", copy.pk)
    return render(request, "surveys/survey_copy.html", {"form": form, "survey": survey})


def _question_form(request, survey: Survey, question: Question | None):
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(form=form, version=_version(request))
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Question enregistrée."))
            return redirect("surveys:survey_detail", survey.pk)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey, "question": question})


def _locked_redirect(request, survey: Survey):
    try:
        services.ensure_questions_editable(survey)
    except services.SurveyError as error:
        messages.error(request, str(error))
        return redirect("surveys:survey_detail", survey.pk)
    return None


@require("survey.edit")
def question_create(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    return _locked_redirect(request, survey) or _question_form(request, survey, None)


@require("survey.edit")
def question_edit(request, pk: int, question_pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    question = get_object_or_404(survey.questions, pk=question_pk)
    return _locked_redirect(request, survey) or _question_form(request, survey, question)


@require_POST
@require("survey.edit")
def question_delete(request, pk: int, question_pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    question = get_object_or_404(survey.questions, pk=question_pk)
    try:
        services.question_delete(question=question, version=_version(request))
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Question supprimée."))
    return redirect("surveys:survey_detail", survey.pk)


@require_POST
@require("survey.edit")
def question_move(request, pk: int, question_pk: int):
    survey = get_survey_for_user(request, pk, "survey.edit")
    question = get_object_or_404(survey.questions, pk=question_pk)
    try:
        services.question_move(
            question=question, step=-1 if request.POST.get("sens") == "haut" else 1, version=_version(request)
        )
    except services.SurveyError as error:
        messages.error(request, str(error))
    return redirect("surveys:survey_detail", survey.pk)


# Campaign


@require_POST
@require("survey.campaign")
def campaign_generate(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.campaign")
    added = services.invitations_generate(survey=survey)
    messages.success(request, _("Invitations ajoutées : %(n)s.") % {"n": added})
    return redirect("surveys:survey_detail", survey.pk)


@require_POST
@require("survey.campaign")
def campaign_send(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.campaign")
    reminder = request.POST.get("rappel") == "1"
    try:
        queued = services.invitations_send(survey=survey, reminder=reminder)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        # The request only writes the rows; workers send them and this page shows how far they got.
        messages.success(
            request,
            ngettext("%(n)s courriel mis en file d'envoi.", "%(n)s courriels mis en file d'envoi.", queued)
            % {"n": queued},
        )
    return redirect("surveys:survey_detail", survey.pk)


# Results


def _scope(request, access, survey: Survey) -> tuple[Scope, SchoolFilterForm]:
    """The order/school filter asked for; a director is held to the schools they lead."""
    reads_all = access.can("survey.results_all", survey)
    if reads_all:
        schools, order = School.objects.all(), request.GET.get("ordre", "")
    else:
        if not access.directed_school_ids:
            raise PermissionDenied
        schools, order = School.objects.filter(id__in=access.directed_school_ids), ""
    school_filter = SchoolFilterForm(request.GET, schools=schools, one=True, everyone=reads_all)
    school = school_filter.cleaned_data.get("ecole") if school_filter.is_valid() else None
    if school is None and not reads_all:
        school = schools.order_by("name").first()
    return Scope(order=order if order in Order.values and school is None else "", school=school), school_filter


def _results_for(request, survey: Survey, *, export: bool = False):
    """The survey's results for the asked scope; the exports list neither free texts nor last year's figures."""
    access = access_for(request)
    scope, school_filter = _scope(request, access, survey)
    texts = not export and access.can("survey.texts", survey)
    return results_for(survey, scope, with_texts=texts, compare=not export), scope, school_filter


@require("survey.list")
def survey_results_view(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.results")
    results, scope, school_filter = _results_for(request, survey)
    total = results.total
    invited = survey.invitations.count() or survey.invited_count
    charts = [{"id": f"chart-{r.question.pk}", **r.chart()} for r in results.questions if r.rows]
    ctx = {
        "survey": survey,
        "results": results,
        "scope": scope,
        "school_filter": school_filter,
        "orders": Order.choices,
        "total": total,
        "invited": invited,
        "charts": charts,
    }
    return render(request, "surveys/results.html", ctx)


def _filename(survey: Survey, suffix: str) -> str:
    return f"{slugify(survey.title)[:60]}-{survey.year.label}-{suffix}"


@require("survey.export")
def export_results_csv(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.export")
    results, *_rest = _results_for(request, survey, export=True)
    response = HttpResponse("\ufeff" + exports.aggregate_csv(results), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "resultats.csv")}"'
    return response


@require("survey.export")
def export_results_xlsx(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.export")
    results, *_rest = _results_for(request, survey, export=True)
    response = HttpResponse(
        exports.aggregate_xlsx(results),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "resultats.xlsx")}"'
    return response


@require("survey.export_raw")
def export_responses_csv(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.export_raw")
    response = StreamingHttpResponse(exports.raw_csv_stream(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "reponses.csv")}"'
    return response


@require("survey.import")
def import_responses(request, pk: int):
    survey = get_survey_for_user(request, pk, "survey.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            added = exports.raw_import(survey=survey, file=form.cleaned_data["file"].file)
        except exports.ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(request, _("Réponses importées : %(n)s.") % {"n": added})
            return redirect("surveys:results", survey.pk)
    return render(
        request,
        "surveys/import.html",
        {"form": form, "survey": survey, "errors": errors[:200], "error_count": len(errors)},
    )


# Respondents (no sign-in: the personal link is the credential)


def _invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("survey", "survey__year", "person").filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation


@never_cache
def respond(request, token: str):
    invitation = _invitation(token)
    survey = invitation.survey
    now = timezone.now()
    if invitation.has_answered:
        return render(request, "surveys/respond_message.html", {"survey": survey, "state": "answered"})
    if survey.is_closed(now) or now < survey.opens_at:
        state = "closed" if survey.is_closed(now) else "not_open"
        return render(request, "surveys/respond_message.html", {"survey": survey, "state": state})
    questions = list(survey.questions.prefetch_related("choices").select_related("show_if_question"))
    form = ResponseForm(questions, request.POST or None)
    if request.method == "POST":
        try:
            if "enregistrer" in request.POST:
                services.draft_save(invitation=invitation, data=form.draft_data())
                messages.success(request, _("Vos réponses sont enregistrées. Revenez avec le même lien pour terminer."))
                return redirect("surveys:respond", token)
            if form.is_valid():
                services.response_submit(invitation=invitation, answers=form.typed_answers())
                return redirect("surveys:thanks", token)
            form.describe_errors()
        except services.SurveyError as error:
            messages.error(request, str(error))
            return redirect("surveys:respond", token)
    else:
        form.initial = ResponseForm.initial_from_draft(invitation.draft, form.fields)
    rows = _form_rows(form)
    error_rows = [row for row in rows if row["errors"]]
    context = {"survey": survey, "form": form, "rows": rows, "error_rows": error_rows}
    return render(request, "surveys/respond.html", context)


def _input_id(field) -> str:
    """The id of a field's first input: a group of radios or boxes starts at its « _0 »."""
    if field is None:
        return ""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.auto_id


def _form_rows(form: ResponseForm) -> list[dict]:
    """The page's questions; only those shown for the posted (or saved) answers are numbered."""
    rows = []
    data = form.cleaned_data if hasattr(form, "cleaned_data") else form.initial
    shown, number = form.shown_ids(data), 0
    for question in form.questions:
        name = f"q{question.pk}"
        number += question.pk in shown
        if question.kind == "ranking":
            fields = [form[f"{name}_c{choice.pk}"] for choice in question.choices.all()]
        else:
            fields = [form[name]] + ([form[f"{name}_other"]] if f"{name}_other" in form.fields else [])
        errors = [error for field in fields for error in field.errors]
        rows.append(
            {
                "question": question,
                "number": number if question.pk in shown else None,
                "shown": question.pk in shown,
                "fields": fields,
                "condition": form.condition_target(question),
                "errors": errors,
                "first_error_id": _input_id(next((field for field in fields if field.errors), None)),
            }
        )
    return rows


@never_cache
def thanks(request, token: str):
    invitation = _invitation(token)
    if not invitation.has_answered:
        return redirect("surveys:respond", token)
    return render(request, "surveys/respond_message.html", {"survey": invitation.survey, "state": "thanks"})
