"""The outbox: one row per e-mail, queued with the change that causes it, sent by a worker.

    enqueue(key="survey-invitation:12:345", kind="survey-invitation", to=…, context={…})

- **Once.** ``key`` names what, to whom and for which occurrence; a second
  ``enqueue`` with the same key keeps the first row, so a task, a beat tick or a
  button that runs twice sends once.
- **Never in the request.** The row is written in the caller's transaction; after
  commit a Celery task sends it. If the broker is down, the row waits and the
  periodic ``flush_outbox`` sends it once the worker is back.
- **Never lost.** A worker claims a row before sending (a conditional UPDATE), so
  two workers never send the same row; an SMTP failure is retried with back-off;
  after ``OUTBOX_MAX_ATTEMPTS`` the row is ``failed`` and HR sees it with a
  « renvoyer » action (``resend``).
- **Rendered at send time.** ``kind`` is an e-mail template pair
  (``emails/<kind>-subject.txt``…) rendered with ``context``, or a builder
  registered with ``register`` that renders from the database when the message
  leaves (the calendar's invitations carry the event as it is then) and may
  record the delivery (``sent``).
"""

from __future__ import annotations

import datetime
import json
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentorat.models import OutboundEmail

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status
# A worker that claimed a message and died frees it after this long.
CLAIM = datetime.timedelta(minutes=10)
RETRYABLE = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Builder:
    """How to render a kind of message from its row; ``None`` from ``build`` means "no longer needed"."""

    build: Callable[[OutboundEmail], EmailMessage | None]
    sent: Callable[[OutboundEmail], None] | None = None


_builders: dict[str, Builder] = {}


def register(kind: str, build, sent=None) -> None:
    """Declare a builder for ``kind`` (call it from an AppConfig.ready)."""
    _builders[kind] = Builder(build, sent)


def enqueue(
    *,
    key: str,
    kind: str,
    to: str,
    context: dict | None = None,
    language: str | None = None,
    attachments: list | None = None,
    source: str = "",
) -> tuple[OutboundEmail, bool]:
    """Queue one message in the current transaction; returns (row, created). Same key: nothing new."""
    context = context or {}
    attachments = [list(a) for a in attachments or []]
    # Fail here, in the caller, rather than in the worker: the row holds JSON.
    json.dumps([context, attachments])
    with transaction.atomic():
        row, created = OutboundEmail.objects.get_or_create(
            key=key[:200],
            defaults={
                "kind": kind,
                "to": to,
                "context": context,
                "language": language or "",
                "attachments": attachments,
                "source": source[:120],
            },
        )
    if created:
        transaction.on_commit(lambda: dispatch(row.pk))
    return row, created


def enqueue_many(messages: list[dict]) -> int:
    """Queue many messages at once (a campaign): a bulk insert, a few queries per 500 messages.

    Each dict holds ``enqueue``'s arguments. As there, a key already queued adds
    nothing; as in ``enqueue_again``, a key that had failed goes back in the
    queue. Returns how many messages will leave.
    """
    by_key = {m["key"][:200]: m for m in messages}
    for m in by_key.values():
        json.dumps([m.get("context") or {}, m.get("attachments") or []])
    leaving: list[str] = []
    with transaction.atomic():
        for chunk in _chunks(list(by_key), 500):
            existing = dict(OutboundEmail.objects.filter(key__in=chunk).values_list("key", "status"))
            new = [key for key in chunk if key not in existing]
            OutboundEmail.objects.bulk_create(
                [
                    OutboundEmail(
                        key=key,
                        kind=by_key[key]["kind"],
                        to=by_key[key]["to"],
                        context=by_key[key].get("context") or {},
                        language=by_key[key].get("language") or "",
                        attachments=[list(a) for a in by_key[key].get("attachments") or []],
                        source=by_key[key].get("source", "")[:120],
                    )
                    for key in new
                ],
                ignore_conflicts=True,
            )
            failed = [key for key, status in existing.items() if status == Status.FAILED]
            OutboundEmail.objects.filter(key__in=failed, status=Status.FAILED).update(
                status=Status.QUEUED, attempts=0, next_attempt_at=None, last_error=""
            )
            leaving += new + failed
        pks = list(OutboundEmail.objects.filter(key__in=leaving, status=Status.QUEUED).values_list("pk", flat=True))
    transaction.on_commit(lambda: dispatch_many(pks))
    return len(leaving)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def dispatch_many(pks: list[int], size: int = 50) -> None:
    """Hand many rows to the workers in batches (one broker message per ``size``), so the request stays short."""
    from mentorat.tasks import deliver_emails

    for chunk in _chunks(pks, size):
        try:
            deliver_emails.apply_async((chunk,))
        except Exception:  # noqa: BLE001 — the rows are safe in the database; the flush sends them
            logger.warning("outbox: broker unavailable, %s messages wait for the next flush", len(chunk))
            return


