"""HR's imports of staff and novices: parsing, line errors, preview, confirmation, access, purge."""

from __future__ import annotations

import csv
import datetime
import io
import os
import time
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access
from schools import imports
from schools.models import Entitlement, Person, StaffAssignment

FIXTURES = Path(__file__).parent / "fixtures"
STAFF_HEADER = ["matricule", "prenom", "nom", "courriel", "ecole", "batiment", "fonction", "pourcentage_tache"]


def staff_row(number, school="E001", share="100", first="Marie", last=None, email=None, building="", title=""):
    last = last or f"Nom{number}"
    email = email if email is not None else f"p{number}@exemple.qc.ca"
    return [number, first, last, email, school, building, title, share]


def csv_bytes(rows, header=STAFF_HEADER, delimiter=",", encoding="utf-8") -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return output.getvalue().encode(encoding)


def xlsx_bytes(rows, header=STAFF_HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def stored(token: str) -> Path:
    """Where the default (local) storage keeps an upload waiting for its confirmation."""
    return Path(default_storage.path(f"imports/{token}.json"))


@pytest.fixture
def schools(db):
    schools = {code: f.SchoolFactory(code=code, name=f"École {code}") for code in ("E001", "E002", "E003")}
    f.BuildingFactory(school=schools["E001"], code="PA", name="Pavillon A")
    return schools


def upload(client, content: bytes, name="personnel.csv", kind="personnel", year=None):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content)}
    if year is not None:
        data["year"] = year.pk
    return client.post(reverse("schools:import_start"), data)


def upload_token(client, content: bytes, **kwargs) -> str:
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def preview(client, token):
    return client.get(reverse("schools:import_preview", args=[token]))


def confirm(client, token, digest=None):
    if digest is None:
        digest = preview(client, token).context["plan"].digest
    return client.post(reverse("schools:import_preview", args=[token]), {"digest": digest})


@pytest.fixture
def hr_client(client, hr, year, schools):
    client.force_login(hr)
    return client


# Parsing.


def test_headers_match_without_case_accents_or_spaces():
    content = csv_bytes(
        [["1", "Émilie", "Côté", "e@x.ca", "E001", "", "", "50 %"]],
        header=[
            "  MATRICULE",
            "Prénom",
            "Nom de famille",
            "Adresse courriel",
            "Code d'école",
            "Bâtiment",
            "Titre d'emploi",
            "% tâche",
        ],
    )
    rows = imports.parse_file(io.BytesIO(content), "liste.CSV")
    assert rows.columns == STAFF_HEADER
    assert rows[0].line == 2
    assert rows[0].values["prenom"] == "Émilie"
    assert rows[0].values["pourcentage_tache"] == "50 %"


def test_it_reads_cp1252_with_semicolons(db, year, schools):
    content = csv_bytes([staff_row("1", first="Hélène", last="Bélanger")], delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    rows = imports.parse_file(io.BytesIO(content), "personnel.csv")
    assert rows[0].values["prenom"] == "Hélène"
    plan = imports.validate_staff(rows, year)
    assert plan.ok, plan.errors
    assert plan.people_to_create[0].last_name == "Bélanger"


def test_it_skips_blank_lines_but_keeps_spreadsheet_line_numbers():
    content = b"matricule\r\n1\r\n,\r\n\r\n2\r\n"
    rows = imports.parse_file(io.BytesIO(content), "x.csv")
    assert [(row.line, row.values["matricule"]) for row in rows] == [(2, "1"), (5, "2")]


def test_it_reads_xlsx_cells_as_values():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Matricule", "Date de début", "pourcentage_tache"])
    sheet.append([123456, datetime.datetime(2026, 8, 25), 0.5])
    sheet["C2"].number_format = "0%"
    output = io.BytesIO()
    workbook.save(output)
    rows = imports.parse_file(io.BytesIO(output.getvalue()), "liste.xlsx")
    assert rows[0].values == {
        "matricule": 123456,
        "date_debut": datetime.datetime(2026, 8, 25),
        "pourcentage_tache": 50,
    }


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("liste.xls", b"\xd0\xcf\x11\xe0", "utilisez un fichier .csv ou .xlsx"),
        ("liste.pdf", b"%PDF", "utilisez un fichier .csv ou .xlsx"),
        ("liste.xlsx", b"pas un classeur", "illisible"),
        ("liste.csv", b"matricule,matricule\n1,2\n", "deux fois"),
    ],
)
def test_it_rejects_unreadable_files(name, content, message):
    with pytest.raises(imports.FileRejected, match=message):
        imports.parse_file(io.BytesIO(content), name)


