"""Writes of the cohorts and their events: every event save goes through the planning rules.

Keyword-only functions that validate, save inside one transaction and then call
the hooks of notify.py (invitations and their e-mails are the calendar side's).
Errors carry a French message for the user; nothing is written when one is raised.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mentors.accompaniment import notify
from mentors.accompaniment.conflicts import Conflict, check_event
from mentors.models import Cohort, CohortMember, Event, EventDocument, EventPeriod, EventStatus, MentorAssignment
from mentors.models.accompaniment import DEFAULT_TIMES
from mentors.services import ConflictError, MentoringError
from roles.access import Access
from roles.models import Membership, Role
from schools.models import Person


class PlanningError(MentoringError):
    """A rule refused the write; str(error) is the French message, .messages each one."""

    def __init__(self, messages: str | Iterable[str]):
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


class PlanningConflicts(PlanningError):
    """The event breaks planning rules; HR may save it anyway with a reason."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__([conflict.message for conflict in conflicts])


def _stale(model) -> ConflictError:
    if model is Cohort:
        message = _(
            "Cette cohorte a été modifiée par une autre personne pendant que vous la consultiez. "
            "Rien n'a été enregistré : rechargez la page et vérifiez avant de recommencer."
        )
    else:
        message = _(
            "Cet événement a été modifié par une autre personne pendant que vous le consultiez. "
            "Rien n'a été enregistré : vérifiez la version enregistrée avant de recommencer."
        )
    return ConflictError(message)


def _bump_version(model, pk: int, expected_version: int) -> int:
    """Claim the row at expected_version (refused if someone saved since); returns the new version."""
    if not model.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1):
        raise _stale(model)
    return expected_version + 1


# --- Cohorts ---


def _holders(person_ids: Iterable[int], role: str, year) -> set[int]:
    return set(
        Membership.objects.in_force(year)
        .filter(role=role, person_id__in=person_ids)
        .values_list("person_id", flat=True)
    )


@transaction.atomic
def cohort_save(
    *, cohort: Cohort, panes: list[Person], trainers: list[Person], by, expected_version: int | None = None
) -> Cohort:
    """Create or edit a cohort: its name, order, PANE (one at least) and trainers."""
    errors = []
    if not panes:
        errors.append(_("Choisissez au moins une personne PANE."))
    pane_ids = _holders([p.pk for p in panes], Role.PANE, cohort.year)
    not_pane = [p.full_name for p in panes if p.pk not in pane_ids]
    if not_pane:
        errors.append(_("Ces personnes n'ont pas le rôle PANE : %(names)s.") % {"names": ", ".join(not_pane)})
    trainer_ids = _holders([p.pk for p in trainers], Role.TRAINER, cohort.year)
    not_trainer = [p.full_name for p in trainers if p.pk not in trainer_ids]
    if not_trainer:
        errors.append(
            _("Ces personnes n'ont pas le rôle de formatrice universitaire : %(names)s.")
            % {"names": ", ".join(not_trainer)}
        )
    same_name = Cohort.objects.filter(year_id=cohort.year_id, name__iexact=cohort.name.strip()).exclude(pk=cohort.pk)
    if same_name.exists():
        errors.append(
            _("Une cohorte « %(name)s » existe déjà en %(year)s.") % {"name": cohort.name, "year": cohort.year.label}
        )
    if errors:
        raise PlanningError(errors)
    cohort.name = cohort.name.strip()
    if cohort.pk:
        cohort.version = _bump_version(
            Cohort, cohort.pk, cohort.version if expected_version is None else expected_version
        )
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        raise PlanningError(
            _("Une cohorte « %(name)s » existe déjà en %(year)s.") % {"name": cohort.name, "year": cohort.year.label}
        ) from None
    cohort.panes.set(panes)
    cohort.trainers.set(trainers)
    _resync_published(cohort)
    return cohort


def _resync_published(cohort: Cohort) -> None:
    """The cohort's people changed: its published upcoming events invite the new ones and
    send a cancellation to those who left."""
    notify.cohort_changed(cohort)


def nominated_ids(year) -> set[int]:
    """The year's nominated mentors: people with a MentorAssignment that year."""
    return set(MentorAssignment.objects.filter(year=year).values_list("person_id", flat=True))


