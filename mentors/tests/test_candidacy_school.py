"""The candidacy form's school in a large centre: a search box, a building list of that school only."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.models import Candidacy
from mentors.tests.factories import ReflectiveAnswersFactory


@pytest.fixture
def many_schools(db, settings):
    settings.SCHOOL_SELECT_MAX = 30
    return [f.SchoolFactory(code=f"S{n:03d}", name=f"École des Cèdres {n}") for n in range(1, 61)]


def _post(school: str, **extra):
    data = {
        "school": school,
        "order": "primaire",
        "years_of_experience": 9,
        "subjects_levels": "3e année",
        "motivation": "Accueillir",
        "availability": "Jeudis",
        "capacity": 2,
    }
    return data | extra


def test_candidacy_school_is_a_search_box_and_buildings_are_the_schools_own(
    client, teacher, window, school_a, many_schools
):
    f.BuildingFactory(school=school_a, name="Pavillon des Érables")
    for school in many_schools:
        f.BuildingFactory(school=school, name=f"Pavillon {school.code}")
    ReflectiveAnswersFactory(person=teacher.person, year=window.year)
    client.force_login(teacher)
    page = html.unescape(client.get(reverse("mentors:candidacy_edit")).content.decode())
    assert not re.search(r"<option[^>]*>[^<]*Cèdres", page) and "Pavillon S0" not in page
    assert 'value="École des Érables (A001)"' in page and "Pavillon des Érables" in page

    for text, message in (
        ("Cèdres", "Plusieurs écoles correspondent à « Cèdres » : précisez le code."),
        ("Z999", "Aucune école ne correspond à « Z999 »."),
    ):
        page = html.unescape(client.post(reverse("mentors:candidacy_edit"), _post(text)).content.decode())
        assert message in page and 'aria-invalid="true"' in page
        assert not Candidacy.objects.exists()

    # Typing another school shows its buildings when the page comes back (here: a building of the first school).
    building_a = school_a.buildings.get()
    page = html.unescape(
        client.post(reverse("mentors:candidacy_edit"), _post("s007", building=building_a.pk)).content.decode()
    )
    assert "n'appartient pas à l'école" in page and "Pavillon S007" in page and "Pavillon S008" not in page
    assert client.post(reverse("mentors:candidacy_edit"), _post("S007")).status_code == 302
    assert Candidacy.objects.get().school.code == "S007"
