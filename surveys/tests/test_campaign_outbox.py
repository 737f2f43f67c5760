"""The survey campaign through the outbox: the button answers at once, an invitation is marked sent only once delivered."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from mentorat import factories as f
from mentorat import outbox
from mentorat.models import OutboundEmail
from mentorat.tests.test_outbox import FailingOnThird
from roles.models import Role
from surveys.models import Invitation
from surveys.services import invitations_generate, invitations_send
from surveys.tests.factories import make_survey


def _campaign(year, n: int):
    survey = make_survey(year, audience="mentors")
    people = [f.PersonFactory() for _ in range(n)]
    for person in people:
        f.give_role(person, Role.MENTOR, year=year)
    invitations_generate(survey=survey)
    return survey, people


def test_smtp_failing_half_way_leaves_the_undelivered_unsent_and_a_retry_sends_only_them(
    year, settings, mailoutbox, django_capture_on_commit_callbacks
):
    survey, _people = _campaign(year, 5)
    settings.EMAIL_BACKEND = "mentorat.tests.test_outbox.FailingOnThird"
    FailingOnThird.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send(survey=survey) == 5
    assert len(mailoutbox) == 4
    assert survey.invitations.filter(sent_at__isnull=False).count() == 4  # the failed one is not marked sent
    # HR presses the button again: nothing new for the four delivered, the failed one waits for its retry.
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send(survey=survey) == 0
    assert len(mailoutbox) == 4
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        assert outbox.flush() == 1
    assert len(mailoutbox) == 5 and len({m.to[0] for m in mailoutbox}) == 5
    assert not survey.invitations.filter(sent_at__isnull=True).exists()


def test_a_reminder_is_skipped_when_the_person_answered_before_it_left(year, django_capture_on_commit_callbacks):
    survey, _people = _campaign(year, 1)
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(survey=survey)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert invitations_send(survey=survey, reminder=True) == 1
        Invitation.objects.update(has_answered=True)
        for callback in callbacks:
            callback()
    row = OutboundEmail.objects.get(kind="survey-reminder")
    assert row.status == OutboundEmail.Status.SKIPPED
    assert Invitation.objects.get().reminded_at is None


def test_reminders_honour_the_opt_out_and_the_weekly_cap(year, mailoutbox, django_capture_on_commit_callbacks):
    survey, people = _campaign(year, 2)
    other, _ = _campaign(year, 0)
    invitations_generate(survey=other)  # the same mentors
    people[1].user = f.UserFactory(email=people[1].email, receives_nudges=False)
    people[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(survey=survey)
        invitations_send(survey=other)
    mailoutbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        with django_capture_on_commit_callbacks(execute=True):
            reminded = invitations_send(survey=survey, reminder=True) + invitations_send(survey=other, reminder=True)
    # Only the person who did not opt out, and once although two surveys wait for them.
    assert reminded == 1 and [m.to[0] for m in mailoutbox] == [people[0].email]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_send(survey=other, reminder=True) == 0  # six days after the last reminder
    with time_machine.travel(timezone.now() + datetime.timedelta(days=12)):
        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_send(survey=other, reminder=True) == 1  # a week later: the other survey


def test_button_answers_with_the_count_queued_and_the_page_shows_progress(
    client, hr, year, django_capture_on_commit_callbacks
):
    survey, _people = _campaign(year, 3)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("surveys:campaign_send", args=[survey.pk]), follow=True)
    page = response.content.decode()
    assert "3 courriels mis en file d&#x27;envoi." in page
    assert "0 sur 3 courriels envoyés" in page and "3 en attente" in page
    OutboundEmail.objects.filter(pk=OutboundEmail.objects.first().pk).update(status=OutboundEmail.Status.FAILED)
    for row in OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED):
        outbox.deliver(row.pk)
    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert "2 sur 3 courriels envoyés, 1 en échec" in page
    assert reverse("outbox:list") + "?etat=failed" in page
