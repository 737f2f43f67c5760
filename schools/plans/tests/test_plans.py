"""A school's plan: starting it (empty, from the seed's templates, from last year), editing steps in place, history, conflicts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorat import factories as f
from roles.models import Actor
from schools.plans import services
from schools.plans.models import DeploymentPlan, PlanChange, PlanSource, PlanStep, PlanTemplate, StepStatus
from schools.plans.tests.factories import DeploymentPlanFactory, LinkDocumentFactory, PlanStepFactory

PRIMARY = "Exemple d’un plan de déploiement d’une école primaire"
SECONDARY = "Exemple d’un plan de déploiement d’une école secondaire"


def step_data(step=None, **changes) -> dict:
    """The edit form's POST data for a step (as the page would send it), with changes."""
    data = {
        "title": step.title if step else "Nouvelle étape",
        "intentions": "\n".join(step.intentions) if step else "",
        "responsible_other": step.responsible_other if step else "",
        "people_other": step.people_other if step else "",
        "when_on": step.when_on.isoformat() if step and step.when_on else "",
        "when_text": step.when_text if step else "",
        "comments": step.comments if step else "",
        "cycle_step": step.cycle_step if step else "1",
        "category": step.category if step else "",
        "status": step.status if step else "a_venir",
    }
    if step:
        data["version"] = step.version
    data.update(changes)
    return data


# --- Templates and starting a plan ---


def test_the_seed_examples_ship_as_templates(db):
    primary = PlanTemplate.objects.get(name=PRIMARY)
    secondary = PlanTemplate.objects.get(name=SECONDARY)
    assert primary.steps.count() == 9 and secondary.steps.count() == 6
    first = primary.steps.order_by("position").first()
    assert first.title.startswith("Rencontre de mentorat avec les directions et les mentores")
    assert first.when_text == "2 ou 3 novembre 2022"
    assert first.cycle_step == "regulation" and first.category == "structure"
    assert "Chercheures Université de Sherbrooke" in first.people
    assert (
        secondary.steps.get(position=5).intentions[0].endswith("Il faut s’assurer de laisser des traces de nos suivis.")
    )
    assert "Aide-mémoire" in primary.notes


def test_director_starts_from_the_primary_template(client, director_a, school_a, year):
    client.force_login(director_a)
    template = PlanTemplate.objects.get(name=PRIMARY)
    response = client.post(
        reverse("plans:plan_create", kwargs={"school_pk": school_a.pk}),
        {"source": "modele", "template": template.pk, "annee": year.pk},
    )
    plan = DeploymentPlan.objects.get(school=school_a, year=year)
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_detail", kwargs={"pk": plan.pk})
    steps = list(plan.steps.order_by("position"))
    assert [s.title for s in steps] == list(template.steps.order_by("position").values_list("title", flat=True))
    assert all(s.status == StepStatus.UPCOMING for s in steps)
    # « Direction » and « Mentores » are the referential's actors; « PANE » stays as written.
    first = steps[0]
    assert first.responsible_other == "PANE" and not first.responsible_actors.exists()
    assert set(first.people_actors.values_list("name", flat=True)) == {"La direction d’école", "La personne mentore"}
    assert "Chercheures Université de Sherbrooke" in first.people_other
    assert steps[1].responsible_actors.get().name == "La direction d’école"
    assert plan.notes == template.notes
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert "Rencontre de mentorat avec les directions" in page


def test_a_new_plan_can_start_empty(client, director_a, school_a, year):
    client.force_login(director_a)
    client.post(reverse("plans:plan_create", kwargs={"school_pk": school_a.pk}), {"source": "vide", "annee": year.pk})
    plan = DeploymentPlan.objects.get(school=school_a, year=year)
    assert plan.source == PlanSource.EMPTY and not plan.steps.exists()


def test_copy_of_last_year_resets_statuses_and_moves_dates(director_a, school_a, year):
    last_year = f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")
    previous = DeploymentPlanFactory(school=school_a, year=last_year, notes="Notes de l'an dernier")
    old = PlanStepFactory(
        plan=previous,
        status=StepStatus.DONE,
        when_on=datetime.date(2025, 11, 3),
        when_text="Décembre 2025 (et plus)",
        responsible_other="PANE",
    )
    old.responsible_actors.set([Actor.objects.get(name="La direction d’école")])
    LinkDocumentFactory(step=old)
    plan = services.plan_create(school=school_a, year=year, by=director_a, source=PlanSource.COPY)
    step = plan.steps.get()
    assert step.status == StepStatus.UPCOMING
    assert step.when_on == datetime.date(2026, 11, 3)
    assert step.when_text == "Décembre 2026 (et plus)"
    assert step.title == old.title and step.responsible_other == "PANE"
    assert step.responsible_actors.get().name == "La direction d’école"
    assert step.documents.get().url == "https://example.org/aide-memoire"
    assert plan.notes == "Notes de l'an dernier"
    # Last year's plan is untouched.
    old.refresh_from_db()
    assert old.status == StepStatus.DONE


