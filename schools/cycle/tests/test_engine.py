"""The engine: a due step is done once, whatever the number of ticks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from schools.cycle import engine
from schools.cycle.models import CycleEffect

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_step():
    calls = []

    @engine.step("test-step", label=lambda: "Essai", milestone="start")
    def run(year, occurrence):
        calls.append((year.pk, occurrence))
        return {"done": len(calls)}

    @run.due
    def due(year, now):
        return ["a", "b"] if timezone.localdate(now) >= year.starts_on else []

    yield calls
    engine.STEPS.pop("test-step")


def test_each_occurrence_is_done_once_however_many_ticks(year, counting_step):
    first = engine.tick()
    again = engine.tick()
    assert sorted(e.occurrence for e in first if e.step == "test-step") == ["a", "b"]
    assert [e for e in again if e.step == "test-step"] == []
    assert counting_step == [(year.pk, "a"), (year.pk, "b")]
    assert CycleEffect.objects.filter(step="test-step").count() == 2


def test_nothing_before_it_is_due(year, counting_step):
    engine.tick(timezone.now().replace(year=year.starts_on.year - 1))
    assert counting_step == []


def test_a_failing_step_is_retried_at_next_tick_and_does_not_stop_others(year, counting_step):
    attempts = []

    @engine.step("test-broken", label=lambda: "Cassé", milestone="start")
    def broken(year, occurrence):
        attempts.append(occurrence)
        if len(attempts) == 1:
            raise RuntimeError("panne")
        return {}

    broken.due(lambda year, now: [""])
    try:
        engine.tick()
        assert not CycleEffect.objects.filter(step="test-broken").exists()  # rolled back with its row
        assert len(counting_step) == 2  # the others ran
        engine.tick()
        assert CycleEffect.objects.filter(step="test-broken").count() == 1
    finally:
        engine.STEPS.pop("test-broken")


def test_hr_can_run_a_due_step_by_hand_once(year, hr, counting_step):
    effects = engine.run_step(year=year, key="test-step", by=hr)
    assert {e.done_by for e in effects} == {hr}
    assert engine.run_step(year=year, key="test-step", by=hr) == []
    assert not [e for e in engine.tick() if e.step == "test-step"]


def test_years_in_play_are_around_today(year):
    far = year.starts_on + datetime.timedelta(days=3 * 365)
    assert year in engine.years_in_play(timezone.now())
    assert year not in engine.years_in_play(timezone.make_aware(datetime.datetime.combine(far, datetime.time(12))))
