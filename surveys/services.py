"""Writes on surveys: submissions, invitations and reminders, copies, the builder's edits."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat import outbox
from roles.models import Membership, Role
from schools.models import Entitlement, Person, School, SchoolYear, StaffAssignment
from surveys import aggregates, conf, emails, rawlines
from surveys.models import (
    Answer,
    Audience,
    Choice,
    Invitation,
    Question,
    Response,
    Survey,
    week_of,
)


class SurveyError(Exception):
    """A write refused for a reason the user can act on (message in French)."""


class StaleEdit(SurveyError):
    pass


# Submissions


def respondent_school(person: Person, year: SchoolYear) -> School | None:
    """The school where the person holds the largest share of their task this year."""
    assignment = (
        StaffAssignment.objects.filter(person=person, year=year)
        .select_related("school")
        .order_by("-task_share", "school__name")
        .first()
    )
    return assignment.school if assignment else None


def response_submit(*, invitation: Invitation, answers: list[dict], now: datetime.datetime | None = None) -> Response:
    """Store an anonymous response, count it in the survey's results and mark the invitation answered, in one transaction.

    The response keeps its line of the raw CSV (rawlines.py), written from the same answers.
    The conditional UPDATE is the guard: two concurrent submissions of the same
    link cannot both flip has_answered, so at most one Response is created.
    """
    now = now or timezone.now()
    survey = invitation.survey
    if survey.is_closed(now):
        raise SurveyError(_("Ce sondage est fermé."))
    school = respondent_school(invitation.person, survey.year)
    shape = aggregates.SurveyShape.of(survey)
    response = Response(
        survey=survey,
        submitted_week=week_of(timezone.localdate(now)),
        school=school,
        order=school.order if school else "",
    )
    rawlines.stamp(rawlines.Layout(shape.questions.values()), response, answers)
    with transaction.atomic():
        flipped = Invitation.objects.filter(pk=invitation.pk, has_answered=False).update(has_answered=True, draft=None)
        if not flipped:
            raise SurveyError(_("Vous avez déjà répondu à ce sondage. Merci !"))
        response.save(force_insert=True)
        Answer.objects.bulk_create(Answer(response=response, **values) for values in answers)
        aggregates.record(survey, [(response, answers)], shape)
    invitation.has_answered, invitation.draft = True, None
    return response


def draft_save(*, invitation: Invitation, data: dict) -> None:
    if invitation.has_answered or invitation.survey.is_closed():
        raise SurveyError(_("Ce sondage est fermé."))
    Invitation.objects.filter(pk=invitation.pk, has_answered=False).update(draft=data)


# Invitations and reminders


def audience_people(survey: Survey):
    """The people a survey is for, from this year's roles."""
    year = survey.year
    if survey.audience == Audience.CUSTOM:
        return survey.custom_people.all()
    if survey.audience == Audience.MENTEES:
        ids = set(Entitlement.objects.filter(year=year).values_list("person_id", flat=True))
        mentees = Membership.objects.filter(role=Role.MENTEE, year=year).active_on()
        ids |= set(mentees.values_list("person_id", flat=True))
        return Person.objects.filter(id__in=ids)
    role = Role.MENTOR if survey.audience == Audience.MENTORS else Role.DIRECTOR
    # A role ended (a director replaced in January) no longer brings the survey.
    return Person.objects.filter(id__in=Membership.objects.filter(role=role, year=year).active_on().values("person_id"))


@transaction.atomic
def invitations_generate(*, survey: Survey) -> int:
    """Create the missing invitations of the survey's audience; returns how many were added."""
    invited = set(survey.invitations.values_list("person_id", flat=True))
    new = [Invitation(survey=survey, person=person) for person in audience_people(survey) if person.pk not in invited]
    Invitation.objects.bulk_create(new)
    return len(new)


def respond_url(invitation: Invitation) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{reverse('surveys:respond', args=[invitation.token])}"


def invitations_send(
    *,
    survey: Survey,
    reminder: bool = False,
    now: datetime.datetime | None = None,
    source: str = "",
    gap_days: int | None = None,
) -> int:
    """Queue the personal links in the outbox: first invitations, or reminders to those who have not answered.

    Returns how many messages were queued; a worker sends them, and marks each
    invitation sent (or reminded) only once its e-mail has left. Running it
    twice queues nothing more; a message that failed goes back in the queue.

    A reminder is a nudge: it goes only to people invited or reminded at least
    ``gap_days`` (``reminder_gap_days``) ago, to no one reminded of any survey in the last
    week, and not to those who turned automatic reminders off.
    """
    now = now or timezone.now()
    if not survey.is_open(now):
        raise SurveyError(_("Le sondage n'est pas ouvert : aucun courriel envoyé."))
    invitations = survey.invitations.pending().exclude(person__email="").select_related("person__user")
    if reminder:
        cutoff = now - datetime.timedelta(days=conf.reminder_gap_days() if gap_days is None else gap_days)
        week = now - datetime.timedelta(days=7)
        invitations = (
            invitations.filter(sent_at__lte=cutoff)
            .exclude(reminded_at__gt=cutoff)
            .exclude(person__survey_invitations__reminded_at__gt=week)
            .exclude(person__user__receives_nudges=False)
        )
    else:
        invitations = invitations.filter(sent_at__isnull=True)
    kind = emails.REMINDER if reminder else emails.INVITATION
    # The weekly cap also counts reminders queued and not yet delivered (another survey's, a moment ago).
    capped = emails.recently_reminded(now - datetime.timedelta(days=7)) if reminder else set()
    day = timezone.localdate(now).isoformat()
    source = source or f"survey:{survey.pk}:{'reminder' if reminder else 'invitation'}"
    messages = []
    for invitation in invitations.distinct():
        if invitation.person_id in capped:
            continue
        capped.add(invitation.person_id)
        user = invitation.person.user
        messages.append(
            {
                "key": f"{kind}:{invitation.pk}:{day}" if reminder else f"{kind}:{invitation.pk}",
                "kind": kind,
                "to": invitation.person.email,
                "context": {"invitation": invitation.pk, "person": invitation.person_id},
                "language": user.language if user else "",
                "source": source,
            }
        )
    # One bulk insert: the button answers at once even for a campaign of thousands.
    return outbox.enqueue_many(messages)


