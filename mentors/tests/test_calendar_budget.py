"""The budget under both settings: cohort days within release time, or substitute days on top."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.models import EventKind, EventStatus, ProgrammeSettings
from mentors.tests.factories import MentorAssignmentFactory, ProgrammeSettingsFactory
from mentors.tests.factories_calendar import EventFactory


@pytest.fixture
def two_mentors(year, school_a, school_b):
    """Mentor 1 in a cohort with 4 cohort days planned (and one cancelled); mentor 2 not yet placed."""
    ProgrammeSettingsFactory(year=year, substitute_daily_rate=Decimal(250), compensation=Decimal(1600))
    first = MentorAssignmentFactory(year=year, school=school_a)
    MentorAssignmentFactory(year=year, school=school_b)
    cohort = f.CohortFactory(year=year, mentors=[first.person])
    for number in range(1, 5):
        EventFactory(year=year, cohort=cohort, kind=EventKind.COHORT_DAY, number=number)
    EventFactory(year=year, cohort=cohort, kind=EventKind.COHORT_DAY, number=5, status=EventStatus.CANCELLED)
    return first


def test_within_release_time_the_budget_is_unchanged_and_says_so(client, hr, two_mentors):
    client.force_login(hr)
    page = client.get(reverse("mentors:budget")).content.decode()
    # 2 × (36 days × 250 $ + 1 600 $) = 21 200 $
    assert "21\xa0200\xa0$" in page
    assert "sont prises sur le temps de libération" in page
    assert 'data-testid="centre-cohort-days-cost"' not in page


def test_outside_release_time_each_cohort_day_costs_a_substitute_day(client, hr, year, two_mentors):
    ProgrammeSettings.objects.filter(year=year).update(cohort_days_in_release=False)
    client.force_login(hr)
    page = client.get(reverse("mentors:budget")).content.decode()
    # 4 planned days (the cancelled one aside) + 6 for the unplaced mentor = 10 × 250 $ = 2 500 $
    assert '<td class="num" data-testid="centre-cohort-days-cost">2\xa0500\xa0$</td>' in page
    assert "23\xa0700\xa0$" in page  # 21 200 $ + 2 500 $
    assert "s'ajoutent au temps de libération" in page
    text = b"".join(client.get(reverse("mentors:budget"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    mentor_row = next(r for r in rows[1:] if r[3] == two_mentors.person.employee_number)
    assert mentor_row[header.index("Journées de cohorte hors libération")] == "4"
    assert Decimal(mentor_row[header.index("Suppléance des journées de cohorte ($)")]) == 1000
    assert Decimal(mentor_row[header.index("Coût estimé ($)")]) == 11600  # 36 × 250 + 1 600 + 4 × 250
    assert Decimal(rows[-1][header.index("Coût estimé ($)")]) == 23700


def test_hr_sets_the_rule_in_the_settings_form(client, hr, year, two_mentors):
    client.force_login(hr)
    url = reverse("mentors:settings_edit") + f"?annee={year.pk}"
    page = client.get(url).content.decode()
    assert "cohort_days_in_release" in page
    settings = ProgrammeSettings.objects.get(year=year)
    data = {
        "opens_at": "",
        "closes_at": "",
        "substitute_daily_rate": "250",
        "compensation": "1600",
        "teaching_days": "180",
        "version": settings.version,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    settings.refresh_from_db()
    assert settings.cohort_days_in_release is False  # an unticked box