def test_copy_is_refused_without_last_years_plan(client, director_a, school_a, year):
    with pytest.raises(services.PlanError, match="pas de plan l'année précédente"):
        services.plan_create(school=school_a, year=year, by=director_a, source=PlanSource.COPY)
    client.force_login(director_a)
    page = client.get(reverse("plans:school_plan", kwargs={"school_pk": school_a.pk})).content.decode()
    assert 'value="copie"' not in page and 'value="modele"' in page


def test_a_school_has_one_plan_per_year(client, director_a, plan_a, school_a, year):
    client.force_login(director_a)
    response = client.post(
        reverse("plans:plan_create", kwargs={"school_pk": school_a.pk}), {"source": "vide", "annee": year.pk}
    )
    assert response.status_code == 200
    assert "Cette école a déjà un plan pour l&#x27;année 2026-2027." in response.content.decode()
    assert DeploymentPlan.objects.filter(school=school_a).count() == 1


def test_school_page_without_plan_tells_readers_and_offers_start_to_director(client, director_a, pane, school_a, year):
    client.force_login(pane)
    page = client.get(reverse("plans:school_plan", kwargs={"school_pk": school_a.pk})).content.decode()
    assert "pas encore de plan de déploiement" in page and "Créer le plan" not in page
    client.force_login(director_a)
    page = client.get(reverse("plans:school_plan", kwargs={"school_pk": school_a.pk})).content.decode()
    assert "Créer le plan" in page and 'name="annee"' in page


def test_year_selector_opens_last_years_plan(client, director_a, school_a, plan_a):
    last_year = f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")
    old = DeploymentPlanFactory(school=school_a, year=last_year)
    client.force_login(director_a)
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": plan_a.pk})).content.decode()
    assert f'<option value="{last_year.pk}"' in page
    response = client.get(reverse("plans:school_plan", kwargs={"school_pk": school_a.pk}), {"annee": last_year.pk})
    assert response["Location"] == reverse("plans:plan_detail", kwargs={"pk": old.pk})


# --- The plan page ---


def test_plan_shows_where_the_school_stands_in_the_cycle(client, pane, plan_a):
    PlanStepFactory(plan=plan_a, cycle_step="1", status=StepStatus.DONE)
    PlanStepFactory(plan=plan_a, cycle_step="regulation", status=StepStatus.ONGOING)
    client.force_login(pane)
    response = client.get(reverse("plans:plan_detail", kwargs={"pk": plan_a.pk}))
    summary = {row["value"]: {v: n for _, n, v in row["statuses"]} for row in response.context["summary"]}
    # plan_a has two « à venir » steps of cycle step 1.
    assert summary["1"] == {"a_venir": 2, "en_cours": 0, "realise": 1}
    assert summary["regulation"] == {"a_venir": 0, "en_cours": 1, "realise": 0}
    assert 'data-testid="cycle-summary"' in response.content.decode()


def test_plan_page_loads_htmx_and_other_pages_do_not(client, director_a, plan_a):
    client.force_login(director_a)
    assert (
        "vendor/htmx/htmx.min.js" in client.get(reverse("plans:plan_detail", kwargs={"pk": plan_a.pk})).content.decode()
    )
    assert "vendor/htmx/htmx.min.js" not in client.get(reverse("home")).content.decode()


def test_print_view_has_the_seed_columns_and_no_navigation(client, management, plan_a):
    client.force_login(management)
    page = client.get(reverse("plans:plan_print", kwargs={"pk": plan_a.pk})).content.decode()
    for column in (
        "Étapes détaillées de mise en œuvre",
        "Intentions",
        "Responsable",
        "Personnes impliquées",
        "Quand",
        "Commentaires",
    ):
        assert f">{column}</th>" in page
    assert "plans/print.css" in page and 'id="main-nav"' not in page
    assert "Rencontrer le CPE" in page


def test_print_stylesheet_is_letter_landscape():
    from django.contrib.staticfiles import finders

    css = open(finders.find("plans/print.css"), encoding="utf-8").read()
    assert "@page { size: letter landscape;" in css


# --- Editing steps ---


