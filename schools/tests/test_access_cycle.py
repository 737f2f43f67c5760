"""Access table of the cycle page (/cycle/) and HR's year dates form × every persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat.testing import LOGIN, PERSONAS, check_access
from schools.cycle import engine


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


READERS = {"hr": 200, "admin_user": 200, "pane": 200, "management": 200}
RUNNERS = {"hr": 302, "admin_user": 302}
EDITORS = {"hr": 200, "admin_user": 200}

# (url name, target, method, expected by persona)
ACCESS_TABLE = [
    ("cycle:overview", None, "get", _row(**READERS)),
    ("cycle:run", "step", "post", _row(**RUNNERS)),
    ("schools:year_edit", "year", "get", _row(**EDITORS)),
]


@pytest.fixture
def fake_step():
    @engine.step("test-access-step", label=lambda: "Étape d'essai", milestone="start")
    def run(year, occurrence):
        return {}

    run.due(lambda year, now: [""])
    yield "test-access-step"
    engine.STEPS.pop("test-access-step")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
def test_access_table(request, client, year, fake_step, url_name, target, method, expected, persona):
    for name in PERSONAS:
        request.getfixturevalue(name)
    user = request.getfixturevalue(persona)
    kwargs = {"step": {"key": fake_step}, "year": {"pk": year.pk}, None: {}}[target]
    check_access(
        client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method, data={"annee": year.pk}
    )


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_home_links_to_the_cycle_page_only_for_its_readers(request, client, year, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("cycle:overview")}"' in page) is (READERS.get(persona) == 200), persona
