"""Helpers for the access tables: every URL × every persona, and the personas themselves."""

from __future__ import annotations

from django.urls import reverse

from mentorat import factories as f
from roles.models import Role
from schools.models import Order

# What a persona gets: 200 (allowed), 403 (role never allowed), 404 (object of
# another school: its existence is private), "login" (redirected to sign-in),
# 302 (allowed, redirected elsewhere), 405 (method not allowed).
LOGIN = "login"

# The conftest personas, in the order the access tables walk them.
PERSONAS = [
    "anonymous",
    "hr",
    "director_a",
    "director_b",
    "pane",
    "trainer",
    "management",
    "mentor_a",
    "mentee_a",
    "teacher",
    "admin_user",
]


def check_access(client, user, url: str, expected, method: str = "get", data=None) -> None:
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if expected == LOGIN:
        assert response.status_code == 302, (url, user, response.status_code)
        assert reverse("account_login") in response["Location"], (url, user, response["Location"])
    else:
        assert response.status_code == expected, (url, str(user), response.status_code)


# The personas, made by these functions: the fixtures of the root conftest.py call them one by one,
# make_personas() all at once for the tables that make their world once per class (`made_once`).
# Each persona is a User with a Person and the memberships of its role, in the 2026-2027 year.


def make_year():
    return f.SchoolYearFactory()


def make_school_a():
    return f.SchoolFactory(code="A001", name="École des Érables", order=Order.PRIMARY)


def make_school_b():
    return f.SchoolFactory(code="B001", name="École secondaire des Pins", order=Order.SECONDARY)


def persona(email, role, school=None, year=None, assigned_to=None):
    person = f.person_with_account(email)
    if role:
        f.give_role(person, role, school=school, year=year)
    if assigned_to is not None:
        f.StaffAssignmentFactory(person=person, school=assigned_to, year=year)
    return person.user


def make_hr():
    return persona("rh@example.org", Role.HR)


def make_director_a(year, school_a):
    return persona("direction.a@example.org", Role.DIRECTOR, school_a, year, assigned_to=school_a)


def make_director_b(year, school_b):
    return persona("direction.b@example.org", Role.DIRECTOR, school_b, year, assigned_to=school_b)


def make_pane():
    return persona("pane@example.org", Role.PANE)


def make_trainer():
    return persona("formatrice@example.org", Role.TRAINER)


def make_management():
    return persona("dg@example.org", Role.MANAGEMENT)


def make_mentor_a(year, school_a):
    return persona("mentor.a@example.org", Role.MENTOR, school_a, year, assigned_to=school_a)


def make_mentee_a(year, school_a, mentor_a):
    user = persona("mentore.a@example.org", Role.MENTEE, school_a, year, assigned_to=school_a)
    f.EntitlementFactory(person=user.person, year=year)
    f.PairingFactory(mentor=mentor_a.person, mentee=user.person, year=year)
    return user


def make_teacher(year, school_a):
    return persona("enseignant@example.org", Role.TEACHER, None, year, assigned_to=school_a)


def make_admin_user():
    return f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


def make_personas(year, school_a, school_b) -> dict:
    """Every persona of PERSONAS by name (anonymous is None), made in the order the tables ask for them."""
    users = {
        "anonymous": None,
        "hr": make_hr(),
        "director_a": make_director_a(year, school_a),
        "director_b": make_director_b(year, school_b),
        "pane": make_pane(),
        "trainer": make_trainer(),
        "management": make_management(),
        "mentor_a": make_mentor_a(year, school_a),
    }
    users["mentee_a"] = make_mentee_a(year, school_a, users["mentor_a"])
    users["teacher"] = make_teacher(year, school_a)
    users["admin_user"] = make_admin_user()
    return users


def make_world() -> dict:
    """The year, school A and school B of the conftest, and every persona in them."""
    year, school_a, school_b = make_year(), make_school_a(), make_school_b()
    return {"year": year, "school_a": school_a, "school_b": school_b, **make_personas(year, school_a, school_b)}
