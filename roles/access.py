"""The one place that answers "may this user do this action on this object".

Views call ``require(...)`` or the ``get_<thing>_for_user`` helpers; templates ask
``{% can "action" obj as allowed %}`` or ``access|can:"action"``. Rules are plain
functions in ``RULES``: add an action there and the menus, views and the access
table in the tests follow.

Outsiders asking for an object by id get 404 (its existence is private); a
user whose role never allows the action gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404

from roles.models import Membership, Role
from schools.models import Person, School, SchoolYear

# Roles that see every school of the centre (read access at least).
CENTRE_WIDE = {Role.HR, Role.PANE, Role.MANAGEMENT, Role.ADMIN}
STAFF_MANAGERS = {Role.HR, Role.ADMIN}


class Access:
    """What one user may see and do, computed once per request."""

    def __init__(self, user):
        self.user = user
        self.authenticated = bool(user and user.is_authenticated)

    @cached_property
    def person(self) -> Person | None:
        if not self.authenticated:
            return None
        try:
            return self.user.person
        except ObjectDoesNotExist:
            return None

    @cached_property
    def year(self) -> SchoolYear | None:
        return SchoolYear.objects.current()

    @cached_property
    def memberships(self) -> list[Membership]:
        if self.person is None:
            return []
        return list(Membership.objects.in_force(self.year).filter(person=self.person))

    @cached_property
    def roles(self) -> set[str]:
        roles = {membership.role for membership in self.memberships}
        if self.authenticated and self.user.is_superuser:
            roles.add(Role.ADMIN)
        return roles

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def school_ids(self, role: str) -> set[int]:
        return {m.school_id for m in self.memberships if m.role == role and m.school_id}

    @cached_property
    def directed_school_ids(self) -> set[int]:
        return self.school_ids(Role.DIRECTOR)

    @property
    def centre_wide(self) -> bool:
        return self.has(*CENTRE_WIDE)

    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]

    def can(self, action: str, obj=None) -> bool:
        if not self.authenticated:
            return False
        rule = RULES[action]
        return rule(self, obj)

    # Querysets of what this user may see.

    def visible_schools(self):
        if self.centre_wide:
            return School.objects.all()
        return School.objects.filter(id__in=self.directed_school_ids)

    @property
    def sees_all_people(self) -> bool:
        return self.has(*STAFF_MANAGERS, Role.PANE)

    def visible_people(self):
        if self.sees_all_people:
            return Person.objects.all()
        if self.directed_school_ids and self.year:
            return Person.objects.at_schools(self.directed_school_ids, self.year)
        return Person.objects.none()


def _person_at_directed_school(access: Access, person: Person) -> bool:
    if not access.directed_school_ids or access.year is None:
        return False
    return person.assignments.filter(school_id__in=access.directed_school_ids, year=access.year).exists()


RULES: dict[str, Callable[[Access, object], bool]] = {
    "home.view": lambda a, obj: True,
    "referential.view": lambda a, obj: True,
    "school.list": lambda a, obj: a.centre_wide or bool(a.directed_school_ids),
    "school.view": lambda a, school: a.centre_wide or school.id in a.directed_school_ids,
    # Suggestions of active schools (name, code) for the forms where one picks a school: a candidacy lets
    # anyone on staff pick any active school, and HR's forms any school too; accounts with no person get none.
    "school.pick": lambda a, obj: a.centre_wide or a.person is not None,
    "staff.list": lambda a, obj: a.has(*STAFF_MANAGERS, Role.PANE) or bool(a.directed_school_ids),
    "person.view": lambda a, person: a.has(*STAFF_MANAGERS, Role.PANE) or _person_at_directed_school(a, person),
    "staff.import": lambda a, obj: a.has(*STAFF_MANAGERS),
    "person.invite": lambda a, obj: a.has(*STAFF_MANAGERS),
    "admin.site": lambda a, obj: a.has(Role.ADMIN) and a.user.is_staff,
}


def access_for(request) -> Access:
    """The request's Access, built once."""
    if not hasattr(request, "_access"):
        request._access = Access(request.user)
    return request._access


def selected_year(request) -> SchoolYear | None:
    """The year of a year-scoped page: its selector's ?annee=<id>, else the current year, else the latest."""
    from mentorat.parsing import as_id

    year_id = as_id(request.GET.get("annee"))
    if year_id is not None:
        year = SchoolYear.objects.filter(pk=year_id).first()
        if year:
            return year
    return access_for(request).year or SchoolYear.objects.first()


def require(action: str):
    """View decorator: sign-in required, then 403 unless the action is allowed."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not access_for(request).can(action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _get_for_user(request, queryset, pk, list_action: str, view_action: str):
    access = access_for(request)
    if not access.can(list_action):
        raise PermissionDenied
    obj = queryset.filter(pk=pk).first()
    if obj is None or not access.can(view_action, obj):
        raise Http404
    return obj


def get_school_for_user(request, pk: int) -> School:
    return _get_for_user(request, School.objects.all(), pk, "school.list", "school.view")


def get_person_for_user(request, pk: int) -> Person:
    return _get_for_user(request, Person.objects.select_related("user"), pk, "staff.list", "person.view")


# Each area keeps its rule table beside this module; they all answer through can().
from roles.rules_accompaniment import RULES as _ACCOMPANIMENT_RULES  # noqa: E402
from roles.rules_admin import RULES as _ADMIN_RULES  # noqa: E402
from roles.rules_calendar import RULES as _CALENDAR_RULES  # noqa: E402
from roles.rules_cycle import RULES as _CYCLE_RULES  # noqa: E402
from roles.rules_law25 import RULES as _LAW25_RULES  # noqa: E402
from roles.rules_mentors import RULES as _MENTOR_RULES  # noqa: E402
from roles.rules_outbox import RULES as _OUTBOX_RULES  # noqa: E402
from roles.rules_plans import RULES as _PLAN_RULES  # noqa: E402
from roles.rules_privacy import RULES as _PRIVACY_RULES  # noqa: E402
from roles.rules_surveys import RULES as _SURVEY_RULES  # noqa: E402

RULES.update(_MENTOR_RULES)
RULES.update(_SURVEY_RULES)
RULES.update(_ACCOMPANIMENT_RULES)
RULES.update(_CALENDAR_RULES)
RULES.update(_PLAN_RULES)
RULES.update(_ADMIN_RULES)
RULES.update(_CYCLE_RULES)
RULES.update(_OUTBOX_RULES)
RULES.update(_PRIVACY_RULES)
RULES.update(_LAW25_RULES)
