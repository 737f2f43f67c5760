"""The real services: a Celery worker on Redis, and PostgreSQL's constraints.

Skipped without REDIS_URL / a PostgreSQL DATABASE_URL, failed under CI=true
(see the root conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from mentorat import factories as f
from mentorat.tasks import check_database, ping
from roles.models import Membership, Role
from schools.tasks import purge_stale_imports

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds; a cold worker (Django + Celery start-up) takes a few


def database_url_for_worker() -> str:
    """The URL of the database the tests use right now (the test_… one on PostgreSQL)."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        return os.environ.get("DATABASE_URL", "")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def celery_worker(request, django_db_setup, tmp_path_factory):
    """A real `celery worker` subprocess on Redis, reading the test database; yields its queue."""
    if not os.getenv("REDIS_URL"):
        yield None  # the `redis` marker skips (or fails under CI) before any test body runs
        return
    from mentorat.celery import app

    app.conf.task_always_eager = False  # these tests are about the real worker
    queue = f"mentorat-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "MENTORAT_VAR_DIR": str(tmp_path_factory.mktemp("worker-var")),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    options = "worker --pool solo --concurrency 1 -l info --without-gossip --without-mingle --without-heartbeat"
    command = [sys.executable, "-m", "celery", "-A", "mentorat", *options.split(), "-Q", f"celery,{queue}"]
    with log.open("w") as out:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if request.session.testsfailed:
            sys.stderr.write(f"\n--- celery worker log ---\n{log.read_text()}\n")


@pytest.mark.redis
def test_worker_answers_ping_through_redis(celery_worker):
    assert ping.delay().get(timeout=TIMEOUT) == "pong"


@pytest.mark.redis
def test_worker_runs_the_nightly_import_purge(celery_worker):
    deleted = purge_stale_imports.delay().get(timeout=TIMEOUT)

    assert isinstance(deleted, int)
    assert deleted >= 0


@pytest.mark.redis
@pytest.mark.postgres
# A transactional test flushes the tables when it ends, data-migration rows included (the
# referential, the 2023 instruments): mentorat/tests runs last in pytest.ini's testpaths for that.
# serialized_rollback=True is no way out: it reloads rows that the rolled-back tests left in place.
@pytest.mark.django_db(transaction=True)
def test_worker_reads_the_data_this_test_committed(celery_worker):
    f.SchoolFactory.create_batch(3)

    result = check_database.apply_async(queue=celery_worker).get(timeout=TIMEOUT)

    assert result == {"vendor": "postgresql", "schools": 3}


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.django_db
def test_permanent_role_cannot_be_given_twice_with_null_school_and_year():
    person = f.PersonFactory()
    Membership.objects.create(person=person, role=Role.HR)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, role=Role.HR)


@pytest.mark.postgres
@pytest.mark.django_db
def test_school_role_cannot_be_given_twice_in_one_year(year, school_a):
    person = f.PersonFactory()
    Membership.objects.create(person=person, role=Role.DIRECTOR, school=school_a, year=year)
    Membership.objects.create(person=person, role=Role.DIRECTOR, school=school_a, year=None)  # permanent: allowed

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, role=Role.DIRECTOR, school=school_a, year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, role=Role.DIRECTOR, school=school_a, year=None)


@pytest.mark.postgres
@pytest.mark.django_db
def test_yearly_role_without_school_is_unique_per_year(year):
    person = f.PersonFactory()
    Membership.objects.create(person=person, role=Role.TEACHER, year=year)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, role=Role.TEACHER, year=year)
