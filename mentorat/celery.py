"""The Celery app. Every periodic task is declared in CELERY_BEAT_SCHEDULE below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

app = Celery("mentorat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _tick_seconds() -> int:
    # From the settings module itself, not django.conf: Django's settings may still be
    # loading here (a settings module that imports mentorat.settings imports this package first).
    from mentorat.settings import CYCLE_TICK_SECONDS

    return CYCLE_TICK_SECONDS


# Periodic work, one entry per job, each with when and why.
app.conf.beat_schedule = {
    # Every five minutes (CYCLE_TICK_SECONDS): do what the yearly cycle has due
    # (schools/cycle/steps.py). The dates are data; the tick only wakes the engine, so a
    # missed, late or doubled tick changes nothing. Never a wall-clock crontab for the
    # cycle: beat's crontabs misfire around daylight-saving changes.
    "cycle-tick": {
        "task": "schools.cycle.tasks.tick",
        "schedule": _tick_seconds(),
    },
    # Every minute: send what the outbox holds due (e-mails queued while the broker
    # was down, retries after an SMTP failure, messages of a worker that died).
    "flush-outbox": {
        "task": "mentorat.tasks.flush_outbox",
        "schedule": 60,
    },
    # Every hour: queue the nudges due today (mentors/nudges.py), from 8 h (America/Toronto).
    # Daily in effect: each nudge's key holds the date and the weekly cap is read from the
    # outbox, so the day's later runs queue nothing; hourly rather than a crontab so that a
    # worker down at one hour, or a daylight-saving change, misses no day.
    "send-nudges": {
        "task": "mentors.tasks.send_nudges",
        "schedule": 60 * 60,
    },
    # Every night at 03:15 (America/Toronto, outside the 02:00-03:00 hour that
    # daylight saving skips or repeats): remove imported files kept for the preview
    # step longer than a day; they hold personal information (Law 25). Idempotent: a
    # doubled or missed night changes nothing.
    "purge-import-uploads": {
        "task": "schools.tasks.purge_stale_imports",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every hour: e-mail HR about the access and rectification requests whose legal
    # delay (20 days, 30 when extended) ends within 5 days. Due work is data: each
    # request records reminded_on, so a missed or doubled tick sends nothing twice.
    "remind-access-requests": {
        "task": "schools.tasks.remind_access_requests",
        "schedule": 60 * 60,
    },
    # Every hour: apply the retention schedule (schools.RetentionRule, edited by the
    # administrator): destroy or anonymise what is past its period, unlink unsubmitted
    # survey drafts once their survey has closed. What is due is read from the database,
    # so a missed or doubled tick changes nothing (Law 25: keep no longer than needed).
    "apply-retention-schedule": {
        "task": "schools.tasks.apply_retention_schedule",
        "schedule": 60 * 60,
    },
}
