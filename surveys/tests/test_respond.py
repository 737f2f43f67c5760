import datetime
import threading

import pytest
import time_machine
from django.urls import reverse

from mentorat import factories as f
from surveys.models import Answer, Invitation, Response
from surveys.services import SurveyError, response_submit
from surveys.tests.factories import invite, questions


@pytest.fixture
def invitation(survey, mentee_a):
    return invite(survey, mentee_a.person)


def _url(invitation, name="surveys:respond"):
    return reverse(name, args=[invitation.token])


def _answers(survey, **overrides):
    q = questions(survey)
    c = {pos: {choice.label: str(choice.pk) for choice in q[pos].choices.all()} for pos in q}
    data = {
        f"q{q[1].pk}": c[1]["Suffisant"],
        f"q{q[2].pk}": [c[2]["Proximité"], c[2]["Disponibilité"]],
        f"q{q[3].pk}": "oui",
        f"q{q[3].pk}_other": "Pour voir",
        f"q{q[4].pk}": c[4]["Congés"],
        f"q{q[5].pk}": "7",
        f"q{q[6].pk}_c{q[6].choices.get(label='Temps').pk}": "1",
        f"q{q[6].pk}_c{q[6].choices.get(label='Proximité').pk}": "2",
        f"q{q[7].pk}": "9",
        f"q{q[8].pk}": "Merci",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_token_is_long_and_unguessable(invitation):
    assert len(invitation.token) >= 43


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("surveys:respond", args=["nope"])).status_code == 404


def test_invitee_opens_link_without_signing_in(client, invitation):
    response = client.get(_url(invitation))
    assert response.status_code == 200
    assert "Le temps est-il suffisant ?" in response.content.decode()


def test_submit_stores_typed_anonymous_answers(client, invitation, survey, school_a):
    response = client.post(_url(invitation), _answers(survey))
    assert response.status_code == 302 and response["Location"] == _url(invitation, "surveys:thanks")
    stored = Response.objects.get(survey=survey)
    assert stored.school == school_a and stored.order == school_a.order
    assert stored.submitted_week == datetime.date(2026, 11, 23)  # the Monday, not the time
    assert not hasattr(stored, "invitation")
    invitation.refresh_from_db()
    assert invitation.has_answered and invitation.draft is None
    q = questions(survey)
    assert Answer.objects.filter(question=q[2]).count() == 2
    assert Answer.objects.get(question=q[3]).boolean is True
    assert Answer.objects.get(question=q[3]).text == "Pour voir"
    ranks = dict(Answer.objects.filter(question=q[6]).values_list("choice__label", "rank"))
    assert ranks == {"Temps": 1, "Proximité": 2}
    assert Answer.objects.get(question=q[7]).number == 9
    assert "Merci" in client.get(_url(invitation, "surveys:thanks")).content.decode()


def test_link_cannot_be_reused(client, invitation, survey):
    client.post(_url(invitation), _answers(survey))
    client.post(_url(invitation), _answers(survey))
    assert Response.objects.filter(survey=survey).count() == 1
    assert "déjà répondu" in client.get(_url(invitation)).content.decode()


def test_service_refuses_a_second_submission_even_with_a_stale_object(invitation):
    stale = Invitation.objects.get(pk=invitation.pk)
    response_submit(invitation=invitation, answers=[])
    with pytest.raises(SurveyError):
        response_submit(invitation=stale, answers=[])
    assert Response.objects.count() == 1


def test_conditional_question_required_only_when_shown(client, invitation, survey):
    q = questions(survey)
    # « oui » shows Q4, which is required.
    response = client.post(_url(invitation), _answers(survey, **{f"q{q[4].pk}": None}))
    assert response.status_code == 200
    assert "Cette question est obligatoire." in response.content.decode()
    # « non » hides it: no error, and a value sent anyway is ignored.
    response = client.post(_url(invitation), _answers(survey, **{f"q{q[3].pk}": "non"}))
    assert response.status_code == 302
    assert not Answer.objects.filter(question=q[4]).exists()


