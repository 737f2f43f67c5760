"""The accompaniment calendar in the browser: a mentor's days and answer, the trainer's days, attendance on a phone.

A published cohort with its six cohort days and six university days (invitations
sent through the real hooks). Today is frozen at 24 November 2026 (Toronto).
"""

from __future__ import annotations

import datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from mentorat import factories as f
from mentors.accompaniment import notify
from mentors.models import CohortMember, EventInvitation, EventKind, Rsvp
from mentors.tests.factories import MentorAssignmentFactory
from mentors.tests.factories_calendar import EventFactory
from roles.models import Role
from schools.models import Order

PASSWORD = "motdepasse-test"
PANE = "paule.pane@example.org"
TRAINER = "francine.formatrice@example.org"
MENTOR = "marc.mentor@example.org"
COHORT_DAYS = [
    datetime.date(2026, 11, 26),
    datetime.date(2026, 12, 15),
    datetime.date(2027, 1, 19),
    datetime.date(2027, 2, 16),
    datetime.date(2027, 3, 23),
    datetime.date(2027, 4, 20),
]


@pytest.fixture
def cohort(transactional_db):
    year = f.SchoolYearFactory()
    school = f.SchoolFactory(code="E201", name="École des Cèdres", order=Order.PRIMARY)
    pane = f.person_with_account(PANE, first_name="Paule", last_name="Bédard")
    f.give_role(pane, Role.PANE)
    trainer = f.person_with_account(TRAINER, first_name="Francine", last_name="Ouellet")
    f.give_role(trainer, Role.TRAINER)
    mentor = f.person_with_account(MENTOR, first_name="Marc", last_name="Pelletier")
    f.give_role(mentor, Role.MENTOR, school=school, year=year)
    MentorAssignmentFactory(person=mentor, year=year, school=school)
    cohort = f.CohortFactory(year=year, name="Cohorte des Cèdres", panes=[pane], trainers=[trainer])
    CohortMember.objects.create(cohort=cohort, person=mentor, year=year)
    events = []
    for number, day in enumerate(COHORT_DAYS, start=1):
        events.append(EventFactory(year=year, cohort=cohort, kind=EventKind.COHORT_DAY, number=number, date=day))
        events.append(
            EventFactory(
                year=year,
                cohort=cohort,
                kind=EventKind.UNIVERSITY_DAY,
                number=number,
                date=day - datetime.timedelta(days=1),
                place="Université de Sherbrooke, campus de Longueuil",
            )
        )
    notify.events_published(events)
    return {"cohort": cohort, "mentor": mentor, "first_day": events[0]}


def _calendar_menu(page, item: str) -> None:
    nav = page.locator("#main-nav")
    nav.get_by_role("button", name="Calendrier").click()
    nav.locator(".dropdown-menu").get_by_role("link", name=item, exact=True).click()


def _sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def test_mentor_sees_and_answers_trainer_sees_her_days_pane_records_attendance(page, sign_in, cohort, mailoutbox):
    first_day = cohort["first_day"]
    # The invitations left with their .ics when the days were published.
    assert any(MENTOR in m.to for m in mailoutbox)

    # 1. The mentor: the six cohort days in the list, then month by month.
    sign_in(MENTOR, PASSWORD)
    _calendar_menu(page, "Mon calendrier")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon calendrier")
    page.get_by_role("link", name="Liste", exact=True).click()
    items = page.get_by_test_id("event-list").locator("li")
    expect(items.filter(has_text="Journée de cohorte")).to_have_count(6)
    expect(items.filter(has_text="Journée universitaire")).to_have_count(0)  # the trainers' and PANE's days
    page.get_by_role("link", name="Mois", exact=True).click()
    seen = 0
    for _month in range(6):  # November → April
        grid = page.get_by_test_id("month-grid")
        seen += grid.get_by_role("link", name="Journée de cohorte").count()
        page.get_by_role("link", name="Mois suivant").click()
    assert seen == 6

    # 2. Day 1: download the .ics, answer « présent ».
    page.goto(f"/mentorat/calendrier/evenements/{first_day.pk}/")
    expect(page.get_by_test_id("event-when")).to_contain_text("jeudi 26 novembre 2026, de 8 h 30 à 16 h")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (.ics)").click()
    vevent = Calendar.from_ical(open(download.value.path(), "rb").read()).walk("VEVENT")[0]
    assert str(vevent["UID"]).startswith(str(first_day.uid))
    page.get_by_role("button", name="Je serai présent(e)").click()
    expect(page.get_by_test_id("my-answer")).to_have_text("Vous serez présent(e).")
    assert EventInvitation.objects.get(event=first_day, person=cohort["mentor"]).rsvp == Rsvp.PRESENT
    _sign_out(page)

    # 3. The trainer: her days on the home page, the university days in her calendar.
    sign_in(TRAINER, PASSWORD)
    home_days = page.locator('[data-section="events"]')
    expect(home_days.get_by_role("heading")).to_have_text("Vos journées d'accompagnement à venir")
    expect(home_days.locator("li").filter(has_text="Journée universitaire")).to_have_count(6)
    _calendar_menu(page, "Mon calendrier")
    page.get_by_role("link", name="Liste", exact=True).click()
    expect(page.get_by_test_id("event-list").locator("li").filter(has_text="Journée universitaire")).to_have_count(6)
    _sign_out(page)

    # 4. The PANE, on a phone, ticks the mentor with the keyboard and saves.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(PANE, PASSWORD)
    page.goto(f"/mentorat/calendrier/evenements/{first_day.pk}/")
    expect(page.get_by_test_id("answer-counts")).to_contain_text("1 personne présente")
    page.get_by_role("link", name="Noter les présences").click()
    box = page.get_by_label("Marc Pelletier")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_role("alert")).to_contain_text("1 présence modifiée.")
    expect(page.get_by_label("Marc Pelletier")).to_be_checked()
    assert EventInvitation.objects.get(event=first_day, person=cohort["mentor"]).attended is True
