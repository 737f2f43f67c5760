"""Invitations: the invitee rule, the .ics parsed back, e-mails after commit, SEQUENCE and CANCEL, SMTP failures."""

from __future__ import annotations

import datetime
import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from icalendar import Calendar

from mentorat import factories as f
from mentorat import outbox
from mentorat.models import OutboundEmail
from mentors.accompaniment import ics, notify
from mentors.accompaniment.people import invitee_ids
from mentors.models import CohortMember, EventInvitation, EventKind, EventStatus
from mentors.tests.factories import MentorAssignmentFactory
from mentors.tests.factories_calendar import EventFactory, world_fixture  # noqa: F401

UTC = datetime.UTC


def _calendar(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def _vevent(message):
    return _calendar(message).walk("VEVENT")[0]


def _to(messages) -> set[str]:
    return {m.to[0] for m in messages}


# --- The invitee rule ---


def test_university_day_invites_the_pane_and_the_trainers(world, pane, trainer, mentor_a):
    assert invitee_ids(world.university_a) == {pane.person.pk, trainer.person.pk}


def test_cohort_day_invites_the_pane_and_the_cohorts_mentors(world, pane, mentor_a):
    assert invitee_ids(world.cohort_day_a) == {pane.person.pk, mentor_a.person.pk}


def test_half_day_invites_directors_mentors_and_mentees_of_the_cohorts_schools(
    world, year, school_a, pane, mentor_a, director_a, mentee_a, director_b, teacher
):
    novice = f.PersonFactory()
    f.StaffAssignmentFactory(person=novice, school=school_a, year=year)
    f.EntitlementFactory(person=novice, year=year)
    # A mentee of mentor_a who teaches at another school is invited too.
    elsewhere = f.PersonFactory()
    f.PairingFactory(mentor=mentor_a.person, mentee=elsewhere, year=year)
    expected = {pane.person.pk, mentor_a.person.pk, director_a.person.pk, mentee_a.person.pk, novice.pk, elsewhere.pk}
    assert invitee_ids(world.regulation_a) == expected
    assert director_b.person.pk not in invitee_ids(world.regulation_a)
    assert teacher.person.pk not in invitee_ids(world.regulation_a)


def test_half_day_of_cohort_b_invites_school_b_not_school_a(world, director_a, director_b, mentee_a):
    ids = invitee_ids(world.regulation_b)
    assert director_b.person.pk in ids and world.mentor_b.pk in ids and world.pane_b.pk in ids
    assert director_a.person.pk not in ids and mentee_a.person.pk not in ids


def test_half_day_without_a_cohort_has_no_invitee_by_rule(year):
    event = EventFactory(year=year, cohort=None, kind=EventKind.REGULATION, number=None)
    assert invitee_ids(event) == set()


# --- The .ics ---


def test_ics_times_are_local_on_both_sides_of_the_november_change(world):
    before = EventFactory(year=world.cohort_a.year, cohort=world.cohort_a, number=3, date=datetime.date(2026, 10, 30))
    after = EventFactory(year=world.cohort_a.year, cohort=world.cohort_a, number=4, date=datetime.date(2026, 11, 6))
    parsed = Calendar.from_ical(ics.calendar([before, after], ics.PUBLISH))
    first, second = parsed.walk("VEVENT")
    assert first["DTSTART"].params["TZID"] == "America/Toronto"
    assert first.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2026, 10, 30, 12, 30, tzinfo=UTC)  # EDT
    assert second.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2026, 11, 6, 13, 30, tzinfo=UTC)  # EST
    assert second.decoded("DTEND").astimezone(UTC) == datetime.datetime(2026, 11, 6, 21, 0, tzinfo=UTC)
    # The VTIMEZONE carries the change itself, for programs that do not know the zone's name.
    timezone = parsed.walk("VTIMEZONE")[0]
    assert timezone["TZID"] == "America/Toronto"
    assert {"EST", "EDT"} <= {str(part["TZNAME"]) for part in timezone.subcomponents}
    assert parsed["METHOD"] == "PUBLISH"


def test_ics_invitation_has_uid_sequence_organizer_attendee_and_content(world, mentor_a, settings):
    settings.SITE_URL = "https://mentorat.example.org"
    event = world.cohort_day_a
    event.agenda = "Accueil\nAnalyse de pratique"
    event.save()
    event.documents.create(title="Présentation", url="https://docs.example.org/p.pdf")
    parsed = Calendar.from_ical(ics.invitation(event, mentor_a.person, ics.REQUEST))
    vevent = parsed.walk("VEVENT")[0]
    assert parsed["METHOD"] == "REQUEST"
    assert str(vevent["UID"]) == f"{event.uid}@mentorat.example.org"
    assert vevent.decoded("SEQUENCE") == 0
    assert str(vevent["SUMMARY"]) == "Journée de cohorte 1 — Cohorte A"
    assert str(vevent["LOCATION"]) == "Centre administratif, salle 204"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["ATTENDEE"]) == f"mailto:{mentor_a.person.email}"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    description = str(vevent["DESCRIPTION"])
    assert "Analyse de pratique" in description and "https://docs.example.org/p.pdf" in description
    assert f"https://mentorat.example.org/mentorat/calendrier/evenements/{event.pk}/" in description


# --- Publishing, changing, cancelling ---


def _publish(event, capture):
    with capture(execute=True):
        notify.events_published([event])


