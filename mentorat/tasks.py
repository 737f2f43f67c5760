"""Project-wide tasks: e-mail sending, and health checks that prove a worker runs."""

from __future__ import annotations

from celery import shared_task


@shared_task
def deliver_email(outbound_id: int) -> str:
    """Send one message of the outbox (claimed first, so never twice); failures are rescheduled by the outbox."""
    from mentorat.outbox import deliver

    return deliver(outbound_id)


@shared_task
def deliver_emails(outbound_ids: list[int]) -> list[str]:
    """Send a batch of the outbox (a campaign): each message claimed and recorded on its own."""
    from mentorat.outbox import deliver

    return [deliver(pk) for pk in outbound_ids]


@shared_task
def flush_outbox() -> int:
    """Send what the outbox holds due: messages queued while the broker was down, retries, abandoned claims."""
    from mentorat.outbox import flush

    return flush()


@shared_task
def ping() -> str:
    """Answer "pong": the broker, a worker and the result backend are all working."""
    return "pong"


@shared_task
def check_database() -> dict:
    """Report the worker's database engine and how many schools it sees."""
    from django.db import connection

    from schools.models import School

    return {"vendor": connection.vendor, "schools": School.objects.count()}
