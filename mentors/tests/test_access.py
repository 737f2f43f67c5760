"""Every mentors URL × every persona: allowed, forbidden, hidden (404) or sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from mentors import urls as mentor_urls
from mentors.models import Pairing
from mentors.tests.factories import (
    CandidacyFactory,
    FollowUpEntryFactory,
    MentorAssignmentFactory,
    ProgrammeSettingsFactory,
)


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


HAS_PERSON = {
    "hr": 200,
    "director_a": 200,
    "director_b": 200,
    "pane": 200,
    "trainer": 200,
    "management": 200,
    "mentor_a": 200,
    "mentee_a": 200,
    "teacher": 200,
}
HR = {"hr": 200, "admin_user": 200}
PAIRING_MANAGERS = {"hr": 200, "pane": 200, "admin_user": 200}

# (url name, kwargs target, method, expected by persona)
ACCESS_TABLE = [
    ("mentors:settings_edit", None, "get", _row(**HR)),
    ("mentors:candidacy_mine", None, "get", _row(**HAS_PERSON)),
    ("mentors:reflective_tool", None, "get", _row(**HAS_PERSON)),
    # Without the reflective tool filled, the form sends people to it first.
    ("mentors:candidacy_edit", None, "get", _row(**{k: 302 for k in HAS_PERSON})),
    ("mentors:candidacy_withdraw", None, "post", _row(**{**{k: 404 for k in HAS_PERSON}, "teacher": 302})),
    ("mentors:candidacy_renew", None, "post", _row(**{k: 302 for k in HAS_PERSON})),
    ("mentors:director_candidacies", None, "get", _row(director_a=200, director_b=200)),
    ("mentors:candidacy_detail", "candidacy_a", "get", _row(**HR, director_a=200, director_b=404)),
    ("mentors:candidacy_opinion", "candidacy_a", "post", _row(director_a=200, director_b=404)),
    ("mentors:candidacy_decide", "candidacy_a", "post", _row(**HR)),
    ("mentors:board", None, "get", _row(**HR)),
    ("mentors:board_decide_many", None, "post", _row(hr=302, admin_user=302)),
    ("mentors:budget", None, "get", _row(**HR, management=200)),
    ("mentors:pairing_board", None, "get", _row(**PAIRING_MANAGERS)),
    ("mentors:pairing_list", None, "get", _row(**PAIRING_MANAGERS)),
    ("mentors:pairing_create", None, "post", _row(hr=404, pane=404, admin_user=404)),
    ("mentors:pairing_novice", "novice", "get", _row(**PAIRING_MANAGERS)),
    ("mentors:pairing_end", "pairing", "get", _row(**PAIRING_MANAGERS)),
    ("mentors:followup_stats", None, "get", _row(**PAIRING_MANAGERS)),
    ("mentors:my_mentees", None, "get", _row(mentor_a=200)),
    # The follow-up log and its notes: the mentor alone.
    ("mentors:followup_log", "pairing", "get", _row(mentor_a=200)),
    ("mentors:followup_delete", "entry", "post", _row(mentor_a=302)),
    ("mentors:my_mentor", None, "get", _row(mentee_a=200)),
]


def make_objects(users, year, school_a) -> dict:
    teacher, mentor = users["teacher"], users["mentor_a"]
    ProgrammeSettingsFactory(year=year)
    MentorAssignmentFactory(person=mentor.person, year=year, school=school_a)
    pairing = Pairing.objects.get(mentor=mentor.person)
    novice = f.PersonFactory()
    f.StaffAssignmentFactory(person=novice, school=school_a, year=year)
    f.EntitlementFactory(person=novice, year=year)
    return {
        "candidacy_a": CandidacyFactory(person=teacher.person, year=year, school=school_a),
        "pairing": pairing,
        "entry": FollowUpEntryFactory(pairing=pairing),
        "novice": novice,
    }


@pytest.fixture
def objects(request, year, school_a, school_b):
    # Every persona exists whoever signs in, so each row sees the same world.
    users = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    return make_objects(users, year, school_a)


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        return {"users": users, "objects": make_objects(users, users["year"], users["school_a"])}

    return made_once(build)


def test_every_mentors_url_is_in_the_table():
    from mentorat.tests.test_url_coverage import our_url_names, tabled_url_names

    names = {name for name in our_url_names() if name.startswith("mentors:")}
    assert {f"mentors:{pattern.name}" for pattern in mentor_urls.urlpatterns if getattr(pattern, "name", None)} <= names
    assert names <= tabled_url_names()


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
    def test_access_table(self, client, shared, mailoutbox, url_name, target, method, expected, persona):
        user = shared["users"][persona]
        obj = shared["objects"][target] if target else None
        kwargs = {"person_pk": obj.pk} if target == "novice" else ({"pk": obj.pk} if obj else {})
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)


def test_director_b_gets_404_on_school_a_candidacy_even_with_a_valid_opinion(client, director_b, year, school_a):
    candidacy = CandidacyFactory(year=year, school=school_a)
    client.force_login(director_b)
    url = reverse("mentors:candidacy_opinion", kwargs={"pk": candidacy.pk})
    assert client.post(url, {"opinion": "favourable", "version": 1}).status_code == 404
    candidacy.refresh_from_db()
    assert candidacy.director_opinion == ""


def test_another_mentor_gets_404_on_the_log(client, year, school_a, mentor_a, mentee_a):
    other = f.person_with_account("autre.mentore@example.org")
    f.give_role(other, "mentor", school=school_a, year=year)
    pairing = Pairing.objects.get(mentor=mentor_a.person)
    FollowUpEntryFactory(pairing=pairing, notes="SECRET-NOTE")
    client.force_login(other.user)
    assert client.get(reverse("mentors:followup_log", kwargs={"pk": pairing.pk})).status_code == 404


@pytest.mark.parametrize("persona", ["mentee_a", "director_a", "hr", "pane", "management", "admin_user"])
def test_nobody_but_the_mentor_reads_the_notes(request, client, objects, persona):
    objects["entry"].notes = "SECRET-NOTE"
    objects["entry"].save()
    client.force_login(request.getfixturevalue(persona))
    for name, target, method, _expected in ACCESS_TABLE:
        if method != "get":
            continue
        obj = objects[target] if target else None
        kwargs = {"person_pk": obj.pk} if target == "novice" else ({"pk": obj.pk} if obj else {})
        response = client.get(reverse(name, kwargs=kwargs))
        assert b"SECRET-NOTE" not in response.content, (persona, name)
