"""Access table of the centre's administration pages in schools/ (schools, buildings, years) × every persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


EDITORS = {"hr": 200, "admin_user": 200}
EDITORS_REDIRECTED = {"hr": 302, "admin_user": 302}
READERS = {"hr": 200, "admin_user": 200, "pane": 200, "management": 200}

# (url name, kwargs target, method, expected by persona)
ACCESS_TABLE = [
    ("schools:school_create", None, "get", _row(**EDITORS)),
    ("schools:school_edit", "school_a", "get", _row(**EDITORS)),
    ("schools:building_create", "school_a", "get", _row(**EDITORS)),
    ("schools:building_edit", "building_a", "get", _row(**EDITORS)),
    ("schools:building_delete", "building_a", "post", _row(**EDITORS_REDIRECTED)),
    ("schools:year_list", None, "get", _row(**READERS)),
    ("schools:year_create_next", None, "post", _row(**EDITORS_REDIRECTED)),
    ("schools:year_mark_current", None, "post", _row(**EDITORS_REDIRECTED)),
    ("schools:year_delete", "year", "post", _row(**EDITORS_REDIRECTED)),
]


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        objects = {"school_a": users["school_a"], "building_a": f.BuildingFactory(school=users["school_a"])}
        return {"users": users, "objects": objects | {"year": users["year"]}}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
    def test_access_table(self, client, shared, url_name, target, method, expected, persona):
        user = shared["users"][persona]
        kwargs = {"pk": shared["objects"][target].pk} if target else {}
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)

    @pytest.mark.parametrize("persona", PERSONAS[1:])
    def test_menu_links_only_what_the_persona_may_open(self, client, shared, persona):
        """No link leads to a 403: the « Administration du centre » items follow the rules."""
        client.force_login(shared["users"][persona])
        page = client.get(reverse("home")).content.decode()
        for name in ("schools:year_list", "roles:membership_list"):
            expected = READERS.get(persona) == 200
            assert (f'href="{reverse(name)}"' in page) is expected, (persona, name)
