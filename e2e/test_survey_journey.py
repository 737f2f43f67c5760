"""Browser journey (phone-size viewport): an invited mentee answers, saves, comes back, submits; HR sees it."""

from __future__ import annotations

import json

import pytest

from mentorat import factories as f
from roles.models import Role
from surveys.tests.factories import full_survey, invite, respond

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def campaign(transactional_db):
    year = f.SchoolYearFactory()
    school = f.SchoolFactory(name="École des Érables")
    survey = full_survey(year, title="Sondage des personnes mentorées")
    for _ in range(5):
        respond(survey, {1: "Insuffisant", 3: "non", 7: 5}, school=school)
    mentee = f.PersonFactory(first_name="Léa")
    f.StaffAssignmentFactory(person=mentee, school=school, year=year)
    for _ in range(9):
        invite(survey, f.PersonFactory())
    hr = f.person_with_account("rh@example.org")
    f.give_role(hr, Role.HR)
    return {"survey": survey, "invitation": invite(survey, mentee)}


def _chart(page, position):
    charts = json.loads(page.locator("#survey-charts").text_content())
    return charts[position - 1]["datasets"][0]["data"]


def test_mentee_answers_on_a_phone_and_hr_sees_it(page, sign_in, campaign):
    survey, invitation = campaign["survey"], campaign["invitation"]
    sign_in("rh@example.org", "motdepasse-test")
    page.goto(f"/sondages/{survey.pk}/resultats/")
    assert page.get_by_test_id("response-rate").inner_text().strip() == "5 sur 10"
    assert _chart(page, 1)[1] == 0  # nobody said « Suffisant » yet
    page.context.clear_cookies()

    page.set_viewport_size(PHONE)
    page.goto(f"/sondages/r/{invitation.token}/")
    page.get_by_label("Suffisant", exact=True).first.check()
    which = page.locator("fieldset.survey-question", has_text="Laquelle ?")
    assert which.is_hidden()  # shown only after « oui »
    number = page.locator("fieldset.survey-question", has_text="Nombre d'enseignants").locator(".question-number")
    assert number.inner_text().strip() == "4."  # numbered as seen: the hidden question takes no number
    page.locator("fieldset.survey-question", has_text="Accepteriez-vous").get_by_label("Oui").check()
    assert which.is_visible()
    assert which.locator(".question-number").inner_text().strip() == "4."
    assert number.inner_text().strip() == "5."
    page.locator("fieldset.survey-question", has_text="Accepteriez-vous").get_by_label("Non").check()
    assert which.is_hidden() and number.inner_text().strip() == "4."
    page.locator("fieldset.survey-question", has_text="Accepteriez-vous").get_by_label("Oui").check()
    which.get_by_label("Congés").check()
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    assert page.get_by_text("Vos réponses sont enregistrées").is_visible()

    page.goto(f"/sondages/r/{invitation.token}/")  # comes back later with the same link
    assert page.get_by_label("Suffisant", exact=True).first.is_checked()
    assert which.is_visible()
    page.locator("fieldset.survey-question", has_text="Recommanderiez-vous").get_by_label("9", exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    page.get_by_role("button", name="Envoyer mes réponses").click()
    assert page.get_by_text("Merci ! Votre réponse a été enregistrée.").is_visible()

    sign_in("rh@example.org", "motdepasse-test")
    page.goto(f"/sondages/{survey.pk}/resultats/")
    assert page.get_by_test_id("response-rate").inner_text().strip() == "6 sur 10"
    assert _chart(page, 1)[1] == 1
    assert page.locator(f"#chart-{survey.questions.get(position=1).pk}").is_visible()
