"""Query counts of the calendar pages stay flat as events, invitees and mentors grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import make_hr, make_mentor_a, make_pane, make_school_a, make_year
from mentors.accompaniment.notify import sync_invitations
from mentors.models import CalendarFeed, EventKind
from mentors.tests.factories import MentorAssignmentFactory
from mentors.tests.factories_calendar import EventFactory


def _grow(year, school, pane, mentor, cohorts: int, mentors_each: int):
    """`cohorts` cohorts, each with `mentors_each` mentors and six cohort days in December + a half-day."""
    for c in range(cohorts):
        people = [f.PersonFactory() for _ in range(mentors_each)]
        if c == 0:
            people.append(mentor.person)
        for person in people:
            MentorAssignmentFactory(person=person, year=year, school=school)
        cohort = f.CohortFactory(year=year, panes=[pane.person], mentors=people)
        events = [
            EventFactory(year=year, cohort=cohort, kind=EventKind.COHORT_DAY, number=n, date=datetime.date(2026, 12, n))
            for n in range(1, 7)
        ]
        events.append(
            EventFactory(
                year=year, cohort=cohort, kind=EventKind.REGULATION, number=None, date=datetime.date(2026, 11, 2)
            )
        )
        for event in events:
            sync_invitations(event)
    return events[0]


# Queries, at most. Every page: session + user (2), the person (1), the current year (1) and the
# memberships (1) of the Access; then
# - calendar_mine: the feed (1), the events of the grid (1); the list adds the paginator's count (1);
# - calendar_centre: + the year of the month (1), the cohorts of the filter with their year (1),
#   the menu's rule checks (calendar.centre needs no query), the events (1–2);
# - calendar_cohort: the cohort (1), the events (1);
# - event_detail: the event (1), my invitation (1), event.manage: the cohort's PANE (1),
#   the answer counts (1), the documents (1), the attendance rule (1);
# - attendance_record: the event (1), attendance.record: the cohort's PANE (1), the invitations with their person (1);
# - attendance_report: years (1), the year (1), cohorts (1), members (1), held days (2), attended (1), schools (1).
PAGES = [
    ("mentors:calendar_mine", "mentor", {}, 7),
    ("mentors:calendar_mine", "mentor", {"vue": "liste"}, 8),
    ("mentors:calendar_centre", "hr", {"mois": "2026-12"}, 10),
    ("mentors:calendar_centre", "hr", {"vue": "liste"}, 11),
    ("mentors:calendar_cohort", "pane", {"mois": "2026-12"}, 7),
    ("mentors:event_detail", "pane", {}, 11),
    ("mentors:attendance_record", "pane", {}, 8),
    ("mentors:attendance_report", "hr", {}, 12),
]


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture(scope="class")
def shared_world(request, made_once):
    def build():
        year, school_a = make_year(), make_school_a()
        users = {"hr": make_hr(), "pane": make_pane(), "mentor": make_mentor_a(year, school_a)}
        event = _grow(year, school_a, users["pane"], users["mentor"], *request.cls.rows)
        return {**users, "event": event}

    return made_once(build)


class CalendarQueries:
    """The calendar pages on one world made for the class (`made_once`), each page asked in a savepoint inside it."""

    rows = (0, 0)

    @pytest.mark.parametrize("name,who,params,bound", PAGES, ids=[f"{p[0]}-{p[2]}" for p in PAGES])
    def test_calendar_pages_query_counts(self, client, shared, name, who, params, bound):
        event = shared["event"]
        kwargs = {"pk": event.pk} if name in ("mentors:event_detail", "mentors:attendance_record") else {}
        if name == "mentors:calendar_cohort":
            kwargs = {"pk": event.cohort_id}
        client.force_login(shared[who])
        assert _count(client, reverse(name, kwargs=kwargs), params) <= bound

    def test_feed_query_count(self, client, shared, django_assert_max_num_queries):
        feed = CalendarFeed.objects.create(person=shared["pane"].person)
        # The subscription with person and user (1), the Access: person, year, memberships (3), events (1), documents (1).
        with django_assert_max_num_queries(6):
            assert client.get(reverse("mentors:feed", args=[feed.token])).status_code == 200


class TestFewRows(CalendarQueries):
    rows = (1, 2)


class TestManyRows(CalendarQueries):
    rows = (4, 15)