def test_it_rejects_files_over_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 3
    content = csv_bytes([staff_row(str(n)) for n in range(4)])
    with pytest.raises(imports.FileRejected, match="plus de 3 lignes"):
        imports.parse_file(io.BytesIO(content), "x.csv")


# The upload form.


def test_form_rejects_a_sheet_over_the_row_limit(hr_client, settings):
    settings.IMPORT_MAX_ROWS = 2
    response = upload(hr_client, xlsx_bytes([staff_row(str(n)) for n in range(3)]), name="personnel.xlsx")
    assert response.context["form"].errors["file"] == [
        "Le fichier compte plus de 2 lignes : découpez-le en plusieurs fichiers."
    ]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("personnel.csv", b"", "Colonnes obligatoires manquantes : matricule, prenom, nom, courriel, ecole"),
        ("personnel.csv", b"matricule,nom\n1,Roy\n", "Colonnes obligatoires manquantes : prenom, courriel, ecole"),
        ("personnel.csv", ",".join(STAFF_HEADER).encode(), "aucune ligne de données"),
        ("personnel.ods", b"x", "utilisez un fichier .csv ou .xlsx"),
    ],
)
def test_form_reports_file_problems_at_the_file_field(hr_client, name, content, message):
    response = upload(hr_client, content, name=name)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert not default_storage.exists("imports")  # nothing kept from a rejected file


def test_form_defaults_to_the_current_year(hr_client, year):
    f.SchoolYearFactory(label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30))
    response = hr_client.get(reverse("schools:import_start"))
    assert response.context["form"]["year"].value() == year.pk
    assert reverse("schools:import_template", args=["personnel"]) in response.content.decode()


def test_novices_form_needs_only_the_matricule_column(hr_client, year):
    response = upload(hr_client, b"matricule\n1\n", name="ip.csv", kind="insertion", year=year)
    assert response.status_code == 302


# Preview and confirmation of staff.


def test_preview_counts_people_and_assignments(hr_client, year, schools):
    known = f.PersonFactory(employee_number="1", first_name="Marie", last_name="Ancien", email="p1@exemple.qc.ca")
    f.StaffAssignmentFactory(person=known, school=schools["E001"], year=year, task_share=100)
    same = f.PersonFactory(employee_number="2", first_name="Marie", last_name="Nom2", email="p2@exemple.qc.ca")
    f.StaffAssignmentFactory(person=same, school=schools["E002"], year=year)
    content = csv_bytes(
        [
            staff_row("1", "E001", "60"),  # name changes, share changes
            staff_row("1", "E002", "40"),  # shared task: new assignment
            staff_row("2", "E002"),  # unchanged
            staff_row("3", "E003", building=""),  # new person
            staff_row("4", "e001", building="pa"),  # new person, codes in any case
        ]
    )
    token = upload_token(hr_client, content, year=year)
    response = preview(hr_client, token)
    assert response.status_code == 200
    assert response.context["counts"] == {
        "people_created": 2,
        "people_updated": 1,
        "people_unchanged": 1,
        "assignments_created": 3,
        "assignments_updated": 1,
        "assignments_unchanged": 1,
        "entitlements_created": 0,
        "entitlements_updated": 0,
        "entitlements_unchanged": 0,
    }
    assert [row.line for row in response.context["plan"].preview] == [2, 3, 4, 5, 6]
    assert 'data-testid="import-confirm"' in response.content.decode()
    assert Person.objects.count() == 3  # hr + 2: nothing saved by the preview


