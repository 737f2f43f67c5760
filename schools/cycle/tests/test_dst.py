"""Daylight saving: a step due in the hour that is skipped or repeated fires once, at the first tick after it."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from mentorat.models import OutboundEmail
from schools.cycle import engine
from schools.cycle.models import CycleEffect
from schools.cycle.tests.dated import TORONTO, dated_year, local

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _tick_every_five_minutes(start: datetime.datetime, hours: int) -> list:
    """The beat's interval: every five minutes of real (UTC) time, whatever the wall clock does."""
    done, moment = [], start.astimezone(UTC)
    for _ in range(hours * 12):
        with time_machine.travel(moment, tick=False):
            done += [(moment, e) for e in engine.tick(moment) if e.step == "nominations-open"]
        moment += datetime.timedelta(minutes=5)
    return done


@pytest.mark.parametrize(
    ("opens", "first_tick_utc"),
    [
        # Spring forward, 14 March 2027: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist on the wall
        # clock and is read as 02:30 EST = 07:30 UTC (= 03:30 EDT).
        (local(2027, 3, 14, 2, 30), datetime.datetime(2027, 3, 14, 7, 30, tzinfo=UTC)),
        # Fall back, 1 November 2026: 02:00 EDT goes back to 01:00 EST; 02:30 happens once (EST).
        (local(2026, 11, 1, 2, 30), datetime.datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
        # 01:30 happens twice that night; the first one (EDT, 05:30 UTC) opens the window.
        (local(2026, 11, 1, 1, 30), datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
    ids=["spring-forward-02h30", "fall-back-02h30", "fall-back-01h30-repeated"],
)
def test_a_step_due_in_the_daylight_saving_night_fires_exactly_once(opens, first_tick_utc):
    dated_year(window=(opens, local(2027, 4, 30, 16)))

    done = _tick_every_five_minutes(local(opens.year, opens.month, opens.day, 0), hours=6)

    assert [moment for moment, _effect in done] == [first_tick_utc]
    assert CycleEffect.objects.get(step="nominations-open").summary == {"emails": 4}
    assert OutboundEmail.objects.filter(kind="cycle-nominations-open").count() == 4
    assert first_tick_utc.astimezone(TORONTO).date() == opens.date()
