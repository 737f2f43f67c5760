"""HR edits a year's milestone dates: French messages at the field, nothing half-saved, no silent overwrite."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse

from schools.models import SchoolYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    year = SchoolYear.with_seed_milestones(2026)
    year.save()
    return year


def _form(year, **changes):
    data = {
        "version": year.version,
        "model_starts_on": "2026-09-01",
        "budget_from": "2026-12-01",
        "budget_until": "2027-02-28",
        "survey_opens_on": "2027-02-01",
        "survey_closes_on": "2027-02-28",
        "profile_published_on": "2027-03-15",
        "nominations_decided_by": "2027-05-31",
        "accompaniment_plan_by": "2027-06-20",
    }
    data.update(changes)
    return data


def test_hr_moves_a_date_and_the_cycle_page_shows_it(client, hr, seeded):
    client.force_login(hr)
    url = reverse("schools:year_edit", args=[seeded.pk])
    assert 'value="2026-12-01"' in client.get(url).content.decode()
    response = client.post(url, _form(seeded, profile_published_on="2027-03-22"), follow=True)
    seeded.refresh_from_db()
    assert seeded.profile_published_on == datetime.date(2027, 3, 22) and seeded.version == 2
    text = html.unescape(response.content.decode())
    assert "Dates de l'année 2026-2027 enregistrées." in text and "22 mars 2027" in text


def test_a_date_outside_the_year_or_an_end_before_its_start_is_refused_at_the_field(client, hr, seeded):
    client.force_login(hr)
    url = reverse("schools:year_edit", args=[seeded.pk])
    response = client.post(url, _form(seeded, profile_published_on="2027-08-01", budget_until="2026-11-01"))
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Choisissez une date de l'année 2026-2027 (du 1er juillet 2026 au 30 juin 2027)." in text
    assert "La fin doit suivre le début." in text
    seeded.refresh_from_db()
    assert seeded.profile_published_on == datetime.date(2027, 3, 15)  # nothing half-saved
    assert seeded.budget_until == datetime.date(2027, 2, 28)


def test_a_start_without_its_end_is_refused(client, hr, seeded):
    client.force_login(hr)
    response = client.post(reverse("schools:year_edit", args=[seeded.pk]), _form(seeded, survey_closes_on=""))
    assert "Indiquez le début et la fin, ou aucun des deux." in html.unescape(response.content.decode())


def test_a_concurrent_save_is_not_overwritten(client, hr, seeded):
    client.force_login(hr)
    url = reverse("schools:year_edit", args=[seeded.pk])
    stale = _form(seeded, profile_published_on="2027-03-20")
    client.post(url, _form(seeded, profile_published_on="2027-03-22"))  # someone else first
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "modifiées par une autre personne" in html.unescape(response.content.decode())
    seeded.refresh_from_db()
    assert seeded.profile_published_on == datetime.date(2027, 3, 22)


def test_the_cycle_page_links_to_the_dates_form_and_the_window_for_hr_only(client, hr, management, seeded):
    following = seeded.next_year()
    following.save()
    client.force_login(hr)
    page = client.get(reverse("cycle:overview")).content.decode()
    assert reverse("schools:year_edit", args=[seeded.pk]) in page
    assert f"{reverse('mentors:settings_edit')}?annee={following.pk}" in page
    client.force_login(management)
    page = client.get(reverse("cycle:overview")).content.decode()
    assert reverse("schools:year_edit", args=[seeded.pk]) not in page
