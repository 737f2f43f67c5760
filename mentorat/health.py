"""The load balancer's probe: is this web process able to serve (database and broker reachable)?

No sign-in, no personal data, never cached. A failing dependency is named in the answer (503) and
its error is logged here, not sent: the probe's answer stays free of host names and passwords.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer.")
        return False
    return True


def broker_ok() -> bool:
    from mentorat.celery import app

    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        logger.exception("Health check: the Celery broker does not answer.")
        return False
    return True


@require_safe
def health(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    response = JsonResponse(body, status=200 if all(checks.values()) else 503)
    response["Cache-Control"] = "no-store"
    return response
