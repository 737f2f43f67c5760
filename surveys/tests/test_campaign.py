import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentorat import factories as f
from roles.models import Role
from surveys.models import Invitation
from surveys.services import SurveyError, invitations_generate, invitations_send
from surveys.tasks import send_survey_emails
from surveys.tests.factories import make_survey


def test_mentee_invitations_come_from_entitlements_and_roles(year, mentee_a, mentor_a, director_a):
    survey = make_survey(year, audience="mentees")
    novice = f.EntitlementFactory(year=year).person
    other_year = f.EntitlementFactory(
        year=f.SchoolYearFactory(
            label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30)
        )
    ).person
    assert invitations_generate(survey=survey) == 2
    invited = set(survey.invitations.values_list("person_id", flat=True))
    assert invited == {mentee_a.person.pk, novice.pk}
    assert other_year.pk not in invited
    assert invitations_generate(survey=survey) == 0  # one invitation per person, even when run twice


def test_mentor_and_director_audiences(year, mentor_a, director_a, director_b):
    mentors = make_survey(year, audience="mentors", title="M")
    directors = make_survey(year, audience="directors", title="D")
    invitations_generate(survey=mentors)
    invitations_generate(survey=directors)
    assert list(mentors.invitations.values_list("person__user__email", flat=True)) == ["mentor.a@example.org"]
    assert directors.invitations.count() == 2


def test_custom_audience(year):
    survey = make_survey(year, audience="custom")
    people = [f.PersonFactory(), f.PersonFactory()]
    survey.custom_people.set(people)
    assert invitations_generate(survey=survey) == 2


def test_send_then_remind_only_those_who_have_not_answered(year, mailoutbox, django_capture_on_commit_callbacks):
    survey = make_survey(year, audience="mentors")
    people = [f.PersonFactory() for _ in range(3)]
    for person in people:
        f.give_role(person, Role.MENTOR, year=year)
    f.give_role(f.PersonFactory(email=""), Role.MENTOR, year=year)  # no e-mail: skipped
    invitations_generate(survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send(survey=survey) == 3
    assert len(mailoutbox) == 3
    message = mailoutbox[0]
    token = Invitation.objects.get(person__email=message.to[0]).token
    assert f"/sondages/r/{token}/" in message.body
    assert "Sondage" in message.subject
    Invitation.objects.filter(person=people[0]).update(has_answered=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send(survey=survey, reminder=True) == 0  # too soon after the invitation
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_send(survey=survey, reminder=True) == 2
            assert invitations_send(survey=survey, reminder=True) == 0  # already reminded today
    assert len(mailoutbox) == 5
    assert "Rappel" in mailoutbox[-1].subject
    assert {m.to[0] for m in mailoutbox[3:]} == {people[1].email, people[2].email}


def test_no_email_when_survey_closed(year, mailoutbox):
    survey = make_survey(year)
    with time_machine.travel(survey.closes_at + datetime.timedelta(days=1)):
        with pytest.raises(SurveyError):
            invitations_send(survey=survey)


def test_task_is_thin_and_sends_on_commit(year, mailoutbox, django_capture_on_commit_callbacks):
    survey = make_survey(year, audience="mentors")
    f.give_role(f.PersonFactory(), Role.MENTOR, year=year)
    invitations_generate(survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_emails(survey.pk) == 1
    assert len(mailoutbox) == 1
    assert send_survey_emails(0) == 0


def test_campaign_buttons(client, hr, year, mentor_a, mailoutbox, django_capture_on_commit_callbacks):
    survey = make_survey(year, audience="mentors")
    client.force_login(hr)
    client.post(reverse("surveys:campaign_generate", args=[survey.pk]))
    assert survey.invitations.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:campaign_send", args=[survey.pk]))
    assert len(mailoutbox) == 1
    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert "Invitations : 1 ; envoyées : 1 ;" in page
