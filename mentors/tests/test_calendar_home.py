"""The home page reads the calendar: one's next events, the trainer's days, the half-days in the timeline."""

from __future__ import annotations

import datetime

from django.urls import reverse

from mentors.accompaniment.notify import sync_invitations
from mentors.models import EventKind, EventPeriod
from mentors.tests.factories_calendar import EventFactory, world_fixture  # noqa: F401


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_the_trainer_sees_her_coming_days(client, world, trainer):
    html = _home(client, trainer)
    assert "Vos journées d&#x27;accompagnement à venir" in html or "Vos journées d'accompagnement à venir" in html
    assert f'data-event="{world.university_a.pk}"' in html and f'data-event="{world.cohort_day_a.pk}"' in html
    assert f'data-event="{world.cohort_day_b.pk}"' not in html
    assert "accès en lecture" not in html  # no promise of pages she does not have


def test_a_mentor_sees_the_next_events_of_the_cohort(client, world, mentor_a):
    html = _home(client, mentor_a)
    assert "Vos prochains événements" in html
    assert html.index(f'data-event="{world.regulation_a.pk}"') < html.index(f'data-event="{world.cohort_day_a.pk}"')


def test_the_timeline_shows_ones_own_half_day_read_from_the_event(client, world, director_a):
    sync_invitations(world.regulation_a)
    html = _home(client, director_a)
    timeline = html[html.index('id="cycle-heading"') :]
    assert "Demi-journée de régulation — Cohorte A" in timeline
    assert "26 novembre" in timeline
    # Moving the event moves the timeline: one source of truth.
    world.regulation_a.date = datetime.date(2026, 11, 19)
    world.regulation_a.save()
    timeline = _home(client, director_a).split('id="cycle-heading"')[1]
    assert "19 novembre" in timeline and "26 novembre" not in timeline


def test_the_centre_sees_the_range_of_half_days_across_cohorts(client, world, hr, year):
    EventFactory(
        year=year,
        cohort=world.cohort_b,
        kind=EventKind.BILAN,
        number=None,
        date=datetime.date(2027, 6, 2),
        period=EventPeriod.MORNING,
        starts_at=datetime.time(8, 30),
        ends_at=datetime.time(11, 45),
    )
    timeline = _home(client, hr).split('id="cycle-heading"')[1]
    assert "Demi-journées de régulation (toutes les cohortes)" in timeline
    assert "26 novembre – 27 novembre" in timeline
    assert "Demi-journées de bilan (toutes les cohortes)" in timeline and "2 juin" in timeline
