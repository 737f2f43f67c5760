"""The outbox: queued with the change, sent once after commit, retried, never lost."""

from __future__ import annotations

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from mentorat import outbox
from mentorat.emails import queue_email
from mentorat.models import OutboundEmail

pytestmark = pytest.mark.django_db

CONTEXT = {"person": {"first_name": "Léa"}, "url": "http://x/", "name": "Léa"}


class FailingOnThird(EmailBackend):
    """Fails the third message it is asked to send, once."""

    calls = 0

    def send_messages(self, messages):
        FailingOnThird.calls += 1
        if FailingOnThird.calls == 3:
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return super().send_messages(messages)


class AlwaysFailing(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "service indisponible")


def _queue(n: int, key: str = "test") -> None:
    for i in range(n):
        queue_email("invitation", f"p{i}@example.org", {"url": "http://x/"}, key=f"{key}:{i}")


def test_message_leaves_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _queue(1)
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.SENT and row.sent_at is not None
    assert [m.to for m in mail.outbox] == [["p0@example.org"]]


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _queue(1)
                raise RuntimeError
        except RuntimeError:
            pass
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_same_key_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(2)
        _queue(2)
    assert OutboundEmail.objects.count() == 2
    assert len(mail.outbox) == 2
    # A second worker (or a flush) finding the same rows sends nothing more.
    assert [outbox.deliver(row.pk) for row in OutboundEmail.objects.all()] == ["not due", "not due"]
    assert outbox.flush() == 0
    assert len(mail.outbox) == 2


def test_smtp_failure_on_third_message_is_retried_and_each_is_delivered_once(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "mentorat.tests.test_outbox.FailingOnThird"
    FailingOnThird.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        _queue(5)
    failed = OutboundEmail.objects.get(status=OutboundEmail.Status.QUEUED)
    assert failed.attempts == 1 and "SMTPServerDisconnected" in failed.last_error
    assert len(mail.outbox) == 4
    # Not due before its back-off; due after it.
    assert outbox.flush() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert outbox.flush() == 1
        assert outbox.flush() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i}@example.org" for i in range(5)]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}


def test_lasting_failure_is_kept_for_hr_and_resend_sends_it(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "mentorat.tests.test_outbox.AlwaysFailing"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        _queue(1)
    now = timezone.now()
    for minutes in (5, 10, 20):
        outbox.flush(now + datetime.timedelta(minutes=minutes))
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.FAILED and row.attempts == 3
    assert outbox.flush(now + datetime.timedelta(days=1)) == 0  # no endless retries
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend(row=row)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_abandoned_claim_is_taken_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _queue(1)
    now = timezone.now()
    row = OutboundEmail.objects.get()
    # A worker claimed it and died before sending.
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_until=now + outbox.CLAIM, attempts=1
    )
    assert outbox.flush(now) == 0
    assert outbox.flush(now + outbox.CLAIM + datetime.timedelta(seconds=1)) == 1
    assert len(mail.outbox) == 1


def test_broker_down_keeps_the_message_for_the_flush(monkeypatch, django_capture_on_commit_callbacks):
    from mentorat.tasks import deliver_email

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(deliver_email, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        _queue(2)
    assert mail.outbox == []
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).count() == 2
    monkeypatch.undo()
    assert outbox.flush() == 2
    assert len(mail.outbox) == 2


def test_builder_renders_at_send_time_and_can_skip(django_capture_on_commit_callbacks):
    seen = []

    def build(row):
        return None if row.context.get("stale") else outbox.render(row)

    outbox.register("test-built", build, sent=lambda row: seen.append(row.key))
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            outbox.enqueue(key="a", kind="test-built", to="a@example.org", context={"stale": True})
        for callback in callbacks:
            callback()
        assert OutboundEmail.objects.get(key="a").status == OutboundEmail.Status.SKIPPED
        assert seen == [] and mail.outbox == []
    finally:
        outbox._builders.pop("test-built")


def test_context_must_be_json():
    with pytest.raises(TypeError):
        queue_email("invitation", "a@example.org", {"when": object()})
    assert OutboundEmail.objects.count() == 0


def _many(keys):
    return [{"key": k, "kind": "invitation", "to": f"{k}@example.org", "context": {"url": "http://x/"}} for k in keys]


def test_enqueue_many_adds_new_keys_requeues_failed_and_never_resends_a_delivered_one(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.enqueue_many(_many(["a", "b", "c"])) == 3
    assert len(mail.outbox) == 3
    OutboundEmail.objects.filter(key="b").update(status=OutboundEmail.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.enqueue_many(_many(["a", "b", "c", "d"])) == 2  # b again, d new
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["a@example.org", "b@example.org", "c@example.org", "b@example.org", "d@example.org"]
    )
    assert OutboundEmail.objects.count() == 4


def test_enqueue_many_with_the_broker_down_leaves_the_rows_for_the_flush(
    monkeypatch, django_capture_on_commit_callbacks
):
    from mentorat.tasks import deliver_emails

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(deliver_emails, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.enqueue_many(_many(["a", "b"])) == 2
    assert mail.outbox == []
    monkeypatch.undo()
    assert outbox.flush() == 2
