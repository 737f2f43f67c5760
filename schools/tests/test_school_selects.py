"""Choosing a school among many: a search box above SCHOOL_SELECT_MAX schools, a <select> below it.

Filters (staff list, plans overview, survey results) and forms that pick one school (roles, candidacy)
render no option per school in a large centre, match what is typed by code or part of a name, never let
a director reach another school, and refuse an unknown or ambiguous school in French.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access
from roles.models import Membership, Role
from schools.forms import SchoolChoiceField, SchoolSearchField
from schools.models import School

URL = reverse("schools:school_suggestions")

# Every persona with a person may pick a school in a candidacy; the administrator reads every school.
SUGGESTIONS_ACCESS_TABLE = [
    ("schools:school_suggestions", [], "get", {persona: 200 for persona in PERSONAS} | {"anonymous": LOGIN}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name,args,method,expected", SUGGESTIONS_ACCESS_TABLE)
def test_access_to_school_suggestions(request, client, url_name, args, method, expected, persona):
    check_access(client, request.getfixturevalue(persona), reverse(url_name, args=args), expected[persona], method)


@pytest.fixture
def many_schools(db, settings, school_a, school_b):
    """60 more schools: above the <select> threshold (30 by default; set here so the test does not depend on it)."""
    settings.SCHOOL_SELECT_MAX = 30
    schools = [f.SchoolFactory(code=f"S{n:03d}", name=f"École des Cèdres {n}") for n in range(1, 59)]
    schools.append(f.SchoolFactory(code="R001", name="École Saint-Roch"))
    schools.append(f.SchoolFactory(code="R002", name="École Saint-Roch"))  # a name two schools share
    return schools


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _school_options(page: str) -> list[str]:
    return re.findall(r"<option[^>]*>[^<]*(?:Cèdres|Saint-Roch|Érables|Pins)[^<]*</option>", page)


# --- The fields ---


def test_search_field_matches_exact_code_else_part_of_name(many_schools):
    field = SchoolSearchField(queryset=School.objects.all())
    assert list(School.objects.filter(pk__in=field.clean("s007")).values_list("code", flat=True)) == ["S007"]
    assert set(School.objects.filter(pk__in=field.clean("roch")).values_list("code", flat=True)) == {"R001", "R002"}
    assert School.objects.filter(pk__in=field.clean("Cèdres 1")).count() == 11  # 1, 10…19
    assert field.clean("  ") is None


def test_search_field_is_held_to_its_schools(many_schools, school_a):
    field = SchoolSearchField(queryset=School.objects.filter(pk=school_a.pk))
    for text in ("S007", str(many_schools[0].pk), "Cèdres", "École"):
        assert set(School.objects.filter(pk__in=field.clean(text))) <= {school_a}


def test_choice_field_takes_a_code_an_exact_name_or_a_label(many_schools):
    field = SchoolChoiceField(queryset=School.objects.all())
    assert field.clean("s012").code == "S012"
    assert field.clean("École des cèdres 12").code == "S012"  # SQLite folds the case of ASCII letters only
    assert field.clean("École Saint-Roch (R002)").code == "R002"


@pytest.mark.parametrize(
    "text,message",
    [
        ("Inconnue", "Aucune école ne correspond à « Inconnue »."),
        ("École Saint-Roch", "Plusieurs écoles correspondent à « École Saint-Roch » : précisez le code."),
        ("Cèdres", "Plusieurs écoles correspondent à « Cèdres » : précisez le code."),
        (
            "Cèdres 42",
            "Aucune école ne correspond exactement à « Cèdres 42 » : vouliez-vous dire « École des Cèdres 42 (S042) » ?",
        ),
    ],
)
def test_choice_field_refuses_unknown_and_ambiguous_schools_in_french(many_schools, text, message):
    from django import forms

    with pytest.raises(forms.ValidationError) as error:
        SchoolChoiceField(queryset=School.objects.all()).clean(text)
    assert error.value.messages == [message]


def test_a_few_schools_make_a_select_with_the_chosen_one(db, school_a, school_b):
    field = SchoolChoiceField(queryset=School.objects.all())
    rendered = field.widget.render("ecole", school_b.pk, attrs={"id": "id_ecole"})
    assert rendered.startswith("<select") and f'<option value="{school_b.pk}" selected>' in rendered
    assert "École des Érables (A001)" in rendered and "data-school-suggest" not in rendered


# --- The suggestions behind the search box ---


def test_suggestions_list_active_schools_by_code_or_name(client, teacher, many_schools, django_assert_max_num_queries):
    School.objects.filter(code="S012").update(is_active=False)
    client.force_login(teacher)
    client.get(URL, {"q": "École"})
    # session, user, person (school.pick), current year, memberships (centre-wide?), the schools
    with django_assert_max_num_queries(6):
        found = client.get(URL, {"q": "cèdres 1"}).json()["schools"]
    assert [school["code"] for school in found] == [
        "S001",
        "S010",
        "S011",
        "S013",
        "S014",
        "S015",
        "S016",
        "S017",
        "S018",
        "S019",
    ]
    assert client.get(URL, {"q": "r00"}).json()["schools"][0]["label"] == "École Saint-Roch (R001)"
    assert len(client.get(URL, {"q": "École"}).json()["schools"]) == 20
    assert client.get(URL, {"q": "c"}).json() == {"schools": []}  # one letter: nothing yet


def test_suggestions_are_refused_to_an_account_without_a_person(client, db):
    client.force_login(f.UserFactory(email="robot@example.org"))
    assert client.get(URL, {"q": "École"}).status_code == 403


# --- The staff list's filter ---


@pytest.fixture
def staffed(year, many_schools, school_a, school_b):
    people = {}
    for school, number in ((school_a, "900001"), (school_b, "900002"), (many_schools[6], "900007")):
        person = f.PersonFactory(employee_number=number, last_name=f"Nom{number}")
        f.StaffAssignmentFactory(person=person, school=school, year=year)
        people[school.code] = person
    return people


def test_hr_staff_filter_is_a_search_box_by_code_or_name(client, hr, staffed):
    client.force_login(hr)
    url = reverse("schools:staff_list")
    page = _page(client.get(url))
    assert _school_options(page) == []
    assert 'type="search" name="ecole"' in page and "data-school-suggest" in page
    assert "Nom900007" in page and "Nom900001" in page
    by_code = _page(client.get(url, {"ecole": "s007"}))
    assert "Nom900007" in by_code and "Nom900001" not in by_code
    by_name = _page(client.get(url, {"ecole": "Érables"}))
    assert "Nom900001" in by_name and "Nom900007" not in by_name and 'value="Érables"' in by_name


def test_director_staff_filter_is_a_select_of_their_school_and_cannot_reach_another(
    client, director_a, school_a, staffed
):
    client.force_login(director_a)
    url = reverse("schools:staff_list")
    page = _page(client.get(url))
    assert _school_options(page) == [f'<option value="{school_a.pk}">École des Érables (A001)</option>']
    for other in ("B001", "S007", str(School.objects.get(code="B001").pk), "Pins"):
        filtered = _page(client.get(url, {"ecole": other}))
        assert "Nom900002" not in filtered and "Nom900007" not in filtered and "Nom900001" not in filtered


# --- The plans overview's filter ---


def test_plans_overview_filters_by_school_code_or_name(client, pane, year, many_schools):
    client.force_login(pane)
    url = reverse("plans:overview")
    page = _page(client.get(url))
    assert _school_options(page) == [] and 'name="ecole"' in page
    assert [row.school.code for row in client.get(url, {"ecole": "S012"}).context["rows"]] == ["S012"]
    assert {row.school.code for row in client.get(url, {"ecole": "saint-roch"}).context["rows"]} == {"R001", "R002"}


# --- The survey results' filter (one school at a time) ---


def test_survey_results_school_filter(client, hr, director_a, year, many_schools, school_a):
    from surveys.tests.factories import full_survey

    survey = full_survey(year)
    url = reverse("surveys:results", args=[survey.pk])
    client.force_login(hr)
    page = _page(client.get(url))
    assert _school_options(page) == [] and 'type="search" name="ecole"' in page
    assert client.get(url, {"ecole": "S012"}).context["scope"].school.code == "S012"
    assert client.get(url, {"ecole": "École des Cèdres 12"}).context["scope"].school.code == "S012"
    ambiguous = client.get(url, {"ecole": "Saint-Roch"})
    assert ambiguous.context["scope"].school is None
    assert "Plusieurs écoles correspondent à « Saint-Roch » : précisez le code." in _page(ambiguous)
    assert 'aria-invalid="true"' in _page(ambiguous) and 'aria-describedby="id_ecole_error"' in _page(ambiguous)
    assert 'id="id_ecole_error"' in _page(ambiguous)

    client.force_login(director_a)
    page = _page(client.get(url))
    assert len(_school_options(page)) == 1 and "<select" in page
    for other in ("B001", "S012", str(School.objects.get(code="B001").pk)):
        response = client.get(url, {"ecole": other})
        assert response.context["scope"].school == school_a
        assert "Pins" not in _page(response) and "Cèdres" not in _page(response)


# --- A form that picks one school: HR grants a director's role ---


def test_grant_form_school_is_a_search_box_that_refuses_unknown_or_ambiguous_schools(client, hr, year, many_schools):
    f.person_with_account("nouvelle.direction@example.org", employee_number="555001")
    client.force_login(hr)
    url = f"{reverse('roles:membership_grant')}?annee={year.pk}"
    page = _page(client.get(url))
    assert _school_options(page) == [] and "data-school-suggest" in page
    data = {"person": "555001", "role": Role.DIRECTOR, "starts_on": "2026-11-24"}
    for text, message in (
        ("Saint-Roch", "Plusieurs écoles correspondent à « Saint-Roch » : précisez le code."),
        ("Nulle part", "Aucune école ne correspond à « Nulle part »."),
    ):
        page = _page(client.post(url, data | {"school": text}))
        assert message in page and 'aria-invalid="true"' in page and f'value="{text}"' in page
        assert "id_school_error" in re.search(r'<input[^>]*name="school"[^>]*>', page).group(0)
        assert 'id="id_school_error"' in page and "Choisissez l'école de cette direction" not in page
        assert not Membership.objects.filter(role=Role.DIRECTOR).exists()
    assert client.post(url, data | {"school": "r002"}).status_code == 302
    assert Membership.objects.get(role=Role.DIRECTOR).school.code == "R002"


def test_grant_form_with_few_schools_is_a_select(client, hr, year, school_a, school_b):
    client.force_login(hr)
    page = _page(client.get(f"{reverse('roles:membership_grant')}?annee={year.pk}"))
    assert len(_school_options(page)) == 2 and "data-school-suggest" not in page


def test_a_code_made_of_digits_wins_over_an_equal_id(many_schools):
    other = many_schools[0]
    numbered = f.SchoolFactory(code=str(other.pk), name="École numérotée")
    assert SchoolChoiceField(queryset=School.objects.all()).clean(str(other.pk)) == numbered
    field = SchoolSearchField(queryset=School.objects.all())
    assert list(School.objects.filter(pk__in=field.clean(str(other.pk)))) == [numbered]
