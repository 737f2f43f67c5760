import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from surveys.exports import ImportFailed, neutralise, raw_import
from surveys.models import Answer, Response
from surveys.services import survey_copy
from surveys.tests.factories import respond


@pytest.fixture
def answered(survey, school_a):
    respond(
        survey,
        {
            1: "Suffisant",
            2: ["Proximité", "Ouverture"],
            3: ("oui", '=HYPERLINK("x")'),
            4: "Argent",
            5: 3,
            6: ("Proximité", "Temps", "Direction"),
            7: 10,
            8: "Très bien, merci",
        },
        school=school_a,
    )
    respond(
        survey,
        {
            1: ("autre", "@variable"),
            2: ["Disponibilité", "autre"],
            3: "non",
            5: "10.5",
            6: ("Temps",),
            7: 1,
            8: "-à revoir\nsur deux lignes",
        },
    )
    respond(survey, {1: "Insuffisant", 3: "oui", 4: "Congés", 7: 8})
    respond(survey, {1: "Suffisant", 3: "non", 7: 9})
    respond(survey, {1: "Supérieur", 3: "non", 7: 6, 8: "+1"})
    return survey


def _get(client, user, name, survey):
    client.force_login(user)
    response = client.get(reverse(f"surveys:{name}", args=[survey.pk]))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-3") == "'-3"
    assert neutralise("@a") == "'@a"
    assert neutralise("+1") == "'+1"
    assert neutralise("ok") == "ok"


def test_aggregated_csv_one_row_per_question_and_option(client, hr, answered):
    text = _get(client, hr, "export_results_csv", answered).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["n°", "question", "type", "option", "nombre", "pourcentage"]
    suffisant = next(r for r in rows if r[0] == "1" and r[3] == "Suffisant")
    assert suffisant[4:6] == ["2", "40.0"]
    proximite = next(r for r in rows if r[0] == "6" and r[3] == "Proximité")
    assert proximite[4] == "1" and proximite[6] == "0"
    assert any(r[3] == "NPS (calculé sur une échelle de 1 à 10)" for r in rows)


def test_aggregated_csv_keeps_a_negative_nps_a_number(client, hr, survey):
    for score in (1, 2, 3, 4, 10):
        respond(survey, {1: "Suffisant", 3: "non", 7: score})

    rows = list(csv.reader(io.StringIO(_get(client, hr, "export_results_csv", survey).decode("utf-8-sig"))))

    nps = next(r for r in rows if r[3] == "NPS (calculé sur une échelle de 1 à 10)")
    assert nps[4] == "-60"  # 1 promoter, 4 detractors of 5; not the text « '-60 »


