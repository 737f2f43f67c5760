"""A deployment plan in the browser (issue 8): the director and the PANE, one after the other.

The director starts the plan from the primary template, edits a step in place (htmx,
no page reload), reorders two steps, marks one réalisé and opens the print view; a
PANE sees the change in the overview and comments; the director sees the comment.
Today is frozen at 24 November 2026 10:00 (Toronto) for the test and the live server.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mentorat import factories as f
from roles.models import Role
from schools.models import Order
from schools.plans.models import DeploymentPlan, StepStatus

PASSWORD = "motdepasse-test"
DIRECTOR = "direction.bouleaux@example.org"
PANE = "pane.plans@example.org"


def _reload_migrated_data() -> None:
    """The seed's templates and referential come from data migrations; an earlier browser test may have flushed them."""
    import importlib

    from django.apps import apps

    from roles.models import Actor
    from schools.plans.models import PlanTemplate

    if not Actor.objects.exists():
        importlib.import_module("roles.migrations.0003_referential").load_referential(apps, None)
    if not PlanTemplate.objects.exists():
        importlib.import_module("schools.plans.migrations.0002_seed_templates").load_templates(apps, None)


@pytest.fixture
def centre(transactional_db):
    _reload_migrated_data()
    year = f.SchoolYearFactory()
    school = f.SchoolFactory(code="E101", name="École des Bouleaux", order=Order.PRIMARY)
    director = f.person_with_account(DIRECTOR, first_name="Denis", last_name="Lavoie")
    f.give_role(director, Role.DIRECTOR, school=school, year=year)
    f.StaffAssignmentFactory(person=director, school=school, year=year, job_title="Direction")
    pane = f.person_with_account(PANE, first_name="Marie-Ève", last_name="Tremblay")
    f.give_role(pane, Role.PANE)
    return {"year": year, "school": school}


def _sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    expect(page.locator("#main-nav").get_by_role("link", name="Accueil")).to_have_count(0)


def _steps(page):
    return page.locator("#steps > li.step")