def test_confirm_applies_the_plan_and_forgets_the_file(hr_client, year, schools):
    content = csv_bytes(
        [
            staff_row("1", "E001", "60"),
            staff_row("1", "E002", "40"),
            staff_row("2", "E001", building="PA", title="Orthopédagogue"),
        ]
    )
    token = upload_token(hr_client, content, year=year)
    response = confirm(hr_client, token)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('schools:staff_list')}?annee={year.pk}"
    message = str(next(iter(response.wsgi_request._messages)))
    assert message == (
        "Importation terminée. Personnes créées : 2 ; mises à jour : 0. Affectations créées : 3 ; mises à jour : 0."
    )
    shared = Person.objects.get(employee_number="1")
    assert sorted(shared.assignments.values_list("school__code", "task_share")) == [("E001", 60), ("E002", 40)]
    ortho = StaffAssignment.objects.get(person__employee_number="2")
    assert (ortho.building.code, ortho.job_title, ortho.year) == ("PA", "Orthopédagogue", year)
    assert StaffAssignment.objects.get(person=shared, school=schools["E001"]).job_title == "Enseignant(e)"
    assert not stored(token).exists()
    assert preview(hr_client, token).status_code == 404


def test_a_bad_row_in_the_middle_is_reported_with_its_line_and_nothing_is_saved(hr_client, year, schools):
    rows = [staff_row("1"), staff_row("2"), staff_row("3", school="X99"), staff_row("4"), staff_row("5")]
    token = upload_token(hr_client, csv_bytes(rows), year=year)
    response = preview(hr_client, token)
    plan = response.context["plan"]
    assert [str(error) for error in plan.errors] == ["ligne 4 : code d'école « X99 » inconnu"]
    body = response.content.decode()
    assert "ligne 4 : code d&#x27;école « X99 » inconnu" in body
    assert 'data-testid="import-confirm"' not in body
    response = confirm(hr_client, token, digest=plan.digest)
    assert response.status_code == 200
    assert response.context["plan"].errors
    assert not Person.objects.filter(employee_number__in=["1", "2", "4", "5"]).exists()
    assert stored(token).exists()


def test_importing_the_same_file_twice_changes_nothing(hr_client, year, schools):
    content = xlsx_bytes([staff_row("1", "E001", 60), staff_row("1", "E002", 40), staff_row("2", "E003", None)])
    confirm(hr_client, upload_token(hr_client, content, name="personnel.xlsx", year=year))
    assert StaffAssignment.objects.filter(year=year).count() == 3
    token = upload_token(hr_client, content, name="personnel.xlsx", year=year)
    counts = preview(hr_client, token).context["counts"]
    assert (counts["people_created"], counts["people_updated"], counts["people_unchanged"]) == (0, 0, 2)
    assert (counts["assignments_created"], counts["assignments_updated"], counts["assignments_unchanged"]) == (0, 0, 3)
    digest = preview(hr_client, token).context["plan"].digest
    with CaptureQueriesContext(connection) as queries:
        response = confirm(hr_client, token, digest=digest)
    assert response.status_code == 302
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and "django_session" not in q["sql"]
    ]
    # Only the audit trail's record of the confirmed import (Law 25), no data.
    assert len(writes) == 1 and "auditlog_logentry" in writes[0] and '\\"people_created\\": 0' in writes[0]


def test_xlsx_import_with_number_cells(hr_client, year, schools):
    token = upload_token(
        hr_client,
        xlsx_bytes([[123456, "Luc", "Roy", "luc@x.ca", "E002", None, None, 100.0]]),
        name="personnel.xlsx",
        year=year,
    )
    confirm(hr_client, token)
    assert StaffAssignment.objects.get(person__employee_number="123456").school.code == "E002"


def test_a_shared_task_over_100_percent_is_rejected(year, schools):
    rows = imports.parse_file(
        io.BytesIO(
            csv_bytes(
                [
                    staff_row("1", "E001", "60"),
                    staff_row("2", "E001"),
                    staff_row("1", "E002", "50"),
                ]
            )
        ),
        "x.csv",
    )
    plan = imports.validate_staff(rows, year)
    assert [str(e) for e in plan.errors] == ["ligne 4 : la tâche totale du matricule 1 dépasse 100 % (110 %)"]
    with pytest.raises(ValueError):
        imports.apply(plan)


