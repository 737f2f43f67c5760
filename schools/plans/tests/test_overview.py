"""The overview of every school's plan (PANE, HR, management), its filters and exports, and query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentorat import factories as f
from schools.models import Order
from schools.plans import services
from schools.plans.models import StepStatus
from schools.plans.tests.factories import DeploymentPlanFactory, PlanStepFactory
from schools.plans.views.overview import OVERVIEW_PER_PAGE


def rows_of(response) -> dict[str, object]:
    return {row.school.code: row for row in response.context["rows"]}


def test_overview_counts_steps_per_cycle_step_and_status(client, pane, director_a, plan_a, school_b, year):
    step = plan_a.steps.first()
    services.step_update(
        step=step, data={"status": StepStatus.DONE, "cycle_step": "2"}, expected_version=1, by=director_a
    )
    client.force_login(pane)
    response = client.get(reverse("plans:overview"))
    rows = rows_of(response)
    a, b = rows["A001"], rows["B001"]
    assert a.plan == plan_a and b.plan is None
    assert a.cycle_counts == [1, 1, 0, 0, 0] and a.status_counts == [1, 0, 1] and a.total == 2
    assert a.changed_by == director_a.person.full_name
    page = response.content.decode()
    assert "Aucun plan" in page and director_a.person.full_name in page


def test_overview_filters_by_order_and_status(client, hr, plan_a, school_b, year):
    client.force_login(hr)
    assert set(rows_of(client.get(reverse("plans:overview"), {"ordre": Order.SECONDARY}))) == {"B001"}
    assert set(rows_of(client.get(reverse("plans:overview"), {"statut": "sans_plan"}))) == {"B001"}
    assert set(rows_of(client.get(reverse("plans:overview"), {"statut": "avec_plan"}))) == {"A001"}
    assert set(rows_of(client.get(reverse("plans:overview"), {"statut": "a_venir"}))) == {"A001"}
    assert set(rows_of(client.get(reverse("plans:overview"), {"statut": "realise"}))) == set()
    # An unknown filter value is ignored, never a 500.
    assert client.get(reverse("plans:overview"), {"statut": "nimporte"}).status_code == 200


def test_overview_year_selector(client, management, plan_a, school_a):
    last_year = f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")
    client.force_login(management)
    response = client.get(reverse("plans:overview"), {"annee": last_year.pk})
    assert rows_of(response)["A001"].plan is None
    assert f'<option value="{last_year.pk}" selected>' in response.content.decode()


def test_csv_export_is_spreadsheet_safe(client, pane, year, director_a, plan_a):
    f.SchoolFactory(code="X9", name='=HYPERLINK("http://evil")', order=Order.PRIMARY)
    client.force_login(pane)
    response = client.get(reverse("plans:overview"), {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="plans-de-deploiement-2026-2027.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["École", "Code", "Ordre", "Plan", "Étapes"]
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["A001"][3] == "Oui" and by_code["A001"][4] == "2"
    assert by_code["X9"][0].startswith("'=")


def test_xlsx_export_keeps_numbers_as_numbers(client, management, plan_a, year):
    client.force_login(management)
    response = client.get(reverse("plans:overview"), {"format": "xlsx", "ordre": Order.PRIMARY})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[4] == "Étapes" and "Réalisé" in header
    row = [cell.value for cell in sheet[2]]
    assert row[1] == "A001" and row[4] == 2 and isinstance(row[5], int)


@pytest.mark.parametrize("schools", [2, 60])
def test_overview_query_count_is_flat(client, pane, year, schools, django_assert_max_num_queries):
    for _ in range(schools):
        plan = DeploymentPlanFactory(school=f.SchoolFactory(), year=year, changed_by=pane)
        PlanStepFactory.create_batch(3, plan=plan)
    client.force_login(pane)
    # session, user, person, current year, memberships; the schools the filters keep (count), those with a
    # plan (count), the page's schools, their plans (joined with who changed them and their staff record),
    # their step counts grouped by school × cycle step × status; years of the selector, the school filter's
    # first 31 schools (a <select> up to 30, else a search box).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:overview"))
    assert len(response.context["rows"]) == min(schools, OVERVIEW_PER_PAGE)
    with django_assert_max_num_queries(8):
        client.get(reverse("plans:overview"), {"format": "csv"})


def test_overview_pages_keep_the_filters_and_count_every_school(client, hr, year):
    schools = [f.SchoolFactory(order=Order.PRIMARY) for _ in range(OVERVIEW_PER_PAGE + 5)]
    f.SchoolFactory(order=Order.SECONDARY)
    for school in schools[:3]:
        DeploymentPlanFactory(school=school, year=year)
    client.force_login(hr)
    response = client.get(reverse("plans:overview"), {"ordre": Order.PRIMARY})
    page = response.content.decode()
    assert len(response.context["rows"]) == OVERVIEW_PER_PAGE
    assert "3 plans sur 55 écoles retenues" in page
    assert '<nav aria-label="Pages du tableau des plans">' in page and 'aria-current="page"' in page
    assert "?ordre=primaire&page=2" in page
    second = client.get(reverse("plans:overview"), {"ordre": Order.PRIMARY, "page": 2})
    assert len(second.context["rows"]) == 5
    assert not set(rows_of(second)) & set(rows_of(response))
    # A page past the end or not a number shows a page, never a 500.
    assert client.get(reverse("plans:overview"), {"page": "99"}).status_code == 200
    assert client.get(reverse("plans:overview"), {"page": "x"}).status_code == 200
    # The export holds every school the filters keep, whatever the page.
    export = client.get(reverse("plans:overview"), {"ordre": Order.PRIMARY, "page": 2, "format": "csv"})
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 1 + OVERVIEW_PER_PAGE + 5


@pytest.mark.parametrize("steps", [2, 40])
def test_plan_page_query_count_is_flat(client, director_a, year, school_a, steps, django_assert_max_num_queries):
    plan = DeploymentPlanFactory(school=school_a, year=year)
    for step in PlanStepFactory.create_batch(steps, plan=plan):
        step.people_persons.add(director_a.person)
    client.force_login(director_a)
    # session, user, person, current year, memberships; the plan; the steps and 5 prefetches (responsible
    # actors, actors involved, people involved, documents, comments with authors); when the director last
    # read the comments, the unread ones; years of the selector.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk}))
    assert len(response.context["steps"]) == steps
