"""What happens when events are published, changed or cancelled: invitations and their e-mails.

The planning side (cohorts, planner, event forms) calls these after its own
writes; this module keeps the invitations in step with the invitee rule
(mentors.accompaniment.people) and tells the invitees.

Each invitee gets one e-mail per message, with an .ics attachment: REQUEST with
the event's stable UID and its SEQUENCE (new or changed), CANCEL when the event
is cancelled or the person is no longer invited. The e-mails leave after the
transaction commits, through the outbox (key ``event:<event>:<person>:<sequence>:<message>``):
its builder renders at send time, and only once the message has left is the
SEQUENCE recorded on the invitation, so a failing mail server leaves it unsent
and the retry sends it. A message that a newer one has overtaken (the event
changed again meanwhile) is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from mentorat import outbox
from mentorat.emails import build_templated
from mentors.accompaniment import dates, ics
from mentors.accompaniment.people import invitee_ids
from mentors.models import Event, EventInvitation, EventStatus
from schools.models import Person

logger = logging.getLogger(__name__)

INVITATION = "invitation"  # first message to this person about this event
UPDATE = "update"  # the event moved or its content changed
CANCEL = "cancel"  # the event is cancelled, or the person is no longer invited
MESSAGES = (INVITATION, UPDATE, CANCEL)


def sync_invitations(event: Event) -> set[int]:
    """Invite whoever the rule adds; drop those it no longer names. Returns the dropped who had been told.

    An invitation whose attendance was recorded stays: it is the trace of the day.
    """
    wanted = invitee_ids(event)
    existing = dict(event.invitations.values_list("person_id", "sent_sequence"))
    EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, person_id=person_id) for person_id in wanted - existing.keys()],
        ignore_conflicts=True,
    )
    gone = existing.keys() - wanted
    dropped = set(
        event.invitations.filter(person_id__in=gone, attended__isnull=True).values_list("person_id", flat=True)
    )
    event.invitations.filter(person_id__in=dropped).delete()
    return {person_id for person_id in dropped if existing[person_id] is not None}


def _queue(event: Event, person_id: int, message: str) -> None:
    """One message in the outbox, in the caller's transaction; the address is read when it leaves."""
    email = Person.objects.filter(pk=person_id).values_list("email", flat=True).first()
    if not email:
        return
    outbox.enqueue(
        key=f"event:{event.pk}:{person_id}:{event.sequence}:{message}",
        kind=KIND,
        to=email,
        context={"event": event.pk, "person": person_id, "sequence": event.sequence, "message": message},
        source=f"event:{event.pk}",
    )


def _bump_sequence(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
    event.refresh_from_db(fields=["sequence"])


def _tell_invitees(event: Event) -> None:
    """Queue the current version to each invitee who has not received it yet."""
    behind = Q(sent_sequence__isnull=True) | Q(sent_sequence__lt=event.sequence)
    for person_id, sent in event.invitations.filter(behind).values_list("person_id", "sent_sequence"):
        _queue(event, person_id, INVITATION if sent is None else UPDATE)


def events_published(events: Iterable[Event]) -> None:
    """Called once the events are saved with status « publié »."""
    for event in events:
        event.refresh_from_db(fields=["sequence", "status"])
        if event.status != EventStatus.PUBLISHED:
            continue
        sync_invitations(event)
        _tell_invitees(event)


def event_changed(event: Event) -> None:
    """Called after a published event was saved with a new date, time, place or content."""
    if event.status != EventStatus.PUBLISHED:
        return
    _bump_sequence(event)
    for person_id in sync_invitations(event):
        _queue(event, person_id, CANCEL)
    _tell_invitees(event)


def event_cancelled(event: Event) -> None:
    """Called after a published event was saved with status « annulé »."""
    _bump_sequence(event)
    for person_id in event.invitations.filter(sent_sequence__isnull=False).values_list("person_id", flat=True):
        _queue(event, person_id, CANCEL)


def cohort_changed(cohort) -> None:
    """After mentors join or leave a cohort: its published events to come invite the newcomers, cancel for the leavers."""
    today = timezone.localdate()
    for event in cohort.events.filter(status=EventStatus.PUBLISHED, date__gte=today):
        for person_id in sync_invitations(event):
            _queue(event, person_id, CANCEL)
        _tell_invitees(event)


# --- Sending (runs in the Celery task, after the commit) ---


def _answer_url(invitation: EventInvitation, answer: str) -> str:
    return settings.SITE_URL + reverse("mentors:rsvp_token", kwargs={"token": invitation.token, "answer": answer})


def email_context(event: Event, person: Person, invitation: EventInvitation | None, message: str) -> dict:
    """Plain data for the e-mail templates (formatted in the language being rendered)."""
    context = {
        "message": message,
        "first_name": person.first_name,
        "label": event.label,
        "kind": event.get_kind_display(),
        "when": dates.when(event),
        "date": dates.long_date(event.date, weekday=True),
        "place": event.place,
        "meeting_url": event.meeting_url,
        "agenda": event.agenda,
        "documents": [{"title": doc.title, "url": doc.url} for doc in event.documents.all()],
        "event_url": ics.event_url(event),
        "still_invited": invitation is not None,
    }
    if invitation is not None and message != CANCEL:
        context["present_url"] = _answer_url(invitation, "present")
        context["absent_url"] = _answer_url(invitation, "absent")
    return context


KIND = "event"


def _current(row) -> tuple[Event, Person, EventInvitation | None] | None:
    """The event, person and invitation of an outbox row, or None when the message is no longer needed."""
    c = row.context
    sequence, message = c["sequence"], c["message"]
    event = Event.objects.select_related("cohort").filter(pk=c["event"]).first()
    person = Person.objects.filter(pk=c["person"]).first()
    if event is None or person is None or not person.email:
        return None
    if event.sequence != sequence:
        return None  # stale: a newer message about this event is on its way
    invitation = EventInvitation.objects.filter(event=event, person=person).first()
    if invitation is None and message != CANCEL:
        return None  # no longer invited
    if invitation is not None and invitation.sent_sequence is not None and invitation.sent_sequence >= sequence:
        return None  # already sent
    return event, person, invitation


def build(row):
    """Render the message with the event as it is now, with its .ics; None (skipped) when stale or no longer due."""
    current = _current(row)
    if current is None:
        return None
    event, person, invitation = current
    message = row.context["message"]
    method = ics.CANCEL if message == CANCEL else ics.REQUEST
    with translation.override(settings.LANGUAGE_CODE):
        context = email_context(event, person, invitation, message)
        attachment = ics.attachment(event, person, method)
    return build_templated(f"event-{message}", person.email, context, attachments=[attachment])


def sent(row) -> None:
    """Record the SEQUENCE delivered, only now that the message has left."""
    c = row.context
    EventInvitation.objects.filter(event_id=c["event"], person_id=c["person"]).filter(
        Q(sent_sequence__isnull=True) | Q(sent_sequence__lt=c["sequence"])
    ).update(sent_sequence=c["sequence"], sent_at=timezone.now())
    logger.info("event %s: %s sent to person %s (sequence %s)", c["event"], c["message"], c["person"], c["sequence"])


def register() -> None:
    outbox.register(KIND, build, sent)
