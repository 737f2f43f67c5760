"""iCalendar (.ics) files of events: invitations (REQUEST / CANCEL) and feeds (PUBLISH).

Calendar programs recognise an event by its UID and keep the version with the
highest SEQUENCE: the UID is the event's stable UUID at the site's host, and
SEQUENCE is the one the event holds (bumped on each change sent to invitees).
Times are local (TZID=America/Toronto) with a VTIMEZONE built from zoneinfo, so
Outlook places them right on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from mentors.accompaniment import dates
from mentors.models import Event

PRODID = "-//Mentorat//Calendrier d'accompagnement//FR"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"
MIMETYPE = "text/calendar; method={method}; charset=utf-8"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{site_host()}"


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("mentors:event_detail", kwargs={"pk": event.pk})


def organizer() -> vCalAddress:
    """The no-reply sender of the site: answers go through the links of the e-mail, not to a mailbox."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or settings.SITE_NAME)
    return organizer


def attendee(person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.full_name)
    address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText("NEEDS-ACTION")
    address.params["rsvp"] = vText("FALSE")
    return address


def description(event: Event) -> str:
    """The agenda, the meeting link and the documents as plain text."""
    parts = []
    if event.agenda:
        parts.append(event.agenda.strip())
    if event.meeting_url:
        parts.append(_("Lien de la rencontre : %(url)s") % {"url": event.meeting_url})
    documents = list(event.documents.all())
    if documents:
        parts.append(_("Documents :") + "\n" + "\n".join(f"- {doc.title} : {doc.url}" for doc in documents))
    parts.append(_("Page de l'événement : %(url)s") % {"url": event_url(event)})
    return "\n\n".join(parts)


def vevent(event: Event, *, recipient=None, cancelled: bool = False) -> VEvent:
    component = VEvent()
    component.add("uid", event_uid(event))
    component.add("sequence", event.sequence)
    component.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    component.add("dtstart", dates.starts(event))
    component.add("dtend", dates.ends(event))
    component.add("summary", event.label)
    location = event.place or event.meeting_url
    if location:
        component.add("location", location)
    component.add("url", event_url(event))
    component.add("description", description(event))
    component.add("organizer", organizer())
    if recipient is not None and recipient.email:
        component.add("attendee", attendee(recipient))
    component.add("status", "CANCELLED" if cancelled or event.is_cancelled else "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def calendar(events: Iterable[Event], method: str, *, recipient=None, name: str = "") -> str:
    """A VCALENDAR of the events with METHOD and the VTIMEZONE their times need."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    days = []
    for event in events:
        cal.add_component(vevent(event, recipient=recipient, cancelled=method == CANCEL))
        days.append(event.date)
    if days:
        # Transitions of the events' years only (the whole zoneinfo history would weigh ~100 kB).
        first, last = min(days), max(days)
        cal.add_missing_timezones(first_date=first.replace(month=1, day=1), last_date=last.replace(month=12, day=31))
    return cal.to_ical().decode()


def invitation(event: Event, recipient, method: str) -> str:
    """The .ics attached to one invitee's e-mail: REQUEST (new or changed) or CANCEL."""
    return calendar([event], method, recipient=recipient)


def attachment(event: Event, recipient, method: str) -> tuple[str, str, str]:
    name = "annulation.ics" if method == CANCEL else "invitation.ics"
    return (name, invitation(event, recipient, method), MIMETYPE.format(method=method))


def feed(events: Iterable[Event], name: str) -> str:
    """A subscription feed: every event the person sees, cancelled ones marked CANCELLED."""
    return calendar(events, PUBLISH, name=name)