@pytest.mark.parametrize(
    "rows,expected",
    [
        (
            [staff_row("1", "E001", "50"), staff_row("1", "E002", "50", first="Marc")],
            "ligne 3 : le matricule 1 porte un autre nom ou courriel à la ligne 2",
        ),
        (
            [staff_row("1", "E001", "50"), staff_row("1", "E001", "50")],
            "ligne 3 : le matricule 1 est déjà affecté à l'école E001 à la ligne 2",
        ),
        (
            [staff_row("1", email="a@x.ca"), staff_row("2", email="A@x.ca")],
            "ligne 3 : courriel « a@x.ca » déjà utilisé à la ligne 2 par le matricule 1",
        ),
        ([staff_row("1", email="pas-un-courriel")], "ligne 2 : courriel « pas-un-courriel » invalide"),
        ([staff_row("1", email="")], "ligne 2 : courriel manquant"),
        (
            [staff_row("1", share="0")],
            "ligne 2 : pourcentage de tâche « 0 » invalide : nombre entier de 1 à 100 attendu",
        ),
        (
            [staff_row("1", share="50,5")],
            "ligne 2 : pourcentage de tâche « 50,5 » invalide : nombre entier de 1 à 100 attendu",
        ),
        ([staff_row("1", building="ZZ")], "ligne 2 : bâtiment « ZZ » inconnu pour l'école « E001 »"),
        ([staff_row("1", school="")], "ligne 2 : code d'école manquant"),
    ],
)
def test_it_rejects_inconsistent_rows(year, schools, rows, expected):
    plan = imports.validate_staff(imports.parse_file(io.BytesIO(csv_bytes(rows)), "x.csv"), year)
    assert [str(e) for e in plan.errors] == [expected]


def test_an_email_of_another_person_in_the_database_is_rejected(year, schools):
    f.PersonFactory(employee_number="9", email="Pris@x.ca")
    f.PersonFactory(employee_number="1", email="mine@x.ca")
    rows = [staff_row("1", email="MINE@x.ca"), staff_row("2", email="pris@x.ca")]
    plan = imports.validate_staff(imports.parse_file(io.BytesIO(csv_bytes(rows)), "x.csv"), year)
    assert [str(e) for e in plan.errors] == [
        "ligne 3 : courriel « pris@x.ca » déjà utilisé par une autre personne (matricule 9)"
    ]


def test_confirm_refuses_a_plan_changed_since_the_preview(hr_client, year, schools):
    token = upload_token(hr_client, csv_bytes([staff_row("1")]), year=year)
    digest = preview(hr_client, token).context["plan"].digest
    f.PersonFactory(employee_number="1", first_name="Autre", email="p1@exemple.qc.ca")
    response = confirm(hr_client, token, digest=digest)
    assert response.status_code == 200
    assert "ont changé depuis l’aperçu" in str(next(iter(response.context["messages"]))).replace("'", "’")
    assert Person.objects.get(employee_number="1").first_name == "Autre"


def test_the_example_fixture_previews_cleanly(year, schools):
    with open(FIXTURES / "personnel-exemple.csv", "rb") as file:
        plan = imports.validate_staff(imports.parse_file(file, "personnel-exemple.csv"), year)
    assert plan.ok, plan.errors
    assert (len(plan.people_to_create), len(plan.assignments_to_create)) == (7, 8)


def test_two_thousand_rows_validate_and_apply_in_few_queries(year, schools, django_assert_max_num_queries):
    content = csv_bytes([staff_row(str(n), ("E001", "E002", "E003")[n % 3]) for n in range(2000)])
    rows = imports.parse_file(io.BytesIO(content), "x.csv")
    # schools, buildings, people (3 chunks), e-mail owners (3 chunks), assignments (none known)
    with django_assert_max_num_queries(8):
        plan = imports.validate_staff(rows, year)
    assert plan.ok
    # savepoint, then batches: SQLite caps a statement at 999 parameters (2 000 people ≈ 12 + 2 000 assignments ≈ 14),
    # then the audit trail's entries (4 000 of 13 columns, batches of 76: ≈ 54) and the people they concern (≈ 9),
    # and the year's staff counted again (2: the count, its upsert).
    with django_assert_max_num_queries(112):
        imports.apply(plan)
    assert StaffAssignment.objects.filter(year=year).count() == 2000
    # the second pass loads the 2 000 assignments too (3 chunks), then writes nothing
    with django_assert_max_num_queries(11):
        again = imports.validate_staff(imports.parse_file(io.BytesIO(content), "x.csv"), year)
    assert (again.people_unchanged, again.assignments_unchanged) == (2000, 2000)


