"""Writes of the deployment plans and the tracking table of new staff.

Every function is keyword-only, validates, saves inside one transaction, keeps
the history and queues its e-mails after commit. Errors carry a French message.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.emails import queue_email
from mentors.models import Pairing
from roles.models import Actor, Role
from schools.models import Entitlement, Person, School, SchoolYear, StaffAssignment
from schools.plans.models import (
    CommentsSeen,
    DeploymentPlan,
    Newcomer,
    NewcomerFollowUp,
    NewcomerReason,
    PlanChange,
    PlanSource,
    PlanStep,
    PlanTemplate,
    StepComment,
    StepDocument,
    StepStatus,
)


class PlanError(Exception):
    """A rule refused the write; str(error) is the French message."""


class StepConflict(PlanError):
    """Someone else saved the step since it was displayed; nothing was written."""

    def __init__(self, current: PlanStep):
        super().__init__(
            _(
                "Cette étape a été modifiée par une autre personne pendant que vous la modifiiez. Rien n'a été "
                "enregistré : comparez sa version avec la vôtre, puis enregistrez de nouveau."
            )
        )
        self.current = current


class NewcomerConflict(PlanError):
    def __init__(self, current: Newcomer):
        super().__init__(
            _(
                "Cette ligne a été modifiée par une autre personne pendant que vous la modifiiez. Rien n'a été "
                "enregistré : comparez sa version avec la vôtre, puis enregistrez de nouveau."
            )
        )
        self.current = current


# Fields of a step compared for the history, in the order of the form.
STEP_FIELDS = PlanStep.EDITABLE_FIELDS
M2M_FIELDS = {"responsible_actors", "people_actors", "people_persons"}


def _display(step: PlanStep | None, name: str, value) -> str:
    """A field's value as the history shows it (names for relations, labels for choices)."""
    if name in M2M_FIELDS:
        return ", ".join(sorted(str(item) for item in value))
    if name == "intentions":
        return "\n".join(value or [])
    if name == "when_on":
        return value.isoformat() if value else ""
    field = PlanStep._meta.get_field(name)
    if field.choices and value:
        return str(dict(field.choices).get(value, value))
    return "" if value is None else str(value)


def _snapshot(step: PlanStep) -> dict[str, str]:
    values = {}
    for name in STEP_FIELDS:
        value = list(getattr(step, name).all()) if name in M2M_FIELDS else getattr(step, name)
        values[name] = _display(step, name, value)
    return values


snapshot = _snapshot


def snapshot_of_data(data: dict) -> dict[str, str]:
    """A form's cleaned data displayed like the history (to compare with another version)."""
    return {name: _display(None, name, data[name]) for name in STEP_FIELDS if name in data}


def _touch(plan: DeploymentPlan, by) -> None:
    DeploymentPlan.objects.filter(pk=plan.pk).update(changed_at=timezone.now(), changed_by=by)


def _log(plan, step, action, by, field="", old="", new="") -> PlanChange:
    return PlanChange(
        plan=plan,
        step=step,
        step_title=(step.title if step else "")[:200],
        action=action,
        field=field,
        old_value=old,
        new_value=new,
        by=by,
    )


# --- Plans ---


ACTOR_ALIASES = {
    "direction": "La direction d’école",
    "directions": "La direction d’école",
    "mentores": "La personne mentore",
    "mentors": "La personne mentore",
    "équipe-école": "L’équipe-école",
    "enseignants (équipe-école)": "L’équipe-école",
}


def _match_actors(names: list[str], actors: dict[str, Actor]) -> tuple[list[Actor], list[str]]:
    """Names of the seed matched to the referential's actors; the others stay as text."""
    matched, other = [], []
    for name in names:
        actor = actors.get(ACTOR_ALIASES.get(name.strip().lower(), name.strip()))
        if actor and actor not in matched:
            matched.append(actor)
        elif not actor:
            other.append(name)
    return matched, other


def shift_year_in_text(text: str, years: int = 1) -> str:
    """« Décembre 2022 (et plus) » → « Décembre 2023 (et plus) »."""
    return re.sub(r"\b(19|20)(\d\d)\b", lambda m: str(int(m.group(0)) + years), text)


