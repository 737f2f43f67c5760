"""The answer page says what is required, ties each error to its question and lists them at the top."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from surveys.tests.factories import invite, questions
from surveys.tests.test_respond import _answers


@pytest.fixture
def invitation(survey, mentee_a):
    return invite(survey, mentee_a.person)


def _url(invitation):
    return reverse("surveys:respond", args=[invitation.token])


def _tag(html: str, element_id: str) -> str:
    match = re.search(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def test_required_questions_are_announced_in_words_and_markup(client, invitation, survey):
    q = questions(survey)
    html = client.get(_url(invitation)).content.decode()

    assert "sont obligatoires" in html
    assert "(obligatoire)" in html  # read by screen readers beside the « * »
    required_radio = _tag(html, f"id_q{q[1].pk}_0")
    assert " required" in required_radio


def test_a_refused_submission_lists_each_question_to_fix_and_links_to_it(client, invitation, survey):
    q = questions(survey)
    data = _answers(survey, **{f"q{q[1].pk}": None, f"q{q[4].pk}": None})

    html = client.post(_url(invitation), data).content.decode()

    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    assert "2 réponses sont à corriger" in summary
    assert f'href="#id_q{q[1].pk}_0"' in summary and f'href="#id_q{q[4].pk}_0"' in summary
    assert 'tabindex="-1"' in _tag(html, "error-summary")  # the page's script moves focus there


def test_each_error_is_tied_to_its_inputs_and_the_answers_stay(client, invitation, survey):
    q = questions(survey)
    data = _answers(survey, **{f"q{q[1].pk}": None})

    html = client.post(_url(invitation), data).content.decode()

    radio = _tag(html, f"id_q{q[1].pk}_0")
    assert f'aria-describedby="error_1_id_q{q[1].pk}"' in radio and 'aria-invalid="true"' in radio
    assert "Cette question est obligatoire." in html[html.index(f'id="error_1_id_q{q[1].pk}"') :][:200]
    # What was already answered is still there.
    assert "checked" in _tag(html, f"id_q{q[3].pk}_0") or "checked" in html[html.index(f'name="q{q[3].pk}"') :][:300]
    assert "Pour voir" in html