# Novices.


def test_novices_import_creates_and_updates_entitlements(hr_client, year, schools):
    first = f.PersonFactory(employee_number="1")
    second = f.PersonFactory(employee_number="2")
    third = f.PersonFactory(employee_number="3")
    f.EntitlementFactory(person=second, year=year, started_on=datetime.date(2026, 8, 20))
    f.EntitlementFactory(person=third, year=year, started_on=datetime.date(2026, 8, 20))
    content = csv_bytes([["1", "25/08/2026"], ["2", "2026-09-02"], ["3", ""]], header=["Matricule", "Date début"])
    token = upload_token(hr_client, content, name="ip.csv", kind="insertion", year=year)
    counts = preview(hr_client, token).context["counts"]
    assert (counts["entitlements_created"], counts["entitlements_updated"], counts["entitlements_unchanged"]) == (
        1,
        1,
        1,
    )
    response = confirm(hr_client, token)
    assert response.status_code == 302
    started = dict(Entitlement.objects.filter(year=year).values_list("person_id", "started_on"))
    assert started == {
        first.pk: datetime.date(2026, 8, 25),
        second.pk: datetime.date(2026, 9, 2),
        third.pk: datetime.date(2026, 8, 20),
    }


def test_novices_from_xlsx_date_cells(hr_client, year, schools):
    person = f.PersonFactory(employee_number="123456")
    content = xlsx_bytes([[123456, datetime.datetime(2026, 8, 25)]], header=["matricule", "date_debut"])
    confirm(hr_client, upload_token(hr_client, content, name="ip.xlsx", kind="insertion", year=year))
    assert Entitlement.objects.get(person=person, year=year).started_on == datetime.date(2026, 8, 25)


def test_novices_with_an_unknown_matricule_are_rejected(year):
    f.PersonFactory(employee_number="1")
    content = csv_bytes([["1", ""], ["999", ""], ["1", ""], ["", "2026-13-01"]], header=["matricule", "date_debut"])
    plan = imports.validate_novices(imports.parse_file(io.BytesIO(content), "ip.csv"), year)
    assert [str(e) for e in plan.errors] == [
        "ligne 3 : matricule « 999 » inconnu : importez d'abord le personnel",
        "ligne 4 : le matricule 1 apparaît déjà à la ligne 2",
        "ligne 5 : matricule manquant",
        "ligne 5 : date de début « 2026-13-01 » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu",
    ]


# Tokens, access, model files and purge.


def test_another_users_token_is_not_found(client, hr, admin_user, year, schools):
    client.force_login(hr)
    token = upload_token(client, csv_bytes([staff_row("1")]), year=year)
    client.logout()
    client.force_login(admin_user)
    assert preview(client, token).status_code == 404
    assert confirm(client, token, digest="x").status_code == 404
    assert not Person.objects.filter(employee_number="1").exists()


