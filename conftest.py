"""Named personas shared by every test: hr, director_a, director_b, pane, mentor_a, mentee_a, teacher…

Each persona is a User with a Person and the memberships of its role, in the
current school year (2026-2027; tests run with today's date inside it), made by
mentorat/testing.py (which also makes them all at once for `made_once`).
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from mentorat import testing

TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


@pytest.fixture(autouse=True)
def _frozen_today():
    """Every test runs on 24 November 2026, inside the 2026-2027 year."""
    with time_machine.travel(TODAY, tick=True):
        yield


def pytest_configure(config):
    _own_redis_database_per_xdist_worker()


def _own_redis_database_per_xdist_worker():
    """Under pytest-xdist (`make test` runs `-n auto`), each worker process gets a Redis database of its own.

    The cache and the Celery broker share REDIS_URL's database, and tests empty it (cache.clear() is a
    FLUSHDB): one worker would wipe the queued tasks and results of another, and the real `celery worker`
    of one would take the tasks of the other's (reading another test database). Worker gw0 keeps
    REDIS_URL's database (15 in CI), gw1 takes the one below (14), and so on; the worker and beat
    subprocesses of the redis tests inherit the worker's REDIS_URL. The settings are already loaded
    here (pytest-django reads them first), so they are changed in place.
    """
    import os
    from urllib.parse import urlparse

    worker, url = os.getenv("PYTEST_XDIST_WORKER", ""), os.getenv("REDIS_URL", "")
    if not worker.startswith("gw") or not url or worker == "gw0":
        return
    parts = urlparse(url)
    index = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    if index < 0:
        raise pytest.UsageError(f"REDIS_URL={url}: not enough Redis databases below it for xdist worker {worker}")
    own = parts._replace(path=f"/{index}").geturl()
    os.environ["REDIS_URL"] = own

    import redis
    from django.conf import settings
    from django.core.cache import caches

    from mentorat.celery import app

    settings.REDIS_URL = own
    if settings.CACHES["default"].get("LOCATION") == url:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": own}}
        caches.__dict__.pop("settings", None)  # read again on first use
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        if getattr(settings, name) == url:
            setattr(settings, name, own)
    app.conf.broker_url, app.conf.result_backend = settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND
    redis.Redis.from_url(own).flushdb()  # nothing left from an earlier run (the tests flush it anyway)


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_tasks_in_process():
    """Tasks queued by the code under test run at once, in the test (the worker tests turn it off)."""
    from mentorat.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True, scope="session")
def _uploads_outside_the_work_tree(tmp_path_factory):
    """Files saved through the default storage (imports waiting, plan documents) go to a temporary folder."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def s3_storage(settings, monkeypatch):
    """The default storage in an S3 bucket, as on several web machines (moto's in-process S3)."""
    import boto3
    from moto import mock_aws

    from mentorat.settings import default_storage_settings

    env = {"AWS_STORAGE_BUCKET_NAME": "mentorat-test", "AWS_S3_REGION_NAME": "us-east-1"}
    env |= {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_S3_ENDPOINT_URL", raising=False)
    with mock_aws():
        bucket = boto3.resource("s3", region_name="us-east-1").create_bucket(Bucket="mentorat-test")
        settings.STORAGES = {**settings.STORAGES, "default": default_storage_settings()}
        yield bucket


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """MD5 instead of PBKDF2: the personas' passwords are hashed thousands of times a run.

    Session-wide, so that the rows a class makes once (`made_once`) are hashed the same way.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="class")
def made_once(django_db_setup, django_db_blocker):
    """made_once(build) → build()'s result, its rows made once for a test class (Django's setUpTestData).

    The access tables ask hundreds of URL × persona pairs of one world: making the world for each
    test was most of the suite's time. Here the class opens a transaction, build() makes the rows in
    it (a minute before the tests' "now", 24 November 2026), each test of the class runs in a savepoint
    inside it (pytest-django's `db`), so what a test writes is gone before the next one, and the
    transaction is rolled back after the class. Give the tests the objects through `shared`, a copy
    per test, so that one test changing an object in memory does not change the next one's. Files are
    not rolled back: a class whose rows have files copies them for each test (see the plans table).
    Not for transactional tests (transactional_db, live_server): they commit, and would see the rows.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()

    def make(build):
        with django_db_blocker.unblock(), time_machine.travel(TODAY - datetime.timedelta(minutes=1), tick=True):
            return build()

    try:
        yield make
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def shared(shared_world, db):
    """This test's copy of the objects its class made once (the class's `shared_world`, see `made_once`)."""
    import copy

    return copy.deepcopy(shared_world)


@pytest.fixture
def year(db):
    return testing.make_year()


@pytest.fixture
def school_a(db):
    return testing.make_school_a()


@pytest.fixture
def school_b(db):
    return testing.make_school_b()


@pytest.fixture
def hr(db):
    return testing.make_hr()


@pytest.fixture
def director_a(year, school_a):
    return testing.make_director_a(year, school_a)


@pytest.fixture
def director_b(year, school_b):
    return testing.make_director_b(year, school_b)


@pytest.fixture
def pane(db):
    return testing.make_pane()


@pytest.fixture
def trainer(db):
    return testing.make_trainer()


@pytest.fixture
def management(db):
    return testing.make_management()


@pytest.fixture
def mentor_a(year, school_a):
    return testing.make_mentor_a(year, school_a)


@pytest.fixture
def mentee_a(year, school_a, mentor_a):
    return testing.make_mentee_a(year, school_a, mentor_a)


@pytest.fixture
def teacher(year, school_a):
    return testing.make_teacher(year, school_a)


@pytest.fixture
def admin_user(db):
    return testing.make_admin_user()


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def login(client):
    """login(user) → a client signed in as that user (or anonymous for None)."""

    def _login(user):
        if user is not None:
            client.force_login(user)
        return client

    return _login


# Tests that need a real service or a browser. Without it they are skipped with
# the reason, except under CI=true where a missing piece is a failure: CI must
# never go green while silently skipping PostgreSQL, Redis/Celery or Chromium.
CHROMIUM = "/usr/bin/chromium"


def _missing_postgres():
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    return None


def _missing_redis():
    import os

    if not os.getenv("REDIS_URL"):
        return "needs Redis and a Celery worker: set REDIS_URL=redis://…"
    return None


def _missing_chromium():
    import os

    if not os.access(CHROMIUM, os.X_OK):
        return f"needs Chromium at {CHROMIUM}: apt-get install -y chromium"
    return None


REQUIREMENTS = {"postgres": _missing_postgres, "redis": _missing_redis, "e2e": _missing_chromium}


def pytest_runtest_setup(item):
    import os

    for marker, missing in REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = missing()
        if reason is None:
            continue
        if os.getenv("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
