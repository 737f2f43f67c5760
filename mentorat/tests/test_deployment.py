"""Running on several machines: the load balancer's health URL, shared upload storage, persistent connections."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from mentorat.celery import app
from mentorat.settings import default_storage_settings
from mentorat.tests.test_settings import python_settings

S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "mentorat-uploads",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "ca-central-1",
    "AWS_ACCESS_KEY_ID": "key-id",
    "AWS_SECRET_ACCESS_KEY": "secret",
}


# --- /health/ ---


def test_health_answers_ok_to_anyone_without_a_cookie_or_a_cache(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "ok", "broker": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session started for the probe


def test_health_is_503_naming_the_database_when_it_does_not_answer(client, db):
    broken = mock.Mock()
    broken.cursor.side_effect = OperationalError("connection to server at 10.0.0.5 failed")
    with mock.patch("mentorat.health.connection", broken):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "error", "broker": "ok"}
    assert b"10.0.0.5" not in response.content  # the reason is logged, not sent


def test_health_is_503_naming_the_broker_when_it_does_not_answer(client, db, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "error"}
    assert response["Cache-Control"] == "no-store"


def test_health_is_not_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # the load balancer probes each machine over plain HTTP
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 301


# --- Upload storage and database connections, from the environment ---


def test_uploads_are_private_local_files_without_a_bucket(monkeypatch):
    for name in S3_ENV:
        monkeypatch.delenv(name, raising=False)
    storage = default_storage_settings()
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["file_permissions_mode"] == 0o600


def test_uploads_go_to_the_s3_compatible_bucket_named_in_the_environment(monkeypatch):
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    storage = default_storage_settings()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "mentorat-uploads"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "ca-central-1"
    assert (options["access_key"], options["secret_key"]) == ("key-id", "secret")
    # Private: no public ACL, addresses signed, two uploads never replace each other.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_the_configured_bucket_is_the_default_storage():
    storage = "__import__('django.core.files.storage', fromlist=['default_storage']).default_storage"
    assert python_settings(f"{storage}.bucket_name, type({storage}._wrapped).__name__", **S3_ENV) == (
        "mentorat-uploads S3Storage"
    )


@pytest.mark.parametrize(("env", "expected"), [({}, "0 True"), ({"CONN_MAX_AGE": "60"}, "60 True")])
def test_persistent_connections_come_from_the_environment(env, expected):
    expr = "settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
    assert python_settings(f"*({expr})", **env) == expected


def test_static_files_are_served_by_whitenoise_compressed_and_hashed_in_production():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in python_settings("settings.MIDDLEWARE")
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 60}
    backend = python_settings("settings.STORAGES['staticfiles']['BACKEND']", **production)
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
