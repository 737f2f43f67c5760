"""The navbar's language switch: French by default, English on demand, and back."""

from __future__ import annotations

from django.utils import translation
from playwright.sync_api import expect


def english(french: str) -> str:
    """The English catalog's translation of a French source string."""
    with translation.override("en"):
        return translation.gettext(french)


def test_language_switch_goes_to_english_and_back(page, demo, sign_in):
    home_fr, home_en = "Accueil", english("Accueil")
    assert home_en != home_fr, "the English catalog does not translate « Accueil »"
    sign_in("enseignant@demo.mentorat.ca")
    nav = page.locator("#main-nav")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(nav.get_by_role("link", name=home_fr, exact=True)).to_be_visible()

    page.locator("[data-testid=language-switch]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name=home_en, exact=True)).to_be_visible()
    expect(page.locator("#teacher-heading")).to_have_text(english("Devenir personne mentore"))

    page.locator("[data-testid=language-switch]").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(nav.get_by_role("link", name=home_fr, exact=True)).to_be_visible()
    expect(page.locator("#teacher-heading")).to_have_text("Devenir personne mentore")


def test_language_switch_works_before_signing_in(page, demo):
    assert english("Connexion") != "Connexion", "the English catalog does not translate « Connexion »"
    page.goto("/comptes/login/")
    expect(page.locator("h1")).to_have_text("Connexion")

    page.locator("[data-testid=language-switch]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(english("Connexion"))
