"""Each response keeps its raw CSV line: the export's bytes, whatever path wrote the answers (surveys/rawlines.py)."""

from __future__ import annotations

import csv
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse

from mentorat import factories as f
from mentorat.spreadsheets import neutralise
from schools.models import Order
from surveys import aggregates, exports
from surveys.models import Choice, Question, Response, Survey
from surveys.rawlines import WRITER, Layout, questions_of
from surveys.seed_2023 import load_2023_results
from surveys.services import survey_copy
from surveys.tests.factories import invite, questions
from surveys.tests.test_aggregates import make_random_survey
from surveys.tests.test_respond import _answers


def kept_csv(survey) -> str:
    """The file written from the kept lines, as PostgreSQL exports it; every line must be of the current layout."""
    layout = Layout(questions_of(survey))
    responses = Response.objects.filter(survey=survey).order_by("id")
    assert set(responses.values_list("raw_shape", flat=True)) <= {layout.fingerprint}, "a line is not current"
    header = WRITER.writerow([neutralise(cell) for cell in layout.header()])
    lines = responses.values_list("raw_line", flat=True)
    return "\ufeff" + header + "".join(f"{number},{line}\r\n" for number, line in enumerate(lines, start=1))


def answers_csv(survey, monkeypatch) -> str:
    """The file built from the answers (the path SQLite runs), read from the same database."""
    with monkeypatch.context() as patch:
        patch.setattr(connection, "vendor", "sqlite")
        return "".join(exports.raw_csv_stream(survey))


def is_current(survey) -> bool:
    fingerprint = Layout(questions_of(survey)).fingerprint
    return not Response.objects.filter(survey=survey).exclude(raw_shape=fingerprint).exists()


@pytest.fixture
def schools(db):
    return [f.SchoolFactory(code=f"L{i}", order=[Order.PRIMARY, Order.SECONDARY][i % 2]) for i in range(3)]


def test_a_response_submitted_by_the_form_keeps_the_line_of_its_answers(client, survey, mentee_a, monkeypatch):
    invitation = invite(survey, mentee_a.person)
    q = questions(survey)
    data = _answers(
        survey, **{f"q{q[5].pk}": "10.5", f"q{q[3].pk}_other": '=1+1, "dit-il"', f"q{q[8].pk}": "-\nà voir"}
    )
    assert client.post(reverse("surveys:respond", args=[invitation.token]), data).status_code == 302
    text = kept_csv(survey)
    assert text == answers_csv(survey, monkeypatch)
    assert ',"\'=1+1, ""dit-il""",' in text and ",10.5," in text and "Proximité | Disponibilité" in text


@pytest.mark.parametrize("seed", range(3))
def test_random_responses_keep_the_lines_of_their_answers(year, schools, seed, monkeypatch):
    survey = make_random_survey(year, schools, random.Random(seed), n=40)  # by the service and the factory
    assert kept_csv(survey) == answers_csv(survey, monkeypatch)


def test_imported_responses_keep_the_lines_of_their_answers(year, schools, monkeypatch):
    survey = make_random_survey(year, schools, random.Random(5), n=30)
    copy = survey_copy(survey=survey, year=year, title="Papier", opens_at=survey.opens_at, closes_at=survey.closes_at)
    exported = answers_csv(survey, monkeypatch)
    rows = list(csv.reader(io.StringIO(exported.removeprefix("\ufeff"))))
    number = next(i for i, title in enumerate(rows[0]) if title.startswith("Q5."))
    rows[1][number] = "10,5"  # a spreadsheet's decimal comma
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    assert exports.raw_import(survey=copy, file=io.BytesIO(out.getvalue().encode())) == 30
    text = kept_csv(copy)
    assert text == answers_csv(copy, monkeypatch)
    assert text.split("\r\n")[1].split(",")[number] == "10.5"  # a number, as the answer keeps it
    assert text.split("\r\n")[2:] == exported.split("\r\n")[2:]  # the same answers give the same lines


def test_deleting_responses_renumbers_the_kept_lines(year, schools, monkeypatch):
    survey = make_random_survey(year, schools, random.Random(8), n=30)
    gone = Response.objects.filter(survey=survey, school=schools[0])
    assert aggregates.responses_delete(survey=survey, responses=gone) > 0
    assert kept_csv(survey) == answers_csv(survey, monkeypatch)


def test_the_rebuild_command_rewrites_lines_changed_or_written_elsewhere(year, schools, monkeypatch):
    survey = make_random_survey(year, schools, random.Random(9), n=30)
    expected = answers_csv(survey, monkeypatch)
    ids = list(Response.objects.filter(survey=survey).order_by("id").values_list("id", flat=True))
    Response.objects.filter(id__in=ids[:5]).update(raw_line="1999-01-01,faux")  # changed outside the application
    Response.objects.filter(id__in=ids[5:10]).update(raw_line="", raw_shape="")  # written without a line
    out = io.StringIO()
    call_command("rebuild_survey_aggregates", survey=survey.pk, stdout=out)
    assert kept_csv(survey) == expected
    assert out.getvalue().strip().endswith("30 raw lines.")


def test_an_option_renamed_in_the_admin_leaves_the_lines_stale_until_rebuilt(year, schools, monkeypatch):
    survey = make_random_survey(year, schools, random.Random(4), n=20)
    choice = Choice.objects.get(question__survey=survey, label="Suffisant")
    choice.label = "Assez"
    choice.save()  # what the admin's form does (the builder refuses: the survey has responses)
    assert not is_current(survey)  # never exported: the file reads the answers
    assert "Suffisant" not in answers_csv(survey, monkeypatch).split("\r\n", 1)[1]
    call_command("rebuild_survey_aggregates", survey=survey.pk, stdout=io.StringIO())
    assert is_current(survey)
    text = kept_csv(survey)
    assert text == answers_csv(survey, monkeypatch) and ",Assez," in text


@pytest.mark.parametrize("change", ["delete_question", "delete_option", "allow_other", "kind", "reorder_options"])
def test_any_change_of_the_columns_or_options_leaves_the_lines_stale(year, schools, monkeypatch, change):
    survey = make_random_survey(year, schools, random.Random(6), n=20)
    q = questions(survey)
    if change == "delete_question":
        q[2].delete()  # its answers go with it
    elif change == "delete_option":
        q[1].choices.get(label="Supérieur").delete()
    elif change == "allow_other":
        Question.objects.filter(pk=q[4].pk).update(allow_other=True)  # one more column
    elif change == "kind":
        Question.objects.filter(pk=q[1].pk).update(kind="multiple")
    else:
        Choice.objects.filter(question=q[2]).update(position=100 - F("position"))
    assert not is_current(survey)
    call_command("rebuild_survey_aggregates", survey=survey.pk, stdout=io.StringIO())
    assert kept_csv(survey) == answers_csv(survey, monkeypatch)


def test_the_2023_results_keep_their_lines(db, monkeypatch):
    load_2023_results()
    surveys = Survey.objects.filter(year__label="2022-2023")
    assert surveys.count() == 3
    for survey in surveys:
        assert survey.responses.exists()
        assert kept_csv(survey) == answers_csv(survey, monkeypatch)


def test_an_empty_survey_has_no_line(survey, monkeypatch):
    assert kept_csv(survey) == answers_csv(survey, monkeypatch)
    assert answers_csv(survey, monkeypatch).count("\r\n") == 1
