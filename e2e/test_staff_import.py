"""HR imports the staff list: upload → preview → confirm, then finds the people in the staff list."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from mentorat import factories as f
from roles.models import Role
from schools.models import Person, StaffAssignment

EXAMPLE = Path(__file__).resolve().parents[1] / "schools" / "tests" / "fixtures" / "personnel-exemple.csv"


@pytest.fixture
def hr_with_schools(transactional_db):
    """An HR account, the current year and the three schools the example file names."""
    year = f.SchoolYearFactory()
    for code in ("E001", "E002", "E003"):
        f.SchoolFactory(code=code, name=f"École {code}")
    person = f.person_with_account("rh.import@example.org")
    f.give_role(person, Role.HR)
    return year


def test_hr_imports_staff_and_sees_them_in_the_staff_list(page, live_server, hr_with_schools, sign_in):
    sign_in("rh.import@example.org", "motdepasse-test")
    page.locator("#main-nav").get_by_role("link", name="Personnel", exact=True).click()
    page.get_by_role("link", name="Importer (CSV ou Excel)").click()
    page.set_input_files("#id_file", EXAMPLE)

    page.locator("[data-testid=import-form] button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("Aperçu de l’importation")
    expect(page.locator("[data-count=people_created]")).to_have_text("7")
    expect(page.locator("[data-count=assignments_created]")).to_have_text("8")
    expect(page.locator("[data-testid=import-errors]")).to_have_count(0)
    assert Person.objects.filter(employee_number__startswith="2000").count() == 0  # nothing saved before confirming

    page.locator("[data-testid=import-confirm] button[type=submit]").click()

    page.wait_for_url(lambda url: "/ecoles/personnel/" in url)
    expect(page.locator(".alert-success")).to_contain_text("Personnes créées : 7")
    table = page.locator("[data-testid=staff-table]")
    expect(table).to_contain_text("Tremblay, Marie-Ève")
    expect(table.get_by_role("row").filter(has_text="Bouchard, Mathieu")).to_contain_text("École E002 (60")
    assert StaffAssignment.objects.filter(year=hr_with_schools, person__employee_number="200004").count() == 2


def test_director_is_refused_the_import_page(page, live_server, transactional_db, sign_in):
    year = f.SchoolYearFactory()
    school = f.SchoolFactory(code="E001")
    person = f.person_with_account("direction.import@example.org")
    f.give_role(person, Role.DIRECTOR, school=school, year=year)
    sign_in("direction.import@example.org", "motdepasse-test")

    response = page.goto("/ecoles/importer/")

    assert response.status == 403
