"""Every year-scoped page shows the same year selector; choosing next year shows next year's data."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.models import Decision
from mentors.tests.factories import CandidacyFactory, MentorAssignmentFactory

pytestmark = pytest.mark.django_db

# (url name, kwargs, persona)
PAGES = [
    ("cycle:overview", None, "hr"),
    ("mentors:board", None, "hr"),
    ("mentors:budget", None, "hr"),
    ("mentors:pairing_board", None, "pane"),
    ("mentors:pairing_list", None, "pane"),
    ("mentors:followup_stats", None, "pane"),
    ("mentors:director_candidacies", None, "director_a"),
    ("mentors:cohort_list", None, "pane"),
    ("mentors:attendance_report", None, "pane"),
    ("surveys:survey_list", None, "hr"),
    ("plans:overview", None, "hr"),
    ("plans:school_plan", "school_a", "director_a"),
    ("schools:school_list", None, "hr"),
    ("schools:school_detail", "school_a", "hr"),
    ("schools:staff_list", None, "hr"),
    ("roles:membership_list", None, "hr"),
]


@pytest.fixture
def following(year):
    return f.SchoolYearFactory(
        label="2027-2028", starts_on=datetime.date(2027, 7, 1), ends_on=datetime.date(2028, 6, 30)
    )


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("url_name,target,persona", PAGES, ids=[p[0] for p in PAGES])
def test_the_page_has_the_year_selector_and_follows_it(
    request, client, year, following, school_a, url_name, target, persona
):
    user = request.getfixturevalue(persona)
    kwargs = {"school_pk" if url_name.startswith("plans:") else "pk": school_a.pk} if target else None
    url = reverse(url_name, kwargs=kwargs)
    page = _get(client, user, url)
    assert page.count('data-testid="year-selector"') == 1, "one selector"
    assert f'<option value="{following.pk}">2027-2028</option>' in page  # next year is offered once created
    assert f'<option value="{year.pk}" selected>2026-2027 (en cours)</option>' in page  # the cycle's year by default
    page = _get(client, user, f"{url}?annee={following.pk}")
    assert f'<option value="{following.pk}" selected>2027-2028</option>' in page


def test_a_mentor_nominated_for_next_year_appears_on_the_board_by_choosing_it(client, hr, year, following, school_a):
    """The issue: « a mentor nominated for next year only appears if one types ?annee=4 »."""
    person = f.PersonFactory(first_name="Nadia", last_name="Prochaine")
    CandidacyFactory(person=person, year=following, school=school_a, decision=Decision.NOMINATED)
    board = reverse("mentors:board")
    assert "Prochaine" not in _get(client, hr, f"{board}?annee={year.pk}")
    assert "Prochaine" in _get(client, hr, f"{board}?annee={following.pk}")


def test_next_years_mentors_are_in_its_budget(client, hr, year, following, school_a):
    MentorAssignmentFactory(year=following, school=school_a)
    budget = reverse("mentors:budget")
    assert school_a.name not in _get(client, hr, budget)
    assert school_a.name in _get(client, hr, f"{budget}?annee={following.pk}")
