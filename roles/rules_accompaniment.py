"""Access rules of the accompaniment calendar (cohorts, events, attendance, calendars).

Merged into roles.access.RULES (the one access module). The PANE lead cohorts
and read all of them; HR and the administrator manage every cohort and may
waive a planning rule with a reason; trainers read the cohorts they accompany;
everyone has their own calendar, and nobody sees another person's feed.
"""

from __future__ import annotations

from roles.models import Role

COHORT_READERS = (Role.HR, Role.PANE, Role.ADMIN)
COHORT_MANAGERS_ALL = (Role.HR, Role.ADMIN)  # every cohort, whoever leads it


def _leads(access, cohort) -> bool:
    return access.person is not None and cohort.panes.filter(pk=access.person.pk).exists()


def _trains(access, cohort) -> bool:
    return access.person is not None and cohort.trainers.filter(pk=access.person.pk).exists()


def _cohort_view(access, cohort) -> bool:
    if access.has(*COHORT_READERS):
        return True
    return cohort is not None and access.has(Role.TRAINER) and _trains(access, cohort)


def _cohort_edit(access, cohort) -> bool:
    if access.has(*COHORT_MANAGERS_ALL):
        return True
    if cohort is None:
        return access.has(Role.PANE)
    return access.has(Role.PANE) and _leads(access, cohort)


def _event_manage(access, event) -> bool:
    if event is None or event.cohort_id is None:
        return access.has(*COHORT_READERS)
    return _cohort_edit(access, event.cohort)


RULES: dict = {
    # Cohorts: HR, PANE and the administrator list them all; a trainer, those she accompanies.
    "cohort.list": lambda a, obj: a.has(*COHORT_READERS, Role.TRAINER),
    "cohort.view": _cohort_view,
    "cohort.create": lambda a, obj: a.has(Role.PANE, *COHORT_MANAGERS_ALL),
    # A PANE edits the cohorts they lead (mentors, events, attendance); HR and admin any.
    "cohort.edit": _cohort_edit,
    "event.manage": _event_manage,
    # Waive a planning rule (with a reason, recorded): HR and the administrator.
    "event.override": lambda a, obj: a.has(*COHORT_MANAGERS_ALL),
    "attendance.record": _event_manage,
    "attendance.report": lambda a, obj: a.has(*COHORT_READERS),
    # The centre's calendar of non-school and pedagogical days.
    "nonschoolday.manage": lambda a, obj: a.has(*COHORT_READERS),
    # Calendars: one's own for everyone with a staff record; the centre's for HR, PANE, admin.
    "calendar.mine": lambda a, obj: a.person is not None,
    "calendar.centre": lambda a, obj: a.has(*COHORT_READERS),
}
