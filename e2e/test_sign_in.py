"""Each demo account signs in through the login form and lands on its own home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mentorat.demo import DEMO_ACCOUNTS

# role → (home page section, text it shows). The home page has one section per role.
ROLE_SECTIONS = {
    "hr": ("centre", "Le centre de services en un coup d'œil"),
    "director": ("director", "Votre école"),
    "pane": ("pane", "Vos cohortes"),
    "trainer": ("events", "Vos journées d'accompagnement à venir"),
    "mentor": ("mentor", "Vos personnes mentorées"),
    "mentee": ("mentee", "Votre personne mentore"),
    "teacher": ("teacher", "Devenir personne mentore"),
    "management": ("centre", "Le centre de services en un coup d'œil"),
    "admin": ("centre", "Le centre de services en un coup d'œil"),
}
CENTRE_WIDE = {"hr", "pane", "management", "admin"}


@pytest.mark.parametrize(("email", "role"), [(email, role) for email, role, _label in DEMO_ACCOUNTS])
def test_demo_account_signs_in_and_sees_its_home_page(page, live_server, demo, sign_in, email, role):
    sign_in(email)

    assert page.url == f"{live_server.url}/"
    expect(page.locator("h1")).to_contain_text("Bonjour")
    section, text = ROLE_SECTIONS[role]
    expect(page.locator(f"[data-section={section}]")).to_contain_text(text)
    if role not in CENTRE_WIDE:
        expect(page.locator("[data-section=centre]")).to_have_count(0)


def test_mentor_sees_the_mentees_paired_with_them(page, demo, sign_in):
    sign_in("mentor@demo.mentorat.ca")

    expect(page.locator("[data-section=mentor] li strong").first).to_be_visible()


def test_mentee_sees_their_mentor(page, demo, sign_in):
    sign_in("mentore@demo.mentorat.ca")

    expect(page.locator("[data-section=mentee] .card")).to_have_count(1)


def test_director_sees_their_school_but_cannot_import(page, demo, sign_in):
    sign_in("direction@demo.mentorat.ca")

    expect(page.locator("[data-section=director] h3 a").first).to_be_visible()
    page.locator("#main-nav").get_by_role("link", name="Personnel", exact=True).click()
    expect(page.get_by_role("link", name="Importer (CSV ou Excel)")).to_have_count(0)


def test_admin_reaches_the_django_admin(page, live_server, demo, sign_in):
    sign_in("admin@demo.mentorat.ca")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Administration technique (Django)").click()

    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()


def test_wrong_password_keeps_the_person_on_the_login_page(page, demo):
    page.goto("/comptes/login/")
    page.fill("#id_login", "rh@demo.mentorat.ca")
    page.fill("#id_password", "pas-le-bon-mot-de-passe")
    page.locator('form:has(#id_password) button[type="submit"]').click()

    expect(page.locator(".alert-danger")).to_be_visible()
    assert "/comptes/login/" in page.url
