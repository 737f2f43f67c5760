"""What happens when events are published, changed or cancelled: invitations and their e-mails.

The planning side (cohorts, planner, event forms) calls these after its own
writes; this module keeps the invitations in step with the invitee rule
(mentors.accompaniment.people) and tells the invitees.
"""

from __future__ import annotations

from collections.abc import Iterable

from mentors.accompaniment.people import invitee_ids
from mentors.models import Event, EventInvitation


def sync_invitations(event: Event) -> None:
    """Create the missing invitations; drop those of people no longer invited who had not answered."""
    wanted = invitee_ids(event)
    existing = set(event.invitations.values_list("person_id", flat=True))
    EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, person_id=person_id) for person_id in wanted - existing],
        ignore_conflicts=True,
    )
    event.invitations.filter(person_id__in=existing - wanted, rsvp="pending", attended__isnull=True).delete()


def events_published(events: Iterable[Event]) -> None:
    """Called once the events are saved with status « publié »."""
    for event in events:
        sync_invitations(event)


def event_changed(event: Event) -> None:
    """Called after a published event was saved with a new date, time, place or content."""
    sync_invitations(event)


def event_cancelled(event: Event) -> None:
    """Called after a published event was saved with status « annulé »."""
