"""Nudges: on the right days, never twice in a week, the opt-out honoured, a second run changes nothing."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from mentorat import factories as f
from mentorat.models import OutboundEmail
from mentors import nudges
from mentors.tasks import send_nudges
from mentors.tests.factories import FollowUpEntryFactory

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
TODAY = datetime.date(2026, 11, 24)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TORONTO)


def _walk(first: datetime.date, days: int, capture) -> None:
    """Run the daily nudges on each day, as beat would, delivering what they queue."""
    for offset in range(days):
        with time_machine.travel(_at(first + datetime.timedelta(days=offset)), tick=False):
            with capture(execute=True):
                nudges.send_all()


def _digests(person) -> list[tuple[datetime.date, list[tuple[str, int]]]]:
    rows = OutboundEmail.objects.filter(key__startswith=f"nudge:unpaired:{person.person.pk}:").order_by("created_at")
    return [
        (
            datetime.date.fromisoformat(row.key.rsplit(":", 1)[1]),
            [(n["name"], n["mark"]) for n in row.context["novices"]],
        )
        for row in rows
    ]


def test_an_unpaired_novice_is_reported_7_and_14_days_after_starting(
    year, hr, pane, django_capture_on_commit_callbacks
):
    novice = f.EntitlementFactory(year=year, started_on=TODAY).person
    _walk(TODAY, 30, django_capture_on_commit_callbacks)
    name = novice.full_name
    expected = [(TODAY + datetime.timedelta(days=7), [(name, 7)]), (TODAY + datetime.timedelta(days=14), [(name, 14)])]
    assert _digests(hr) == expected and _digests(pane) == expected
    sent = [m for m in mail.outbox if m.to == [hr.email]]
    assert len(sent) == 2 and name in sent[0].body and "7 jours" in sent[0].body
    assert "sans personne mentore" in sent[0].subject


def test_never_more_than_one_digest_a_week_and_no_mark_lost(year, hr, django_capture_on_commit_callbacks):
    first = f.EntitlementFactory(year=year, started_on=TODAY).person
    second = f.EntitlementFactory(year=year, started_on=TODAY + datetime.timedelta(days=2)).person
    _walk(TODAY, 30, django_capture_on_commit_callbacks)
    digests = _digests(hr)
    # Day 7: the first novice. Day 9 (the second's mark) is held back by the weekly cap and told on day 14.
    assert [day for day, _ in digests] == [TODAY + datetime.timedelta(days=d) for d in (7, 14, 21)]
    assert digests[1][1] == [(first.full_name, 14), (second.full_name, 7)]
    assert digests[2][1] == [(second.full_name, 14)]


def test_a_paired_novice_is_not_reported(year, hr, django_capture_on_commit_callbacks):
    novice = f.EntitlementFactory(year=year, started_on=TODAY - datetime.timedelta(days=7)).person
    f.PairingFactory(year=year, mentee=novice, started_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert nudges.send_all()[nudges.UNPAIRED] == 0
    assert mail.outbox == []


def test_a_person_who_turned_nudges_off_gets_none(year, hr, pane, django_capture_on_commit_callbacks):
    hr.receives_nudges = False
    hr.save()
    f.EntitlementFactory(year=year, started_on=TODAY - datetime.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        nudges.send_all()
    assert [m.to for m in mail.outbox] == [[pane.email]]


def test_running_twice_sends_once_and_nothing_before_eight(year, hr, django_capture_on_commit_callbacks):
    f.EntitlementFactory(year=year, started_on=TODAY - datetime.timedelta(days=7))
    with time_machine.travel(_at(TODAY, hour=6), tick=False):
        assert nudges.send_all() == {}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_nudges.delay().get()[nudges.UNPAIRED] == 1
        assert send_nudges.delay().get()[nudges.UNPAIRED] == 0
    assert len(mail.outbox) == 1


def test_a_mentor_without_a_logged_meeting_for_three_weeks_is_nudged(
    year, mentor_a, django_capture_on_commit_callbacks
):
    quiet = f.PairingFactory(year=year, mentor=mentor_a.person, started_on=TODAY - datetime.timedelta(days=40))
    busy = f.PairingFactory(year=year, mentor=f.PersonFactory(), started_on=TODAY - datetime.timedelta(days=40))
    FollowUpEntryFactory(pairing=busy, date=TODAY - datetime.timedelta(days=10))
    FollowUpEntryFactory(pairing=quiet, date=TODAY - datetime.timedelta(days=22))
    with django_capture_on_commit_callbacks(execute=True):
        assert nudges.send_all()[nudges.NO_MEETING] == 1
        assert nudges.send_all()[nudges.NO_MEETING] == 0
    [message] = mail.outbox
    assert message.to == [mentor_a.person.email] and quiet.mentee.full_name in message.body
    assert reverse("nudge_settings") in message.body  # how to turn them off


def test_an_unanswered_survey_link_is_reminded_after_a_week(year, mentor_a, django_capture_on_commit_callbacks):
    from surveys.services import invitations_generate, invitations_send
    from surveys.tests.factories import make_survey

    survey = make_survey(year, audience="mentors")
    invitations_generate(survey=survey)
    with time_machine.travel(_at(TODAY - datetime.timedelta(days=8)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            invitations_send(survey=survey)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert nudges.send_all()["survey"] == 1
        assert nudges.send_all()["survey"] == 0
    assert [m.to for m in mail.outbox] == [[mentor_a.person.email]] and "Rappel" in mail.outbox[0].subject


@pytest.mark.parametrize("choice", [True, False])
def test_each_person_chooses_on_their_own_page(client, teacher, choice):
    client.force_login(teacher)
    page = client.get(reverse("nudge_settings")).content.decode()
    assert "Recevoir les rappels automatiques" in page
    data = {"receives_nudges": "on"} if choice else {}
    response = client.post(reverse("nudge_settings"), data, follow=True)
    assert "Votre choix est enregistré." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.receives_nudges is choice
