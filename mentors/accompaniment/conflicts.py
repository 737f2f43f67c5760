"""The planning rules every save of an event goes through, whatever the path (form, planner, publication).

``check_event(event)`` returns the conflicts of an event as it would be saved,
each with a French message that names the conflict: which event, which person,
which date. An empty list means the event may be saved. HR may save despite
the conflicts with a written reason (services.event_save records it); a PANE may not.

The rules:

- a university day or a cohort day carries a number from 1 to 6, at most one
  of each number per cohort (cancelled events aside);
- university day k comes before cohort day k of the same cohort;
- the event falls within its school year, on a weekday that is not in the
  centre's calendar of non-school days;
- the regulation half-day falls in ProgrammeSettings.regulation_window(), the
  bilan half-day in bilan_window();
- nobody the event occupies (people.booked_people: the PANE, the trainers of a
  university day, the mentors of the other events) is booked twice on the same
  half-day; a full day takes both half-days; cancelled events do not count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentors.accompaniment.dates import long_date
from mentors.accompaniment.people import booked_people
from mentors.models import (
    Event,
    EventKind,
    EventPeriod,
    NonSchoolDay,
    NonSchoolDayKind,
    ProgrammeSettings,
)
from mentors.models.accompaniment import DAYS_PER_COHORT, NUMBERED_KINDS
from schools.models import Person

# How many names a double-booking message lists before « et N autres ».
NAMES_SHOWN = 3


@dataclass(frozen=True)
class Conflict:
    """One broken rule: a code for the tests and the French message for the user."""

    rule: str
    message: str

    def __str__(self) -> str:
        return self.message


def check_event(event: Event) -> list[Conflict]:
    """Every rule the event breaks as it stands (unsaved changes included); [] when it may be saved."""
    if event.is_cancelled:
        return []
    conflicts = _number_conflicts(event)
    conflicts += _calendar_conflicts(event)
    conflicts += _window_conflicts(event)
    conflicts += _order_conflicts(event)
    conflicts += _double_bookings(event)
    return conflicts


def _others(event: Event):
    """The other events that still take place."""
    queryset = Event.objects.live()
    return queryset.exclude(pk=event.pk) if event.pk else queryset


def _kind_number(kind: str, number: int) -> str:
    """« journée universitaire 3 »."""
    return f"{EventKind(kind).label.lower()} {number}"


def _number_conflicts(event: Event) -> list[Conflict]:
    if event.kind not in NUMBERED_KINDS:
        if event.number is not None:
            return [Conflict("number", _("Seules les journées universitaires et de cohorte portent un numéro."))]
        return []
    if event.number is None or not 1 <= event.number <= DAYS_PER_COHORT:
        return [
            Conflict(
                "number",
                _("Une %(kind)s porte un numéro de 1 à %(max)s.")
                % {"kind": EventKind(event.kind).label.lower(), "max": DAYS_PER_COHORT},
            )
        ]
    if event.cohort_id is None:
        return [Conflict("cohort", _("Une journée universitaire ou de cohorte appartient à une cohorte."))]
    twin = _others(event).filter(cohort_id=event.cohort_id, kind=event.kind, number=event.number).first()
    if twin is None:
        return []
    return [
        Conflict(
            "number",
            _("La %(what)s de %(cohort)s existe déjà (le %(date)s) : choisissez un autre numéro.")
            % {
                "what": _kind_number(event.kind, event.number),
                "cohort": event.cohort.name,
                "date": long_date(twin.date),
            },
        )
    ]


def _calendar_conflicts(event: Event) -> list[Conflict]:
    date = event.date
    year = event.year
    if not year.starts_on <= date <= year.ends_on:
        return [
            Conflict(
                "year",
                _("Le %(date)s est en dehors de l'année scolaire %(year)s.")
                % {"date": long_date(date), "year": year.label},
            )
        ]
    if date.weekday() >= 5:
        return [
            Conflict(
                "weekend",
                _("Le %(date)s est un %(weekday)s : aucun événement n'a lieu la fin de semaine.")
                % {"date": long_date(date), "weekday": formats.date_format(date, "l")},
            )
        ]
    day = NonSchoolDay.objects.filter(date=date).first()
    if day is None:
        return []
    return [Conflict("non_school_day", non_school_day_message(day))]


def non_school_day_message(day: NonSchoolDay) -> str:
    """« Le 13 novembre 2026 est une journée pédagogique (Journée pédagogique d'automne). »"""
    label = f" ({day.label})" if day.label else ""
    params = {"date": long_date(day.date), "label": label}
    if day.kind == NonSchoolDayKind.PEDAGOGICAL:
        return _("Le %(date)s est une journée pédagogique%(label)s : choisissez un jour de classe.") % params
    if day.kind == NonSchoolDayKind.HOLIDAY:
        return _("Le %(date)s est un congé%(label)s : choisissez un jour de classe.") % params
    return _("Le %(date)s tombe pendant un congé scolaire%(label)s : choisissez un jour de classe.") % params


def _window_conflicts(event: Event) -> list[Conflict]:
    if event.kind == EventKind.REGULATION:
        window = ProgrammeSettings.for_year(event.year).regulation_window()
        message = _(
            "La demi-journée de régulation a lieu entre le %(start)s et le %(end)s : le %(date)s est hors de cette période."
        )
    elif event.kind == EventKind.BILAN:
        window = ProgrammeSettings.for_year(event.year).bilan_window()
        message = _(
            "La demi-journée de bilan a lieu entre le %(start)s et le %(end)s : le %(date)s est hors de cette période."
        )
    else:
        return []
    start, end = window
    if start <= event.date <= end:
        return []
    params = {"start": long_date(start), "end": long_date(end), "date": long_date(event.date)}
    return [Conflict("window", message % params)]


def _order_conflicts(event: Event) -> list[Conflict]:
    """University day k before cohort day k of the same cohort."""
    if event.kind not in NUMBERED_KINDS or event.cohort_id is None or event.number is None:
        return []
    other_kind = EventKind.COHORT_DAY if event.kind == EventKind.UNIVERSITY_DAY else EventKind.UNIVERSITY_DAY
    other = _others(event).filter(cohort_id=event.cohort_id, kind=other_kind, number=event.number).first()
    if other is None:
        return []
    university, cohort_day = (event, other) if event.kind == EventKind.UNIVERSITY_DAY else (other, event)
    if university.date < cohort_day.date:
        return []
    return [
        Conflict(
            "order",
            _(
                "La journée universitaire %(number)s (le %(university)s) doit précéder la journée de cohorte "
                "%(number)s de %(cohort)s (le %(cohort_day)s)."
            )
            % {
                "number": event.number,
                "university": long_date(university.date),
                "cohort": event.cohort.name,
                "cohort_day": long_date(cohort_day.date),
            },
        )
    ]


def _slot_label(slots: set[str]) -> str:
    if slots == {"am", "pm"}:
        return EventPeriod.FULL_DAY.label.lower()
    return EventPeriod(next(iter(slots))).label.lower()


def _names(person_ids: set[int]) -> str:
    people = list(Person.objects.filter(id__in=person_ids).order_by("last_name", "first_name"))
    names = [person.full_name for person in people[:NAMES_SHOWN]]
    rest = len(people) - len(names)
    if rest:
        names.append(ngettext("%(count)s autre personne", "%(count)s autres personnes", rest) % {"count": rest})
    if len(names) == 1:
        return names[0]
    return _("%(names)s et %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _double_bookings(event: Event) -> list[Conflict]:
    mine = booked_people(event)
    if not mine:
        return []
    slots = event.half_day_slots()
    conflicts = []
    same_day = _others(event).filter(date=event.date).select_related("cohort")
    for other in same_day:
        overlap = slots & other.half_day_slots()
        if not overlap:
            continue
        common = mine & booked_people(other)
        if not common:
            continue
        message = ngettext(
            "Double réservation le %(date)s (%(slot)s) : %(people)s participe déjà à « %(event)s ».",
            "Double réservation le %(date)s (%(slot)s) : %(people)s participent déjà à « %(event)s ».",
            len(common),
        ) % {
            "date": long_date(event.date),
            "slot": _slot_label(overlap),
            "people": _names(common),
            "event": other.label,
        }
        conflicts.append(Conflict("double_booking", message))
    return conflicts