def test_aggregated_xlsx(client, management, answered):
    workbook = load_workbook(io.BytesIO(_get(client, management, "export_results_xlsx", answered)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][3] == "option"
    assert any(row[3] == "Suffisant" and row[4] == 2 for row in rows)


def test_raw_export_is_anonymous_and_neutralised(client, hr, answered, school_a):
    text = _get(client, hr, "export_responses_csv", answered)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["réponse", "semaine", "ordre"]
    assert len(rows) == 6
    assert school_a.name not in text and school_a.code not in text
    flat = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("x")' in flat and "'@variable" in flat and "'+1" in flat
    assert "Proximité | Temps | Direction" in flat
    assert "Proximité | Ouverture" in flat


def test_export_import_export_gives_the_same_file(client, hr, answered, year):
    first = _get(client, hr, "export_responses_csv", answered)
    target = survey_copy(
        survey=answered, year=year, title="Papier", opens_at=answered.opens_at, closes_at=answered.closes_at
    )
    client.force_login(hr)
    upload = SimpleUploadedFile("reponses.csv", first.encode("utf-8-sig"), content_type="text/csv")
    response = client.post(reverse("surveys:import_responses", args=[target.pk]), {"file": upload})
    assert response.status_code == 302
    assert target.responses.count() == 5
    assert _get(client, hr, "export_responses_csv", target) == first


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def test_import_is_all_or_nothing_with_line_numbers(client, hr, answered, year):
    text = _get(client, hr, "export_responses_csv", answered)
    rows = list(csv.reader(io.StringIO(text)))
    rows[2][3] = "Peut-être"  # line 3, Q1
    rows[4][1] = "hier"  # line 5, week
    rows[5] = rows[5][:4]  # line 6, columns missing
    before = Response.objects.count()
    with pytest.raises(ImportFailed) as failure:
        raw_import(survey=answered, file=_csv(rows))
    errors = failure.value.errors
    assert errors[0].startswith("Ligne 3 : Q1 : option inconnue")
    assert errors[1].startswith("Ligne 5 : semaine")
    assert errors[2].startswith("Ligne 6 :")
    assert Response.objects.count() == before


def test_import_rejects_another_surveys_columns(answered):
    with pytest.raises(ImportFailed) as failure:
        raw_import(survey=answered, file=_csv([["a", "b"], ["1", "2"]]))
    assert "Ligne 1" in failure.value.errors[0]


def test_import_validates_types(client, hr, answered):
    header = list(csv.reader(io.StringIO(_get(client, hr, "export_responses_csv", answered))))[0]
    empty = [""] * len(header)
    scale_col = next(i for i, h in enumerate(header) if h.startswith("Q7."))
    rank_col = next(i for i, h in enumerate(header) if h.startswith("Q6."))
    bad_scale = ["1", "2026-11-23", ""] + empty[3:]
    bad_scale[scale_col] = "11"
    bad_rank = ["2", "2026-11-23", "primaire"] + empty[3:]
    bad_rank[rank_col] = "Temps | Temps"
    with pytest.raises(ImportFailed) as failure:
        raw_import(survey=answered, file=_csv([header, bad_scale, bad_rank]))
    assert "entier de 1 à 10" in failure.value.errors[0]
    assert "option répétée" in failure.value.errors[1]


def test_import_page_shows_errors(client, hr, answered):
    client.force_login(hr)
    upload = SimpleUploadedFile("x.csv", b"\xff\xfe garbage", content_type="text/csv")
    response = client.post(reverse("surveys:import_responses", args=[answered.pk]), {"file": upload})
    assert response.status_code == 200
    assert "rien n'a été importé" in response.content.decode()


def test_raw_export_streams_with_few_queries(client, hr, answered, django_assert_max_num_queries):
    for _ in range(30):
        respond(answered, {1: "Suffisant", 3: "oui", 7: 9})
    client.force_login(hr)
    # Constant whatever the count: SQLite reads the responses and their answers as two streams side by side;
    # PostgreSQL builds the rows in one query, inside a savepoint (2 more) that keeps its cursor streaming.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("surveys:export_responses_csv", args=[answered.pk]))
        body = b"".join(response.streaming_content)
    assert body.count(b"\r\n") == 36
    assert Answer.objects.count() > 0


def test_aggregated_exports_report_not_shown_apart_from_unanswered(client, hr, answered):
    # Q4 follows « oui » at Q3: 2 said oui and answered it, 3 said non and never saw it.
    rows = list(csv.reader(io.StringIO(_get(client, hr, "export_results_csv", answered).decode("utf-8-sig"))))
    assert rows[0][-1] == "ont vu la question"
    q4 = {r[3]: r for r in rows if r[0] == "4"}
    assert q4["Non affichée (condition non remplie)"][4] == "3"
    assert q4["Vue mais sans réponse"][4:6] == ["0", "0.0"]
    assert q4["Argent"][4:6] == ["1", "50.0"] and q4["Argent"][-1] == "2"
    workbook = load_workbook(io.BytesIO(_get(client, hr, "export_results_xlsx", answered)))
    sheet = {(row[0], row[3]): row for row in workbook.active.iter_rows(values_only=True)}
    assert sheet[(4, "Non affichée (condition non remplie)")][4] == 3
    assert sheet[(4, "Argent")][5] == 50.0


@pytest.mark.parametrize("name", ["export_results_csv", "export_results_xlsx"])
def test_aggregated_exports_of_a_copy_read_this_years_figures_only(
    client, hr, answered, year, name, django_assert_max_num_queries
):
    """The exports show no previous year's column: a copied survey's export reads nothing of its original."""
    from mentorat import factories as f

    next_year = f.SchoolYearFactory(label="2027-2028", starts_on="2027-07-01", ends_on="2028-06-30")
    copy = survey_copy(
        survey=answered, year=next_year, title="Copie", opens_at=answered.opens_at, closes_at=answered.closes_at
    )
    for _ in range(5):
        respond(copy, {1: "Insuffisant"})
    client.force_login(hr)
    client.get(reverse("surveys:survey_list"))  # the session's last-seen stamp, if a minute passed during the setup
    # session, user, person, year, memberships (5); survey, questions, choices (3); group sizes and figures
    # from the kept counts (1).
    with django_assert_max_num_queries(9):
        body = client.get(reverse(f"surveys:{name}", args=[copy.pk])).content
    if name == "export_results_csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        rows = [
            [str(cell) for cell in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
        ]
    first = {row[3]: row for row in rows if row[0] == "1"}
    assert first["Insuffisant"][4] == "5" and first["Suffisant"][4] == "0"
