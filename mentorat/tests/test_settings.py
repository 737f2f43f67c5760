"""Settings read from the environment, production hardening and single sign-on configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentorat.settings import email_settings

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "mentorat.example.org",
    "DATABASE_URL": "sqlite:///" + str(BASE_DIR / "var" / "check-deploy.sqlite3"),
    "EMAIL_URL": "smtp://mentorat:secret@smtp.example.org:587",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True
    )


def python_settings(expr: str, **env: str) -> str:
    return python_settings_each([expr], **env)[0]


def python_settings_each(exprs: list[str], **env: str) -> list[str]:
    """What print() shows of each expression, in a fresh Python process set up with `env` (one process for all)."""
    prints = "".join(f"out = io.StringIO(); print({expr}, file=out); shown.append(out.getvalue()); " for expr in exprs)
    code = (
        "import django, io, json, os; django.setup(); from django.conf import settings; shown = []; "
        f"{prints}print(json.dumps(shown))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "mentorat.settings", **env}
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [value.strip() for value in json.loads(result.stdout)]


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_defaults_need_no_server():
    engine, broker, time_zone, language = python_settings_each(
        [
            "settings.DATABASES['default']['ENGINE']",
            "settings.CELERY_BROKER_URL",
            "settings.TIME_ZONE",
            "settings.LANGUAGE_CODE",
        ]
    )
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert time_zone == "America/Toronto"
    assert language == "fr-ca"


def test_environment_switches_to_postgresql_and_redis():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/mentorat", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    engine, broker, cache = python_settings_each(
        [
            "settings.DATABASES['default']['ENGINE']",
            "settings.CELERY_BROKER_URL",
            "settings.CACHES['default']['BACKEND']",
        ],
        **env,
    )
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://127.0.0.1:6379/0"
    assert cache.endswith("RedisCache")


def test_microsoft_sso_is_off_by_default_and_on_with_its_variables():
    assert python_settings("settings.MICROSOFT_SSO_ENABLED") == "False"
    env = {"MICROSOFT_CLIENT_ID": "client-id", "MICROSOFT_CLIENT_SECRET": "s3cret", "MICROSOFT_TENANT": "cssps.example"}
    enabled, app = python_settings_each(
        ["settings.MICROSOFT_SSO_ENABLED", "settings.SOCIALACCOUNT_PROVIDERS['microsoft']['APPS'][0]"], **env
    )
    assert enabled == "True"
    assert "'client_id': 'client-id'" in app and "'tenant': 'cssps.example'" in app


def test_email_url_parsing():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_settings("smtp://user%40cssps:p%40ss@smtp.office365.com:587")
    assert smtp["EMAIL_HOST"] == "smtp.office365.com"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "user@cssps"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    assert email_settings("smtps://u:p@mail.example.org")["EMAIL_USE_SSL"] is True


@pytest.mark.django_db
def test_microsoft_login_button_and_provider_when_configured(client, settings):
    settings.MICROSOFT_SSO_ENABLED = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "microsoft": {"APPS": [{"client_id": "id", "secret": "s", "settings": {"tenant": "cssps.example"}}]}
    }
    page = client.get("/comptes/login/").content.decode()
    assert "Se connecter avec Microsoft" in page
    response = client.post("/comptes/microsoft/login/")
    assert response.status_code == 302
    assert "login.microsoftonline.com/cssps.example" in response["Location"]


@pytest.mark.django_db
def test_no_microsoft_button_by_default(client):
    assert "Microsoft" not in client.get("/comptes/login/").content.decode()
