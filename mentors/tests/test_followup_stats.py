"""The follow-up page (HR, PANE): filters, the quiet pairs first, counts this month and this year, never the notes."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.models import Pairing
from mentors.tests.factories import FollowUpEntryFactory, MentorAssignmentFactory

pytestmark = pytest.mark.django_db
URL = reverse("mentors:followup_stats")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _order(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-pairing="(\d+)"', response.content.decode())]


def _pair(year, school, last_name, started_on=datetime.date(2026, 9, 1)):
    mentor = f.PersonFactory(last_name=last_name)
    MentorAssignmentFactory(person=mentor, year=year, school=school)
    novice = f.PersonFactory()
    f.StaffAssignmentFactory(person=novice, school=school, year=year)
    return f.PairingFactory(mentor=mentor, mentee=novice, year=year, started_on=started_on)


@pytest.fixture
def three_pairs(year, school_a, school_b):
    """Today is 24 November 2026: one pair met last week, one in October, one never."""
    recent = _pair(year, school_a, "Arsenault")
    FollowUpEntryFactory(pairing=recent, date=datetime.date(2026, 11, 17), duration_minutes=90)
    FollowUpEntryFactory(pairing=recent, date=datetime.date(2026, 10, 6), duration_minutes=60)
    october = _pair(year, school_b, "Bélanger")
    FollowUpEntryFactory(pairing=october, date=datetime.date(2026, 10, 1), duration_minutes=30)
    never = _pair(year, school_a, "Côté")
    return recent, october, never


def test_pairs_without_a_meeting_for_longest_come_first(client, pane, three_pairs):
    recent, october, never = three_pairs
    client.force_login(pane)
    assert _order(client.get(URL)) == [never.pk, october.pk, recent.pk]


def test_the_page_gives_last_meeting_and_counts_this_month_and_this_year(client, pane, three_pairs):
    recent, _october, _never = three_pairs
    client.force_login(pane)
    page = _text(client.get(URL))
    row = page[page.index(f'data-pairing="{recent.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "17 novembre 2026" in row
    assert "1 · 1,5 h" in row  # this month
    assert "2 · 2,5 h" in row  # this year
    assert "Rencontres en novembre 2026" in page
    assert "Note confidentielle" not in page


def test_filter_no_meeting_for_three_weeks(client, pane, three_pairs):
    recent, october, never = three_pairs
    fresh = _pair(recent.year, f.SchoolFactory(), "Dubé", started_on=datetime.date(2026, 11, 16))
    client.force_login(pane)
    response = client.get(URL, {"sans_rencontre": "on"})
    # The pair that started last week is not flagged yet: three weeks have not passed.
    assert _order(response) == [never.pk, october.pk]
    assert fresh.pk not in _order(response)
    assert _text(response).count("rien depuis 3 semaines") == 2


def test_filter_by_school_keeps_pairs_of_that_school(client, pane, three_pairs, school_b):
    _recent, october, _never = three_pairs
    client.force_login(pane)
    assert _order(client.get(URL, {"ecole": school_b.pk})) == [october.pk]


def test_filter_by_cohort_keeps_pairs_whose_mentor_is_in_it(client, pane, three_pairs, year):
    recent, _october, never = three_pairs
    cohort = f.CohortFactory(year=year, mentors=[recent.mentor, never.mentor])
    client.force_login(pane)
    assert _order(client.get(URL, {"cohorte": cohort.pk, "tri": "nom"})) == [recent.pk, never.pk]


def test_order_by_hours_puts_the_fewest_hours_first(client, pane, three_pairs):
    recent, october, never = three_pairs
    client.force_login(pane)
    assert _order(client.get(URL, {"tri": "heures"})) == [never.pk, october.pk, recent.pk]


def test_a_bad_filter_value_is_ignored_not_a_500(client, pane, three_pairs):
    client.force_login(pane)
    response = client.get(URL, {"cohorte": "x", "ecole": "²", "tri": "<script>"})
    assert response.status_code == 200
    assert len(_order(response)) == 3


def test_the_year_selector_shows_another_years_pairs(client, pane, three_pairs, year):
    other = f.SchoolYearFactory(
        label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30)
    )
    old = _pair(other, f.SchoolFactory(), "Ancien", started_on=datetime.date(2025, 9, 1))
    FollowUpEntryFactory(pairing=old, date=datetime.date(2026, 6, 1), duration_minutes=60)
    client.force_login(pane)
    response = client.get(URL, {"annee": other.pk})
    assert _order(response) == [old.pk]
    assert 'name="annee"' in _text(response)
    assert "Rencontres en juin 2026" in _text(response)  # a past year reads as of its last month
    assert Pairing.objects.filter(year=year).count() == 3


def _pages(client, params: dict) -> list[int]:
    """The pairings of every page, in order (three a page)."""
    order, number = [], 1
    while True:
        response = client.get(URL, {**params, "page": number})
        order += _order(response)
        if f"page={number + 1}" not in response.content.decode():
            return order
        number += 1


@pytest.mark.parametrize("tri", ["derniere", "nom", "heures"])
def test_each_page_continues_the_order_through_ties(client, pane, year, school_a, monkeypatch, tri):
    """Pairs tied on their last meeting (or hours) follow the mentor's then the novice's name, page after page."""
    from mentors.views import nominations

    monkeypatch.setattr(nominations, "ROWS_PER_PAGE", 3)
    met = {"Roy": [12, 3], "Gagnon": [12], "Lavoie": [], "Bouchard": [3], "Tremblay": [12], "Ouellet": []}
    pairs = {}
    for name, days in met.items():
        pairs[name] = _pair(year, school_a, name)
        for day in days:
            FollowUpEntryFactory(pairing=pairs[name], date=datetime.date(2026, 11, day), duration_minutes=60)
    ended = pairs["Gagnon"]
    ended.ended_on, ended.status = datetime.date(2026, 11, 20), "completed"
    ended.save()
    expected = {
        # Running pairs first (PostgreSQL puts the end dates last; SQLite first), the longest without a meeting first.
        "derniere": ["Lavoie", "Ouellet", "Bouchard", "Roy", "Tremblay"],
        "nom": ["Bouchard", "Gagnon", "Lavoie", "Ouellet", "Roy", "Tremblay"],
        "heures": ["Lavoie", "Ouellet", "Bouchard", "Gagnon", "Tremblay", "Roy"],
    }[tri]
    client.force_login(pane)
    order = [name for pk in _pages(client, {"tri": tri}) for name, pair in pairs.items() if pair.pk == pk]
    if tri == "derniere":
        order.remove("Gagnon")  # the ended pair comes last or first depending on the database
    assert order == expected


def test_this_months_count_stops_at_today_and_the_years_counts_every_entry(client, pane, year, school_a):
    pair = _pair(year, school_a, "Morin")
    FollowUpEntryFactory(pairing=pair, date=datetime.date(2026, 11, 2), duration_minutes=60)
    FollowUpEntryFactory(pairing=pair, date=datetime.date(2026, 11, 27), duration_minutes=30)  # after today
    FollowUpEntryFactory(pairing=pair, date=datetime.date(2026, 9, 15), duration_minutes=45)
    client.force_login(pane)
    page = _text(client.get(URL))
    row = page[page.index(f'data-pairing="{pair.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "1 · 1,0 h" in row  # this month, up to the 24th
    assert "3 · 2,2 h" in row  # this year: 135 minutes
    assert "novembre 2026 : 2 · 1,5 h" in row
    assert "septembre 2026 : 1 · 0,8 h" in row