def test_director_plans_pane_comments_director_reads(page, sign_in, centre, mailoutbox):
    school = centre["school"]

    # 1. The director starts the plan from the primary template.
    sign_in(DIRECTOR, PASSWORD)
    page.locator("#main-nav").get_by_role("button", name="Plans", exact=True).click()
    page.locator("#main-nav").get_by_role("link", name="Plans de déploiement").click()
    expect(page.locator("h1")).to_contain_text("Plan de déploiement 2026-2027 — École des Bouleaux")
    page.get_by_label("À partir d'un modèle").check()
    expect(page.get_by_label("Modèle", exact=True)).to_have_value(str(_primary_template_pk()))
    page.get_by_role("button", name="Créer le plan").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Le plan 2026-2027 est créé.")
    expect(_steps(page)).to_have_count(9)
    first_title = _steps(page).nth(0).locator(".step-title")
    expect(first_title).to_contain_text("Rencontre de mentorat avec les directions")
    plan_url = page.url
    page.evaluate("window.__sameDocument = true")  # gone if anything below reloads the page

    # 2. Edits the first step in place, with the keyboard for the last part.
    page.get_by_role("link", name="Modifier l'étape 1").click()
    form = page.locator("#steps > li.step-form")
    expect(form).to_be_visible()
    form.get_by_label("Étape détaillée de mise en œuvre").fill("Rencontre de mentorat de novembre avec les mentores")
    form.get_by_label("… ou une période").fill("3 novembre 2026")
    form.get_by_label("… ou une période").press("Tab")
    form.get_by_role("button", name="Enregistrer").click()
    expect(first_title).to_contain_text("Rencontre de mentorat de novembre avec les mentores")
    expect(page.locator("#steps > li.step-form")).to_have_count(0)
    expect(page.get_by_role("link", name="Modifier l'étape 1")).to_be_focused()
    expect(page.locator("#plan-live")).to_have_text("L'étape est enregistrée.")
    assert page.evaluate("window.__sameDocument") is True and page.url == plan_url

    # 3. Reorders the first two steps.
    second_title = _steps(page).nth(1).locator(".step-title").inner_text().split("·", 1)[1].strip()
    _steps(page).nth(0).get_by_role("button", name="Descendre").click()
    expect(_steps(page).nth(0).locator(".step-title")).to_contain_text(second_title[:40])
    expect(_steps(page).nth(1).locator(".step-title")).to_contain_text("Rencontre de mentorat de novembre")
    expect(page.locator("#plan-live")).to_have_text("L'étape est déplacée.")

    # 4. Marks the edited step (now second) réalisé; the cycle summary follows.
    edited = _steps(page).nth(1)
    edited.get_by_role("button", name="Réalisé").click()
    edited = page.locator("#steps > li.step", has_text="Rencontre de mentorat de novembre")
    expect(edited.get_by_test_id("step-status")).to_have_text("Statut : Réalisé")
    expect(edited.get_by_role("button", name="Réalisé")).to_have_attribute("aria-pressed", "true")
    expect(
        page.locator('[data-testid=cycle-summary] tr[data-cycle="regulation"] td[data-status="realise"]')
    ).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True
    plan = DeploymentPlan.objects.get(school=school)
    assert plan.steps.get(status=StepStatus.DONE).position == 2

    # 5. Opens the print view: the seed's columns, no navigation, letter landscape.
    page.get_by_role("link", name="Version à imprimer").click()
    expect(page.locator("h1")).to_contain_text("Plan de déploiement 2026-2027 — École des Bouleaux")
    expect(page.locator("thead th")).to_have_text(
        [
            "Étapes détaillées de mise en œuvre",
            "Intentions",
            "Responsable",
            "Personnes impliquées",
            "Quand",
            "Commentaires",
        ]
    )
    expect(page.locator("#main-nav")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.locator(".no-print")).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Retour au plan").click()
    _sign_out(page)

    # 6. The PANE sees the change in the overview and comments on the step.
    sign_in(PANE, PASSWORD)
    page.locator("#main-nav").get_by_role("link", name="Plans de déploiement").click()
    row = page.locator(f"tr[data-school={school.code}]")
    expect(row).to_contain_text("9 étapes")
    expect(row).to_contain_text("Denis Lavoie")
    done_column = row.locator("td.num").nth(7)  # 5 cycle steps, then à venir, en cours, réalisé
    expect(done_column).to_have_text("1")
    row.get_by_role("link", name="École des Bouleaux").click()
    step = page.locator("#steps > li.step", has_text="Rencontre de mentorat de novembre")
    expect(step.get_by_role("link", name="Modifier l'étape 2")).to_have_count(0)  # readers do not edit
    step.get_by_label("Commenter l'étape 2").fill("Bravo ! Pensez à inviter la chercheure à la prochaine rencontre.")
    step.get_by_role("button", name="Publier").click()
    step = page.locator("#steps > li.step", has_text="Rencontre de mentorat de novembre")
    expect(step.get_by_test_id("comment")).to_contain_text("Pensez à inviter la chercheure")
    _sign_out(page)
    assert [m.to for m in mailoutbox] == [[DIRECTOR]]

    # 7. The director sees the unread comment on the home page and on the plan.
    sign_in(DIRECTOR, PASSWORD)
    expect(page.get_by_test_id("home-unread")).to_have_text("1 commentaire non lu")
    page.get_by_role("link", name="Plan de déploiement", exact=True).click()
    unread = page.get_by_test_id("unread-comments")
    expect(unread).to_contain_text("Pensez à inviter la chercheure")
    expect(unread).to_contain_text("Marie-Ève Tremblay")
    page.get_by_role("button", name="Marquer comme lus").click()
    expect(page.get_by_test_id("unread-comments")).to_have_count(0)


def _primary_template_pk() -> int:
    from schools.plans.models import PlanTemplate

    return PlanTemplate.objects.get(name__contains="école primaire").pk