# Builder


def _bump_version(survey: Survey, version: int | None) -> None:
    """Optimistic lock: refuse the write if someone saved the survey since the form was shown."""
    if version is None or not Survey.objects.filter(pk=survey.pk, version=version).update(version=F("version") + 1):
        raise StaleEdit(
            _("Ce sondage a été modifié par quelqu'un d'autre entre-temps. Rechargez la page et recommencez.")
        )
    survey.version = version + 1


def ensure_questions_editable(survey: Survey) -> None:
    if survey.has_responses():
        raise SurveyError(
            _(
                "Ce sondage a déjà des réponses : ses questions ne peuvent plus changer. "
                "Copiez-le pour une nouvelle année."
            )
        )


@transaction.atomic
def survey_save(*, form, version: int | None = None) -> Survey:
    survey = form.instance
    if survey.pk:
        _bump_version(survey, version)
    survey = form.save(commit=False)
    survey.introduction_to_review = False  # the form showed the introduction: saving it is the review
    survey.save()
    survey.custom_people.set(form.cleaned_data.get("people_list") or [])
    return survey


@transaction.atomic
def question_save(*, form, version: int | None) -> Question:
    survey = form.survey
    ensure_questions_editable(survey)
    _bump_version(survey, version)
    question = form.save(commit=False)
    question.survey = survey
    if question.position is None:
        question.position = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question.bins = form.cleaned_data["bins_text"] if question.kind == "number" else []
    question.save()
    if question.has_choices:
        _replace_choices(question, form.cleaned_data["choices_text"])
    else:
        question.choices.all().delete()
    return question


def _replace_choices(question: Question, labels: list[str]) -> None:
    """Keep existing options (matched by label) so conditions pointing at them stay valid."""
    existing = {choice.label: choice for choice in question.choices.all()}
    question.choices.exclude(label__in=labels).delete()
    question.choices.update(position=F("position") + 10000)  # free the positions before renumbering
    for position, label in enumerate(labels, start=1):
        choice = existing.get(label) or Choice(question=question, label=label)
        choice.position = position
        choice.save()


@transaction.atomic
def question_delete(*, question: Question, version: int | None) -> None:
    survey = question.survey
    ensure_questions_editable(survey)
    _bump_version(survey, version)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, step: int, version: int | None) -> None:
    """Swap the question with its neighbour above (step -1) or below (step +1)."""
    survey = question.survey
    ensure_questions_editable(survey)
    _bump_version(survey, version)
    siblings = survey.questions.order_by("position")
    neighbour = (
        siblings.filter(position__lt=question.position).last()
        if step < 0
        else siblings.filter(position__gt=question.position).first()
    )
    if neighbour is None:
        return
    a, b = question.position, neighbour.position
    Question.objects.filter(pk=question.pk).update(position=0)
    Question.objects.filter(pk=neighbour.pk).update(position=a)
    Question.objects.filter(pk=question.pk).update(position=b)


@transaction.atomic
def survey_copy(*, survey: Survey, year: SchoolYear, title: str, opens_at, closes_at) -> Survey:
    """A new survey with the same questions; each copied question remembers its origin for comparisons."""
    copy = Survey.objects.create(
        title=title,
        introduction=survey.introduction,
        # Last year's introduction (« depuis septembre 2022 ») is flagged until someone saves the survey.
        introduction_to_review=bool(survey.introduction.strip()),
        audience=survey.audience,
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        copied_from=survey,
    )
    copy.custom_people.set(survey.custom_people.all())
    new_ids = {}
    questions = list(survey.questions.prefetch_related("choices").order_by("position"))
    for question in questions:
        new = Question.objects.create(
            survey=copy,
            position=question.position,
            kind=question.kind,
            text=question.text,
            help=question.help,
            required=question.required,
            allow_other=question.allow_other,
            bins=question.bins,
            show_if_value=question.show_if_value,
            origin=question,
        )
        new_ids[question.pk] = new
        Choice.objects.bulk_create(
            Choice(question=new, position=c.position, label=c.label) for c in question.choices.all()
        )
    for question in questions:
        if question.show_if_question_id:
            new = new_ids[question.pk]
            new.show_if_question = new_ids.get(question.show_if_question_id)
            new.save(update_fields=["show_if_question"])
    return copy
