"""A school's plan: start it, read it, edit its steps in place (htmx, and plain forms without JavaScript)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import retarget

from mentorat.parsing import as_id
from roles.access import access_for, require, selected_year
from roles.rules_plans import (
    get_document_for_user,
    get_plan_for_user,
    get_school_for_plans,
    get_step_for_user,
)
from schools.models import SchoolYear
from schools.plans import services
from schools.plans.forms import CommentForm, DocumentForm, NotesForm, PlanStartForm, StepForm
from schools.plans.models import (
    CycleStep,
    DeploymentPlan,
    PlanChange,
    PlanSource,
    PlanStep,
    StepComment,
    StepStatus,
)


def _plan_url(plan: DeploymentPlan, step: PlanStep | None = None) -> str:
    url = reverse("plans:plan_detail", kwargs={"pk": plan.pk})
    return f"{url}#step-{step.pk}" if step else url


@require("plan.list")
def index(request):
    """« Plans de déploiement »: the overview for centre-wide readers, else the director's school."""
    access = access_for(request)
    if access.can("plan.overview"):
        return redirect("plans:overview")
    return redirect("plans:school_plan", school_pk=min(access.directed_school_ids))


@login_required
def school_plan(request, school_pk: int):
    """The school's plan of the selected year, or the page to start it."""
    school = get_school_for_plans(request, school_pk, "plan.view")
    year = selected_year(request)
    plan = DeploymentPlan.objects.filter(school=school, year=year).first()
    if plan:
        return redirect("plans:plan_detail", pk=plan.pk)
    access = access_for(request)
    can_edit = access.can("plan.edit", school)
    previous = services.previous_plan(school, year) if year else None
    form = PlanStartForm(school=school, has_previous=previous is not None, initial={"source": PlanSource.TEMPLATE})
    ctx = {
        "school": school,
        "year": year,
        "years": SchoolYear.objects.all(),
        "can_edit": can_edit,
        "form": form,
        "previous": previous,
    }
    return render(request, "plans/plan_start.html", ctx)


@login_required
@require_POST
def plan_create(request, school_pk: int):
    school = get_school_for_plans(request, school_pk, "plan.edit")
    year = selected_year(request)
    posted_year = as_id(request.POST.get("annee"))
    if posted_year is not None:
        year = SchoolYear.objects.filter(pk=posted_year).first() or year
    previous = services.previous_plan(school, year)
    form = PlanStartForm(request.POST, school=school, has_previous=previous is not None)
    if form.is_valid():
        try:
            plan = services.plan_create(
                school=school,
                year=year,
                by=request.user,
                source=form.cleaned_data["source"],
                template=form.cleaned_data["template"],
            )
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Le plan %(year)s est créé.") % {"year": year.label})
            return redirect(_plan_url(plan))
    ctx = {"school": school, "year": year, "years": SchoolYear.objects.all(), "can_edit": True, "form": form}
    ctx["previous"] = previous
    return render(request, "plans/plan_start.html", ctx)


def _steps(plan: DeploymentPlan):
    return list(
        plan.steps.prefetch_related(
            "responsible_actors",
            "people_actors",
            "people_persons",
            "documents",
            Prefetch("comments_left", queryset=StepComment.objects.select_related("author__person")),
        ).select_related("updated_by__person")
    )


def cycle_summary(steps: list[PlanStep]) -> list[dict]:
    """Where the school stands in the action cycle: steps per cycle step and status."""
    counts = Counter((step.cycle_step, step.status) for step in steps)
    rows = []
    for value, label in CycleStep.choices:
        by_status = [(s_label, counts[value, s_value], s_value) for s_value, s_label in StepStatus.choices]
        rows.append({"value": value, "label": label, "statuses": by_status, "total": sum(c for _, c, _ in by_status)})
    return rows


def _plan_context(request, plan: DeploymentPlan, **extra) -> dict:
    access = access_for(request)
    steps = _steps(plan)
    ctx = {
        "plan": plan,
        "school": plan.school,
        "year": plan.year,
        "steps": steps,
        "summary": cycle_summary(steps),
        "status_choices": StepStatus.choices,
        "can_edit": access.can("plan.edit", plan),
        "can_comment": access.can("plan.comment", plan),
        "comment_form": CommentForm(),
    }
    ctx.update(extra)
    return ctx


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request, pk)
    ctx = _plan_context(request, plan, years=SchoolYear.objects.all())
    if ctx["can_edit"]:
        ctx["unread"] = list(services.unread_comments(plan, request.user))
    return render(request, "plans/plan_detail.html", ctx)


