"""Beat keeps its schedule in the database: the entries of mentorat/celery.py are written there when it starts."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from mentorat.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """Beat closes stale connections between ticks; on PostgreSQL that would end the test's transaction."""
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)


def test_beat_writes_the_declared_schedule_in_the_database_editable_in_the_admin(settings):
    DatabaseScheduler(app=app)

    tasks = {task.name: task for task in PeriodicTask.objects.select_related("interval", "crontab")}
    tick = tasks["cycle-tick"]
    assert (tick.task, tick.interval.every, tick.interval.period, tick.enabled) == (
        "schools.cycle.tasks.tick",
        settings.CYCLE_TICK_SECONDS,
        "seconds",
        True,
    )
    purge = tasks["purge-import-uploads"].crontab
    assert (purge.hour, purge.minute, str(purge.timezone)) == ("3", "15", "America/Toronto")
    assert tasks["flush-outbox"].interval.every == 60


def test_beat_starting_again_keeps_one_row_per_entry():
    DatabaseScheduler(app=app)
    DatabaseScheduler(app=app)

    assert PeriodicTask.objects.filter(name="cycle-tick").count() == 1


def test_the_schedule_is_in_the_admin(admin_client):
    DatabaseScheduler(app=app)

    page = admin_client.get("/admin/django_celery_beat/periodictask/")

    assert page.status_code == 200
    assert "cycle-tick" in page.text
