"""The milestones of a school year, each read from its one source.

| milestone | source |
| --- | --- |
| budget, profile, decisions, plan, start | the year's own dates (``SchoolYear``) |
| nomination window | ``ProgrammeSettings.opens_at/closes_at`` of the year the mentors will serve (the next one) |
| survey campaign | the year's surveys (first opening → last closing); the year's default dates when it has none |
| regulation, bilan half-days | the year's calendar events; the allowed window (``ProgrammeSettings``) until they are planned |
| end of year | ``SchoolYear.ends_on`` (roll-over to the next year) |

Every page that shows or uses one of these dates reads it here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import SchoolYear


class Kind(models.TextChoices):
    START = "start", _("Début de l'accompagnement des personnes mentorées")
    REGULATION = "regulation", _("Demi-journée de régulation")
    BUDGET = "budget", _("Pourcentage de libération, modalités et budget de l'an prochain")
    SURVEY = "survey", _("Sondage de satisfaction")
    PROFILE = "profile", _("Publication du rôle, du profil et de la répartition par école")
    NOMINATIONS = "nominations", _("Période de mise en candidature")
    DECISIONS = "decisions", _("Nomination des personnes mentores par les RH")
    BILAN = "bilan", _("Demi-journée de bilan")
    PLAN = "plan", _("Plan d'accompagnement et cohortes des PANE")
    YEAR_END = "year-end", _("Fin de l'année et passage à la suivante")


class State(models.TextChoices):
    UPCOMING = "upcoming", _("à venir")
    CURRENT = "current", _("en cours")
    DONE = "done", _("terminé")


@dataclass(frozen=True)
class Milestone:
    kind: str
    starts: datetime.date
    ends: datetime.date | None = None
    # False while the date is only the allowed window (half-days not yet planned, no survey yet).
    planned: bool = True
    # The exact moments when the source holds them (the nomination window opens at 8 h 00).
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return Kind(self.kind).label

    def state(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.starts:
            return State.UPCOMING
        if today <= (self.ends or self.starts):
            return State.CURRENT
        return State.DONE


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def following_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(starts_on__gt=year.starts_on).order_by("starts_on").first()


def nomination_window(year: SchoolYear) -> tuple[datetime.datetime, datetime.datetime] | None:
    """When this year's teachers apply to be mentors next year: the next year's settings hold it."""
    from mentors.models import ProgrammeSettings

    serving = following_year(year)
    settings = ProgrammeSettings.objects.filter(year=serving).first() if serving else None
    if settings is None or settings.opens_at is None or settings.closes_at is None:
        return None
    return settings.opens_at, settings.closes_at


def _dates(year: SchoolYear) -> list[Milestone]:
    rows = [
        (Kind.START, year.model_starts_on, None),
        (Kind.BUDGET, year.budget_from, year.budget_until),
        (Kind.PROFILE, year.profile_published_on, None),
        (Kind.DECISIONS, year.nominations_decided_by, None),
        (Kind.PLAN, year.accompaniment_plan_by, None),
        (Kind.YEAR_END, year.ends_on, None),
    ]
    return [Milestone(kind, start, end) for kind, start, end in rows if start]


def _window(year: SchoolYear) -> list[Milestone]:
    window = nomination_window(year)
    if window is None:
        return []
    opens, closes = window
    return [Milestone(Kind.NOMINATIONS, _local_date(opens), _local_date(closes), starts_at=opens, ends_at=closes)]


def _survey(year: SchoolYear) -> list[Milestone]:
    span = year.surveys.aggregate(first=Min("opens_at"), last=Max("closes_at"))
    if span["first"]:
        first, last = span["first"], span["last"]
        return [Milestone(Kind.SURVEY, _local_date(first), _local_date(last), starts_at=first, ends_at=last)]
    if year.survey_opens_on:
        return [Milestone(Kind.SURVEY, year.survey_opens_on, year.survey_closes_on, planned=False)]
    return []


def _half_days(year: SchoolYear) -> list[Milestone]:
    from mentors.models import EventKind, EventStatus, ProgrammeSettings

    kinds = {EventKind.REGULATION: Kind.REGULATION, EventKind.BILAN: Kind.BILAN}
    spans = (
        year.events.exclude(status=EventStatus.CANCELLED)
        .filter(kind__in=kinds)
        .values("kind")
        .annotate(first=Min("date"), last=Max("date"))
        .order_by()
    )
    found = {span["kind"]: span for span in spans}
    settings = ProgrammeSettings.objects.filter(year=year).first() or ProgrammeSettings(year=year)
    windows = {EventKind.REGULATION: settings.regulation_window(), EventKind.BILAN: settings.bilan_window()}
    rows = []
    for event_kind, kind in kinds.items():
        if event_kind in found:
            span = found[event_kind]
            rows.append(Milestone(kind, span["first"], span["last"] if span["last"] != span["first"] else None))
        else:
            start, end = windows[event_kind]
            rows.append(Milestone(kind, start, end, planned=False))
    return rows


def year_milestones(year: SchoolYear) -> list[Milestone]:
    """The year's milestones in date order, each from its one source (five queries)."""
    rows = [*_dates(year), *_window(year), *_survey(year), *_half_days(year)]
    return sorted(rows, key=lambda row: (row.starts, row.ends or row.starts))
