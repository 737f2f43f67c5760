"""The Celery app. Every periodic task is declared in CELERY_BEAT_SCHEDULE below."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

app = Celery("mentorat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work, one entry per job, each with when and why.
app.conf.beat_schedule = {
    # Every night at 02:15 (America/Toronto): remove imported files kept for the
    # preview step longer than a day; they hold personal information (Law 25).
    "purge-import-uploads": {
        "task": "schools.tasks.purge_stale_imports",
        "schedule": 60 * 60 * 24,
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
