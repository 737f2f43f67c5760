"""Sign-in hardening: the admin has no password form of its own, the proxy is trusted as configured,
and the sign-in e-mail cannot be changed without HR."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from mentorat import factories as f


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def superuser(db):
    return f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


def test_admin_login_form_takes_no_password_and_sends_to_the_rate_limited_sign_in(client, superuser):
    for _ in range(30):
        client.post("/admin/login/", {"username": "admin@example.org", "password": "faux"})
    response = client.post("/admin/login/", {"username": "admin@example.org", "password": "motdepasse-test"})

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_signed_in_administrator_reaches_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def _fail_login(client, email, address):
    return client.post(
        reverse("account_login"), {"login": email, "password": "faux"}, HTTP_X_FORWARDED_FOR=f"{address}, 10.0.0.1"
    )


def _login(client, email, password, address):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, HTTP_X_FORWARDED_FOR=f"{address}, 10.0.0.1"
    )


def test_behind_a_proxy_one_address_failing_does_not_lock_out_the_others(client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2  # the client's address, then our proxy's
    user = f.UserFactory(email="ok@example.org")
    for n in range(11):
        _login(client, f"intrus{n}@example.org", "faux", "203.0.113.7")

    _login(client, user.email, "motdepasse-test", "203.0.113.7")
    assert "_auth_user_id" not in client.session  # that address is held back…

    response = _login(client, user.email, "motdepasse-test", "198.51.100.20")
    assert response.status_code == 302  # …not everybody behind the proxy


def test_proxy_settings_come_from_the_environment():
    from mentorat.tests.test_settings import python_settings

    assert python_settings("settings.ALLAUTH_TRUSTED_PROXY_COUNT") == "0"
    assert python_settings("settings.ALLAUTH_TRUSTED_PROXY_COUNT", BEHIND_PROXY="1") == "1"
    assert python_settings("settings.ALLAUTH_TRUSTED_PROXY_COUNT", BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="2") == "2"


def test_nobody_changes_their_sign_in_email_themselves(client, mentor_a):
    client.force_login(mentor_a)
    page = client.get(reverse("account_email"))
    assert page.status_code == 200 and "ressources humaines" in page.content.decode()

    client.post(reverse("account_email"), {"action_add": "", "email": "autre@example.org"})

    mentor_a.refresh_from_db()
    assert mentor_a.email == "mentor.a@example.org"
    assert not EmailAddress.objects.filter(email="autre@example.org").exists()
