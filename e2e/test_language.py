"""The navbar's language switch: French by default, English on demand, and back."""

from __future__ import annotations

from django.utils import translation
from playwright.sync_api import expect

from mentorat.demo import DEMO_PASSWORD


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


def test_an_english_browser_gets_french_until_the_person_chooses_and_keeps_it(browser, live_server, demo):
    def english_browser_signed_in():
        context = browser.new_context(locale="en-US", base_url=live_server.url)
        tab = context.new_page()
        tab.goto("/comptes/login/")
        tab.fill("#id_login", "rh@demo.mentorat.ca")
        tab.fill("#id_password", DEMO_PASSWORD)
        tab.locator('form:has(#id_password) button[type="submit"]').click()
        tab.wait_for_url(lambda url: "/comptes/login/" not in url)
        return context, tab

    context, tab = english_browser_signed_in()
    expect(tab.locator("html")).to_have_attribute("lang", "fr-ca")
    tab.locator("[data-testid=language-switch]").click()
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    context.close()

    # Another browser, no cookie: the account remembers English.
    context, tab = english_browser_signed_in()
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    context.close()
