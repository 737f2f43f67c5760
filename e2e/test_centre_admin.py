"""Issue 14 in the browser: HR prepares next year without the Django admin.

HR creates 2027-2028 from the current year → copies the roles → replaces the director
of one school by importing a two-line file → changes a secondary school's quota to
three (confirming, since the school already has a mentor this year) → on 2 July 2027
the new director signs in and sees their school, and the old one no longer does.
Today is frozen at 24 November 2026 10:00 (Toronto) until the last step.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from mentorat import factories as f
from mentors.models import ProgrammeSettings
from mentors.tests.factories import MentorAssignmentFactory
from roles.models import Membership, Role
from schools.models import Order, School, SchoolYear

PASSWORD = "motdepasse-test"
HR = "rh.centre@example.org"
OLD_DIRECTOR = "direction.bouleaux@example.org"
NEW_DIRECTOR = "nadia.cote@example.org"
TORONTO = datetime.timezone(datetime.timedelta(hours=-4))


@pytest.fixture
def centre(transactional_db):
    year = f.SchoolYearFactory()
    ProgrammeSettings.objects.create(year=year)
    primary = f.SchoolFactory(code="E101", name="École des Bouleaux", order=Order.PRIMARY)
    secondary = f.SchoolFactory(code="S201", name="École secondaire du Lac", order=Order.SECONDARY)
    hr = f.person_with_account(HR, first_name="Hélène", last_name="Roy")
    f.give_role(hr, Role.HR)
    old = f.person_with_account(OLD_DIRECTOR, first_name="Denis", last_name="Lavoie")
    f.give_role(old, Role.DIRECTOR, school=primary, year=year)
    lac = f.person_with_account("direction.lac@example.org", first_name="Sophie", last_name="Bédard")
    f.give_role(lac, Role.DIRECTOR, school=secondary, year=year)
    new = f.person_with_account(NEW_DIRECTOR, first_name="Nadia", last_name="Côté", employee_number="700900")
    f.StaffAssignmentFactory(person=new, school=primary, year=year, job_title="Direction adjointe")
    MentorAssignmentFactory(year=year, school=secondary)
    return {"primary": primary, "secondary": secondary, "new": new}


def _menu(page, item: str) -> None:
    nav = page.locator("#main-nav")
    nav.get_by_role("button", name="Centre", exact=True).click()
    nav.locator(".dropdown-menu").get_by_role("link", name=item, exact=True).click()


def _sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    expect(page.locator("#main-nav").get_by_role("link", name="Accueil")).to_have_count(0)


def test_hr_prepares_next_year_and_the_new_director_sees_their_school(page, sign_in, centre, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    sign_in(HR, PASSWORD)

    # 1. Next year, from the current one.
    _menu(page, "Années scolaires")
    page.get_by_role("button", name="Créer l'année 2027-2028").click()
    expect(page.locator(".alert-success")).to_contain_text("Année 2027-2028 créée")
    expect(page.locator("tr[data-year='2027-2028']")).to_be_visible()

    # 2. Copy this year's roles into it, after the review.
    _menu(page, "Rôles de l'année")
    page.get_by_label("Année scolaire").select_option(label="2027-2028")
    page.get_by_role("button", name="Afficher", exact=True).click()  # no change of context on select (WCAG 3.2.2)
    expect(page.locator("h1")).to_contain_text("Rôles de l'année 2027-2028")
    page.get_by_role("link", name="Copier les rôles de 2026-2027").click()
    expect(page.locator("[data-testid=to-copy]")).to_contain_text("2 rôles à copier")
    expect(page.locator("[data-testid=to-copy]")).to_contain_text("Denis Lavoie")
    page.get_by_role("button", name="Confirmer la copie").click()
    expect(page.locator(".alert-success")).to_contain_text("2 rôles copiés en 2027-2028.")

    # 3. Replace the director of École des Bouleaux with a two-line file.
    page.get_by_role("link", name="Importer les directions").click()
    directors_file = tmp_path / "directions-2027.csv"
    directors_file.write_text("ecole;matricule\nE101;700900\n", encoding="utf-8")
    page.set_input_files("#id_file", str(directors_file))
    page.get_by_role("button", name="Voir l’aperçu").click()
    expect(page.locator("[data-testid=directors-ending]")).to_contain_text(
        "Denis Lavoie quitte la direction de École des Bouleaux"
    )
    page.get_by_role("button", name="Confirmer l’importation").click()
    expect(page.locator(".alert-success")).to_contain_text("Directions attribuées : 1 ; terminées : 1")
    row = page.locator("[data-testid=directors] tr[data-school='E101']")
    expect(row).to_contain_text("Nadia Côté")
    expect(row).not_to_contain_text("Denis Lavoie")

    # 4. The secondary school gets three mentors; it already has one this year, so HR confirms.
    _menu(page, "Écoles et bâtiments")
    page.get_by_role("link", name="École secondaire du Lac").click()
    page.get_by_role("link", name="Modifier les paramètres").click()
    page.get_by_label("Nombre de personnes mentores").fill("3")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("[data-testid=impact]")).to_contain_text("Personnes mentores prévues : 2 → 3.")
    expect(page.locator("[data-testid=impact]")).to_contain_text("le budget de cette année ne change pas")
    page.get_by_role("button", name="Confirmer et enregistrer").click()
    expect(page.locator(".alert-success")).to_contain_text("École École secondaire du Lac enregistrée.")
    expect(page.locator("[data-testid=quota]")).to_have_text("3")
    assert School.objects.get(code="S201").mentor_quota == 3
    _sign_out(page)

    next_year = SchoolYear.objects.get(label="2027-2028")
    assert Membership.objects.get(year=next_year, school__code="E101", role=Role.DIRECTOR).person == centre["new"]

    # 5. On 2 July 2027 the new year has begun: the new director sees their school, the old one does not.
    with time_machine.travel(datetime.datetime(2027, 7, 2, 9, 0, tzinfo=TORONTO), tick=True):
        sign_in(NEW_DIRECTOR, PASSWORD)
        section = page.locator("[data-section=director]")
        expect(section).to_contain_text("École des Bouleaux")
        section.get_by_role("link", name="École des Bouleaux").click()
        expect(page.locator("h1")).to_contain_text("École des Bouleaux")
        expect(page.locator("[data-testid=school-settings]")).to_be_visible()
        _sign_out(page)
        sign_in(OLD_DIRECTOR, PASSWORD)
        expect(page.locator("[data-section=director]")).to_have_count(0)