def _add_year(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def plan_create(
    *,
    school: School,
    year: SchoolYear,
    by,
    source: str = PlanSource.EMPTY,
    template: PlanTemplate | None = None,
) -> DeploymentPlan:
    """Start the school's plan of the year: empty, from a template, or as a copy of last year's plan."""
    if DeploymentPlan.objects.filter(school=school, year=year).exists():
        raise PlanError(_("Cette école a déjà un plan pour l'année %(year)s.") % {"year": year.label})
    previous = None
    if source == PlanSource.COPY:
        previous = previous_plan(school, year)
        if previous is None:
            raise PlanError(_("Cette école n'a pas de plan l'année précédente : choisissez un autre point de départ."))
    if source == PlanSource.TEMPLATE and template is None:
        raise PlanError(_("Choisissez un modèle."))
    now = timezone.now()
    try:
        with transaction.atomic():
            plan = DeploymentPlan.objects.create(
                school=school,
                year=year,
                source=source,
                template=template if source == PlanSource.TEMPLATE else None,
                notes=(template.notes if source == PlanSource.TEMPLATE else previous.notes if previous else ""),
                created_by=by,
                changed_at=now,
                changed_by=by,
            )
    except IntegrityError:
        raise PlanError(_("Cette école a déjà un plan pour l'année %(year)s.") % {"year": year.label}) from None
    if source == PlanSource.TEMPLATE:
        _copy_template(plan, template, by)
    elif previous is not None:
        _copy_plan(plan, previous, by)
    PlanChange.objects.create(
        plan=plan, action=PlanChange.Action.PLAN, field="source", new_value=plan.get_source_display(), by=by
    )
    return plan


def previous_plan(school: School, year: SchoolYear) -> DeploymentPlan | None:
    return (
        DeploymentPlan.objects.filter(school=school, year__starts_on__lt=year.starts_on)
        .order_by("-year__starts_on")
        .first()
    )


def _copy_template(plan: DeploymentPlan, template: PlanTemplate, by) -> None:
    actors = {actor.name: actor for actor in Actor.objects.all()}
    for position, source in enumerate(template.steps.order_by("position"), start=1):
        responsible, responsible_other = _match_actors(source.responsible, actors)
        people, people_other = _match_actors(source.people, actors)
        step = PlanStep.objects.create(
            plan=plan,
            position=position,
            title=source.title,
            intentions=list(source.intentions),
            responsible_other=", ".join(responsible_other),
            people_other="\n".join(people_other),
            when_text=source.when_text,
            comments=source.comments,
            cycle_step=source.cycle_step,
            category=source.category,
            updated_by=by,
        )
        step.responsible_actors.set(responsible)
        step.people_actors.set(people)


def _copy_plan(plan: DeploymentPlan, previous: DeploymentPlan, by) -> None:
    """Last year's steps, statuses reset to « à venir », dates moved a year; named people and documents kept."""
    for source in previous.steps.prefetch_related("responsible_actors", "people_actors", "people_persons", "documents"):
        step = PlanStep.objects.create(
            plan=plan,
            position=source.position,
            title=source.title,
            intentions=list(source.intentions),
            responsible_other=source.responsible_other,
            people_other=source.people_other,
            when_on=_add_year(source.when_on),
            when_text=shift_year_in_text(source.when_text),
            comments=source.comments,
            cycle_step=source.cycle_step,
            category=source.category,
            status=StepStatus.UPCOMING,
            updated_by=by,
        )
        step.responsible_actors.set(source.responsible_actors.all())
        step.people_actors.set(source.people_actors.all())
        step.people_persons.set(source.people_persons.all())
        # Links are copied; uploaded files stay with last year's plan (no second copy of a file).
        StepDocument.objects.bulk_create(
            StepDocument(step=step, title=d.title, url=d.url, added_by=by) for d in source.documents.all() if d.url
        )


@transaction.atomic
def plan_update_notes(*, plan: DeploymentPlan, notes: str, by) -> None:
    if plan.notes == notes:
        return
    PlanChange.objects.create(
        plan=plan, action=PlanChange.Action.PLAN, field="notes", old_value=plan.notes, new_value=notes, by=by
    )
    plan.notes = notes
    plan.save(update_fields=["notes"])
    _touch(plan, by)


# --- Steps ---


def _set_fields(step: PlanStep, data: dict) -> dict:
    """Set the plain fields from the form's cleaned data; return the many-to-many ones."""
    relations = {}
    for name in STEP_FIELDS:
        if name not in data:
            continue
        if name in M2M_FIELDS:
            relations[name] = list(data[name])
        else:
            setattr(step, name, data[name])
    return relations


@transaction.atomic
def step_create(*, plan: DeploymentPlan, data: dict, by) -> PlanStep:
    last = plan.steps.aggregate(last=Max("position"))["last"] or 0
    step = PlanStep(plan=plan, position=last + 1, updated_by=by)
    relations = _set_fields(step, data)
    step.save()
    for name, items in relations.items():
        getattr(step, name).set(items)
    values = _snapshot(step)
    PlanChange.objects.bulk_create(
        [_log(plan, step, PlanChange.Action.CREATED, by)]
        + [_log(plan, step, PlanChange.Action.CREATED, by, name, "", value) for name, value in values.items() if value]
    )
    _touch(plan, by)
    return step


@transaction.atomic
def step_update(*, step: PlanStep, data: dict, expected_version: int, by) -> list[PlanChange]:
    """Save the step if nobody saved it since expected_version; log each changed field."""
    current = PlanStep.objects.select_for_update().get(pk=step.pk)
    if current.version != expected_version:
        raise StepConflict(current)
    before = _snapshot(current)
    relations = _set_fields(current, data)
    current.version = expected_version + 1
    current.updated_by = by
    current.save()
    for name, items in relations.items():
        getattr(current, name).set(items)
    after = _snapshot(current)
    changes = [
        _log(step.plan, current, PlanChange.Action.UPDATED, by, name, before[name], after[name])
        for name in STEP_FIELDS
        if before[name] != after[name]
    ]
    PlanChange.objects.bulk_create(changes)
    _touch(step.plan, by)
    step.__dict__.update({k: v for k, v in current.__dict__.items() if not k.startswith("_")})
    return changes


def step_set_status(*, step: PlanStep, status: str, expected_version: int, by) -> list[PlanChange]:
    if status not in StepStatus.values:
        raise PlanError(_("Choisissez un statut."))
    return step_update(step=step, data={"status": status}, expected_version=expected_version, by=by)


@transaction.atomic
def step_delete(*, step: PlanStep, by) -> None:
    """Delete the step; the history keeps what it said."""
    plan = step.plan
    values = _snapshot(step)
    PlanChange.objects.bulk_create(
        [_log(plan, step, PlanChange.Action.DELETED, by)]
        + [_log(plan, step, PlanChange.Action.DELETED, by, name, value, "") for name, value in values.items() if value]
    )
    for document in step.documents.exclude(file=""):
        transaction.on_commit(lambda name=document.file.name, storage=document.file.storage: storage.delete(name))
    step.delete()
    remaining = list(PlanStep.objects.filter(plan=plan).order_by("position", "pk"))
    for position, item in enumerate(remaining, start=1):
        item.position = position
    PlanStep.objects.bulk_update(remaining, ["position"])
    _touch(plan, by)


@transaction.atomic
def step_move(*, step: PlanStep, direction: str, by) -> bool:
    """Swap the step with its neighbour above ("up") or below ("down"); False at either end."""
    steps = list(PlanStep.objects.select_for_update().filter(plan=step.plan_id).order_by("position", "pk"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(steps):
        return False
    steps[index], steps[other] = steps[other], steps[index]
    for position, item in enumerate(steps, start=1):
        item.position = position
    PlanStep.objects.bulk_update(steps, ["position"])
    PlanChange.objects.create(
        plan_id=step.plan_id,
        step=step,
        step_title=step.title[:200],
        action=PlanChange.Action.MOVED,
        field="position",
        old_value=str(index + 1),
        new_value=str(other + 1),
        by=by,
    )
    _touch(step.plan, by)
    return True


# --- Documents ---


@transaction.atomic
def document_add(*, step: PlanStep, title: str, by, url: str = "", upload=None, content_type: str = "") -> StepDocument:
    document = StepDocument(step=step, title=title, url=url, added_by=by)
    if upload is not None:
        document.file = upload
        document.size = upload.size
        document.content_type = content_type
    document.save()
    PlanChange.objects.create(
        plan=step.plan,
        step=step,
        step_title=step.title[:200],
        action=PlanChange.Action.UPDATED,
        field="documents",
        new_value=title,
        by=by,
    )
    _touch(step.plan, by)
    return document


@transaction.atomic
def document_delete(*, document: StepDocument, by) -> None:
    step = document.step
    PlanChange.objects.create(
        plan=step.plan,
        step=step,
        step_title=step.title[:200],
        action=PlanChange.Action.UPDATED,
        field="documents",
        old_value=document.title,
        by=by,
    )
    if document.file:
        name, storage = document.file.name, document.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    document.delete()
    _touch(step.plan, by)


# --- Comments ---


def plan_directors(school: School, year: SchoolYear) -> list[Person]:
    return list(
        Person.objects.filter(
            Q(memberships__year=year) | Q(memberships__year__isnull=True),
            memberships__role=Role.DIRECTOR,
            memberships__school=school,
        )
        .select_related("user")
        .distinct()
    )


@transaction.atomic
def comment_add(*, step: PlanStep, author, body: str) -> StepComment:
    """Save the comment; the school's directors (other than the author) get an e-mail after commit."""
    body = body.strip()
    if not body:
        raise PlanError(_("Écrivez un commentaire."))
    comment = StepComment.objects.create(step=step, author=author, body=body)
    plan = step.plan
    url = settings.SITE_URL + reverse("plans:plan_detail", kwargs={"pk": plan.pk}) + f"#step-{step.pk}"
    for director in plan_directors(plan.school, access_year()):
        if director.user_id == author.pk:
            continue
        address = director.email or (director.user.email if director.user else "")
        if not address:
            continue
        queue_email(
            "plan-comment",
            address,
            {
                "director": director.first_name,
                "author": author.get_full_name() or author.email,
                "school": plan.school.name,
                "year": plan.year.label,
                "step": step.title[:200],
                "body": body,
                "url": url,
            },
            language=director.user.language if director.user else None,
            key=f"plan-comment:{comment.pk}:{director.pk}",
            source=f"plan:{plan.pk}",
        )
    return comment


def access_year() -> SchoolYear | None:
    """Directors are those of the current year (the ones who would open the plan today)."""
    return SchoolYear.objects.current()


def unread_comments(plan: DeploymentPlan, user):
    """Comments of the plan written by others after the user last marked them read."""
    seen = CommentsSeen.objects.filter(user=user, plan=plan).values_list("seen_at", flat=True).first()
    comments = StepComment.objects.filter(step__plan=plan).exclude(author=user)
    if seen:
        comments = comments.filter(created_at__gt=seen)
    return comments.select_related("author__person", "step").order_by("created_at")


def comments_mark_read(*, plan: DeploymentPlan, user) -> None:
    CommentsSeen.objects.update_or_create(user=user, plan=plan, defaults={"seen_at": timezone.now()})


# --- The tracking table of new staff ---


def newcomer_candidates(school: School, year: SchoolYear) -> dict[int, str]:
    """Who is new at the school this year: person id → reason.

    New = entitled to the induction programme this year (PE en IP) and assigned to
    the school, or assigned to the school this year with no assignment at the centre
    in an earlier year. The second rule applies only when the centre has staff
    records of an earlier year; otherwise everybody would look new in the first
    year the staff were imported.
    """
    assigned = StaffAssignment.objects.filter(school=school, year=year).values("person_id")
    entitled = set(Entitlement.objects.filter(year=year, person_id__in=assigned).values_list("person_id", flat=True))
    reasons = {person_id: NewcomerReason.ENTITLEMENT for person_id in entitled}
    if StaffAssignment.objects.filter(year__starts_on__lt=year.starts_on).exists():
        earlier = StaffAssignment.objects.filter(year__starts_on__lt=year.starts_on).values("person_id")
        first_year = (
            StaffAssignment.objects.filter(school=school, year=year)
            .exclude(person_id__in=earlier)
            .values_list("person_id", flat=True)
        )
        for person_id in first_year:
            reasons.setdefault(person_id, NewcomerReason.FIRST_YEAR)
    return reasons


def newcomers_sync(*, school: School, year: SchoolYear) -> None:
    """Add the rows of new people not yet in the table; the follower defaults to the active pairing's mentor."""
    reasons = newcomer_candidates(school, year)
    known = set(Newcomer.objects.filter(school=school, year=year).values_list("person_id", flat=True))
    missing = [person_id for person_id in reasons if person_id not in known]
    if not missing:
        return
    mentors = dict(
        Pairing.objects.active().filter(year=year, mentee_id__in=missing).values_list("mentee_id", "mentor_id")
    )
    Newcomer.objects.bulk_create(
        [
            Newcomer(school=school, year=year, person_id=pid, reason=reasons[pid], followed_by_id=mentors.get(pid))
            for pid in missing
        ],
        ignore_conflicts=True,
    )


NEWCOMER_FIELDS = ["followed_by", "status", "needs", "next_follow_up_on", "notes"]


@transaction.atomic
def newcomer_update(*, newcomer: Newcomer, data: dict, expected_version: int, by) -> Newcomer:
    current = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    if current.version != expected_version:
        raise NewcomerConflict(current)
    for name in NEWCOMER_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    current.version = expected_version + 1
    current.updated_by = by
    current.save()
    return current


@transaction.atomic
def newcomer_follow_up(*, newcomer: Newcomer, date: datetime.date, status: str, note: str, by) -> NewcomerFollowUp:
    """Keep a trace of a follow-up; the row's status follows the latest one."""
    entry = NewcomerFollowUp.objects.create(newcomer=newcomer, date=date, status=status, note=note, by=by)
    latest = newcomer.follow_ups.order_by("-date", "-pk").first()
    if latest.pk == entry.pk:
        from schools.privacy import audit

        before = audit.values_of(newcomer, ["status"])
        Newcomer.objects.filter(pk=newcomer.pk).update(
            status=status, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
        newcomer.status = status
        audit.log_update(newcomer, before)  # update() sends no signal (Law 25 audit trail)
    return entry