def test_ranking_must_use_each_rank_once(client, invitation, survey):
    q = questions(survey)
    data = _answers(survey, **{f"q{q[6].pk}_c{q[6].choices.get(label='Proximité').pk}": "1"})
    response = client.post(_url(invitation), data)
    assert response.status_code == 200
    assert "une seule fois" in response.content.decode()
    data = _answers(survey, **{f"q{q[6].pk}_c{q[6].choices.get(label='Proximité').pk}": "3"})
    assert client.post(_url(invitation), data).status_code == 200  # 1 then 3: rank 2 skipped


def test_other_needs_its_text(client, invitation, survey):
    q = questions(survey)
    response = client.post(_url(invitation), _answers(survey, **{f"q{q[1].pk}": "autre"}))
    assert "Précisez votre réponse" in response.content.decode()


def test_save_and_continue_later(client, invitation, survey):
    q = questions(survey)
    partial = {f"q{q[5].pk}": "12", f"q{q[8].pk}": "À compléter", "enregistrer": "1"}
    response = client.post(_url(invitation), partial)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft[f"q{q[5].pk}"] == ["12"]
    assert not Response.objects.exists()
    page = client.get(_url(invitation)).content.decode()
    assert 'value="12"' in page and "À compléter" in page
    client.post(_url(invitation), _answers(survey))
    invitation.refresh_from_db()
    assert invitation.draft is None


def test_closed_after_closing_date(client, invitation, survey):
    with time_machine.travel(survey.closes_at + datetime.timedelta(minutes=1)):
        page = client.get(_url(invitation)).content.decode()
        assert "Ce sondage est fermé" in page
        client.post(_url(invitation), _answers(survey))
    assert not Response.objects.exists()


def test_not_open_yet(client, invitation, survey):
    with time_machine.travel(survey.opens_at - datetime.timedelta(days=1)):
        assert "ouvrira le" in client.get(_url(invitation)).content.decode()


def test_respondent_without_assignment_has_no_school(client, survey):
    invitation = invite(survey, f.PersonFactory())
    client.post(_url(invitation), _answers(survey))
    assert Response.objects.get().school is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_create_one_response(year):
    from surveys.tests.factories import full_survey

    survey = full_survey(year)
    invitation = invite(survey, f.PersonFactory())
    errors = []

    def submit():
        try:
            response_submit(invitation=Invitation.objects.get(pk=invitation.pk), answers=[])
        except SurveyError as error:
            errors.append(error)
        except Exception as error:  # SQLite may refuse a concurrent write outright
            errors.append(error)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Response.objects.filter(survey=survey).count() == 1
    assert len(errors) == 1


def test_questions_are_numbered_as_the_respondent_sees_them(client, invitation, survey):
    # Q4 shows only after « oui » at Q3: with « non », Q5 is the fourth question the respondent sees.
    q = questions(survey)
    page = client.post(_url(invitation), _answers(survey, **{f"q{q[3].pk}": "non", f"q{q[5].pk}": "-3"}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Question 4 — " in html and "Question 5 — " not in html
    assert '<span class="question-number">4. </span>Nombre d' in html
    assert '<span class="question-number"></span>Laquelle ?' in html


def test_numbering_follows_the_saved_answers_on_return(client, invitation, survey):
    q = questions(survey)
    html = client.get(_url(invitation)).content.decode()
    assert '<span class="question-number">4. </span>Nombre d' in html  # Q3 not answered yet: Q4 hidden
    client.post(_url(invitation), {f"q{q[3].pk}": "oui", "enregistrer": "1"})
    html = client.get(_url(invitation)).content.decode()
    assert '<span class="question-number">4. </span>Laquelle ?' in html
    assert '<span class="question-number">5. </span>Nombre d' in html


def test_a_conditional_question_says_when_to_answer_it_without_script(client, invitation, survey):
    html = client.get(_url(invitation)).content.decode()
    assert "Seulement si votre réponse à « Accepteriez-vous une autre compensation ? » est « oui »." in html
