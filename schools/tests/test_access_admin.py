"""Access table of the centre's administration pages in schools/ (schools, buildings, years) × every persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access


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


@pytest.fixture
def objects(request, year, school_a):
    for persona in PERSONAS:
        request.getfixturevalue(persona)
    return {"school_a": school_a, "building_a": f.BuildingFactory(school=school_a), "year": year}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
def test_access_table(request, client, objects, url_name, target, method, expected, persona):
    user = request.getfixturevalue(persona)
    kwargs = {"pk": objects[target].pk} if target else {}
    check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_menu_links_only_what_the_persona_may_open(request, client, objects, persona):
    """No link leads to a 403: the « Administration du centre » items follow the rules."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    for name in ("schools:year_list", "roles:membership_list"):
        expected = READERS.get(persona) == 200
        assert (f'href="{reverse(name)}"' in page) is expected, (persona, name)
