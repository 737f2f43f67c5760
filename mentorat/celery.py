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
    # Every hour: e-mail HR about the access and rectification requests whose legal
    # delay (20 days, 30 when extended) ends within 5 days. Due work is data: each
    # request records reminded_on, so a missed or doubled tick sends nothing twice.
    "remind-access-requests": {
        "task": "schools.tasks.remind_access_requests",
        "schedule": 60 * 60,
    },
}
