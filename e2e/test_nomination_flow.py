"""The whole nomination flow of issue 3, in the browser, one user after the other.

HR opens the window → a teacher fills « Moi mentore, pourquoi pas ? » and applies →
the director gives an opinion → HR nominates → the budget shows the new mentor →
HR pairs a novice of the school → the new mentor sees the mentee.
Today is frozen at 24 November 2026 10:00 (Toronto) for the test and the live server.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mentorat import factories as f
from mentors.models import Candidacy, Decision, MentorAssignment, Pairing
from roles.models import Role
from schools.models import Order

PASSWORD = "motdepasse-test"
HR = "rh.nominations@example.org"
DIRECTOR = "direction.bouleaux@example.org"
TEACHER = "julie.gagnon@example.org"


@pytest.fixture
def centre(transactional_db):
    """One primary school of 2026-2027 with its director, a teacher, a novice, and an HR account."""
    year = f.SchoolYearFactory()
    school = f.SchoolFactory(code="E101", name="École des Bouleaux", order=Order.PRIMARY)
    hr = f.person_with_account(HR, first_name="Hélène", last_name="Roy")
    f.give_role(hr, Role.HR)
    director = f.person_with_account(DIRECTOR, first_name="Denis", last_name="Lavoie")
    f.give_role(director, Role.DIRECTOR, school=school, year=year)
    f.StaffAssignmentFactory(person=director, school=school, year=year, job_title="Direction")
    teacher = f.person_with_account(TEACHER, first_name="Julie", last_name="Gagnon")
    f.give_role(teacher, Role.TEACHER, school=school, year=year)
    f.StaffAssignmentFactory(person=teacher, school=school, year=year, job_title="Enseignante 3e année")
    novice = f.PersonFactory(first_name="Léa", last_name="Tremblay")
    f.EntitlementFactory(person=novice, year=year)
    f.StaffAssignmentFactory(person=novice, school=school, year=year, job_title="Enseignante 3e année")
    return {"year": year, "school": school, "teacher": teacher, "novice": novice}


def _text(locator) -> str:
    """Inner text with non-breaking spaces as plain spaces (money is « 10 600 $ »)."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


def _menu(page, item: str) -> None:
    """Open the navbar's « Mentorat » dropdown and follow one of its items."""
    nav = page.locator("#main-nav")
    nav.get_by_role("button", name="Mentorat").click()
    nav.locator(".dropdown-menu").get_by_role("link", name=item, exact=True).click()


def _sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    expect(page.locator("#main-nav").get_by_role("link", name="Accueil")).to_have_count(0)


