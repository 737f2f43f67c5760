"""Content-Security-Policy, Permissions-Policy and Cache-Control on every kind of page; no inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from mentorat.tests.test_crawl import crawl
from mentorat.urls import urlpatterns as project_urls

BASE_DIR = Path(__file__).resolve().parents[2]
REQUIRED = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*project_urls, path("boom/", _boom)]


def policy(response) -> str:
    return response["Content-Security-Policy"]


def assert_strict_policy(response):
    csp = policy(response)
    for directive in REQUIRED:
        assert directive in csp, (directive, csp)
    script = re.search(r"script-src ([^;]*)", csp).group(1)
    style = re.search(r"style-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "unsafe-inline" not in style
    assert "camera=()" in response["Permissions-Policy"]


def test_html_page_has_the_policy_and_is_not_cached(client, hr):
    client.force_login(hr)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert response["Cache-Control"] == "no-store"


def test_login_page_has_the_policy(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert "no-store" in response["Cache-Control"]


def test_export_with_personal_data_has_the_policy_and_is_not_cached(client, hr):
    client.force_login(hr)
    response = client.get(reverse("law25:incident_export"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url,status", [("/cette-page-n-existe-pas/", 404), ("/ecoles/importer/", 403)])
def test_error_pages_have_the_policy(client, teacher, url, status):
    client.force_login(teacher)
    response = client.get(url)
    assert response.status_code == status
    assert_strict_policy(response)


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_has_the_policy(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_strict_policy(response)


def test_the_page_of_a_personal_link_is_not_cached(client, db):
    """A survey's personal link needs no account but shows the person's draft."""
    response = client.get("/sondages/r/inconnu/")
    assert "no-store" in response["Cache-Control"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)


def offences(html: str) -> list[str]:
    found = [m.group(0) for m in INLINE_SCRIPT.finditer(html)]
    found += [m.group(0) for m in HANDLER.finditer(html)]
    found += [m.group(0) for m in STYLE_ATTR.finditer(html)]
    found += ["<style>"] if "<style" in html else []
    return found


def test_the_detector_finds_what_the_policy_refuses():
    assert offences('<script>alert(1)</script><a onclick="x()">') == ["<script>", " onclick="]
    assert offences('<div style="color:red">') == [" style="]
    assert offences('<script src="/static/a.js"></script><script id="d" type="application/json">{}</script>') == []
    assert offences('<button hx-confirm="Sûr ?" data-print>') == []


def template_files():
    # E-mails are not web pages: mail clients need their inline styles, and no CSP applies there.
    for directory in ["templates", "roles", "schools", "mentors", "surveys", "mentorat"]:
        for file in (BASE_DIR / directory).rglob("*.html"):
            if "emails" not in file.parts:
                yield file


def test_no_template_holds_inline_script_handler_or_style():
    found = {str(file.relative_to(BASE_DIR)): offences(file.read_text()) for file in template_files()}
    assert not {name: hits for name, hits in found.items() if hits}


@pytest.mark.parametrize("persona", ["anonymous", "hr", "director_a", "pane", "mentor_a", "admin_user"])
def test_no_rendered_page_holds_inline_script_or_handler(client, harness, persona):
    """The crawl of every page a persona is shown: each one has the policy and nothing it would refuse."""
    user = harness.objects[persona]
    if user is not None:
        client.force_login(user)
    checked, bad = [], {}
    plain_get = client.get

    def get(url, *args, **kwargs):
        response = plain_get(url, *args, **kwargs)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            checked.append(url)
            assert "Content-Security-Policy" in response, url
            hits = offences(response.content.decode())
            if hits:
                bad[url] = hits
        return response

    client.get = get
    crawl(client)
    assert checked
    assert not bad


def test_the_calendar_feed_keeps_its_own_private_caching(client, mentor_a):
    from mentors.models import CalendarFeed

    subscription = CalendarFeed.objects.create(person=mentor_a.person)
    response = client.get(reverse("mentors:feed", args=[subscription.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=900"
