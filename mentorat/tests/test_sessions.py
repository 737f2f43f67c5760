"""Sessions end after inactivity (sooner for HR and administrators) and after an absolute limit; a new key at sign-in."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentorat import factories as f
from roles.models import Role

HOME = "/"


def _signed_in_later(client, minutes: float) -> bool:
    with time_machine.travel(datetime.timedelta(minutes=minutes)):
        response = client.get(HOME)
    return response.wsgi_request.user.is_authenticated


def _login(client, user):
    client.force_login(user)
    assert client.get(HOME).wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "persona,still_in,expired", [("hr", 29, 31), ("admin_user", 29, 31), ("teacher", 119, 121), ("mentor_a", 119, 121)]
)
def test_idle_session_ends_after_the_persona_s_timeout(request, client, persona, still_in, expired):
    _login(client, request.getfixturevalue(persona))
    assert _signed_in_later(client, still_in)
    # The request above was activity: the idle clock starts again from it.
    with time_machine.travel(datetime.timedelta(minutes=still_in)):
        assert _signed_in_later(client, still_in)
    client.logout()
    _login(client, request.getfixturevalue(persona))
    assert not _signed_in_later(client, expired)


def test_expired_session_sends_to_sign_in_with_a_message(client, hr):
    _login(client, hr)
    with time_machine.travel(datetime.timedelta(minutes=31)):
        response = client.get(reverse("law25:incident_list"), follow=True)
    assert reverse("account_login") in response.redirect_chain[0][0]
    assert "Votre session a expiré" in response.content.decode()


def test_active_session_still_ends_at_the_absolute_limit(client, teacher, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 12 * 3600
    _login(client, teacher)
    # Active every 90 minutes: the idle limit (2 h) is never reached, the absolute one (12 h) is.
    for step in range(1, 8):
        with time_machine.travel(datetime.timedelta(minutes=90 * step)):
            assert client.get(HOME).wsgi_request.user.is_authenticated, step
    with time_machine.travel(datetime.timedelta(hours=12, minutes=1)):
        assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_timeouts_are_settings(client, hr, settings):
    settings.SESSION_IDLE_TIMEOUT_PRIVILEGED = 5 * 60
    _login(client, hr)
    assert not _signed_in_later(client, 6)


def test_sign_in_gives_a_new_session_key(client, db):
    person = f.person_with_account("nouvelle@example.org")
    f.give_role(person, Role.TEACHER)
    person.user.set_password("Un-mot-de-passe-solide-2026")
    person.user.save()
    session = client.session
    session["avant"] = "connexion"
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key

    response = client.post(
        reverse("account_login"), {"login": "nouvelle@example.org", "password": "Un-mot-de-passe-solide-2026"}
    )

    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.get(HOME).wsgi_request.user.is_authenticated


def test_no_remember_me_and_the_cookie_ends_with_the_browser(client, db, settings):
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="remember"' not in page
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