def test_publishing_sends_one_email_per_invitee_after_commit_with_the_ics(
    world, pane, mentor_a, django_capture_on_commit_callbacks
):
    event = world.cohort_day_a
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.events_published([event])
    assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert _to(mail.outbox) == {pane.person.email, mentor_a.person.email}
    message = next(m for m in mail.outbox if m.to == [mentor_a.person.email])
    assert "Invitation" in message.subject and "mardi 8 décembre 2026" in message.subject
    assert "de 8 h 30 à 16 h" in message.body
    assert "Je serai présent(e)" in message.body
    invitation = EventInvitation.objects.get(event=event, person=mentor_a.person)
    assert f"/reponse/{invitation.token}/present/" in message.body
    html = message.alternatives[0][0]
    assert f"/reponse/{invitation.token}/absent/" in html
    vevent = _vevent(message)
    assert str(vevent["UID"]).startswith(str(event.uid))
    assert _calendar(message)["METHOD"] == "REQUEST"
    assert invitation.sent_sequence == 0 and invitation.sent_at is not None


def test_publishing_twice_does_not_send_twice(world, django_capture_on_commit_callbacks):
    _publish(world.cohort_day_a, django_capture_on_commit_callbacks)
    _publish(world.cohort_day_a, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_a_change_sends_an_update_with_a_higher_sequence(world, mentor_a, django_capture_on_commit_callbacks):
    event = world.cohort_day_a
    _publish(event, django_capture_on_commit_callbacks)
    first_uid = str(_vevent(mail.outbox[0])["UID"])
    mail.outbox.clear()
    event.date = datetime.date(2026, 12, 10)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.event_changed(event)
    event.refresh_from_db()
    assert event.sequence == 1
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [mentor_a.person.email])
    assert message.subject.startswith("Modification")
    vevent = _vevent(message)
    assert str(vevent["UID"]) == first_uid
    assert vevent.decoded("SEQUENCE") == 1
    assert vevent.decoded("DTSTART").date() == datetime.date(2026, 12, 10)
    assert EventInvitation.objects.get(event=event, person=mentor_a.person).sent_sequence == 1


def test_cancelling_sends_method_cancel_and_status_cancelled(world, mentor_a, django_capture_on_commit_callbacks):
    event = world.cohort_day_a
    _publish(event, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    event.status = EventStatus.CANCELLED
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.event_cancelled(event)
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [mentor_a.person.email])
    assert message.subject.startswith("Annulation")
    cal = _calendar(message)
    assert cal["METHOD"] == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert cal.walk("VEVENT")[0].decoded("SEQUENCE") == 1
    assert "text/calendar; method=CANCEL" in message.attachments[0][2]


def test_a_person_no_longer_invited_gets_a_cancel_and_a_newcomer_an_invitation(
    world, year, school_a, mentor_a, django_capture_on_commit_callbacks
):
    event = world.cohort_day_a
    world.cohort_a.events.exclude(pk=event.pk).update(status=EventStatus.DRAFT)
    _publish(event, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    CohortMember.objects.filter(person=mentor_a.person).delete()
    newcomer = f.PersonFactory()
    MentorAssignmentFactory(person=newcomer, year=year, school=school_a)
    CohortMember.objects.create(cohort=world.cohort_a, person=newcomer, year=year)
    with django_capture_on_commit_callbacks(execute=True):
        notify.cohort_changed(world.cohort_a)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {mentor_a.person.email, newcomer.email}
    assert _calendar(by_person[mentor_a.person.email])["METHOD"] == "CANCEL"
    assert "n'êtes plus invité" in by_person[mentor_a.person.email].body
    assert _calendar(by_person[newcomer.email])["METHOD"] == "REQUEST"
    assert not EventInvitation.objects.filter(event=event, person=mentor_a.person).exists()


def test_drafts_are_not_sent(world, django_capture_on_commit_callbacks):
    _publish(world.draft_a, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not world.draft_a.invitations.exists()


def test_an_overtaken_message_is_not_sent(world, mentor_a, django_capture_on_commit_callbacks):
    event = world.cohort_day_a
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.events_published([event])
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.event_changed(event)  # sequence 1 goes out: the first invitation at 0 is stale
    mail.outbox.clear()
    for callback in callbacks:
        callback()
    assert mail.outbox == []


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is down")


def test_a_failing_mail_server_leaves_the_invitation_unsent_and_a_retry_sends_it(
    world, mentor_a, settings, django_capture_on_commit_callbacks
):
    event = world.cohort_day_a
    settings.EMAIL_BACKEND = "mentors.tests.test_calendar_notify.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify.events_published([event])
    invitation = EventInvitation.objects.get(event=event, person=mentor_a.person)
    assert invitation.sent_sequence is None and invitation.sent_at is None
    row = OutboundEmail.objects.get(key=f"event:{event.pk}:{mentor_a.person.pk}:0:{notify.INVITATION}")
    assert row.status == OutboundEmail.Status.QUEUED and row.attempts == 1  # waiting for its next attempt
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.flush(timezone.now() + datetime.timedelta(hours=1))
    invitation.refresh_from_db()
    assert invitation.sent_sequence == 0 and invitation.sent_at is not None
    assert mentor_a.person.email in _to(mail.outbox)
    # A second flush, or the same key queued again, sends nothing more.
    sent = len(mail.outbox)
    outbox.flush(timezone.now() + datetime.timedelta(hours=2))
    assert len(mail.outbox) == sent


def test_an_overtaken_message_is_marked_skipped_in_the_outbox(world, django_capture_on_commit_callbacks):
    event = world.cohort_day_a
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.events_published([event])
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.event_changed(event)
    for callback in callbacks:
        callback()
    stale = OutboundEmail.objects.filter(source=f"event:{event.pk}", context__sequence=0)
    assert stale.exists() and set(stale.values_list("status", flat=True)) == {OutboundEmail.Status.SKIPPED}
