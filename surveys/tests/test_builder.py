import datetime

import pytest
from django.urls import reverse

from surveys.forms import parse_bins
from surveys.models import Question, Survey
from surveys.tests.factories import questions, respond


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def test_hr_creates_a_survey(hr_client, year):
    response = hr_client.post(
        reverse("surveys:survey_create"),
        {
            "title": "Sondage 2027",
            "audience": "mentors",
            "year": year.pk,
            "opens_at": "2027-02-01T08:00",
            "closes_at": "2027-02-28T17:00",
            "introduction": "",
        },
    )
    survey = Survey.objects.get(title="Sondage 2027")
    assert response["Location"] == reverse("surveys:survey_detail", args=[survey.pk])


def test_closing_must_follow_opening(hr_client, year):
    response = hr_client.post(
        reverse("surveys:survey_create"),
        {
            "title": "X",
            "audience": "mentors",
            "year": year.pk,
            "opens_at": "2027-02-28T08:00",
            "closes_at": "2027-02-01T17:00",
        },
    )
    assert "La fermeture doit suivre l&#x27;ouverture." in response.content.decode()
    assert not Survey.objects.filter(title="X").exists()


def test_pane_adds_questions_with_options_bins_and_condition(client, pane, survey):
    client.force_login(pane)
    url = reverse("surveys:question_create", args=[survey.pk])
    response = client.post(
        url, {"kind": "number", "text": "Combien ?", "bins_text": "1-5 = Peu\n6+", "version": survey.version}
    )
    assert response.status_code == 302
    number = survey.questions.get(text="Combien ?")
    assert number.bins == [[1, 5, "Peu"], [6, None, ""]]
    yes_no = questions(survey)[3]
    survey.refresh_from_db()
    response = client.post(
        url,
        {
            "kind": "multiple",
            "text": "Lesquels ?",
            "choices_text": "A\nB\nC",
            "show_if_question": yes_no.pk,
            "show_if_value": "oui",
            "version": survey.version,
        },
    )
    assert response.status_code == 302
    added = survey.questions.get(text="Lesquels ?")
    assert [c.label for c in added.choices.all()] == ["A", "B", "C"]
    assert added.show_if_question == yes_no and added.position == 10


def test_condition_value_must_exist(hr_client, survey):
    yes_no = questions(survey)[3]
    response = hr_client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {
            "kind": "text",
            "text": "Pourquoi ?",
            "show_if_question": yes_no.pk,
            "show_if_value": "peut-être",
            "version": survey.version,
        },
    )
    assert response.status_code == 200
    assert "Réponses possibles : oui, non" in response.content.decode()


def test_choice_question_needs_two_options(hr_client, survey):
    response = hr_client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {"kind": "single", "text": "Q", "choices_text": "Seule", "version": survey.version},
    )
    assert "Indiquez au moins deux options." in response.content.decode()


def test_bins_parse_errors_give_the_line():
    with pytest.raises(Exception) as error:
        parse_bins("1-5\nbeaucoup")
    assert "Ligne 2" in str(error.value)


def test_edit_keeps_existing_choices(hr_client, survey):
    question = questions(survey)[1]
    ids = {c.label: c.pk for c in question.choices.all()}
    hr_client.post(
        reverse("surveys:question_edit", args=[survey.pk, question.pk]),
        {
            "kind": "single",
            "text": question.text,
            "choices_text": "Suffisant\nInsuffisant\nNouveau",
            "version": survey.version,
            "required": "on",
            "allow_other": "on",
        },
    )
    labels = {c.label: c.pk for c in Question.objects.get(pk=question.pk).choices.all()}
    assert list(labels) == ["Suffisant", "Insuffisant", "Nouveau"]
    assert labels["Suffisant"] == ids["Suffisant"]


def test_concurrent_edit_is_refused(hr_client, survey):
    stale = survey.version
    question = questions(survey)[8]
    url = reverse("surveys:question_edit", args=[survey.pk, question.pk])
    hr_client.post(url, {"kind": "text", "text": "Premier", "version": stale})
    response = hr_client.post(url, {"kind": "text", "text": "Second", "version": stale})
    assert "modifié par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    question.refresh_from_db()
    assert question.text == "Premier"


def test_survey_with_responses_cannot_change_questions(hr_client, survey):
    respond(survey, {1: "Suffisant"})
    question = questions(survey)[1]
    response = hr_client.get(reverse("surveys:question_edit", args=[survey.pk, question.pk]), follow=True)
    assert "ne peuvent plus changer" in response.content.decode()
    hr_client.post(reverse("surveys:question_delete", args=[survey.pk, question.pk]), {"version": survey.version})
    assert Question.objects.filter(pk=question.pk).exists()
    response = hr_client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {"kind": "text", "text": "Nouvelle", "version": survey.version},
    )
    assert not survey.questions.filter(text="Nouvelle").exists()
    assert (
        "Copier pour une nouvelle année"
        in hr_client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    )


