"""Health-check tasks: prove that a worker is running and reaches the database."""

from __future__ import annotations

from celery import shared_task


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
