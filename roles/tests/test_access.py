"""Every foundation URL × every persona: allowed, forbidden, hidden (404) or sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world


def _row(
    anonymous=LOGIN,
    hr=200,
    director_a=200,
    director_b=200,
    pane=200,
    trainer=200,
    management=200,
    mentor_a=200,
    mentee_a=200,
    teacher=200,
    admin_user=200,
):
    return dict(
        anonymous=anonymous,
        hr=hr,
        director_a=director_a,
        director_b=director_b,
        pane=pane,
        trainer=trainer,
        management=management,
        mentor_a=mentor_a,
        mentee_a=mentee_a,
        teacher=teacher,
        admin_user=admin_user,
    )


NOBODY_BUT_HR = dict(
    director_a=403, director_b=403, pane=403, trainer=403, management=403, mentor_a=403, mentee_a=403, teacher=403
)
NO_SCHOOL_ROLE = dict(trainer=403, mentor_a=403, mentee_a=403, teacher=403)

# (url name, how to build its kwargs from the objects, method, expected by persona)
ACCESS_TABLE = [
    ("home", None, "get", _row()),
    ("referential", None, "get", _row()),
    ("accessibility", None, "get", _row(anonymous=200)),
    ("health", None, "get", _row(anonymous=200)),
    ("schools:school_list", None, "get", _row(**NO_SCHOOL_ROLE)),
    ("schools:school_detail", "school_a", "get", _row(director_b=404, **NO_SCHOOL_ROLE)),
    ("schools:staff_list", None, "get", _row(management=403, **NO_SCHOOL_ROLE)),
    ("schools:person_detail", "staff_a", "get", _row(director_b=404, management=403, **NO_SCHOOL_ROLE)),
    ("schools:person_invite", "staff_a", "post", _row(hr=302, admin_user=302, **NOBODY_BUT_HR)),
    ("schools:staff_invite_many", None, "post", _row(hr=302, admin_user=302, **NOBODY_BUT_HR)),
    ("schools:import_start", None, "get", _row(**NOBODY_BUT_HR)),
]


def make_objects(year, school_a) -> dict:
    staff_a = f.StaffAssignmentFactory(school=school_a, year=year).person
    return {"school_a": school_a, "staff_a": staff_a}


@pytest.fixture
def objects(year, school_a):
    return make_objects(year, school_a)


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        return {"users": users, "objects": make_objects(users["year"], users["school_a"])}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
    def test_access_table(self, client, shared, mailoutbox, url_name, target, method, expected, persona):
        user = shared["users"][persona]
        kwargs = {"pk": shared["objects"][target].pk} if target else {}
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)


def test_director_cannot_open_other_school_by_id(client, director_a, school_b, year):
    other = f.StaffAssignmentFactory(school=school_b, year=year).person
    client.force_login(director_a)
    assert client.get(reverse("schools:school_detail", kwargs={"pk": school_b.pk})).status_code == 404
    assert client.get(reverse("schools:person_detail", kwargs={"pk": other.pk})).status_code == 404


def test_director_lists_only_own_school_people(client, director_a, school_a, school_b, year):
    mine = f.StaffAssignmentFactory(school=school_a, year=year).person
    theirs = f.StaffAssignmentFactory(school=school_b, year=year).person
    client.force_login(director_a)
    page = client.get(reverse("schools:staff_list")).content.decode()
    assert mine.employee_number in page
    assert theirs.employee_number not in page
    schools_page = client.get(reverse("schools:school_list")).content.decode()
    assert school_a.name in schools_page and school_b.name not in schools_page


def test_last_year_director_role_gives_no_access(client, school_a):
    last_year = f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")
    f.SchoolYearFactory()
    person = f.person_with_account("ancienne.direction@example.org")
    f.give_role(person, "director", school=school_a, year=last_year)
    client.force_login(person.user)
    assert client.get(reverse("schools:school_detail", kwargs={"pk": school_a.pk})).status_code == 403


def test_menu_shows_only_allowed_links(client, teacher, hr):
    client.force_login(teacher)
    page = client.get(reverse("home")).content.decode()
    assert reverse("schools:staff_list") not in page
    assert reverse("schools:import_start") not in page
    client.force_login(hr)
    page = client.get(reverse("home")).content.decode()
    assert reverse("schools:staff_list") in page
    assert reverse("schools:import_start") in client.get(reverse("schools:staff_list")).content.decode()


@pytest.mark.parametrize("persona,linked", [("management", False), ("hr", True), ("pane", True), ("director_a", True)])
def test_school_page_links_names_only_for_those_who_may_open_them(request, client, objects, persona, linked):
    client.force_login(request.getfixturevalue(persona))
    school = objects["school_a"]
    person = objects["staff_a"]
    page = client.get(reverse("schools:school_detail", kwargs={"pk": school.pk})).content.decode()
    assert person.last_name in page
    assert (reverse("schools:person_detail", kwargs={"pk": person.pk}) in page) is linked
