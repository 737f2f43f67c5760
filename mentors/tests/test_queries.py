"""Query counts of the list pages do not grow with the rows (few vs many)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import make_hr, make_pane, make_year
from mentors.models import Decision
from mentors.tests.factories import (
    CandidacyFactory,
    FollowUpEntryFactory,
    MentorAssignmentFactory,
    ProgrammeSettingsFactory,
)

pytestmark = pytest.mark.django_db


def _centre(year, schools: int, per_school: int):
    """Schools (one with two buildings) each with candidacies, a mentor, novices and logged pairs."""
    for i in range(schools):
        school = f.SchoolFactory(order="secondaire" if i % 2 else "primaire")
        buildings = [f.BuildingFactory(school=school) for _ in range(2 if i == 0 else 1)]
        for j in range(per_school):
            CandidacyFactory(
                year=year,
                school=school,
                building=buildings[j % len(buildings)],
                decision=Decision.NOMINATED if j == 0 else "",
                is_renewal=j == 1,
            )
        mentor = MentorAssignmentFactory(year=year, school=school, building=buildings[0], capacity=per_school + 2)
        for _ in range(per_school):
            novice = f.PersonFactory()
            f.StaffAssignmentFactory(person=novice, school=school, year=year, building=buildings[0])
            f.EntitlementFactory(person=novice, year=year)
        paired = f.PersonFactory()
        f.EntitlementFactory(person=paired, year=year)
        pairing = f.PairingFactory(mentor=mentor.person, mentee=paired, year=year)
        FollowUpEntryFactory(pairing=pairing)


# Every page starts with 5 queries for the session and the Access: session, user, person, current year,
# memberships. Then:
# - board: nomination settings, schools page count + rows, their buildings, their candidacies, nominated per
#   building, totals, the progress of the decision e-mails (one aggregate), the year's window, the year
#   selector, the school filter's first 31 schools (a select up to 30, a search box above) (11);
# - budget: settings, assignments grouped by order, cycle, release and cohort (the totals), the page's schools
#   count + rows, their assignments grouped the same way, the year selector (6; the planned cohort days add
#   one when they are outside release time);
# - pairing board: novices count + rows, their staff assignments, the pool (the year's assignments with room
#   left, with their load, names and subject lines; the pool's totals), the suggested mentors, the year
#   selector (7);
# - pairing list: pairings count + rows, mentors count (without their load) + rows, the year selector (5);
# - follow-up stats: pairings count + the page's rows (their ids ordered in a subquery, last meeting
#   annotated), the novices' assignments of the year, counts per pair per month (this month's and the year's
#   from them), the year selector, the filters' cohorts and schools (7).
PAGES = [
    ("mentors:board", 16),
    ("mentors:budget", 11),
    ("mentors:pairing_board", 12),
    ("mentors:pairing_list", 10),
    ("mentors:followup_stats", 12),
]


@pytest.fixture(scope="class")
def shared_world(request, made_once):
    def build():
        users = {"hr": make_hr(), "pane": make_pane()}
        year = make_year()
        ProgrammeSettingsFactory(year=year)
        _centre(year, request.cls.schools, request.cls.per_school)
        return users

    return made_once(build)


class PageQueries:
    """The list pages on one centre made for the class (`made_once`), each page asked in a savepoint inside it."""

    schools = per_school = 0

    @pytest.mark.parametrize("url_name,max_queries", PAGES, ids=[p[0] for p in PAGES])
    def test_page_queries_do_not_grow(self, client, shared, django_assert_max_num_queries, url_name, max_queries):
        pane_pages = ("mentors:pairing_board", "mentors:pairing_list", "mentors:followup_stats")
        client.force_login(shared["pane"] if url_name in pane_pages else shared["hr"])
        with django_assert_max_num_queries(max_queries):
            response = client.get(reverse(url_name))
        assert response.status_code == 200


class TestFewRows(PageQueries):
    schools, per_school = 1, 1


class TestManyRows(PageQueries):
    schools, per_school = 25, 4


@pytest.mark.parametrize("schools,per_school", [(1, 1), (25, 4)], ids=["few", "many"])
def test_novice_pairing_page_queries_do_not_grow(
    client, pane, year, django_assert_max_num_queries, schools, per_school
):
    """Novice, assignments, the pool, the mentors of the page, the current pairing: 10 with the session's 5."""
    _centre(year, schools, per_school)
    novice = f.PersonFactory()
    f.StaffAssignmentFactory(person=novice, school=f.SchoolFactory(), year=year)
    f.EntitlementFactory(person=novice, year=year)
    client.force_login(pane)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("mentors:pairing_novice", args=[novice.pk]))
    assert response.status_code == 200
