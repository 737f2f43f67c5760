"""Helpers for the access tables: every URL × every persona."""

from __future__ import annotations

from django.urls import reverse

# What a persona gets: 200 (allowed), 403 (role never allowed), 404 (object of
# another school: its existence is private), "login" (redirected to sign-in),
# 302 (allowed, redirected elsewhere), 405 (method not allowed).
LOGIN = "login"

# The conftest personas, in the order the access tables walk them.
PERSONAS = [
    "anonymous",
    "hr",
    "director_a",
    "director_b",
    "pane",
    "trainer",
    "management",
    "mentor_a",
    "mentee_a",
    "teacher",
    "admin_user",
]


def check_access(client, user, url: str, expected, method: str = "get", data=None) -> None:
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if expected == LOGIN:
        assert response.status_code == 302, (url, user, response.status_code)
        assert reverse("account_login") in response["Location"], (url, user, response["Location"])
    else:
        assert response.status_code == expected, (url, str(user), response.status_code)
