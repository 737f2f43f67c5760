"""Pages write the dates a person reads in prose the long French way (« 1er septembre 2026 »), never ISO."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from mentors.models import Pairing
from mentors.tests.factories import ProgrammeSettingsFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_mentor_home_says_since_the_1er_september_not_an_iso_date(client, mentor_a, mentee_a):
    Pairing.objects.filter(mentee=mentee_a.person).update(started_on=datetime.date(2026, 9, 1))
    client.force_login(mentor_a)
    page = _text(client.get(reverse("home")))
    assert "depuis le 1er septembre 2026" in page
    assert "2026-09-01" not in page


def test_mentee_page_says_since_the_1er_september(client, mentee_a):
    Pairing.objects.filter(mentee=mentee_a.person).update(started_on=datetime.date(2026, 9, 1))
    client.force_login(mentee_a)
    page = _text(client.get(reverse("mentors:my_mentor")))
    assert "depuis le 1er septembre 2026" in page


def test_candidacy_window_gives_its_closing_moment_in_long_form(client, teacher, year):
    closes = datetime.datetime(2026, 12, 1, 16, 0, tzinfo=timezone.get_current_timezone())
    ProgrammeSettingsFactory(year=year, closes_at=closes)
    client.force_login(teacher)
    page = _text(client.get(reverse("mentors:candidacy_mine")))
    assert "jusqu'au 1er décembre 2026 à 16 h" in page


def test_english_pages_use_the_english_long_form(client, mentor_a, mentee_a):
    Pairing.objects.filter(mentee=mentee_a.person).update(started_on=datetime.date(2026, 9, 1))
    mentor_a.language = "en"
    mentor_a.save()
    client.force_login(mentor_a)
    page = _text(client.get(reverse("home")))
    assert "since September 1, 2026" in page