def dispatch(pk: int, countdown: int | None = None) -> None:
    """Hand a row to a worker; when the broker is unreachable, ``flush_outbox`` will do it later."""
    from mentorat.tasks import deliver_email

    try:
        deliver_email.apply_async((pk,), countdown=countdown)
    except Exception:  # noqa: BLE001 — any broker error: the row is safe in the database
        logger.warning("outbox: broker unavailable, message %s waits for the next flush", pk)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min… capped at 30 min: about two hours over eight attempts."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 30 * 60))


def deliver(pk: int, now: datetime.datetime | None = None) -> str:
    """Claim, render, send and record one message; returns what happened (for the task's log)."""
    now = now or timezone.now()
    claimed = (
        OutboundEmail.objects.due(now)
        .filter(pk=pk)
        .update(status=Status.SENDING, claimed_until=now + CLAIM, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not due"  # sent, being sent by another worker, or waiting for its next attempt
    row = OutboundEmail.objects.get(pk=pk)
    builder = _builders.get(row.kind)
    try:
        message = builder.build(row) if builder else render(row)
        if message is None:
            _finish(row, Status.SKIPPED)
            return "skipped"
        message.send()
    except RETRYABLE as error:
        return _failed(row, now, error)
    except Exception as error:  # a rendering bug: retrying will not help; HR sees it
        logger.exception("outbox: message %s (%s) cannot be rendered", pk, row.kind)
        _finish(row, Status.FAILED, error=repr(error))
        return "failed"
    _finish(row, Status.SENT, sent_at=timezone.now())
    if builder and builder.sent:
        builder.sent(row)
    logger.info("outbox: %s sent (message %s)", row.kind, pk)  # never the address or the contents
    return "sent"


def _finish(row: OutboundEmail, status: str, error: str = "", sent_at=None) -> None:
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=status, claimed_until=None, last_error=error[:1000], sent_at=sent_at
    )


def _failed(row: OutboundEmail, now: datetime.datetime, error: Exception) -> str:
    last = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = backoff(row.attempts)
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=Status.FAILED if last else Status.QUEUED,
        claimed_until=None,
        next_attempt_at=None if last else now + delay,
        last_error=f"{type(error).__name__}: {error}"[:1000],
    )
    logger.warning("outbox: message %s failed (attempt %s): %s", row.pk, row.attempts, type(error).__name__)
    if last:
        return "failed"
    transaction.on_commit(lambda: dispatch(row.pk, countdown=int(delay.total_seconds())))
    return "retry"


def render(row: OutboundEmail) -> EmailMessage:
    """The message of a template pair, in the row's language."""
    from mentorat.emails import build_templated

    return build_templated(row.kind, row.to, row.context, row.language or None, [tuple(a) for a in row.attachments])


def flush(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Send what is due (new rows the broker missed, retries, abandoned claims); returns how many."""
    now = now or timezone.now()
    pks = list(OutboundEmail.objects.due(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    return sum(deliver(pk, now) == "sent" for pk in pks)


def resend(*, row: OutboundEmail) -> bool:
    """HR's « renvoyer »: a failed message goes back in the queue with fresh attempts; False if it had not failed."""
    requeued = OutboundEmail.objects.filter(pk=row.pk, status=Status.FAILED).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=None, last_error=""
    )
    if requeued:
        transaction.on_commit(lambda: dispatch(row.pk))
    return bool(requeued)


def resend_all(*, rows) -> int:
    """« Tout renvoyer »: every failed message of ``rows`` back in the queue; returns how many."""
    pks = list(rows.filter(status=Status.FAILED).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=pks, status=Status.FAILED).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=None, last_error=""
    )
    transaction.on_commit(lambda: [dispatch(pk) for pk in pks])
    return len(pks)


def enqueue_again(**kwargs) -> bool:
    """``enqueue``, and when the same key had failed, put it back in the queue; True if a message will leave.

    For the buttons a person presses again after a failure (« inviter », « envoyer
    les invitations »): a delivered message is never sent twice.
    """
    row, created = enqueue(**kwargs)
    return created or resend(row=row)


@dataclass(frozen=True)
class Progress:
    total: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.failed


def progress(source: str, *, prefix: bool = False) -> Progress:
    """How the messages of a source are doing, in one aggregate query (``prefix``: every source starting with it).

    Skipped messages (no longer needed: an answered survey, an overtaken invitation) count as done.
    """
    from django.db.models import Count, Q

    rows = OutboundEmail.objects.filter(**{"source__startswith" if prefix else "source": source})
    counts = rows.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status__in=[Status.SENT, Status.SKIPPED])),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
    )
    return Progress(**counts)
