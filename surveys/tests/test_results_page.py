import pytest
from django.urls import reverse

from mentorat import factories as f
from schools.models import Order
from surveys.services import survey_copy
from surveys.tests.factories import add_question, full_survey, invite, respond


def _url(survey, query=""):
    return reverse("surveys:results", args=[survey.pk]) + query


def _fill(survey, school, n, scale=9):
    for _ in range(n):
        respond(survey, {1: "Suffisant", 3: ("oui", "Pourquoi-XYZ"), 7: scale, 8: "Propos-XYZ"}, school=school)


def test_response_rate_as_the_seed_writes_it(client, hr, survey, mentee_a):
    for _ in range(5):
        invite(survey, f.PersonFactory())
    invite(survey, mentee_a.person)
    _fill(survey, None, 5)
    client.force_login(hr)
    assert "5 sur 6" in client.get(_url(survey)).content.decode()


def test_chart_library_is_served_locally(client, hr, survey):
    _fill(survey, None, 5)
    client.force_login(hr)
    page = client.get(_url(survey)).content.decode()
    assert "vendor/chart.js/chart.umd.min.js" in page
    assert "https://cdn" not in page
    assert 'id="survey-charts"' in page
    assert "<table" in page


def test_director_sees_only_own_school_and_never_free_text(client, director_a, survey, school_a, school_b):
    _fill(survey, school_a, 12)
    _fill(survey, school_b, 12, scale=2)
    client.force_login(director_a)
    page = client.get(_url(survey, f"?ecole={school_b.pk}")).content.decode()
    assert school_b.name not in page  # held to school A
    assert "12 répondants" in page
    assert "Propos-XYZ" not in page and "Pourquoi-XYZ" not in page


def test_director_withheld_below_threshold(client, director_a, survey, school_a, school_b):
    _fill(survey, school_a, 3)
    _fill(survey, school_b, 20)
    client.force_login(director_a)
    page = client.get(_url(survey)).content.decode()
    assert "pas assez de réponses" in page


def test_hr_filters_by_order_with_complementary_suppression(client, hr, survey, school_a, school_b):
    _fill(survey, school_a, 10)  # primary
    _fill(survey, school_b, 3)  # secondary
    client.force_login(hr)
    assert "pas assez de réponses" in client.get(_url(survey, f"?ordre={Order.SECONDARY}")).content.decode()
    assert "pas assez de réponses" in client.get(_url(survey, f"?ordre={Order.PRIMARY}")).content.decode()
    page = client.get(_url(survey)).content.decode()
    assert "pas assez de réponses" not in page and "Propos-XYZ" in page


def test_mentor_mentee_teacher_are_refused(client, survey, mentor_a, mentee_a, teacher):
    for user in (mentor_a, mentee_a, teacher):
        client.force_login(user)
        assert client.get(_url(survey)).status_code == 403


def test_year_comparison_for_copied_questions(client, hr, year, school_a):
    last_year = f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")
    previous = full_survey(last_year)
    for _ in range(5):
        respond(previous, {1: "Insuffisant"})
    current = survey_copy(
        survey=previous, year=year, title="Copie", opens_at=previous.opens_at, closes_at=previous.closes_at
    )
    for _ in range(5):
        respond(current, {1: "Suffisant"})
    client.force_login(hr)
    response = client.get(_url(current))
    first = response.context["results"].questions[0]
    rows = {row.label: row for row in first.rows}
    assert rows["Insuffisant"].previous_percent == 1 and rows["Suffisant"].percent == 1
    assert "Année précédente" in response.content.decode()


@pytest.mark.parametrize("responses,extra_questions", [(5, 0), (60, 12)])
def test_query_count_is_constant(
    client, hr, survey, school_a, responses, extra_questions, django_assert_max_num_queries
):
    for i in range(extra_questions):
        add_question(
            survey,
            ["single", "yes_no", "number", "scale_10", "ranking", "text"][i % 6],
            options=["A", "B", "C"],
            bins=[[0, 10, ""]],
        )
    _fill(survey, school_a, responses)
    client.force_login(hr)
    # session, user, person, year, memberships (5); survey, questions with their conditions, choices (3);
    # group sizes and figures from the kept counts (1), the latest free texts (1); invitations (1);
    # the school filter's options (1).
    with django_assert_max_num_queries(12):
        assert client.get(_url(survey)).status_code == 200


def test_school_filter_escapes_names_and_marks_the_asked_school(client, hr, survey, school_a):
    odd = f.SchoolFactory(name="<b>Ré & fils</b>")
    _fill(survey, odd, 5)
    client.force_login(hr)
    page = client.get(_url(survey, f"?ecole={odd.pk}")).content.decode()
    assert f'<option value="{odd.pk}" selected>&lt;b&gt;Ré &amp; fils&lt;/b&gt; ({odd.code})</option>' in page
    assert f'<option value="{school_a.pk}">École des Érables ({school_a.code})</option>' in page
    assert "<b>Ré" not in page


def test_unknown_school_shows_every_response(client, hr, survey, school_a):
    _fill(survey, school_a, 5)
    client.force_login(hr)
    for query in ("?ecole=999999", "?ecole=abc", "?ordre=nimporte"):
        response = client.get(_url(survey, query))
        assert response.status_code == 200
        assert response.context["scope"].school is None and response.context["scope"].order == ""
        assert response.context["results"].respondents == 5


@pytest.mark.parametrize("schools", [1, 25])
def test_query_count_does_not_grow_with_schools(client, hr, survey, schools, django_assert_max_num_queries):
    batch = f.SchoolFactory.create_batch(schools)
    for school in batch:
        _fill(survey, school, 5)
    client.force_login(hr)
    client.get(_url(survey))  # the session's last-seen stamp, if a minute passed during the setup
    # session, user, person, year, memberships (5); survey, the asked school if any (its code, its row) (1-3);
    # questions, choices (2); group sizes (the orders' only, unless one school is asked) and figures from the
    # kept counts in one query, free texts (2); invitations (1); the school filter's options, one query
    # whatever their number (1).
    for query in ("", f"?ordre={Order.PRIMARY}", f"?ecole={batch[-1].pk}"):
        with django_assert_max_num_queries(14 if query.startswith("?ecole") else 12):
            response = client.get(_url(survey, query))
        assert response.status_code == 200
        assert response.context["results"].respondents == (5 if query.startswith("?ecole") else 5 * schools)


def test_one_school_shows_its_own_free_texts_only(client, hr, survey, school_a, django_assert_max_num_queries):
    other, third = f.SchoolFactory(), f.SchoolFactory()
    _fill(survey, school_a, 12)
    _fill(survey, third, 11)
    respond(survey, {1: "Suffisant", 8: "Ailleurs-XYZ"}, school=other)  # withheld, with the next smallest (third)
    client.force_login(hr)
    client.get(_url(survey))  # the session's last-seen stamp, if a minute passed during the setup
    # As above (14 with the free texts), plus the school's response ids (1).
    with django_assert_max_num_queries(15):
        response = client.get(_url(survey, f"?ecole={school_a.pk}"))
    page = response.content.decode()
    assert response.context["results"].texts_allowed
    assert "Propos-XYZ" in page and "Ailleurs-XYZ" not in page
    assert "pas assez de réponses" in client.get(_url(survey, f"?ecole={third.pk}")).content.decode()
