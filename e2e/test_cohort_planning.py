"""A PANE plans her cohort's year in the browser (issue 7, the planning side).

She creates a cohort, places the nominated mentors the suggestion checks, lets
the planner propose the six university days, six cohort days and two
half-days, accepts, tries to move a cohort day onto a pedagogical day and reads
the French refusal naming it, then publishes. Today is 24 November 2026.
"""

from __future__ import annotations

import datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from mentorat import factories as f
from mentors.models import Cohort, Event, EventStatus, NonSchoolDay, NonSchoolDayKind
from mentors.tests.factories import MentorAssignmentFactory
from roles.models import Role
from schools.models import Order

PASSWORD = "motdepasse-test"
PANE = "pane.cohortes@example.org"
TRAINER = "formatrice.cohortes@example.org"
MENTOR = "mentore.cohortes@example.org"


@pytest.fixture
def centre(transactional_db):
    year = f.SchoolYearFactory()
    pane = f.person_with_account(PANE, first_name="Marie-Ève", last_name="Tremblay")
    f.give_role(pane, Role.PANE)
    trainer = f.person_with_account(TRAINER, first_name="Nathalie", last_name="Côté")
    f.give_role(trainer, Role.TRAINER)
    mentors = []
    for code, name in (("E201", "École des Cèdres"), ("E202", "École du Ruisseau")):
        school = f.SchoolFactory(code=code, name=name, order=Order.PRIMARY)
        for _ in range(2):
            person = f.person_with_account(MENTOR) if not mentors else f.PersonFactory()
            f.give_role(person, Role.MENTOR, school=school, year=year)
            MentorAssignmentFactory(person=person, year=year, school=school)
            mentors.append(person)
    NonSchoolDay.objects.create(
        year=year, date=datetime.date(2027, 1, 29), kind=NonSchoolDayKind.PEDAGOGICAL, label="Fin d'étape"
    )
    return {"year": year, "mentors": mentors}


def test_pane_creates_cohort_places_mentors_plans_moves_and_publishes(page, sign_in, centre):
    sign_in(PANE, PASSWORD)
    nav = page.locator("#main-nav")
    nav.get_by_role("button", name="Mentorat").click()
    nav.locator(".dropdown-menu").get_by_role("link", name="Cohortes", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Cohortes — 2026-2027")

    # 1. A new cohort: herself is checked as PANE; she adds the trainer.
    page.get_by_role("link", name="Nouvelle cohorte").click()
    page.get_by_label("Nom").fill("Cohorte primaire A")
    page.get_by_label("Ordre d'enseignement").select_option("primaire")
    expect(page.get_by_label("Marie-Ève Tremblay")).to_be_checked()
    page.get_by_label("Nathalie Côté").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("h1")).to_contain_text("Cohorte primaire A")

    # 2. Placing mentors: the suggestion checks the four primary mentors; she keeps it.
    page.get_by_role("link", name="Placer des personnes mentores").click()
    expect(page.get_by_test_id("suggestion")).to_contain_text("4 personnes sont suggérées")
    for mentor in centre["mentors"]:
        expect(page.get_by_label(mentor.full_name, exact=False)).to_be_checked()
    page.get_by_role("button", name="Placer les personnes cochées").click()
    expect(page.locator(".alert-success")).to_contain_text("4 personnes mentores placées")
    expect(page.get_by_test_id("mentors").locator("tbody tr")).to_have_count(4)

    # 3. The planner proposes 14 events; she accepts them as drafts.
    page.get_by_role("link", name="Proposer les journées (planificateur)").click()
    expect(page.get_by_test_id("proposal").locator("tbody tr")).to_have_count(14)
    page.get_by_role("button", name="Accepter la proposition (brouillons)").click()
    expect(page.locator(".alert-success")).to_contain_text("14 événements ajoutés en brouillon")
    expect(page.get_by_test_id("events").locator('tr[data-status="draft"]')).to_have_count(14)

    # 4. Moving cohort day 4 onto the pedagogical day of 29 January is refused, naming the day.
    page.get_by_test_id("events").locator('tr[data-kind="cohort_day"][data-number="4"] a').click()
    page.get_by_role("link", name="Déplacer ou modifier").click()
    page.get_by_label("Date").fill("2027-01-29")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#div_id_date")).to_contain_text(
        "Le 29 janvier 2027 est une journée pédagogique (Fin d'étape) : choisissez un jour de classe."
    )
    cohort = Cohort.objects.get(name="Cohorte primaire A")
    assert Event.objects.get(cohort=cohort, kind="cohort_day", number=4).date != datetime.date(2027, 1, 29)

    # 5. Back on the cohort page, she publishes the drafts.
    page.get_by_role("link", name="Annuler").click()
    page.get_by_role("link", name="Cohorte primaire A").click()
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_contain_text("14 événements publiés")
    expect(page.get_by_test_id("events").locator('tr[data-status="published"]')).to_have_count(14)
    assert set(Event.objects.filter(cohort=cohort).values_list("status", flat=True)) == {EventStatus.PUBLISHED}

    # 6. A mentor of the cohort finds the six cohort days in « Mon calendrier » and downloads one.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(MENTOR, PASSWORD)
    nav.get_by_role("button", name="Calendrier").click()
    nav.locator(".dropdown-menu").get_by_role("link", name="Mon calendrier", exact=True).click()
    page.get_by_role("link", name="Liste", exact=True).click()
    days = page.get_by_test_id("event-list").locator("li").filter(has_text="Journée de cohorte")
    upcoming = days.count()
    assert upcoming > 0
    page.get_by_role("link", name="Voir les événements passés").click()
    assert upcoming + days.count() == 6  # today is 24 November: the planner spread them from September
    page.get_by_role("link", name="Liste", exact=True).click()
    days.first.get_by_role("link").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (.ics)").click()
    vevent = Calendar.from_ical(open(download.value.path(), "rb").read()).walk("VEVENT")[0]
    next_day = Event.objects.filter(cohort=cohort, kind="cohort_day", date__gte=datetime.date(2026, 11, 24)).first()
    assert str(vevent["UID"]).startswith(str(next_day.uid))

    # 7. The trainer sees the six university days.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(TRAINER, PASSWORD)
    nav.get_by_role("button", name="Calendrier").click()
    nav.locator(".dropdown-menu").get_by_role("link", name="Mon calendrier", exact=True).click()
    page.get_by_role("link", name="Liste", exact=True).click()
    universities = page.get_by_test_id("event-list").locator("li").filter(has_text="Journée universitaire")
    upcoming = universities.count()
    page.get_by_role("link", name="Voir les événements passés").click()
    assert upcoming + universities.count() == 6
