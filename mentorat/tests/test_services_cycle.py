"""The yearly cycle on the real services: a `celery beat` and a `celery worker` on Redis, the data in PostgreSQL.

Beat (DatabaseScheduler, ticking every two seconds here) wakes the cycle's tick;
the worker finds the nomination window of a dated test year opened a minute ago,
records the step and sends its e-mails through the outbox. The test only watches
the database. It lives in mentorat/tests, which runs last: a transactional test
flushes the tables when it ends (see test_services.py).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine

from mentorat.models import OutboundEmail
from mentorat.tests.test_services import database_url_for_worker
from schools.cycle.models import CycleEffect
from schools.cycle.tests.dated import dated_year

BASE_DIR = Path(__file__).resolve().parents[2]
WAIT = 90  # seconds: two cold starts (Django + Celery) on a busy CI machine, then a two-second tick
POLL = 0.2  # seconds between two looks at the database: the test ends as soon as the e-mails are sent


def _start(kind: str, env: dict, log: Path, *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "mentorat", kind, "-l", "info", *options]
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def worker_and_beat(request, tmp_path):
    """A real worker and a real beat on Redis, reading the test database; the cycle ticks every 2 s."""
    if not os.getenv("REDIS_URL"):
        yield
        return
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "MENTORAT_VAR_DIR": str(tmp_path),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CYCLE_TICK_SECONDS": "2",
        "EMAIL_URL": "locmem://",
    }
    logs = {"worker": tmp_path / "worker.log", "beat": tmp_path / "beat.log"}
    worker = _start(
        "worker", env, logs["worker"], "--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat"
    )
    beat = _start("beat", env, logs["beat"], "--max-interval", "2")
    try:
        yield
    finally:
        _stop(beat)
        _stop(worker)
        if request.session.testsfailed:
            for name, log in logs.items():
                sys.stderr.write(f"\n--- celery {name} log ---\n{log.read_text()}\n")


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_beat_and_worker_open_the_window_and_send_its_emails_once(worker_and_beat):
    real_now = time_machine.escape_hatch.datetime.datetime.now(datetime.UTC)
    opened = real_now - datetime.timedelta(minutes=1)
    data = dated_year(window=(opened, opened + datetime.timedelta(days=10)))

    for _ in range(int(WAIT / POLL)):
        sent = OutboundEmail.objects.filter(kind="cycle-nominations-open", status=OutboundEmail.Status.SENT)
        if CycleEffect.objects.filter(step="nominations-open").exists() and sent.count() == 4:
            break
        time.sleep(POLL)

    effect = CycleEffect.objects.get(year=data.year, step="nominations-open")
    assert (effect.summary, effect.done_by) == ({"emails": 4}, None)
    rows = OutboundEmail.objects.filter(kind="cycle-nominations-open")
    assert sorted(rows.values_list("status", flat=True)) == [OutboundEmail.Status.SENT] * 4
    assert sorted(rows.values_list("to", flat=True)) == sorted(p.email for p in [*data.teachers, data.directors[0]])
