"""Every cohorts-and-planning URL × every persona, including another PANE's cohort.

The rule: HR, PANE and the administrator read every cohort; a trainer reads the
cohorts she accompanies (another cohort is 404 to her); a PANE edits the
cohorts they lead — another PANE's cohort is readable (200) but its edit URLs
answer 403; roles that never manage cohorts get 403. A draft event is 404 to
those who only read the cohort.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from mentors.models import Event, EventKind, EventStatus, NonSchoolDay, NonSchoolDayKind
from mentors.models.accompaniment import DEFAULT_TIMES, EventPeriod
from mentors.tests.factories import MentorAssignmentFactory
from roles.models import Role


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


READERS = {"hr": 200, "pane": 200, "trainer": 200, "admin_user": 200}
MANAGERS = {"hr": 200, "pane": 200, "admin_user": 200}
ALL_COHORTS = {"hr": 200, "admin_user": 200}  # another PANE's cohort: HR and the administrator


def _redirect(expected: dict) -> dict:
    return {persona: 302 for persona in expected}


# (url name, target, method, expected by persona)
ACCESS_TABLE = [
    ("mentors:cohort_list", None, "get", _row(**READERS)),
    ("mentors:cohort_create", None, "get", _row(**MANAGERS)),
    ("mentors:cohort_detail", "cohort_a", "get", _row(**READERS)),
    ("mentors:cohort_detail", "cohort_b", "get", _row(**{**READERS, "trainer": 404})),
    ("mentors:cohort_edit", "cohort_a", "get", _row(**MANAGERS)),
    ("mentors:cohort_edit", "cohort_b", "get", _row(**ALL_COHORTS)),
    ("mentors:cohort_placement", "cohort_a", "get", _row(**MANAGERS)),
    ("mentors:cohort_placement", "cohort_b", "get", _row(**ALL_COHORTS)),
    ("mentors:cohort_member_remove", "member_a", "post", _row(**_redirect(MANAGERS))),
    ("mentors:cohort_member_remove", "member_b", "post", _row(**_redirect(ALL_COHORTS))),
    ("mentors:cohort_plan", "cohort_a", "get", _row(**MANAGERS)),
    ("mentors:cohort_plan", "cohort_b", "get", _row(**ALL_COHORTS)),
    ("mentors:cohort_publish", "cohort_a", "post", _row(**_redirect(MANAGERS))),
    ("mentors:cohort_publish", "cohort_b", "post", _row(**_redirect(ALL_COHORTS))),
    ("mentors:cohort_event_create", "cohort_a", "get", _row(**MANAGERS)),
    ("mentors:cohort_event_create", "cohort_b", "get", _row(**ALL_COHORTS)),
    ("mentors:cohort_event_detail", "event_a", "get", _row(**READERS)),
    ("mentors:cohort_event_detail", "draft_a", "get", _row(**{**MANAGERS, "trainer": 404})),
    ("mentors:cohort_event_detail", "event_b", "get", _row(**{**READERS, "trainer": 404})),
    ("mentors:cohort_event_edit", "event_a", "get", _row(**MANAGERS)),
    ("mentors:cohort_event_edit", "event_b", "get", _row(**ALL_COHORTS)),
    ("mentors:cohort_event_cancel", "event_a", "post", _row(**_redirect(MANAGERS))),
    ("mentors:cohort_event_cancel", "event_b", "post", _row(**_redirect(ALL_COHORTS))),
    ("mentors:nonschoolday_list", None, "get", _row(**MANAGERS)),
    ("mentors:nonschoolday_edit", "day", "get", _row(**MANAGERS)),
    ("mentors:nonschoolday_delete", "day", "post", _row(**_redirect(MANAGERS))),
    ("mentors:nonschoolday_import", None, "get", _row(**MANAGERS)),
    # No file waits under this token in the persona's session.
    ("mentors:nonschoolday_import_preview", "token", "get", _row(hr=404, pane=404, admin_user=404)),
    ("mentors:nonschoolday_template", None, "get", _row(**MANAGERS)),
]


def _event(cohort, number, status, date):
    starts_at, ends_at = DEFAULT_TIMES[EventPeriod.FULL_DAY]
    return Event.objects.create(
        year=cohort.year,
        cohort=cohort,
        kind=EventKind.COHORT_DAY,
        number=number,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
    )


def make_objects(users, year, school_a, school_b) -> dict:
    """The URL arguments of the table's targets (cohort A of `pane`, cohort B of another PANE…)."""
    pane, trainer, mentor = (users[name].person for name in ("pane", "trainer", "mentor_a"))
    MentorAssignmentFactory(person=mentor, year=year, school=school_a)
    cohort_a = f.CohortFactory(year=year, name="Cohorte A", panes=[pane], trainers=[trainer], mentors=[mentor])
    other_pane = f.PersonFactory()
    f.give_role(other_pane, Role.PANE)
    mentor_b = f.PersonFactory()
    MentorAssignmentFactory(person=mentor_b, year=year, school=school_b)
    cohort_b = f.CohortFactory(year=year, name="Cohorte B", panes=[other_pane], mentors=[mentor_b])
    day = NonSchoolDay.objects.create(year=year, date=datetime.date(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    return {
        "cohort_a": {"pk": cohort_a.pk},
        "cohort_b": {"pk": cohort_b.pk},
        "member_a": {"pk": cohort_a.pk, "person_pk": mentor.pk},
        "member_b": {"pk": cohort_b.pk, "person_pk": mentor_b.pk},
        "event_a": {"pk": _event(cohort_a, 1, EventStatus.PUBLISHED, datetime.date(2026, 12, 8)).pk},
        "draft_a": {"pk": _event(cohort_a, 2, EventStatus.DRAFT, datetime.date(2027, 1, 12)).pk},
        "event_b": {"pk": _event(cohort_b, 1, EventStatus.PUBLISHED, datetime.date(2026, 12, 8)).pk},
        "day": {"pk": day.pk},
        "token": {"token": "a" * 32},
    }


@pytest.fixture
def objects(request, year, school_a, school_b):
    users = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    return make_objects(users, year, school_a, school_b)


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        return {"users": users, "objects": make_objects(users, users["year"], users["school_a"], users["school_b"])}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize(
        "url_name,target,method,expected", ACCESS_TABLE, ids=[f"{row[0]}-{row[1]}" for row in ACCESS_TABLE]
    )
    def test_access_table(self, client, shared, url_name, target, method, expected, persona):
        kwargs = shared["objects"][target] if target else {}
        user = shared["users"][persona]
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)


def test_menus_show_cohorts_only_to_those_allowed(client, pane, trainer, mentor_a, hr):
    for user, sees_cohorts, sees_calendar in ((pane, True, True), (trainer, True, False), (mentor_a, False, False)):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert (reverse("mentors:cohort_list") in page) is sees_cohorts, user
        assert (reverse("mentors:nonschoolday_list") in page) is sees_calendar, user


def test_the_trainer_lists_only_the_cohorts_she_accompanies(client, objects, trainer):
    client.force_login(trainer)
    page = client.get(reverse("mentors:cohort_list")).content.decode()
    assert "Cohorte A" in page and "Cohorte B" not in page
