"""Each milestone is read from its one source."""

from __future__ import annotations

import datetime

import pytest

from mentorat import factories as f
from mentors.tests.factories import ProgrammeSettingsFactory
from schools.cycle.milestones import Kind, State, year_milestones

pytestmark = pytest.mark.django_db


def _by_kind(year):
    return {m.kind: m for m in year_milestones(year)}


def test_nomination_window_comes_from_the_next_years_settings(year):
    following = f.SchoolYearFactory(
        label="2027-2028", starts_on=datetime.date(2027, 7, 1), ends_on=datetime.date(2028, 6, 30)
    )
    opens = datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC)
    closes = datetime.datetime(2026, 12, 15, 17, tzinfo=datetime.UTC)
    ProgrammeSettingsFactory(year=following, opens_at=opens, closes_at=closes)
    window = _by_kind(year)[Kind.NOMINATIONS]
    assert (window.starts, window.ends) == (datetime.date(2026, 11, 20), datetime.date(2026, 12, 15))
    assert window.state(datetime.date(2026, 11, 24)) == State.CURRENT


def test_half_days_are_the_allowed_window_until_planned(year):
    regulation = _by_kind(year)[Kind.REGULATION]
    assert not regulation.planned
    assert regulation.starts.month == 10 and regulation.ends.month == 11


def test_milestones_are_in_date_order(year, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        rows = year_milestones(year)
    assert [m.starts for m in rows] == sorted(m.starts for m in rows)
    assert rows[-1].kind == Kind.YEAR_END