@transaction.atomic
def cohort_place(*, cohort: Cohort, people: list[Person], by) -> list[CohortMember]:
    """Place mentors in a cohort, all or none: each must be nominated this year and in no other cohort."""
    nominated = nominated_ids(cohort.year_id)
    elsewhere = {
        member.person_id: member.cohort
        for member in CohortMember.objects.filter(year_id=cohort.year_id, person__in=people).select_related("cohort")
    }
    errors, new = [], []
    for person in people:
        other = elsewhere.get(person.pk)
        if other is not None and other.pk == cohort.pk:
            continue
        if person.pk not in nominated:
            errors.append(
                _("%(name)s n'est pas nommée personne mentore en %(year)s.")
                % {"name": person.full_name, "year": cohort.year.label}
            )
        elif other is not None:
            errors.append(
                _(
                    "%(name)s fait déjà partie de la cohorte « %(cohort)s » cette année : une personne mentore est dans une seule cohorte par année."
                )
                % {"name": person.full_name, "cohort": other.name}
            )
        else:
            new.append(CohortMember(cohort=cohort, person=person, year_id=cohort.year_id))
    if errors:
        raise PlanningError(errors)
    try:
        with transaction.atomic():
            CohortMember.objects.bulk_create(new)
            from schools.privacy import audit

            audit.log_bulk(CohortMember, created=new, fields=["cohort", "person", "year"])
    except IntegrityError:
        raise PlanningError(
            _("Une autre personne vient de placer ces personnes mentores : rechargez la page.")
        ) from None
    _resync_published(cohort)
    return new


@transaction.atomic
def cohort_remove_member(*, cohort: Cohort, person: Person, by) -> None:
    CohortMember.objects.filter(cohort=cohort, person=person).delete()
    _resync_published(cohort)


# --- Events ---


@transaction.atomic
def event_save(
    *,
    event: Event,
    by,
    expected_version: int | None = None,
    override_reason: str = "",
    documents: list[tuple[str, str]] | None = None,
) -> Event:
    """Create or edit an event after checking every planning rule.

    With conflicts, the event is saved only if ``by`` may waive the rules (HR,
    administrator) and wrote a reason; the waiver is recorded on the event.
    ``documents`` (title, url) replace the event's links when given.
    """
    if event.cohort_id:
        event.year_id = event.cohort.year_id
    conflicts = check_event(event)
    reason = override_reason.strip()
    if conflicts:
        if not reason:
            raise PlanningConflicts(conflicts)
        if by is None or not Access(by).can("event.override", event):
            raise PlanningError(_("Seules les ressources humaines peuvent déroger aux règles de planification."))
        event.override_reason, event.overridden_by, event.overridden_at = reason, by, timezone.now()
    else:
        # A waiver only stands while the event breaks a rule.
        event.override_reason, event.overridden_by, event.overridden_at = "", None, None
    if event.pk:
        expected = event.version if expected_version is None else expected_version
        event.version = _bump_version(Event, event.pk, expected)
    else:
        event.created_by = by
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise PlanningError(
            _("Un autre événement vient d'être enregistré avec ce numéro : rechargez la page.")
        ) from None
    if documents is not None:
        event.documents.all().delete()
        EventDocument.objects.bulk_create(
            [EventDocument(event=event, title=title, url=url, position=i) for i, (title, url) in enumerate(documents)]
        )
    if event.status == EventStatus.PUBLISHED:
        notify.event_changed(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by, expected_version: int) -> bool:
    """Cancel a published event (kept, invitees told); a draft nobody saw is deleted. True if deleted."""
    _bump_version(Event, event.pk, expected_version)
    if event.status == EventStatus.DRAFT:
        event.delete()
        return True
    if event.status == EventStatus.CANCELLED:
        return False
    event.status = EventStatus.CANCELLED
    event.version = expected_version + 1
    event.save(update_fields=["status", "version", "updated_at"])
    notify.event_cancelled(event)
    return False


@transaction.atomic
def cohort_publish(*, cohort: Cohort, by) -> list[Event]:
    """Publish the cohort's drafts; each is checked again (the calendar may have changed since)."""
    drafts = list(cohort.events.filter(status=EventStatus.DRAFT).select_related("year", "cohort"))
    messages = []
    for event in drafts:
        if event.override_reason:
            continue  # HR waived its conflicts, with a reason on record
        messages += [f"{event.label} : {conflict.message}" for conflict in check_event(event)]
    if messages:
        raise PlanningError(messages)
    Event.objects.filter(pk__in=[e.pk for e in drafts]).update(
        status=EventStatus.PUBLISHED, version=F("version") + 1, updated_at=timezone.now()
    )
    for event in drafts:
        event.status = EventStatus.PUBLISHED
        event.version += 1
    if drafts:
        notify.events_published(drafts)
    return drafts


@transaction.atomic
def plan_accept(*, cohort: Cohort, by, digest: str) -> list[Event]:
    """Create the planner's proposal as draft events, all or none (each save checks the rules)."""
    from mentors.accompaniment import planner

    plan = planner.propose(cohort)
    if plan.digest != digest:
        raise PlanningError(
            _("Le calendrier a changé depuis la proposition : voici une nouvelle proposition à vérifier.")
        )
    events = []
    for proposal in plan.proposals:
        starts_at, ends_at = DEFAULT_TIMES[EventPeriod(proposal.period)]
        event = Event(
            year_id=cohort.year_id,
            cohort=cohort,
            kind=proposal.kind,
            number=proposal.number,
            date=proposal.date,
            period=proposal.period,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        events.append(event_save(event=event, by=by))
    return events
