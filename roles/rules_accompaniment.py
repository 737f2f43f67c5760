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
    # An event's page: whoever may read its cohort.
    "cohort.event.view": lambda a, event: (
        event is not None and event.cohort_id is not None and _cohort_view(a, event.cohort)
    ),
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


# Getters, in the style of roles.access._get_for_user. Everyone who may read a
# cohort (HR, PANE — all cohorts —, the admin, a trainer for hers) gets its page;
# its edit pages answer 403 to a reader who does not manage it (another PANE's
# cohort), and 404 to someone who may not even read it (another trainer).


def get_cohort_for_user(request, pk: int):
    from mentors.models import Cohort
    from roles.access import _get_for_user

    return _get_for_user(request, Cohort.objects.select_related("year"), pk, "cohort.list", "cohort.view")


def get_cohort_for_manager(request, pk: int):
    from django.core.exceptions import PermissionDenied

    from roles.access import access_for

    cohort = get_cohort_for_user(request, pk)
    if not access_for(request).can("cohort.edit", cohort):
        raise PermissionDenied
    return cohort


def get_event_for_user(request, pk: int):
    """An event of a cohort the user may read; a draft only for its managers (404 to the others)."""
    from django.http import Http404

    from mentors.models import Event, EventStatus
    from roles.access import _get_for_user, access_for

    queryset = Event.objects.select_related("year", "cohort", "overridden_by", "created_by").filter(
        cohort__isnull=False
    )
    event = _get_for_user(request, queryset, pk, "cohort.list", "cohort.event.view")
    if event.status == EventStatus.DRAFT and not access_for(request).can("event.manage", event):
        raise Http404
    return event


def get_event_for_manager(request, pk: int):
    from django.core.exceptions import PermissionDenied

    from roles.access import access_for

    event = get_event_for_user(request, pk)
    if not access_for(request).can("event.manage", event):
        raise PermissionDenied
    return event
