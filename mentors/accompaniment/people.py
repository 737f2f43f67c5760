"""Who takes part in an event: the one rule, read by invitations, conflicts and calendars.

- university day: the cohort's PANE and the trainers who accompany them;
- cohort day: the cohort's PANE and its mentors;
- regulation and bilan half-days: the cohort's PANE and mentors, the directors of
  the cohort's schools, and the mentees (novices of those schools that year, and
  the active mentees of the cohort's mentors, who may teach elsewhere);
- another meeting of a cohort: its PANE and mentors; a meeting without a cohort has
  no invitee by rule.

The cohort's schools are those where its mentors are assigned (MentorAssignment)
that year.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mentors.models import Event, EventKind, MentorAssignment, Pairing
from roles.models import Membership, Role
from schools.models import Person


def cohort_school_ids(event: Event) -> set[int]:
    if event.cohort_id is None:
        return set()
    mentor_ids = event.cohort.members.values("person_id")
    return set(
        MentorAssignment.objects.filter(year_id=event.year_id, person_id__in=mentor_ids).values_list(
            "school_id", flat=True
        )
    )


def _ids(queryset, field: str) -> set[int]:
    return set(queryset.values_list(field, flat=True))


def booked_people(event: Event) -> set[int]:
    """The people an event occupies for its half-days: PANE, trainers and mentors (ids)."""
    if event.cohort_id is None:
        return set()
    cohort = event.cohort
    ids = _ids(cohort.panes.all(), "id")
    if event.kind == EventKind.UNIVERSITY_DAY:
        ids |= _ids(cohort.trainers.all(), "id")
    else:
        ids |= _ids(cohort.members.all(), "person_id")
    return ids


def invitee_ids(event: Event) -> set[int]:
    """Everyone invited to an event, by the rule above (ids of Person)."""
    ids = booked_people(event)
    if event.kind not in (EventKind.REGULATION, EventKind.BILAN) or event.cohort_id is None:
        return ids
    school_ids = cohort_school_ids(event)
    mentor_ids = event.cohort.members.values("person_id")
    in_force = Q(year_id=event.year_id) | Q(year__isnull=True)
    directors = Membership.objects.filter(in_force, role=Role.DIRECTOR, school_id__in=school_ids).active_on()
    ids |= _ids(directors, "person_id")
    ids |= _ids(
        Person.objects.filter(
            entitlements__year_id=event.year_id,
            assignments__year_id=event.year_id,
            assignments__school_id__in=school_ids,
        ),
        "id",
    )
    ids |= _ids(Pairing.objects.active().filter(year_id=event.year_id, mentor_id__in=mentor_ids), "mentee_id")
    return ids


def invitees(event: Event) -> QuerySet[Person]:
    return Person.objects.filter(id__in=invitee_ids(event))
