"""School years in the browser: create next year, mark the current one, never delete a year holding data."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat import factories as f
from mentors.models import ProgrammeSettings
from roles.access import Access
from schools.models import SchoolYear


@pytest.fixture
def settings_2026(year):
    start = timezone.make_aware(datetime.datetime(2027, 4, 20, 8))
    return ProgrammeSettings.objects.create(
        year=year,
        opens_at=start,
        closes_at=start + datetime.timedelta(days=10),
        substitute_daily_rate=Decimal("275"),
        compensation=Decimal("1800"),
        teaching_days=178,
        cohort_days_in_release=False,
    )


def test_hr_creates_next_year_from_the_current_one(client, hr, year, settings_2026):
    year.profile_published_on = datetime.date(2027, 3, 19)
    year.save()
    client.force_login(hr)
    response = client.post(reverse("schools:year_create_next"), follow=True)
    assert "Année 2027-2028 créée" in response.content.decode()
    following = SchoolYear.objects.get(label="2027-2028")
    assert (following.starts_on, following.ends_on) == (datetime.date(2027, 7, 1), datetime.date(2028, 6, 30))
    assert following.profile_published_on == datetime.date(2028, 3, 19)  # this year's milestone, moved a year
    assert following.survey_opens_on == datetime.date(2028, 2, 1)  # none this year: the seed's
    carried = following.programme_settings
    assert (carried.substitute_daily_rate, carried.compensation, carried.teaching_days) == (275, 1800, 178)
    assert carried.cohort_days_in_release is False
    assert carried.opens_at == settings_2026.opens_at.replace(year=2028)
    assert SchoolYear.objects.current() == year  # creating next year does not switch to it


def test_creating_a_year_twice_is_refused_in_french(client, hr, year):
    client.force_login(hr)
    client.post(reverse("schools:year_create_next"))
    response = client.post(reverse("schools:year_create_next"), follow=True)
    assert "L'année 2027-2028 existe déjà." in html.unescape(response.content.decode())
    assert SchoolYear.objects.filter(label="2027-2028").count() == 1


def test_marking_a_year_current_overrides_the_dates_everywhere(client, hr, year):
    following = SchoolYear.with_seed_milestones(2027)
    following.save()
    client.force_login(hr)
    client.post(reverse("schools:year_mark_current"), {"year": following.pk})
    assert SchoolYear.objects.current() == following
    assert Access(hr).year == following
    assert "2027-2028" in client.get(reverse("home")).content.decode()
    # Marking another one moves the mark (one current year at most); an empty value goes back to the dates.
    client.post(reverse("schools:year_mark_current"), {"year": year.pk})
    assert list(SchoolYear.objects.filter(is_current=True)) == [year]
    client.post(reverse("schools:year_mark_current"), {"year": ""})
    assert not SchoolYear.objects.filter(is_current=True).exists()
    assert SchoolYear.objects.current() == year


def test_a_year_holding_data_is_not_deleted(client, hr, year, school_a):
    f.StaffAssignmentFactory(school=school_a, year=year)
    client.force_login(hr)
    response = client.post(reverse("schools:year_delete", kwargs={"pk": year.pk}), follow=True)
    assert response.status_code == 200
    assert "L'année 2026-2027 contient déjà des données (affectations)" in html.unescape(response.content.decode())
    assert SchoolYear.objects.filter(pk=year.pk).exists()


def test_a_year_holding_only_its_settings_is_deleted(client, hr, year, settings_2026):
    client.force_login(hr)
    client.post(reverse("schools:year_create_next"))
    following = SchoolYear.objects.get(label="2027-2028")
    client.post(reverse("schools:year_delete", kwargs={"pk": following.pk}))
    assert not SchoolYear.objects.filter(label="2027-2028").exists()


def test_readers_see_the_years_without_the_buttons(client, management, year):
    client.force_login(management)
    page = client.get(reverse("schools:year_list")).content.decode()
    assert "2026-2027" in page
    assert reverse("schools:year_create_next") not in page
    assert reverse("schools:year_delete", kwargs={"pk": year.pk}) not in page


@pytest.mark.parametrize("count", [2, 30])
def test_year_list_queries_stay_flat(client, hr, django_assert_max_num_queries, count):
    for start in range(2000, 2000 + count):
        f.SchoolYearFactory(
            label=f"{start}-{start + 1}", starts_on=datetime.date(start, 7, 1), ends_on=datetime.date(start + 1, 6, 30)
        )
    client.force_login(hr)
    # session + user, person, current year, memberships (Access); the years; three counts by year;
    # the programme settings.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("schools:year_list")).status_code == 200


def test_marking_a_year_current_with_a_non_numeric_year_is_not_found(client, hr, year):
    """The posted year went straight to the query: « a », « ² » or a NUL character was a 500."""
    client.force_login(hr)
    for value in ("a\x00b", "²", "9" * 40):
        response = client.post(reverse("schools:year_mark_current"), {"year": value})
        # NUL in a posted field is refused before any view by mentorat.middleware (a French 400).
        assert response.status_code == (400 if "\x00" in value else 404)
    year.refresh_from_db()
    assert not year.is_current