@login_required
def plan_print(request, pk: int):
    plan = get_plan_for_user(request, pk)
    return render(request, "plans/plan_print.html", {"plan": plan, "steps": _steps(plan)})


@login_required
def plan_history(request, pk: int):
    plan = get_plan_for_user(request, pk)
    changes = PlanChange.objects.filter(plan=plan).select_related("by__person")[:500]
    labels = {f.name: f.verbose_name for f in PlanStep._meta.get_fields() if hasattr(f, "verbose_name")}
    labels.update({"documents": _("documents"), "source": _("origine"), "notes": _("notes importantes")})
    rows = [(change, labels.get(change.field, change.field)) for change in changes]
    return render(request, "plans/plan_history.html", {"plan": plan, "rows": rows})


@login_required
@require_POST
def plan_notes(request, pk: int):
    plan = get_plan_for_user(request, pk, edit=True)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.plan_update_notes(plan=plan, notes=form.cleaned_data["notes"], by=request.user)
        messages.success(request, _("Les notes du plan sont enregistrées."))
    else:
        messages.error(request, _("Les notes sont trop longues."))
    return redirect(_plan_url(plan) + "#notes")


@login_required
@require_POST
def comments_read(request, pk: int):
    plan = get_plan_for_user(request, pk, edit=True)
    services.comments_mark_read(plan=plan, user=request.user)
    return redirect(_plan_url(plan))


# --- Steps: each answers htmx with a fragment, and a plain request with a page or a redirect ---


def _steps_fragment(request, plan: DeploymentPlan, message: str = "", focus: str = "", status: int = 200, **extra):
    """The steps block (cycle summary + steps), re-rendered after a change, with a message for screen readers."""
    ctx = _plan_context(request, plan, live_message=message, focus=focus, **extra)
    response = render(request, "plans/_plan_steps.html", ctx, status=status)
    return retarget(response, "#plan-steps")


def _done(request, plan: DeploymentPlan, message: str, step: PlanStep | None = None, focus: str = ""):
    if request.htmx:
        response = _steps_fragment(request, plan, message, focus)
        response["HX-Reswap"] = "outerHTML"
        return response
    messages.success(request, message)
    return HttpResponseRedirect(_plan_url(plan, step))


def _form_response(request, plan, form, step=None, conflict=None, status=200):
    ctx = {"plan": plan, "form": form, "step": step, "conflict": conflict}
    if request.htmx:
        return render(request, "plans/_step_form.html", ctx, status=status)
    return render(request, "plans/step_form_page.html", ctx, status=status)


@login_required
def step_add(request, pk: int):
    plan = get_plan_for_user(request, pk, edit=True)
    form = StepForm(request.POST or None, plan=plan, initial={"cycle_step": CycleStep.NAME})
    if request.method == "POST" and form.is_valid():
        step = services.step_create(plan=plan, data=form.cleaned_data, by=request.user)
        return _done(request, plan, _("L'étape est ajoutée."), step, focus=f"step-{step.pk}")
    return _form_response(request, plan, form)


@login_required
def step_detail(request, pk: int):
    """One step as displayed on the plan (htmx: the fragment, e.g. after « Annuler »)."""
    step = get_step_for_user(request, pk)
    if not request.htmx:
        return HttpResponseRedirect(_plan_url(step.plan, step))
    ctx = _plan_context(request, step.plan)
    ctx["step"] = next(s for s in ctx["steps"] if s.pk == step.pk)
    ctx["focus"] = f"step-{step.pk}"
    return render(request, "plans/_step.html", ctx)


@login_required
def step_edit(request, pk: int):
    step = get_step_for_user(request, pk, "plan.edit")
    plan = step.plan
    form = StepForm(request.POST or None, instance=step, plan=plan)
    if request.method != "POST" or not form.is_valid():
        return _form_response(request, plan, form, step)
    expected = form.cleaned_data.get("version") or 0
    try:
        services.step_update(step=step, data=form.cleaned_data, expected_version=expected, by=request.user)
    except services.StepConflict as conflict:
        return _conflict_response(request, plan, form, conflict)
    return _done(request, plan, _("L'étape est enregistrée."), step, focus=f"step-{step.pk}")


