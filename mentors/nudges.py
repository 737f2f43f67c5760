"""Nudges: automatic reminders, in moderation. The daily task (mentors.tasks.send_nudges) calls ``send_all``.

| kind | to | when |
| --- | --- | --- |
| ``unpaired`` | HR and the PANE, one digest each | a novice (``Entitlement``) still unpaired 7, then 14 days after starting |
| ``no-meeting`` | the mentor, one digest | active pairings with no follow-up entry for three weeks |
| survey reminder | the invitee | a survey link without an answer for a week while the survey is open |

Every nudge goes through the outbox with the key ``nudge:<kind>:<person>:<date>``,
so a second run the same day queues nothing; never more than one nudge of a kind
per person in seven days; nobody who turned automatic reminders off on « Mes
rappels automatiques » (``User.receives_nudges``) gets one. Required notices
(invitations, decisions) are not nudges.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mentorat import outbox
from mentorat.models import OutboundEmail
from mentors.models import FollowUpEntry, Pairing
from roles.models import Membership, Role
from schools.models import Entitlement, Person, SchoolYear

logger = logging.getLogger(__name__)

UNPAIRED = "unpaired"
NO_MEETING = "no-meeting"
WEEK = datetime.timedelta(days=7)
# Days after starting when HR and the PANE hear of a novice still without a mentor.
UNPAIRED_MARKS = (7, 14)
# A mark missed (a nudge held back by the weekly cap) is caught up within this many days, then dropped.
MARK_WINDOW = 14
NO_MEETING_DAYS = 21
SURVEY_REMINDER_DAYS = 7
# Nudges leave during the working day (America/Toronto), not at the first run after midnight.
FROM_HOUR = 8


def key(kind: str, person: Person, day: datetime.date) -> str:
    return f"nudge:{kind}:{person.pk}:{day.isoformat()}"


def recently_nudged(kind: str, person: Person, now: datetime.datetime) -> bool:
    """The weekly cap: a nudge of this kind went (or is going) to this person in the last seven days."""
    return OutboundEmail.objects.filter(
        key__startswith=f"nudge:{kind}:{person.pk}:", created_at__gt=now - WEEK
    ).exists()


def wants_nudges(person: Person) -> bool:
    return person.user is None or person.user.receives_nudges


def address(person: Person) -> str:
    return person.email or (person.user.email if person.user else "")


def _queue(kind: str, person: Person, now: datetime.datetime, context: dict) -> bool:
    if not wants_nudges(person) or not address(person) or recently_nudged(kind, person, now):
        return False
    _row, created = outbox.enqueue(
        key=key(kind, person, timezone.localdate(now)),
        kind=f"nudge-{kind}",
        to=address(person),
        context={"first_name": person.first_name, **context},
        language=person.user.language if person.user else "",
        source=f"nudge:{kind}",
    )
    return created


# --- Novices still unpaired ---


def _reported_marks(person: Person) -> set[tuple[int, int]]:
    """(novice id, mark) already told to this recipient, read from their past digests."""
    contexts = OutboundEmail.objects.filter(key__startswith=f"nudge:{UNPAIRED}:{person.pk}:").values_list(
        "context", flat=True
    )
    return {(n["id"], n["mark"]) for context in contexts for n in context.get("novices", [])}


def unpaired_novices(year: SchoolYear, today: datetime.date) -> list[tuple[Entitlement, int]]:
    """(entitlement, mark) of the novices without an active mentor whose 7- or 14-day mark has come."""
    paired = Pairing.objects.active().filter(mentee=OuterRef("person"))
    entitlements = (
        Entitlement.objects.filter(
            year=year,
            started_on__lte=today - datetime.timedelta(days=UNPAIRED_MARKS[0]),
            started_on__gt=today - datetime.timedelta(days=UNPAIRED_MARKS[-1] + MARK_WINDOW),
        )
        .exclude(Exists(paired))
        .select_related("person")
        .order_by("started_on", "person__last_name")
    )
    due = []
    for entitlement in entitlements:
        days = (today - entitlement.started_on).days
        marks = [m for m in UNPAIRED_MARKS if m <= days < m + MARK_WINDOW]
        if marks:
            due.append((entitlement, marks[-1]))
    return due


def unpaired_recipients(year: SchoolYear, today: datetime.date):
    ids = Membership.objects.in_force(year, today).filter(role__in=[Role.HR, Role.PANE]).values("person_id")
    return Person.objects.filter(id__in=ids).select_related("user").order_by("pk")


def nudge_unpaired(now: datetime.datetime) -> int:
    """One digest per HR or PANE person listing the novices whose mark they have not yet been told of."""
    today = timezone.localdate(now)
    year = SchoolYear.objects.current(today)
    if year is None:
        return 0
    due = unpaired_novices(year, today)
    if not due:
        return 0
    queued = 0
    for person in unpaired_recipients(year, today):
        told = _reported_marks(person)
        novices = [
            {"id": e.person_id, "mark": mark, "name": e.person.full_name, "days": (today - e.started_on).days}
            for e, mark in due
            if not any((e.person_id, m) in told for m in UNPAIRED_MARKS if m >= mark)
        ]
        if novices:
            queued += _queue(UNPAIRED, person, now, {"novices": novices})
    return queued


# --- Mentors without a logged meeting ---


def nudge_no_meeting(now: datetime.datetime) -> int:
    """Each mentor whose active pairings have no follow-up entry for three weeks hears of them, once a week at most."""
    today = timezone.localdate(now)
    since = today - datetime.timedelta(days=NO_MEETING_DAYS)
    recent = FollowUpEntry.objects.filter(pairing=OuterRef("pk"), date__gt=since)
    quiet = (
        Pairing.objects.active()
        .filter(started_on__lte=since)
        .exclude(Exists(recent))
        .select_related("mentor__user", "mentee")
        .order_by("mentor_id", "mentee__last_name")
    )
    by_mentor: dict[int, tuple[Person, list[str]]] = {}
    for pairing in quiet:
        by_mentor.setdefault(pairing.mentor_id, (pairing.mentor, []))[1].append(pairing.mentee.full_name)
    return sum(
        _queue(NO_MEETING, mentor, now, {"mentees": mentees, "weeks": NO_MEETING_DAYS // 7})
        for mentor, mentees in by_mentor.values()
    )


# --- Survey links without an answer ---


def nudge_surveys(now: datetime.datetime) -> int:
    """The reminders of the open surveys: a week without an answer, at most one a week (surveys.services)."""
    from surveys.models import Survey
    from surveys.services import invitations_send

    open_surveys = Survey.objects.filter(opens_at__lte=now, closes_at__gt=now)
    return sum(
        invitations_send(survey=survey, reminder=True, now=now, gap_days=SURVEY_REMINDER_DAYS)
        for survey in open_surveys
    )


def send_all(now: datetime.datetime | None = None) -> dict:
    """Queue every nudge due today (from 8 h); each kind in its own transaction, one failing does not stop the others."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < FROM_HOUR:
        return {}
    done = {}
    for name, nudge in ((UNPAIRED, nudge_unpaired), (NO_MEETING, nudge_no_meeting), ("survey", nudge_surveys)):
        try:
            with transaction.atomic():
                done[name] = nudge(now)
        except Exception:  # the next day's run tries again
            logger.exception("nudges: %s failed", name)
    logger.info("nudges queued: %s", done)
    return done