def test_copy_for_a_new_year_keeps_questions_conditions_and_origins(hr_client, survey, year):
    respond(survey, {1: "Suffisant"})
    response = hr_client.post(
        reverse("surveys:survey_copy", args=[survey.pk]),
        {"year": year.pk, "title": "Copie", "opens_at": "2027-02-01T08:00", "closes_at": "2027-02-28T17:00"},
    )
    copy = Survey.objects.get(title="Copie")
    assert response["Location"] == reverse("surveys:survey_detail", args=[copy.pk])
    assert copy.copied_from == survey and not copy.has_responses()
    old, new = questions(survey), questions(copy)
    assert [q.text for q in new.values()] == [q.text for q in old.values()]
    assert all(new[p].origin == old[p] for p in old)
    assert new[4].show_if_question == new[3]
    assert [c.label for c in new[6].choices.all()] == ["Proximité", "Direction", "Temps"]


def test_move_and_delete(hr_client, survey):
    q = questions(survey)
    hr_client.post(
        reverse("surveys:question_move", args=[survey.pk, q[2].pk]), {"sens": "haut", "version": survey.version}
    )
    assert questions(survey)[1].pk == q[2].pk
    survey.refresh_from_db()
    hr_client.post(reverse("surveys:question_delete", args=[survey.pk, q[8].pk]), {"version": survey.version})
    assert survey.questions.count() == 7


def test_pages_render(hr_client, survey):
    for url in (
        reverse("surveys:survey_list"),
        reverse("surveys:survey_create"),
        reverse("surveys:survey_detail", args=[survey.pk]),
        reverse("surveys:survey_edit", args=[survey.pk]),
        reverse("surveys:survey_copy", args=[survey.pk]),
        reverse("surveys:question_create", args=[survey.pk]),
    ):
        assert hr_client.get(url).status_code == 200, url


def test_survey_list_query_count(hr_client, year, django_assert_max_num_queries):
    from surveys.tests.factories import full_survey

    for n in range(12):
        full_survey(year, title=f"S{n}")
    # session, user, person, year, memberships, surveys with counts (one query), the year selector's years
    with django_assert_max_num_queries(8):
        assert hr_client.get(reverse("surveys:survey_list")).status_code == 200


@pytest.fixture
def last_year_survey(db):
    from mentorat import factories as f
    from surveys.tests.factories import make_survey

    last_year = f.SchoolYearFactory(
        label="2025-2026",
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    survey = make_survey(last_year, title="Sondage des mentors 2026 (2025-2026)")
    survey.introduction = "Le programme existe depuis septembre 2025. Merci de répondre avant le 28 février."
    survey.save()
    return survey


def test_copy_proposes_the_next_year_and_its_title(hr_client, last_year_survey, year):
    form = hr_client.get(reverse("surveys:survey_copy", args=[last_year_survey.pk])).context["form"]
    assert form.initial["year"] == year
    assert form.initial["title"] == "Sondage des mentors 2027 (2026-2027)"


def test_copied_introduction_is_flagged_with_its_years_until_saved(hr_client, last_year_survey, year):
    hr_client.post(
        reverse("surveys:survey_copy", args=[last_year_survey.pk]),
        {"year": year.pk, "title": "Copie", "opens_at": "2027-02-01T08:00", "closes_at": "2027-02-28T17:00"},
    )
    copy = Survey.objects.get(title="Copie")
    detail = hr_client.get(reverse("surveys:survey_detail", args=[copy.pk])).content.decode()
    assert "Introduction à relire" in detail and "<mark>2025</mark>" in detail
    edit = hr_client.get(reverse("surveys:survey_edit", args=[copy.pk]))
    assert "Introduction à relire" in edit.content.decode()
    data = {
        "title": "Copie",
        "introduction": "Le programme existe depuis septembre 2025. En 2027, nous continuons.",
        "audience": copy.audience,
        "year": year.pk,
        "opens_at": "2027-02-01T08:00",
        "closes_at": "2027-02-28T17:00",
        "version": copy.version,
    }
    assert hr_client.post(reverse("surveys:survey_edit", args=[copy.pk]), data).status_code == 302
    detail = hr_client.get(reverse("surveys:survey_detail", args=[copy.pk])).content.decode()
    assert "Introduction à relire" not in detail


def test_a_survey_created_from_scratch_has_nothing_to_review(hr_client, survey):
    assert (
        "Introduction à relire"
        not in hr_client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    )