def test_director_edits_a_step_without_javascript_and_history_keeps_the_change(client, director_a, step_a):
    client.force_login(director_a)
    url = reverse("plans:step_edit", kwargs={"pk": step_a.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, step_data(step_a, title="Rencontrer le CPE en septembre", intentions="Présenter les données\nPrioriser")
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#step-{step_a.pk}")
    step_a.refresh_from_db()
    assert step_a.title == "Rencontrer le CPE en septembre"
    assert step_a.intentions == ["Présenter les données", "Prioriser"]
    assert step_a.version == 2
    change = PlanChange.objects.get(step=step_a, field="title")
    assert (change.old_value, change.new_value, change.by) == (
        "Rencontrer le CPE",
        "Rencontrer le CPE en septembre",
        director_a,
    )
    assert PlanChange.objects.get(step=step_a, field="intentions").new_value == "Présenter les données\nPrioriser"
    page = client.get(reverse("plans:plan_history", kwargs={"pk": step_a.plan_id})).content.decode()
    assert "Rencontrer le CPE en septembre" in page and director_a.person.full_name in page


def test_htmx_edit_swaps_the_step_in_place(client, director_a, step_a):
    client.force_login(director_a)
    url = reverse("plans:step_edit", kwargs={"pk": step_a.pk})
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<html" not in form.content.decode()
    assert f'hx-post="{url}"' in form.content.decode()
    response = client.post(url, step_data(step_a, comments="À faire avant la rentrée"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#plan-steps" and response["HX-Reswap"] == "outerHTML"
    body = response.content.decode()
    assert "À faire avant la rentrée" in body and 'id="plan-steps"' in body
    assert f'id="edit-{step_a.pk}"' in body and "autofocus" in body  # focus goes back to the step's « Modifier »
    assert "L&#x27;étape est enregistrée." in body  # announced in the live region


def test_people_involved_are_the_referentials_actors_and_the_schools_staff(
    client, director_a, step_a, school_a, school_b, year
):
    mine = f.StaffAssignmentFactory(school=school_a, year=year).person
    other = f.StaffAssignmentFactory(school=school_b, year=year).person
    mentor_actor = Actor.objects.get(name="La personne mentore")
    client.force_login(director_a)
    url = reverse("plans:step_edit", kwargs={"pk": step_a.pk})
    page = client.get(url).content.decode()
    assert mine.full_name in page and other.full_name not in page and "La personne mentore" in page
    client.post(url, step_data(step_a, people_actors=[mentor_actor.pk], people_persons=[mine.pk]))
    assert list(step_a.people_persons.all()) == [mine]
    assert list(step_a.people_actors.all()) == [mentor_actor]
    change = PlanChange.objects.get(step=step_a, field="people_persons")
    assert change.new_value == mine.full_name
    # Another school's person is refused at the field.
    response = client.post(url, step_data(step_a, version=2, people_persons=[other.pk]))
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert list(step_a.people_persons.all()) == [mine]


def test_an_empty_step_is_refused_with_a_french_message(client, director_a, plan_a):
    client.force_login(director_a)
    response = client.post(reverse("plans:step_add", kwargs={"pk": plan_a.pk}), step_data(title="  "))
    assert response.status_code == 200
    assert (
        "Ce champ est obligatoire." in response.content.decode()
        or "Décrivez l&#x27;étape." in response.content.decode()
    )
    assert 'aria-invalid="true"' in response.content.decode()
    assert plan_a.steps.count() == 2


def test_director_adds_a_step_at_the_end(client, director_a, plan_a):
    client.force_login(director_a)
    response = client.post(
        reverse("plans:step_add", kwargs={"pk": plan_a.pk}),
        step_data(title="Mesurer l'impact", cycle_step="regulation", when_on="2027-05-15"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Mesurer l&#x27;impact" in response.content.decode()
    step = plan_a.steps.get(title="Mesurer l'impact")
    assert step.position == 3 and step.when_on == datetime.date(2027, 5, 15)
    assert PlanChange.objects.filter(step=step, action="created", field="title").exists()
    plan_a.refresh_from_db()
    assert plan_a.changed_by == director_a


def test_reordering_swaps_two_steps(client, director_a, plan_a):
    first, second = plan_a.steps.order_by("position")
    client.force_login(director_a)
    response = client.post(
        reverse("plans:step_move", kwargs={"pk": first.pk}), {"direction": "down"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert list(plan_a.steps.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    body = response.content.decode()
    assert body.index(f'id="step-{second.pk}"') < body.index(f'id="step-{first.pk}"')
    assert f'id="move-down-{first.pk}" autofocus' in body
    # At the bottom already: nothing moves.
    client.post(reverse("plans:step_move", kwargs={"pk": first.pk}), {"direction": "down"})
    assert list(plan_a.steps.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert PlanChange.objects.filter(step=first, action="moved").count() == 1


def test_status_buttons_mark_a_step_done(client, director_a, step_a):
    client.force_login(director_a)
    response = client.post(reverse("plans:step_status", kwargs={"pk": step_a.pk}), {"status": "realise", "version": 1})
    assert response.status_code == 302
    step_a.refresh_from_db()
    assert step_a.status == StepStatus.DONE
    change = PlanChange.objects.get(step=step_a, field="status")
    assert (change.old_value, change.new_value) == ("À venir", "Réalisé")


def test_status_change_from_a_stale_page_changes_nothing(client, director_a, step_a):
    services.step_update(step=step_a, data={"title": "Autre titre"}, expected_version=1, by=director_a)
    client.force_login(director_a)
    response = client.post(
        reverse("plans:step_status", kwargs={"pk": step_a.pk}),
        {"status": "realise", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Autre titre" in response.content.decode()
    step_a.refresh_from_db()
    assert step_a.status == StepStatus.UPCOMING


def test_deleting_a_step_keeps_it_in_the_history(client, director_a, plan_a):
    first, second = plan_a.steps.order_by("position")
    client.force_login(director_a)
    client.post(reverse("plans:step_delete", kwargs={"pk": first.pk}))
    assert list(plan_a.steps.all()) == [second]
    second.refresh_from_db()
    assert second.position == 1
    deleted = PlanChange.objects.get(plan=plan_a, action="deleted", field="title")
    assert deleted.old_value == "Rencontrer le CPE" and deleted.by == director_a


# --- Two people editing the same step ---


def test_second_editor_is_told_sees_the_other_version_and_loses_nothing(client, director_a, school_a, year, step_a):
    other_director = f.person_with_account("adjointe@example.org", first_name="Annie", last_name="Adjointe")
    f.give_role(other_director, "director", school=school_a, year=year)
    # Both open the form at version 1; the other director saves first.
    services.step_update(step=step_a, data={"title": "Titre de l'adjointe"}, expected_version=1, by=other_director.user)
    client.force_login(director_a)
    typed = step_data(step_a, title="Mon titre à moi", comments="Mon long commentaire tapé", version=1)
    response = client.post(reverse("plans:step_edit", kwargs={"pk": step_a.pk}), typed, headers={"HX-Request": "true"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "modifiée par une autre personne" in body
    assert "Annie Adjointe" in body  # who saved the other version
    assert "Titre de l&#x27;adjointe" in body  # their version, side by side…
    assert (
        "Mon titre à moi" in body and "Mon long commentaire tapé" in body
    )  # …with what this user typed, still in the form
    assert 'name="version" value="2"' in body  # saving again is a deliberate choice over the new version
    step_a.refresh_from_db()
    assert step_a.title == "Titre de l'adjointe" and step_a.comments == ""
    # Saving again from the re-displayed form works.
    typed["version"] = 2
    client.post(reverse("plans:step_edit", kwargs={"pk": step_a.pk}), typed)
    step_a.refresh_from_db()
    assert step_a.title == "Mon titre à moi" and step_a.version == 3


def test_conflict_without_javascript_shows_the_full_page(client, director_a, step_a):
    services.step_update(step=step_a, data={"title": "Déjà changé"}, expected_version=1, by=director_a)
    client.force_login(director_a)
    response = client.post(
        reverse("plans:step_edit", kwargs={"pk": step_a.pk}), step_data(step_a, title="Le mien", version=1)
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "<html" in body and "Déjà changé" in body and "Le mien" in body


def test_step_versions_count_every_save(director_a, step_a):
    services.step_update(step=step_a, data={"title": "A"}, expected_version=1, by=director_a)
    with pytest.raises(services.StepConflict):
        services.step_update(step=step_a, data={"title": "B"}, expected_version=1, by=director_a)
    assert PlanStep.objects.get(pk=step_a.pk).title == "A"


def test_a_step_naming_a_40_digit_actor_or_person_is_refused_at_the_field(client, director_a, plan_a):
    """Django sent every posted id to `pk__in`: on SQLite a 40-digit one was an OverflowError (500)."""
    client.force_login(director_a)
    url = reverse("plans:step_add", kwargs={"pk": plan_a.pk})
    for field in ("responsible_actors", "people_actors", "people_persons"):
        response = client.post(url, step_data(title="Étape", **{field: ["9" * 40]}))
        assert response.status_code == 200
        assert "n’est pas une valeur correcte" in response.content.decode()
        assert plan_a.steps.count() == 2
