"""French first: English only once a person chooses it, and the choice kept on their account."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from roles.models import Actor, Responsibility

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_english_browser_gets_french_before_signing_in(client):
    page = _text(client.get(reverse("account_login"), **ENGLISH_BROWSER))
    assert '<html lang="fr-ca"' in page
    assert "Connexion" in page


def test_an_english_browser_gets_french_when_signed_in_without_a_choice(client, hr):
    client.force_login(hr)
    page = _text(client.get(reverse("home"), **ENGLISH_BROWSER))
    assert "Accueil" in page and '<html lang="fr-ca"' in page


def test_the_language_choice_is_kept_on_the_account_and_follows_the_person(client, hr):
    client.force_login(hr)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    hr.refresh_from_db()
    assert hr.language == "en"
    other_browser = Client()  # no cookie: only the account knows
    other_browser.force_login(hr)
    page = _text(other_browser.get(reverse("home")))
    assert '<html lang="en"' in page and "Home" in page


def test_the_account_language_wins_over_a_cookie_left_in_the_browser(client, hr):
    hr.language = "fr-ca"
    hr.save()
    client.cookies["django_language"] = "en"
    client.force_login(hr)
    assert '<html lang="fr-ca"' in _text(client.get(reverse("home"), **ENGLISH_BROWSER))


def test_a_choice_made_on_the_sign_in_page_is_kept_on_the_account(client, hr):
    client.post(reverse("set_language"), {"language": "en", "next": "/comptes/login/"})
    client.post(reverse("account_login"), {"login": "rh@example.org", "password": "motdepasse-test"})
    hr.refresh_from_db()
    assert hr.language == "en"


def test_referential_says_in_english_that_its_texts_are_french_only(client, hr):
    actor = Actor.objects.create(name="Direction", intro="de l'école", position=1)
    Responsibility.objects.create(actor=actor, text="Accueille la personne nouvellement embauchée.", position=1)
    client.force_login(hr)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = _text(client.get(reverse("referential")))
    assert "available in French only" in page
    assert 'lang="fr"' in page
    assert "Accueille la personne nouvellement embauchée." in page


def test_referential_in_french_has_no_french_only_note(client, hr):
    client.force_login(hr)
    assert 'data-testid="french-only"' not in _text(client.get(reverse("referential")))