def test_an_expired_upload_sends_back_to_the_form(hr_client, year, schools):
    token = upload_token(hr_client, csv_bytes([staff_row("1")]), year=year)
    imports.delete_upload(token)
    response = preview(hr_client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:import_start")


# Every import URL × every persona; schools/tests/test_access.py exposes this table to the URL coverage test.
ONLY_HR = {persona: 403 for persona in PERSONAS} | {"anonymous": LOGIN, "hr": 200, "admin_user": 200}
IMPORT_ACCESS_TABLE = [
    ("schools:import_start", [], "get", ONLY_HR),
    ("schools:import_preview", "token", "get", ONLY_HR),
    ("schools:import_preview", "token", "post", ONLY_HR),
    ("schools:import_template", ["personnel"], "get", ONLY_HR),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name,args,method,expected", IMPORT_ACCESS_TABLE)
def test_access_to_each_import_url(request, client, year, schools, url_name, args, method, expected, persona):
    user = request.getfixturevalue(persona)
    if args == "token":
        # An allowed user opens their own upload; the others are refused before any token lookup.
        if expected[persona] == 200:
            client.force_login(user)
            args = [upload_token(client, csv_bytes([staff_row("1")]), year=year)]
        else:
            args = ["jeton-inconnu-00000000"]
    # A POST with a stale digest re-shows the preview (200) instead of importing.
    check_access(client, user, reverse(url_name, args=args), expected[persona], method=method, data={"digest": "x"})


@pytest.mark.parametrize("kind", ["personnel", "insertion"])
def test_model_files_carry_the_expected_headers(client, hr, year, kind):
    client.force_login(hr)
    response = client.get(reverse("schools:import_template", args=[kind]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="modele-{kind}.csv"' in response["Content-Disposition"]
    rows = imports.parse_file(io.BytesIO(response.content), f"modele-{kind}.csv")
    imports.check_columns(rows, kind)
    assert rows.columns == imports.REQUIRED_COLUMNS[kind] + imports.OPTIONAL_COLUMNS[kind]


def test_unknown_model_file_is_not_found(client, hr):
    client.force_login(hr)
    assert client.get(reverse("schools:import_template", args=["autre"])).status_code == 404


def test_purge_deletes_uploads_older_than_a_day(db):
    fresh, stale = imports.store_upload(b"a"), imports.store_upload(b"b")
    now = time.time()
    os.utime(stored(fresh), (now - 23 * 3600, now - 23 * 3600))
    os.utime(stored(stale), (now - 25 * 3600, now - 25 * 3600))
    assert imports.purge_stale_uploads() == 1
    assert imports.read_upload(fresh) == b"a"
    assert imports.read_upload(stale) is None
    assert imports.purge_stale_uploads() == 0


def test_purge_task_calls_the_purge(db):
    from schools.tasks import purge_stale_imports

    stale = imports.store_upload(b"b")
    os.utime(stored(stale), (0, 0))
    assert purge_stale_imports() == 1


def test_uploads_are_private_files(db):
    token = imports.store_upload(b"x")
    assert stored(token).stat().st_mode & 0o077 == 0
    assert imports.read_upload("../../etc/passwd") is None


def test_an_email_longer_than_the_column_is_a_line_error_and_nothing_is_saved(hr_client, year, schools):
    long_email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".ca"  # 307 characters, valid for validate_email
    token = upload_token(hr_client, csv_bytes([staff_row("1"), staff_row("2", email=long_email)]), year=year)
    plan = preview(hr_client, token).context["plan"]
    assert [str(e) for e in plan.errors] == ["ligne 3 : courriel trop long (254 caractères au plus)"]
    confirm(hr_client, token, digest=plan.digest)
    assert not Person.objects.filter(employee_number__in=["1", "2"]).exists()


def test_a_confirmed_import_and_the_records_it_wrote_are_in_the_audit_trail(hr_client, year, schools):
    from auditlog.models import LogEntry

    token = upload_token(hr_client, csv_bytes([staff_row("1", "E001", "100")]), year=year)
    confirm(hr_client, token)
    event = LogEntry.objects.get(additional_data__event="import")
    assert event.actor.email == "rh@example.org" and '"people_created": 1' in event.additional_data["detail"]
    created = Person.objects.get(employee_number="1")
    assert LogEntry.objects.filter(subjects__person=created, action=LogEntry.Action.CREATE).count() == 2


def test_an_upload_waits_in_the_s3_bucket_until_confirmed(hr_client, year, schools, s3_storage, settings):
    token = upload_token(hr_client, csv_bytes([staff_row("1"), staff_row("2")]), year=year)
    assert [item.key for item in s3_storage.objects.all()] == [f"imports/{token}.json"]
    assert not Path(settings.MEDIA_ROOT, "imports").exists()  # nothing on this machine's disk
    plan = preview(hr_client, token).context["plan"]
    assert confirm(hr_client, token, digest=plan.digest).status_code == 302
    assert Person.objects.filter(employee_number__in=["1", "2"]).count() == 2
    assert list(s3_storage.objects.all()) == []


def test_purge_deletes_stale_uploads_from_the_s3_bucket(db, s3_storage):
    stale = imports.store_upload(b"old")
    with time_machine.travel(datetime.timedelta(hours=25)):
        fresh = imports.store_upload(b"new")
        assert imports.purge_stale_uploads() == 1
    assert [item.key for item in s3_storage.objects.all()] == [f"imports/{fresh}.json"]
    assert imports.read_upload(stale) is None
