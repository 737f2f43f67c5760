"""Access table of the roles of the year × every persona."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from roles.models import Membership, Role


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


EDITORS = {"hr": 200, "admin_user": 200}
READERS = {"hr": 200, "admin_user": 200, "pane": 200, "management": 200}

ACCESS_TABLE = [
    ("roles:membership_list", None, "get", _row(**READERS)),
    ("roles:membership_grant", None, "get", _row(**EDITORS)),
    ("roles:membership_copy", None, "get", _row(**EDITORS)),
    ("roles:membership_end", "direction_a", "get", _row(**EDITORS)),
    # Ending the HR role needs an administrator.
    ("roles:membership_end", "hr_role", "get", _row(admin_user=200)),
]


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        f.SchoolYearFactory(label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30))
        objects = {
            "direction_a": Membership.objects.get(role=Role.DIRECTOR, person__user=users["director_a"]),
            "hr_role": Membership.objects.get(role=Role.HR),
        }
        return {"users": users, "objects": objects}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize(
        "url_name,target,method,expected", ACCESS_TABLE, ids=[f"{row[0]}-{row[1]}" for row in ACCESS_TABLE]
    )
    def test_access_table(self, client, shared, url_name, target, method, expected, persona):
        user = shared["users"][persona]
        kwargs = {"pk": shared["objects"][target].pk} if target else {}
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)