def test_hr_opens_window_teacher_applies_director_opines_hr_nominates_and_pairs(page, sign_in, centre, mailoutbox):
    school, teacher, novice = centre["school"], centre["teacher"], centre["novice"]

    # 1. HR opens the nomination window around today.
    sign_in(HR, PASSWORD)
    _menu(page, "Période de candidature et taux")
    expect(page.locator("h1")).to_contain_text("2026-2027")
    page.fill("#id_opens_at", "2026-11-20T08:00")
    page.fill("#id_closes_at", "2026-12-04T17:00")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Paramètres de l'année 2026-2027 enregistrés.")
    _sign_out(page)

    # 2. The teacher fills the reflective tool, reads the summary, then applies.
    sign_in(TEACHER, PASSWORD)
    page.locator("#main-nav").get_by_role("link", name="Ma candidature").click()
    expect(page.locator("[data-window=open]")).to_be_visible()
    page.get_by_role("link", name="Remplir l'outil réflexif").click()
    for field, answer in [
        ("motivation", "Tout à fait"),
        ("availability", "Plutôt"),
        ("listening", "Tout à fait"),
        ("sharing_practice", "Tout à fait"),
        ("collaboration", "Plutôt"),
    ]:
        page.locator(f"#div_id_{field}").get_by_label(answer, exact=True).check()
    page.get_by_label("Ce que je retiens de ma réflexion (facultatif)").fill("J'aime accueillir les nouveaux.")
    page.get_by_role("button", name="Voir ma synthèse").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Voici votre synthèse")
    summary = page.get_by_test_id("reflective-summary")
    expect(summary.locator("li")).to_have_count(5)
    expect(summary).to_contain_text("Ma motivation à accompagner une personne qui débute")
    expect(page.locator("[data-section=reflective]")).to_contain_text("moyenne 3,6 sur 4")

    page.get_by_role("link", name="Déposer ma candidature").click()
    expect(page.locator("#id_school option:checked")).to_contain_text(school.name)  # pre-filled from the assignment
    page.get_by_label("Années d'expérience en enseignement").fill("12")
    page.get_by_label("Disciplines ou niveaux enseignés").fill("3e année, français")
    page.get_by_label("Motivation").fill("Partager ce que j'ai appris en douze ans.")
    page.get_by_label("Disponibilités").fill("Les mardis et jeudis après l'école.")
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Votre candidature est déposée.")
    expect(page.get_by_test_id("candidacy-status")).to_have_text("Déposée")
    _sign_out(page)

    # 3. The school's director gives a favourable opinion.
    sign_in(DIRECTOR, PASSWORD)
    _menu(page, "Candidatures de mon école")
    row = page.locator("tr[data-candidacy]", has_text="Julie Gagnon")
    expect(row).to_contain_text("Déposée")
    row.get_by_role("link", name="Donner mon avis").click()
    page.get_by_label("Favorable", exact=True).check()
    page.get_by_label("Commentaire").fill("Une enseignante généreuse et structurée.")
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Votre avis est enregistré.")
    expect(page.locator("tr[data-candidacy]", has_text="Julie Gagnon")).to_contain_text("Favorable")
    _sign_out(page)

    # 4. HR nominates her from the review board.
    sign_in(HR, PASSWORD)
    _menu(page, "Nominations")
    section = page.locator(f"section[data-school={school.code}]")
    expect(section.get_by_test_id("seats")).to_contain_text("places pourvues : 0 sur 1")
    row = section.locator("tr[data-candidacy]", has_text="Julie Gagnon")
    expect(row).to_contain_text("Favorable")
    row.get_by_role("link", name="Julie Gagnon").click()
    expect(page.get_by_test_id("opinion")).to_contain_text("Favorable — Une enseignante généreuse et structurée.")
    page.get_by_label("Décision").select_option(label="Nommée")
    page.get_by_label("Motif", exact=True).fill("Avis favorable, place libre.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Décision enregistrée pour Julie Gagnon.")
    section = page.locator(f"section[data-school={school.code}]")
    expect(section.locator("tr[data-candidacy]", has_text="Julie Gagnon")).to_contain_text("Nommée")
    expect(section.get_by_test_id("seats")).to_contain_text("places pourvues : 1 sur 1")
    candidacy = Candidacy.objects.get(person=teacher)
    assert candidacy.decision == Decision.NOMINATED
    assert MentorAssignment.objects.filter(person=teacher, school=school, candidacy=candidacy).count() == 1
    assert [m.to for m in mailoutbox] == [[TEACHER]]  # the decision e-mail, after the commit

    # 5. The budget shows the school's new mentor and the estimated cost:
    #    2 days / 10-day cycle × 180 days = 36 days × 250 $ + 1 600 $ = 10 600 $.
    _menu(page, "Budget")
    expect(page.get_by_test_id("centre-mentors")).to_have_text("1")
    school_row = page.locator(f"tr[data-school={school.code}]")
    expect(school_row).to_contain_text(school.name)
    cells = school_row.locator("td")
    assert _text(cells.nth(2)) == "1"  # mentors
    assert _text(cells.nth(3)) == "0,20"  # full-time equivalent released
    assert _text(cells.nth(4)) == "36,0"  # release days
    assert _text(cells.nth(7)) == "10 600 $"
    assert _text(page.get_by_test_id("centre-total")) == "10 600 $"

    # 6. HR pairs the school's novice with the suggested new mentor.
    _menu(page, "Jumelages")
    novice_row = page.locator(f"tr[data-novice='{novice.pk}']")
    expect(novice_row).to_contain_text("Léa Tremblay")
    expect(novice_row.get_by_test_id("late")).to_have_text("91 jours")  # waiting since 25 August
    suggestion = novice_row.locator("form", has_text="Julie Gagnon")
    expect(suggestion).to_contain_text("Même école (+30)")
    suggestion.get_by_role("button", name="Jumeler").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Léa Tremblay est jumelée avec Julie Gagnon.")
    expect(page.locator(f"tr[data-novice='{novice.pk}']")).to_have_count(0)
    assert Pairing.objects.active().filter(mentor=teacher, mentee=novice).count() == 1
    _sign_out(page)

    # 7. The new mentor sees her release time and her mentee.
    sign_in(TEACHER, PASSWORD)
    page.locator("#main-nav").get_by_role("link", name="Mes personnes mentorées").click()
    expect(page.locator("h1")).to_have_text("Mes personnes mentorées")
    main = page.locator("main")
    assert "2026-2027 : École des Bouleaux, libération de 2" in _text(main)
    assert "(20 %)" in _text(main)
    expect(main.locator("tr[data-pairing]")).to_have_count(1)
    expect(main.locator("tr[data-pairing]")).to_contain_text("Léa Tremblay")
