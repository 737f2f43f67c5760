"""Every page that shows the nomination window reads it from its one place: next year's ProgrammeSettings."""

from __future__ import annotations

import datetime
import html
import zoneinfo

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.models import ProgrammeSettings

pytestmark = pytest.mark.django_db
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@pytest.fixture
def following(year):
    return f.SchoolYearFactory(
        label="2027-2028", starts_on=datetime.date(2027, 7, 1), ends_on=datetime.date(2028, 6, 30)
    )


def _text(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(html.unescape(response.content.decode()).split())


def _pages(client, teacher, hr, following) -> dict[str, str]:
    return {
        "teacher home": _text(client, teacher, reverse("home")),
        "Ma candidature": _text(client, teacher, reverse("mentors:candidacy_mine")),
        "HR settings": _text(client, hr, reverse("mentors:settings_edit") + f"?annee={following.pk}"),
        "HR board": _text(client, hr, reverse("mentors:board") + f"?annee={following.pk}"),
        "HR home": _text(client, hr, reverse("home")),
        "cycle page": _text(client, hr, reverse("cycle:overview")),
    }


def test_the_window_set_by_hr_is_the_one_every_page_shows(client, teacher, hr, year, following):
    """The issue's bug: HR set 20 Nov – 15 Dec 2026, the teacher's home page still said 20–30 April 2027."""
    ProgrammeSettings.objects.create(
        year=following,
        opens_at=datetime.datetime(2026, 11, 20, 8, tzinfo=TORONTO),
        closes_at=datetime.datetime(2026, 12, 15, 17, tzinfo=TORONTO),
    )
    pages = _pages(client, teacher, hr, following)
    assert "du 20 novembre 2026 au 15 décembre 2026" in pages["teacher home"]
    assert "ouverte jusqu'au 15 décembre 2026" in pages["Ma candidature"]
    assert "20 novembre 2026 à 8 h" in pages["HR settings"] and "15 décembre 2026 à 17 h" in pages["HR settings"]
    assert "Du 20 novembre 2026 au 15 décembre 2026" in pages["cycle page"]
    assert "20 novembre – 15 décembre" in pages["HR home"]
    for name, text in pages.items():
        assert "15 décembre 2026" in text or "15 décembre" in text, name
        assert "avril 2027" not in text, name

    # HR moves the window: every page follows.
    ProgrammeSettings.objects.filter(year=following).update(
        opens_at=datetime.datetime(2027, 1, 11, 8, tzinfo=TORONTO),
        closes_at=datetime.datetime(2027, 1, 22, 17, tzinfo=TORONTO),
    )
    pages = _pages(client, teacher, hr, following)
    assert "du 11 janvier 2027 au 22 janvier 2027" in pages["teacher home"]
    assert "22 janvier 2027" in pages["Ma candidature"]
    assert "Du 11 janvier 2027 au 22 janvier 2027" in pages["cycle page"]
    for name, text in pages.items():
        assert "15 décembre 2026" not in text, name


def test_creating_next_year_gives_it_the_seeds_window_when_none_is_set(client, hr, year):
    client.force_login(hr)
    client.post(reverse("schools:year_create_next"))
    settings = ProgrammeSettings.objects.get(year__label="2027-2028")
    assert settings.opens_at == datetime.datetime(2027, 4, 20, 8, tzinfo=TORONTO)
    assert settings.closes_at == datetime.datetime(2027, 4, 30, 17, tzinfo=TORONTO)
    page = " ".join(html.unescape(client.get(reverse("cycle:overview")).content.decode()).split())
    assert "Du 20 avril 2027 au 30 avril 2027" in page
