"""Access table of the Law 25 pages (audit trail, a person's file, access requests) × every persona."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from schools.models import AccessRequest, AccessRequestKind

OFFICERS = {"hr": 200, "admin_user": 200}


def _row(**expected):
    row = {persona: 403 for persona in PERSONAS}
    row["anonymous"] = LOGIN
    row.update(expected)
    return row


# (url name, kwargs target, method, expected by persona)
ACCESS_TABLE = [
    ("privacy:audit_log", None, "get", _row(**OFFICERS)),
    ("privacy:audit_log_export", None, "get", _row(**OFFICERS)),
    ("privacy:person_file", "person", "get", _row(**OFFICERS)),
    ("privacy:person_file_export", "person", "get", _row(**OFFICERS)),
    ("privacy:person_correct", "person", "get", _row(**OFFICERS)),
    ("privacy:request_list", None, "get", _row(**OFFICERS)),
    ("privacy:request_create", "person_pk", "get", _row(**OFFICERS)),
    ("privacy:request_edit", "request", "get", _row(**OFFICERS)),
]


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        person = f.PersonFactory()
        f.StaffAssignmentFactory(person=person, school=users["school_a"], year=users["year"])
        access_request = AccessRequest.objects.create(
            person=person, kind=AccessRequestKind.ACCESS, received_on=datetime.date(2026, 11, 20)
        )
        objects = {
            "person": {"pk": person.pk},
            "person_pk": {"person_pk": person.pk},
            "request": {"pk": access_request.pk},
        }
        return {"users": users, "objects": objects}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
    def test_access_table(self, client, shared, url_name, target, method, expected, persona):
        user = shared["users"][persona]
        kwargs = shared["objects"][target] if target else {}
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)

    @pytest.mark.parametrize("persona", PERSONAS[1:])
    def test_links_to_the_privacy_pages_only_for_who_may_open_them(self, client, shared, persona):
        objects = shared["objects"]
        client.force_login(shared["users"][persona])
        home = client.get(reverse("home")).content.decode()
        allowed = persona in OFFICERS
        for name in ("privacy:audit_log", "privacy:request_list"):
            assert (f'href="{reverse(name)}"' in home) is allowed, (persona, name)
        person_page = client.get(reverse("schools:person_detail", kwargs=objects["person"]))
        if person_page.status_code == 200:
            link = reverse("privacy:person_file", kwargs=objects["person"])
            assert (f'href="{link}"' in person_page.content.decode()) is allowed, persona
