"""Background work of the mentors area: thin tasks that call services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_nudges() -> dict:
    """Queue the day's nudges (mentors/nudges.py); each is recorded by its key, so a second run sends nothing."""
    from mentors.nudges import send_all

    return send_all()