def _conflict_response(request, plan, form, conflict):
    """409: the other person's version beside what this user typed; their input stays in the form."""
    current = conflict.current
    data = request.POST.copy()
    data["version"] = current.version
    mine = StepForm(data, instance=PlanStep.objects.get(pk=current.pk), plan=plan)
    mine.is_valid()
    mine.add_error(None, str(conflict))
    theirs = services.snapshot(current)
    typed = services.snapshot_of_data(form.cleaned_data)
    labels = {name: PlanStep._meta.get_field(name).verbose_name for name in services.STEP_FIELDS}
    diff = [
        {"label": labels[name], "mine": typed.get(name, ""), "theirs": theirs[name]}
        for name in services.STEP_FIELDS
        if name in typed and typed[name] != theirs[name]
    ]
    info = {"step": current, "diff": diff, "by": current.updated_by, "at": current.updated_at}
    return _form_response(request, plan, mine, current, conflict=info, status=409)


@login_required
@require_POST
def step_status(request, pk: int):
    step = get_step_for_user(request, pk, "plan.edit")
    plan = step.plan
    version = request.POST.get("version", "")
    try:
        services.step_set_status(
            step=step,
            status=request.POST.get("status", ""),
            expected_version=as_id(version) or 0,
            by=request.user,
        )
    except services.StepConflict:
        message = _("Cette étape a été modifiée par une autre personne : voici sa version à jour. Rien n'a été changé.")
        if request.htmx:
            return _steps_fragment(request, plan, message, focus=f"step-{step.pk}", status=409, stale_step=step.pk)
        messages.error(request, message)
        return HttpResponseRedirect(_plan_url(plan, step))
    except services.PlanError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(_plan_url(plan, step))
    label = dict(StepStatus.choices)[request.POST["status"]]
    return _done(request, plan, _("Statut : %(status)s.") % {"status": label}, step, focus=f"status-{step.pk}")


@login_required
@require_POST
def step_move(request, pk: int):
    step = get_step_for_user(request, pk, "plan.edit")
    direction = request.POST.get("direction", "")
    moved = services.step_move(step=step, direction=direction, by=request.user)
    message = _("L'étape est déplacée.") if moved else _("L'étape est déjà à cette extrémité du plan.")
    return _done(request, step.plan, message, step, focus=f"move-{direction}-{step.pk}")


@login_required
@require_POST
def step_delete(request, pk: int):
    step = get_step_for_user(request, pk, "plan.edit")
    plan = step.plan
    services.step_delete(step=step, by=request.user)
    return _done(request, plan, _("L'étape est supprimée (elle reste dans l'historique)."), focus="add-step")


@login_required
@require_POST
def step_comment(request, pk: int):
    step = get_step_for_user(request, pk, "plan.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(step=step, author=request.user, body=form.cleaned_data["body"])
        return _done(request, step.plan, _("Votre commentaire est publié."), step, focus=f"comments-{step.pk}")
    message = _("Écrivez un commentaire.")
    if request.htmx:
        return _steps_fragment(request, step.plan, message, focus=f"comment-body-{step.pk}")
    messages.error(request, message)
    return HttpResponseRedirect(_plan_url(step.plan, step))


# --- Documents ---


@login_required
def document_add(request, pk: int):
    step = get_step_for_user(request, pk, "plan.edit")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add(
            step=step,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            upload=form.cleaned_data["file"] or None,
            content_type=getattr(form, "content_type", ""),
            by=request.user,
        )
        messages.success(request, _("Le document est ajouté."))
        return HttpResponseRedirect(_plan_url(step.plan, step))
    return render(request, "plans/document_form.html", {"step": step, "plan": step.plan, "form": form})


@login_required
def document_download(request, pk: int):
    """The file, to people who may read the plan only; never from MEDIA_URL."""
    document = get_document_for_user(request, pk)
    if document.url:
        return HttpResponseRedirect(document.url)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type or None
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request, pk: int):
    document = get_document_for_user(request, pk, edit=True)
    step = document.step
    services.document_delete(document=document, by=request.user)
    messages.success(request, _("Le document est retiré."))
    return HttpResponseRedirect(_plan_url(step.plan, step))
