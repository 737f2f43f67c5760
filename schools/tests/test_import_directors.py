"""The directors' import (school code → person): preview, all-or-nothing, French line errors, template."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorat import factories as f
from roles.access import Access
from roles.models import Membership, Role
from schools import imports
from schools.models import SchoolYear
from schools.tests.test_imports import csv_bytes, xlsx_bytes

HEADER = ["ecole", "matricule", "courriel", "date_debut"]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def next_year(db):
    following = SchoolYear.with_seed_milestones(2027)
    following.save()
    return following


def _upload(client, content: bytes, year, name="directions.csv"):
    data = {"kind": imports.ImportKind.DIRECTORS, "year": year.pk, "file": SimpleUploadedFile(name, content)}
    response = client.post(reverse("schools:import_start"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _confirm(client, preview_url):
    plan = client.get(preview_url).context["plan"]
    return client.post(preview_url, {"digest": plan.digest})


def test_a_new_director_replaces_the_old_one_who_loses_the_school(client, hr, director_a, year, school_a):
    newcomer = f.person_with_account("nouvelle@example.org", employee_number="700001")
    client.force_login(hr)
    preview = _upload(client, csv_bytes([["a001", "700001", "", ""]], header=HEADER), year)
    page = html.unescape(client.get(preview).content.decode())
    assert director_a.person.full_name + " quitte la direction de École des Érables le 24 novembre 2026" in page
    response = _confirm(client, preview)
    assert response.status_code == 302 and reverse("roles:membership_list") in response["Location"]
    assert Access(newcomer.user).can("school.view", school_a)
    assert not Access(director_a).can("school.view", school_a)
    ended = Membership.objects.get(person__user=director_a, role=Role.DIRECTOR)
    assert ended.ends_on == datetime.date(2026, 11, 24)


def test_next_years_directors_start_on_the_first_of_july_by_email(client, hr, director_a, next_year, school_a):
    newcomer = f.person_with_account("Nouvelle@Example.org")
    old = Membership.objects.create(
        person=director_a.person, role=Role.DIRECTOR, school=school_a, year=next_year, starts_on=next_year.starts_on
    )
    client.force_login(hr)
    preview = _upload(
        client, xlsx_bytes([["A001", "", "nouvelle@example.org", None]], header=HEADER), next_year, "d.xlsx"
    )
    _confirm(client, preview)
    created = Membership.objects.get(person=newcomer, year=next_year)
    assert created.starts_on == datetime.date(2027, 7, 1)
    assert not Membership.objects.filter(pk=old.pk).exists()  # it had not started: removed, not ended
    assert Access(director_a).can("school.view", school_a)  # this year is untouched


def test_a_director_listed_at_another_school_leaves_the_old_one(client, hr, director_a, year, school_a, school_b):
    client.force_login(hr)
    preview = _upload(client, csv_bytes([["B001", director_a.person.employee_number, "", ""]], header=HEADER), year)
    _confirm(client, preview)
    assert Access(director_a).directed_school_ids == {school_b.pk}


def test_bad_lines_are_refused_with_french_errors_and_nothing_is_saved(client, hr, director_a, year, school_a):
    f.PersonFactory(employee_number="700001", email="un@example.org")
    f.PersonFactory(employee_number="700002", email="deux@example.org")
    f.SchoolFactory(code="X001", is_active=False)
    rows = [
        ["A001", "700001", "", ""],  # valid: would replace director A
        ["Z999", "700001", "", ""],
        ["A001", "", "", ""],
        ["A001", "999999", "", ""],
        ["A001", "700001", "deux@example.org", ""],
        ["A001", "700002", "", "2026-13-01"],
        ["A001", "700002", "", "2030-01-01"],
        ["X001", "700002", "", ""],
    ]
    client.force_login(hr)
    preview = _upload(client, csv_bytes(rows, header=HEADER), year)
    response = client.get(preview)
    errors = [str(error) for error in response.context["plan"].errors]
    assert errors == [
        "ligne 3 : code d'école « Z999 » inconnu",
        "ligne 4 : matricule ou courriel manquant",
        "ligne 5 : matricule « 999999 » inconnu : importez d'abord le personnel",
        "ligne 6 : le matricule 700001 et le courriel « deux@example.org » désignent deux personnes différentes",
        "ligne 7 : date de début « 2026-13-01 » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu",
        "ligne 8 : date de début 2030-01-01 hors de l'année 2026-2027",
        "ligne 9 : l'école X001 est désactivée",
    ]
    assert 'data-testid="import-confirm"' not in response.content.decode()
    client.post(preview, {"digest": "anything"})
    assert list(Membership.objects.filter(role=Role.DIRECTOR).values_list("person__user", flat=True)) == [director_a.pk]
    assert Membership.objects.get(role=Role.DIRECTOR).ends_on is None


def test_a_file_without_person_columns_is_refused(client, hr, year):
    client.force_login(hr)
    preview = _upload(client, csv_bytes([["A001"]], header=["ecole"]), year)
    errors = [str(e) for e in client.get(preview).context["plan"].errors]
    assert errors == ["ligne 1 : colonnes obligatoires manquantes : matricule ou courriel"]


def test_the_same_director_twice_for_a_school_is_a_line_error(client, hr, year, school_a):
    f.PersonFactory(employee_number="700001")
    client.force_login(hr)
    preview = _upload(client, csv_bytes([["A001", "700001", "", ""], ["a001", "700001", "", ""]], header=HEADER), year)
    errors = [str(e) for e in client.get(preview).context["plan"].errors]
    assert len(errors) == 1 and errors[0].startswith("ligne 3 : ")


def test_the_template_documents_the_columns(client, hr):
    client.force_login(hr)
    response = client.get(reverse("schools:import_template", args=["directions"]))
    assert response["Content-Disposition"] == 'attachment; filename="modele-directions.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "ecole;matricule;courriel;date_debut"
    assert len(lines) == 3


def test_the_roles_page_opens_the_import_with_the_kind_and_year_chosen(client, hr, next_year):
    client.force_login(hr)
    page = client.get(f"{reverse('roles:membership_list')}?annee={next_year.pk}").content.decode()
    link = f"{reverse('schools:import_start')}?type=directions&amp;annee={next_year.pk}"
    assert link in page
    form = client.get(html.unescape(link)).context["form"]
    assert (form["kind"].value(), str(form["year"].value())) == ("directions", str(next_year.pk))
