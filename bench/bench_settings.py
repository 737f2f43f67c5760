"""Production settings (DEBUG off) for the benchmarks, with plain static storage: no collectstatic needed."""

from mentorat.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
