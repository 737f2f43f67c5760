"""The steps of the yearly cycle (see engine.py); each is small and reads its dates from their one source.

Each step's ``due(year, now)`` names the occurrences due at ``now`` from the
data (milestones, settings, events, surveys); ``run(year, occurrence)`` does
one, through the owning app's services, and queues its e-mails in the outbox
with a key naming the step, the occurrence and the person: doing it again
sends nothing. A step is due only for a while after its moment (``LATE``), so
a centre installed in the middle of the year does not replay last year.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.outbox import enqueue
from schools.cycle import engine
from schools.cycle.milestones import Kind, following_year, nomination_window
from schools.models import SchoolYear

# How long after its moment a step is still done (a worker down for days catches up).
LATE = datetime.timedelta(days=14)
# The reminder before the window closes, before each half-day, and before HR's deadline.
CLOSING_SOON = datetime.timedelta(days=2)
HALF_DAY_REMINDER_DAYS = 3
DECISIONS_REMINDER_DAYS = 7
SURVEY_REMINDER_EVERY = datetime.timedelta(days=7)


# --- Helpers ---


def _url(name: str, *args) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse(name, args=args)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _mail(year: SchoolYear, step: str, occurrence: str, kind: str, people, context: dict) -> int:
    """Queue one message per person with an e-mail (once per step, occurrence and person); returns how many are new."""
    new = 0
    for person in people:
        if not person.email:
            continue
        _row, created = enqueue(
            key=f"cycle:{year.pk}:{step}:{occurrence}:{person.pk}",
            kind=kind,
            to=person.email,
            context={"first_name": person.first_name, **context},
            source=f"cycle:{year.label}:{step}",
        )
        new += created
    return new


def _people(memberships):
    from schools.models import Person

    return Person.objects.filter(id__in=memberships.values("person_id")).exclude(email="").order_by("pk")


def _role(role: str, year: SchoolYear, **filters):
    from roles.models import Membership

    return _people(Membership.objects.filter(role=role, **filters).in_force(year))


def _recent(moment: datetime.datetime, now: datetime.datetime) -> bool:
    return moment <= now < moment + LATE


def _today(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now)


# --- The nomination window (the next year's settings hold it; this year's teachers apply) ---


def _window_context(year: SchoolYear) -> dict:
    opens, closes = nomination_window(year)
    return {"opens_at": _iso(opens), "closes_at": _iso(closes)}


@engine.step(
    "nominations-open",
    label=lambda: _("Ouverture des candidatures : courriel aux enseignants et aux directions"),
    milestone=Kind.NOMINATIONS,
)
def nominations_open(year: SchoolYear, occurrence: str) -> dict:
    from roles.models import Role
    from schools.models import Person

    teachers = Person.objects.filter(
        assignments__year=year, assignments__school__is_active=True
    ) | Person.objects.filter(id__in=_role(Role.TEACHER, year).values("pk"))
    directors = _role(Role.DIRECTOR, year, school__is_active=True)
    people = (teachers | Person.objects.filter(id__in=directors.values("pk"))).distinct().order_by("pk")
    context = {
        **_window_context(year),
        "url": _url("mentors:candidacy_mine"),
        "reflective_url": _url("mentors:reflective_tool"),
    }
    return {"emails": _mail(year, "nominations-open", occurrence, "cycle-nominations-open", people, context)}


@nominations_open.due
def _nominations_open_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    window = nomination_window(year)
    return [""] if window and window[0] <= now < window[1] else []


@engine.step(
    "nominations-closing-soon",
    label=lambda: _("Rappel deux jours avant la fermeture des candidatures"),
    milestone=Kind.NOMINATIONS,
)
def nominations_closing_soon(year: SchoolYear, occurrence: str) -> dict:
    from mentors.models import Candidacy, CandidacyStatus
    from roles.models import Role
    from schools.models import Person

    serving = following_year(year)
    candidacies = Candidacy.objects.for_year(serving)
    drafts = Person.objects.filter(candidacies__in=candidacies.filter(status=CandidacyStatus.DRAFT)).exclude(email="")
    context = {**_window_context(year), "url": _url("mentors:candidacy_mine")}
    emails = _mail(year, "nominations-closing-soon", occurrence, "cycle-nominations-closing", drafts, context)
    # Directors whose school has candidacies waiting for their opinion.
    waiting = candidacies.submitted().filter(director_opinion="").values_list("school_id", flat=True)
    directors = _role(Role.DIRECTOR, year, school__in=set(waiting))
    context = {**_window_context(year), "url": _url("mentors:director_candidacies")}
    emails += _mail(year, "nominations-closing-soon", occurrence, "cycle-opinions-pending", directors, context)
    return {"emails": emails}


@nominations_closing_soon.due
def _nominations_closing_soon_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    window = nomination_window(year)
    return [""] if window and window[1] - CLOSING_SOON <= now < window[1] else []


def _hr_context(year: SchoolYear) -> dict:
    from mentors.models import Candidacy

    serving = following_year(year)
    submitted = Candidacy.objects.for_year(serving).submitted()
    return {
        "candidacies": submitted.count(),
        "undecided": submitted.filter(decision="").count(),
        "decided_by": _iso(year.nominations_decided_by),
        "serving": serving.label,
        "url": _url("mentors:board"),
    }


@engine.step(
    "nominations-closed", label=lambda: _("Fermeture des candidatures : courriel aux RH"), milestone=Kind.NOMINATIONS
)
def nominations_closed(year: SchoolYear, occurrence: str) -> dict:
    from roles.models import Role

    context = _hr_context(year)
    emails = _mail(year, "nominations-closed", occurrence, "cycle-nominations-closed", _role(Role.HR, year), context)
    return {"emails": emails, "candidacies": context["candidacies"]}


@nominations_closed.due
def _nominations_closed_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    window = nomination_window(year)
    return [""] if window and _recent(window[1], now) else []


@engine.step(
    "decisions-reminder",
    label=lambda: _("Rappel aux RH une semaine avant la date des nominations"),
    milestone=Kind.DECISIONS,
)
def decisions_reminder(year: SchoolYear, occurrence: str) -> dict:
    from roles.models import Role

    context = _hr_context(year)
    emails = _mail(year, "decisions-reminder", occurrence, "cycle-decisions-reminder", _role(Role.HR, year), context)
    return {"emails": emails, "undecided": context["undecided"]}


@decisions_reminder.due
def _decisions_reminder_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    from mentors.models import Candidacy

    deadline = year.nominations_decided_by
    serving = following_year(year)
    today = _today(now)
    if (
        not deadline
        or not serving
        or not (deadline - datetime.timedelta(days=DECISIONS_REMINDER_DAYS) <= today <= deadline)
    ):
        return []
    undecided = Candidacy.objects.for_year(serving).submitted().filter(decision="").exists()
    return [""] if undecided else []


# --- Half-days: a reminder before each published one; a word to the PANE and HR while they are unplanned ---


def _reminded_events(year: SchoolYear, today: datetime.date):
    from mentors.models import EventKind
    from mentors.models.accompaniment import HALF_DAY_KINDS

    horizon = today + datetime.timedelta(days=HALF_DAY_REMINDER_DAYS)
    return (
        year.events.published()
        .filter(kind__in={*HALF_DAY_KINDS, EventKind.COHORT_DAY}, date__gt=today, date__lte=horizon)
        .order_by("date", "pk")
    )


@engine.step(
    "half-day-reminder",
    label=lambda: _("Rappel aux personnes invitées trois jours avant chaque rencontre"),
    milestone=Kind.REGULATION,
)
def half_day_reminder(year: SchoolYear, occurrence: str) -> dict:
    from mentors.models import Event, Rsvp
    from schools.models import Person

    event = Event.objects.get(pk=int(occurrence), year=year)
    invited = event.invitations.exclude(rsvp=Rsvp.ABSENT).values("person_id")
    people = Person.objects.filter(id__in=invited).exclude(email="").order_by("pk")
    start = timezone.make_aware(datetime.datetime.combine(event.date, event.starts_at))
    context = {
        "title": event.label if isinstance(event.label, str) else str(event.label),
        "starts_at": _iso(start),
        "place": event.place,
        "meeting_url": event.meeting_url,
        "url": _url("mentors:calendar_mine"),
    }
    return {"emails": _mail(year, "half-day-reminder", occurrence, "cycle-event-reminder", people, context)}


@half_day_reminder.due
def _half_day_reminder_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    return [str(pk) for pk in _reminded_events(year, _today(now)).values_list("pk", flat=True)]


def _unplanned_half_days(year: SchoolYear, today: datetime.date) -> list[str]:
    from mentors.models import EventKind, ProgrammeSettings

    settings = ProgrammeSettings.for_year(year)
    settings.year = year
    windows = {EventKind.REGULATION: settings.regulation_window(), EventKind.BILAN: settings.bilan_window()}
    planned = set(year.events.live().filter(kind__in=windows).values_list("kind", flat=True))
    return [kind for kind, (start, end) in windows.items() if kind not in planned and start <= today <= end]


@engine.step(
    "half-day-plan",
    label=lambda: _("Demi-journée pas encore planifiée : courriel aux PANE et aux RH"),
    milestone=Kind.REGULATION,
)
def half_day_plan(year: SchoolYear, occurrence: str) -> dict:
    from mentors.models import EventKind, ProgrammeSettings
    from roles.models import Role
    from schools.models import Person

    settings = ProgrammeSettings.for_year(year)
    settings.year = year
    start, end = settings.regulation_window() if occurrence == EventKind.REGULATION else settings.bilan_window()
    pane, hr = _role(Role.PANE, year), _role(Role.HR, year)
    people = Person.objects.filter(Q(pk__in=pane.values("pk")) | Q(pk__in=hr.values("pk"))).order_by("pk")
    context = {
        "kind": str(EventKind(occurrence).label),
        "from": _iso(start),
        "until": _iso(end),
        "url": _url("mentors:calendar_centre"),
    }
    return {"emails": _mail(year, "half-day-plan", occurrence, "cycle-half-day-plan", people, context)}


@half_day_plan.due
def _half_day_plan_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    return _unplanned_half_days(year, _today(now))


# --- The satisfaction survey: open (invitations), weekly reminders, close ---


@engine.step("survey-open", label=lambda: _("Ouverture du sondage : invitations envoyées"), milestone=Kind.SURVEY)
def survey_open(year: SchoolYear, occurrence: str) -> dict:
    from surveys import services

    survey = year.surveys.get(pk=int(occurrence))
    added = services.invitations_generate(survey=survey)
    return {"invitations": added, "emails": services.invitations_send(survey=survey)}


@survey_open.due
def _survey_open_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    return [str(pk) for pk in year.surveys.filter(opens_at__lte=now, closes_at__gt=now).values_list("pk", flat=True)]


def _reminder_day(survey, now: datetime.datetime) -> datetime.date | None:
    """The day of the latest weekly reminder due at ``now`` (one week after opening, then every week)."""
    weeks = (now - survey.opens_at) // SURVEY_REMINDER_EVERY
    if weeks < 1 or now >= survey.closes_at:
        return None
    return _today(survey.opens_at + weeks * SURVEY_REMINDER_EVERY)


@engine.step(
    "survey-reminder", label=lambda: _("Rappel hebdomadaire aux personnes qui n'ont pas répondu"), milestone=Kind.SURVEY
)
def survey_reminder(year: SchoolYear, occurrence: str) -> dict:
    from surveys import services

    survey = year.surveys.get(pk=int(occurrence.split(":")[0]))
    return {"emails": services.invitations_send(survey=survey, reminder=True)}


@survey_reminder.due
def _survey_reminder_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    due = []
    for survey in year.surveys.filter(opens_at__lte=now, closes_at__gt=now):
        day = _reminder_day(survey, now)
        if day:
            due.append(f"{survey.pk}:{day.isoformat()}")
    return due


@engine.step("survey-close", label=lambda: _("Fermeture du sondage"), milestone=Kind.SURVEY)
def survey_close(year: SchoolYear, occurrence: str) -> dict:
    survey = year.surveys.get(pk=int(occurrence))
    invitations = survey.invitations.all()
    return {"invited": invitations.count(), "answered": invitations.filter(has_answered=True).count()}


@survey_close.due
def _survey_close_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    closed = year.surveys.filter(closes_at__lte=now, closes_at__gt=now - LATE)
    return [str(pk) for pk in closed.values_list("pk", flat=True)]


# --- End of the year: the next year, renewal offered to the mentors, pairings completed ---


@engine.step(
    "year-end",
    label=lambda: _("Fin de l'année : année suivante, renouvellement offert, jumelages terminés"),
    milestone=Kind.YEAR_END,
)
def year_end(year: SchoolYear, occurrence: str) -> dict:
    from mentors.models import MentorAssignment
    from mentors.services import pairings_complete_year
    from schools.centre import school_year_ensure_next
    from schools.models import Person

    created = school_year_ensure_next(year=year)
    following = following_year(year)
    window = nomination_window(following) if following else None
    mentors = Person.objects.filter(id__in=MentorAssignment.objects.for_year(year).values("person_id")).order_by("pk")
    context = {
        "year": year.label,
        "opens_at": _iso(window[0]) if window else None,
        "closes_at": _iso(window[1]) if window else None,
        "url": _url("mentors:candidacy_mine"),
    }
    emails = _mail(year, "year-end", occurrence, "cycle-renewal", mentors, context)
    return {
        "year_created": created.label if created else "",
        "emails": emails,
        "pairings": pairings_complete_year(year=year),
    }


@year_end.due
def _year_end_due(year: SchoolYear, now: datetime.datetime) -> list[str]:
    today = _today(now)
    return [""] if year.ends_on <= today <= year.ends_on + LATE else []
