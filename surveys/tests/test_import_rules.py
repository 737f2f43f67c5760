"""The raw import applies the web form's rules and never adds the same responses twice (issue 10, item 11)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.exports import ImportFailed, raw_header, raw_import
from surveys.forms import ResponseForm, field_name
from surveys.models import Answer, Response
from surveys.tests.factories import questions as by_position
from surveys.tests.factories import respond


def _file(survey, *rows: dict) -> io.BytesIO:
    """A CSV in the export's format; each row maps a header prefix (« Q3. ») to its cell."""
    header = raw_header(list(survey.questions.order_by("position")))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number, values in enumerate(rows, start=1):
        line = [str(number), "2026-11-23", "primaire"] + [""] * (len(header) - 3)
        for prefix, value in values.items():
            line[next(i for i, title in enumerate(header) if title.startswith(prefix))] = value
        writer.writerow(line)
    return io.BytesIO(out.getvalue().encode("utf-8"))


VALID = {"Q1.": "Suffisant", "Q3.": "oui", "Q4.": "Argent"}


def test_import_refuses_an_answer_to_a_question_its_respondent_could_not_see(survey):
    # Q4 is shown only after « oui » at Q3: the web form would never store this answer.
    with pytest.raises(ImportFailed) as failure:
        raw_import(survey=survey, file=_file(survey, VALID, {"Q1.": "Suffisant", "Q3.": "non", "Q4.": "Argent"}))
    assert failure.value.errors == ["Ligne 3 : Q4 : réponse à une question non affichée (seulement si Q3 = « oui »)"]
    assert not Response.objects.filter(survey=survey).exists()


def test_import_refuses_a_row_without_a_required_answer(survey):
    rows = [VALID, {"Q3.": "non"}, {"Q1.": "Suffisant", "Q3.": "oui"}]
    with pytest.raises(ImportFailed) as failure:
        raw_import(survey=survey, file=_file(survey, *rows))
    assert failure.value.errors == [
        "Ligne 3 : Q1 : réponse obligatoire manquante",
        "Ligne 4 : Q4 : réponse obligatoire manquante",
    ]
    assert not Answer.objects.filter(question__survey=survey).exists()


def test_import_accepts_a_required_question_left_blank_when_it_was_hidden(survey):
    assert raw_import(survey=survey, file=_file(survey, VALID, {"Q1.": "Suffisant", "Q3.": "non"})) == 2


def test_the_form_and_the_import_apply_the_same_rules(survey):
    q = by_position(survey)
    cases = [
        ({"Q1.": "Suffisant", "Q3.": "oui"}, {field_name(q[1]): str(q[1].choices.get(label="Suffisant").pk)}),
        ({"Q3.": "non"}, {}),
    ]
    for cells, form_data in cases:
        form = ResponseForm(list(survey.questions.all()), {**form_data, field_name(q[3]): cells["Q3."]})
        assert not form.is_valid()
        with pytest.raises(ImportFailed) as failure:
            raw_import(survey=survey, file=_file(survey, cells))
        refused = {error.split(" : ")[1] for error in failure.value.errors}
        assert refused == {f"Q{q_.position}" for q_ in survey.questions.all() if field_name(q_) in form.errors}


def test_importing_the_same_file_twice_is_refused(survey):
    rows = [VALID, {"Q1.": "Suffisant", "Q3.": "non"}]
    assert raw_import(survey=survey, file=_file(survey, *rows)) == 2
    with pytest.raises(ImportFailed) as failure:
        raw_import(survey=survey, file=_file(survey, *rows))
    assert failure.value.errors[0].startswith("Ce fichier a déjà été importé le 24 novembre 2026")
    assert Response.objects.filter(survey=survey).count() == 2


def test_an_earlier_file_reordered_with_new_rows_is_refused(survey):
    first = [VALID, {"Q1.": "Suffisant", "Q3.": "non"}]
    raw_import(survey=survey, file=_file(survey, *first))
    again = [{"Q1.": "Insuffisant", "Q3.": "non"}, first[1], first[0]]
    with pytest.raises(ImportFailed):
        raw_import(survey=survey, file=_file(survey, *again))
    assert Response.objects.filter(survey=survey).count() == 2


def test_identical_answers_of_different_people_are_imported(survey):
    # Anonymous answers may repeat: two rows alike, then a later batch with one more such row, are all kept.
    assert raw_import(survey=survey, file=_file(survey, VALID, VALID)) == 2
    assert raw_import(survey=survey, file=_file(survey, VALID, {"Q1.": "Insuffisant", "Q3.": "non"})) == 2
    assert Response.objects.filter(survey=survey).count() == 4


def test_the_export_of_a_survey_cannot_be_imported_back_into_it(client, hr, survey):
    respond(survey, {1: "Suffisant", 3: "oui", 4: "Argent"})
    respond(survey, {1: "Insuffisant", 3: "non"})
    client.force_login(hr)
    export = b"".join(client.get(reverse("surveys:export_responses_csv", args=[survey.pk])).streaming_content)
    upload = SimpleUploadedFile("reponses.csv", export, content_type="text/csv")
    page = client.post(reverse("surveys:import_responses", args=[survey.pk]), {"file": upload})
    assert page.status_code == 200
    assert "contient les 2 réponses déjà enregistrées" in page.content.decode()
    assert Response.objects.filter(survey=survey).count() == 2
