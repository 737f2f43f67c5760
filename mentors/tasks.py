"""Background work of the mentors area: the accompaniment calendar's e-mails."""

from __future__ import annotations

import smtplib

from celery import shared_task


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=60 * 30,
    retry_jitter=True,
    max_retries=8,
)
def send_event_email(event_id: int, person_id: int, sequence: int, message: str) -> str:
    """Send one invitation, update or cancellation with its .ics, then mark it sent; SMTP failures retry."""
    from mentors.accompaniment.notify import deliver

    return deliver(event_id=event_id, person_id=person_id, sequence=sequence, message=message)
