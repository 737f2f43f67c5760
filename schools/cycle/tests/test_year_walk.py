"""A whole school year, day by day: what the cycle does by itself, when, and the e-mails it sends, each once."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from mentorat import factories as f
from mentorat.models import OutboundEmail
from mentors.models import Pairing, PairingStatus, ProgrammeSettings
from schools.cycle import engine
from schools.cycle.models import CycleEffect
from schools.cycle.tests.dated import dated_year, local
from schools.models import SchoolYear

pytestmark = pytest.mark.django_db


def _walk(start: datetime.date, end: datetime.date, capture, hour: int = 12):
    """Tick at noon each day; a day with effects ticks again (a doubled beat); returns the effects."""
    done = []
    day = start
    while day <= end:
        moment = local(day.year, day.month, day.day, hour)
        with time_machine.travel(moment, tick=False), capture(execute=True):
            effects = engine.tick(moment)
            if effects:
                assert engine.tick(moment) == []  # the second tick of the same moment finds everything done
        done += effects
        day += datetime.timedelta(days=1)
    return done


def test_the_year_runs_itself_once_day_by_day(django_capture_on_commit_callbacks):
    data = dated_year()
    reg, survey = data.regulation.pk, data.survey.pk

    done = _walk(datetime.date(2026, 7, 1), datetime.date(2027, 7, 5), django_capture_on_commit_callbacks)

    seen = sorted((timezone.localdate(e.done_at).isoformat(), e.step, e.occurrence, e.summary) for e in done)
    assert seen == [
        ("2026-11-02", "half-day-reminder", str(reg), {"emails": 2}),  # mentor 2 answered absent
        ("2027-02-01", "survey-open", str(survey), {"invitations": 2, "emails": 2}),
        ("2027-02-08", "survey-reminder", f"{survey}:2027-02-08", {"emails": 2}),
        ("2027-02-15", "survey-reminder", f"{survey}:2027-02-15", {"emails": 2}),
        ("2027-02-22", "survey-reminder", f"{survey}:2027-02-22", {"emails": 2}),
        ("2027-03-01", "survey-close", str(survey), {"invited": 2, "answered": 0}),
        ("2027-04-20", "nominations-open", "", {"emails": 4}),  # 3 teachers + the active school's director
        ("2027-04-29", "nominations-closing-soon", "", {"emails": 2}),  # the draft, the opinion to give
        ("2027-05-01", "half-day-plan", "bilan", {"emails": 2}),  # PANE and HR
        ("2027-05-01", "nominations-closed", "", {"emails": 1, "candidacies": 1}),
        ("2027-05-24", "decisions-reminder", "", {"emails": 1, "undecided": 1}),
        ("2027-06-30", "year-end", "", {"year_created": "", "emails": 2, "pairings": 2}),
    ]
    assert CycleEffect.objects.count() == len(seen)

    by_kind = Counter(OutboundEmail.objects.values_list("kind", flat=True))
    assert by_kind == {
        "cycle-event-reminder": 2,
        "cycle-nominations-open": 4,
        "cycle-nominations-closing": 1,
        "cycle-opinions-pending": 1,
        "cycle-half-day-plan": 2,
        "cycle-nominations-closed": 1,
        "cycle-decisions-reminder": 1,
        "cycle-renewal": 2,
    } | {kind: n for kind, n in by_kind.items() if kind.startswith("survey-")}  # once the surveys use the outbox
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}

    # Every message left once: the cycle's 14, the survey's 2 invitations and 3 × 2 reminders.
    subjects = Counter(message.subject for message in mail.outbox)
    assert len(mail.outbox) == 14 + 2 + 6
    assert subjects["Mentorat : la période de mise en candidature est ouverte"] == 4
    assert subjects["Rappel : Demi-journée de régulation"] == 2
    assert subjects["Mentorat : Demi-journée de bilan à planifier"] == 2
    cycle = [m for m in mail.outbox if "sondage" not in m.subject.lower()]
    assert len({(m.subject, tuple(m.to)) for m in cycle}) == len(cycle) == 14
    opened = next(m for m in mail.outbox if "ouverte" in m.subject)
    assert "20 avril 2027 à 8 h" in opened.body and "30 avril 2027 à 16 h" in opened.body
    assert "/mentorat/candidature/" in opened.body

    # The closed school's teacher and director heard nothing.
    recipients = {address for message in mail.outbox for address in message.to}
    assert data.directors[1].email not in recipients
    assert not Pairing.objects.filter(year=data.year, ended_on__isnull=True).exists()


def test_year_end_creates_next_year_with_its_settings_and_completes_pairings(django_capture_on_commit_callbacks):
    year = SchoolYear.with_seed_milestones(2026)
    year.save()
    ProgrammeSettings.objects.create(
        year=year, opens_at=local(2026, 4, 20, 8), closes_at=local(2026, 4, 30, 16), compensation=1800
    )
    pairing = f.PairingFactory(year=year)

    done = _walk(datetime.date(2027, 6, 29), datetime.date(2027, 7, 2), django_capture_on_commit_callbacks)

    ended = [(timezone.localdate(e.done_at), e.summary) for e in done if e.step == "year-end"]
    assert ended == [(datetime.date(2027, 6, 30), {"year_created": "2027-2028", "emails": 0, "pairings": 1})]
    following = SchoolYear.objects.get(label="2027-2028")
    settings = ProgrammeSettings.objects.get(year=following)
    assert (settings.compensation, timezone.localtime(settings.opens_at)) == (1800, local(2027, 4, 20, 8))
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ended_on) == (PairingStatus.COMPLETED, datetime.date(2027, 6, 30))


def test_a_step_that_dies_half_way_leaves_nothing_and_is_done_fully_once_at_next_tick(
    monkeypatch, django_capture_on_commit_callbacks
):
    data = dated_year()
    step = engine.STEPS["nominations-open"]
    calls = []

    def dying(year, occurrence):
        result = step.run(year, occurrence)  # the e-mails are queued…
        calls.append(result)
        if len(calls) == 1:
            raise ConnectionError("worker killed")  # …and the worker dies before the end
        return result

    monkeypatch.setitem(engine.STEPS, step.key, engine.Step(step.key, step.label, step.milestone, step.due, dying))
    moment = local(2027, 4, 20, 9)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert [e for e in engine.tick(moment) if e.step == step.key] == []
    assert not CycleEffect.objects.filter(step=step.key).exists()
    assert not OutboundEmail.objects.filter(kind="cycle-nominations-open").exists()
    assert mail.outbox == []

    with time_machine.travel(moment + datetime.timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            engine.tick()
            engine.tick()
    assert CycleEffect.objects.get(year=data.year, step=step.key).summary == {"emails": 4}
    assert len(mail.outbox) == 4


def test_a_second_tick_while_one_runs_does_nothing():
    with engine.lease("cycle-tick") as first:
        with engine.lease("cycle-tick") as second:
            assert (first, second) == (True, False)
    with engine.lease("cycle-tick") as again:
        assert again  # given back at the end of the first


def test_a_lease_left_by_a_dead_worker_expires():
    with engine.lease("cycle-tick", seconds=60):
        pass
    from schools.cycle.models import Lease

    Lease.objects.update(held_until=timezone.now() + datetime.timedelta(seconds=60), holder="dead")
    with engine.lease("cycle-tick") as held:
        assert not held
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61), tick=False):
        with engine.lease("cycle-tick") as held:
            assert held


def test_the_beat_task_does_nothing_while_another_tick_holds_the_lease(django_capture_on_commit_callbacks):
    from schools.cycle import tasks

    dated_year(window=(local(2026, 11, 20, 8), local(2026, 12, 15, 16)))  # open on 24 November 2026
    with engine.lease("cycle-tick"):
        assert tasks.tick.delay().get() == 0
    assert not CycleEffect.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick.delay().get() == 1
    assert CycleEffect.objects.get().step == "nominations-open"


def test_a_worker_that_loses_the_race_changes_nothing(monkeypatch, django_capture_on_commit_callbacks):
    """Two workers pass the "already done?" check together: the unique constraint stops the second one."""
    data = dated_year()
    step = engine.STEPS["nominations-open"]
    moment = local(2027, 4, 20, 9)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = engine.run_once(step, data.year, "")

        manager = CycleEffect.objects

        class Blind:  # the second worker's check ran before the first one committed
            def filter(self, **kwargs):
                return manager.none()

            def create(self, **kwargs):
                return manager.create(**kwargs)

        monkeypatch.setattr(engine.CycleEffect, "objects", Blind(), raising=False)
        second = engine.run_once(step, data.year, "")
        monkeypatch.undo()

    assert (first.summary, second) == ({"emails": 4}, None)
    assert CycleEffect.objects.filter(step=step.key).count() == 1
    assert OutboundEmail.objects.filter(kind="cycle-nominations-open").count() == len(mail.outbox) == 4
