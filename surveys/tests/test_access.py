"""Every surveys URL × every persona: a new view cannot be forgotten."""

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from surveys import urls
from surveys.tests.factories import full_survey, invite

ALL = set(PERSONAS) - {"anonymous"}
BUILDERS = {"hr", "pane", "admin_user"}
READERS = BUILDERS | {"management"}
DIRECTORS = {"director_a", "director_b"}


def _table(allowed: set, ok=200):
    return {persona: (ok if persona in allowed else 403) for persona in ALL} | {"anonymous": LOGIN}


def _public(code):
    return {persona: code for persona in PERSONAS}


# url name → (method, expected by persona)
TABLE = {
    "survey_list": ("get", _table(READERS | DIRECTORS)),
    "results": ("get", _table(READERS | DIRECTORS)),
    "survey_create": ("get", _table(BUILDERS)),
    "survey_detail": ("get", _table(BUILDERS)),
    "survey_edit": ("get", _table(BUILDERS)),
    "survey_copy": ("get", _table(BUILDERS)),
    "question_create": ("get", _table(BUILDERS)),
    "question_edit": ("get", _table(BUILDERS)),
    "question_delete": ("post", _table(BUILDERS, ok=302)),
    "question_move": ("post", _table(BUILDERS, ok=302)),
    "campaign_generate": ("post", _table(BUILDERS, ok=302)),
    "campaign_send": ("post", _table(BUILDERS, ok=302)),
    "export_results_csv": ("get", _table(READERS)),
    "export_results_xlsx": ("get", _table(READERS)),
    "export_responses_csv": ("get", _table(BUILDERS)),
    "import_responses": ("get", _table(BUILDERS)),
    "respond": ("get", _public(200)),
    "thanks": ("get", _public(302)),  # not answered yet: back to the form
}

# The shape the project-wide URL coverage test reads: (namespaced name, target, method, expected).
ACCESS_TABLE = [(f"surveys:{name}", "survey", method, expected) for name, (method, expected) in TABLE.items()]


def test_table_covers_every_url():
    assert {pattern.name for pattern in urls.urlpatterns} == set(TABLE)


def _url(name, survey, invitation):
    if name in ("respond", "thanks"):
        return reverse(f"surveys:{name}", args=[invitation.token])
    if name in ("question_edit", "question_delete", "question_move"):
        return reverse(f"surveys:{name}", args=[survey.pk, survey.questions.last().pk])
    if name in ("survey_list", "survey_create"):
        return reverse(f"surveys:{name}")
    return reverse(f"surveys:{name}", args=[survey.pk])


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        return {"users": users, "survey": full_survey(users["year"])}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("name", sorted(TABLE))
    def test_access(self, client, shared, name, persona):
        user, survey = shared["users"][persona], shared["survey"]
        invitation = invite(survey, f.PersonFactory())
        method, expected = TABLE[name]
        check_access(client, user, _url(name, survey, invitation), expected[persona], method=method)


def test_unknown_survey_is_404_for_allowed_roles(client, hr, db):
    client.force_login(hr)
    assert client.get(reverse("surveys:results", args=[999999])).status_code == 404
