"""Every calendar URL × every persona: allowed, forbidden, hidden (404) or sent to sign in.

The world: cohort A (led by `pane`, accompanied by `trainer`, with `mentor_a` of
school A), cohort B (another PANE, a mentor of school B). Events of cohort B, and
the drafts of a cohort one does not lead, are outside most personas' view: 404.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from mentors.accompaniment.notify import sync_invitations
from mentors.models import CalendarFeed, EventInvitation
from mentors.tests.factories_calendar import EventFactory, build_world


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)  # may set anonymous too (the links that need no sign-in)
    return row


WITH_PERSON = {p: 200 for p in PERSONAS if p not in ("anonymous", "admin_user")}
CENTRE = {"hr": 200, "pane": 200, "admin_user": 200}
EVERYONE = {p: 200 for p in PERSONAS}

# (url name, target, method, expected by persona)
ACCESS_TABLE = [
    ("mentors:calendar_mine", None, "get", _row(**WITH_PERSON)),
    ("mentors:calendar_centre", None, "get", _row(**CENTRE)),
    ("mentors:calendar_cohort", "cohort_a", "get", _row(**CENTRE, trainer=200)),
    # The trainer does not accompany cohort B.
    ("mentors:calendar_cohort", "cohort_b", "get", _row(**CENTRE, trainer=404)),
    # A cohort day: its PANE and mentors, its trainer, HR and every PANE; the others do not know it exists.
    ("mentors:event_detail", "cohort_day_a", "get", _row(404, **CENTRE, trainer=200, mentor_a=200)),
    # The regulation half-day of cohort A: the directors, mentors and mentees of its schools.
    (
        "mentors:event_detail",
        "regulation_a",
        "get",
        _row(404, **CENTRE, mentor_a=200, director_a=200, mentee_a=200),
    ),
    # Another cohort's event: only those who see every cohort.
    ("mentors:event_detail", "cohort_day_b", "get", _row(404, **CENTRE)),
    # Drafts: those who manage them (the PANE of cohort A, not the PANE of cohort B's draft).
    ("mentors:event_detail", "draft_a", "get", _row(404, **CENTRE)),
    ("mentors:event_detail", "draft_b", "get", _row(404, hr=200, admin_user=200)),
    ("mentors:event_ics", "cohort_day_a", "get", _row(404, **CENTRE, trainer=200, mentor_a=200)),
    ("mentors:event_ics", "cohort_day_b", "get", _row(404, **CENTRE)),
    # Answering on the page: the invitees (the PANE and the mentor); seeing is not being invited.
    ("mentors:event_rsvp", "cohort_day_a", "post", _row(404, pane=302, mentor_a=302)),
    ("mentors:event_rsvp", "cohort_day_b", "post", _row(404)),
    # The checklist: the PANE of the cohort, HR, the administrator; visible but not theirs → 403.
    ("mentors:attendance_record", "cohort_day_a", "get", _row(404, **CENTRE, trainer=403, mentor_a=403)),
    ("mentors:attendance_record", "cohort_day_b", "get", _row(404, hr=200, admin_user=200, pane=403)),
    # The answer link of the e-mail works without sign-in; its token is the credential.
    ("mentors:rsvp_token", "token_a", "get", _row(**EVERYONE)),
    ("mentors:rsvp_token", "wrong_token", "get", _row(404, anonymous=404)),
    ("mentors:attendance_report", None, "get", _row(**CENTRE)),
    ("mentors:feed_manage", None, "post", _row(**{p: 302 for p in WITH_PERSON})),
    ("mentors:feed_revoke_for_person", "person_b", "post", _row(hr=302, admin_user=302)),
    # The feed answers whoever holds its secret address; a revoked or unknown token is gone for all.
    ("mentors:feed", "feed_b", "get", _row(**EVERYONE)),
    ("mentors:feed", "revoked_feed", "get", _row(404, anonymous=404)),
]

POST_DATA = {"mentors:event_rsvp": {"answer": "present"}, "mentors:feed_manage": {"action": "create"}}


def make_objects(users, world) -> dict:
    """The URL arguments of the table's targets, in `world` with every persona in `users`."""
    for event in (world.university_a, world.cohort_day_a, world.regulation_a, world.cohort_day_b, world.regulation_b):
        sync_invitations(event)
    mentor_a = users["mentor_a"]
    feed_b = CalendarFeed.objects.create(person=world.mentor_b)
    revoked = CalendarFeed.objects.create(person=users["teacher"].person)
    revoked_token = revoked.token
    revoked.delete()
    draft_b = EventFactory(year=world.cohort_b.year, cohort=world.cohort_b, number=2, status="draft")
    invitation = EventInvitation.objects.get(event=world.cohort_day_a, person=mentor_a.person)
    return {
        "cohort_a": {"pk": world.cohort_a.pk},
        "cohort_b": {"pk": world.cohort_b.pk},
        "cohort_day_a": {"pk": world.cohort_day_a.pk},
        "regulation_a": {"pk": world.regulation_a.pk},
        "cohort_day_b": {"pk": world.cohort_day_b.pk},
        "draft_a": {"pk": world.draft_a.pk},
        "draft_b": {"pk": draft_b.pk},
        "token_a": {"token": invitation.token, "answer": "present"},
        "wrong_token": {"token": "pas-un-jeton", "answer": "present"},
        "person_b": {"pk": world.mentor_b.pk},
        "feed_b": {"token": feed_b.token},
        "revoked_feed": {"token": revoked_token},
    }


def test_every_calendar_url_is_in_the_table():
    from mentors import urls_calendar

    names = {f"mentors:{pattern.name}" for pattern in urls_calendar.urlpatterns}
    assert names <= {row[0] for row in ACCESS_TABLE}


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        world = build_world(
            year=users["year"],
            school_a=users["school_a"],
            school_b=users["school_b"],
            pane=users["pane"],
            trainer=users["trainer"],
            mentor_a=users["mentor_a"],
        )
        return {"users": users, "objects": make_objects(users, world)}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize(
        "url_name,target,method,expected", ACCESS_TABLE, ids=[f"{row[0]}-{row[1]}" for row in ACCESS_TABLE]
    )
    def test_access_table(self, client, shared, mailoutbox, url_name, target, method, expected, persona):
        url = reverse(url_name, kwargs=shared["objects"][target] if target else {})
        user = shared["users"][persona]
        check_access(client, user, url, expected[persona], method=method, data=POST_DATA.get(url_name))
