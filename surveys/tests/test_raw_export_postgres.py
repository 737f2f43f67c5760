"""On PostgreSQL the raw CSV is written by the database: the same bytes as the Python path."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection

from schools.models import Order
from surveys import exports
from surveys.models import QuestionKind, Response
from surveys.rawlines import Layout, questions_of, raw_lines_rebuild
from surveys.services import response_submit
from surveys.tests.factories import OPENS, add_question, answer_values, invite, make_survey, questions, respond
from surveys.tests.test_aggregates import make_random_survey


def python_csv(survey, monkeypatch) -> str:
    """The file of the Python path (the one SQLite runs), read from the same database."""
    with monkeypatch.context() as patch:
        patch.setattr(connection, "vendor", "sqlite")
        return "".join(exports.raw_csv_stream(survey))


def reads_kept_lines(survey) -> bool:
    """Whether the export reads the lines kept on the responses (rather than building them from the answers)."""
    sql, _params = exports._pg_raw_query(survey, Layout(questions_of(survey)))
    return sql == exports.KEPT_LINES


@pytest.mark.postgres
def test_database_built_raw_csv_equals_the_python_one(year, monkeypatch):
    from mentorat import factories as f

    schools = [f.SchoolFactory(code=f"X{i}", order=Order.PRIMARY if i else Order.SECONDARY) for i in range(3)]
    survey = make_random_survey(year, schools, random.Random(21), n=40)
    assert reads_kept_lines(survey)
    database = "".join(exports.raw_csv_stream(survey))
    assert database.count("\r\n") == 41
    assert "'=1+1" in database  # an « autre » text that looks like a formula is neutralised
    assert database == python_csv(survey, monkeypatch)
    Response.objects.filter(pk=survey.responses.order_by("?").values("pk")[:1]).update(raw_shape="")
    assert not reads_kept_lines(survey)  # one response without its line: every line is built from the answers
    assert "".join(exports.raw_csv_stream(survey)) == database


HOSTILE = [
    "=1+1",
    "+33 6 12",
    "-2",
    "@SOMME(A1)",
    "\tTabulation",
    "\rRetour",
    "a,b",
    'Il a dit "non"',
    "ligne 1\nligne 2",
    "ligne 1\r\nligne 2",
    " espace devant",
    "'=déjà neutralisé",
    '"=1+1"',
    "\\chemin\\",
    "Émoji 😀 et accents éàç",
    "",
    "Très bien",
]
MANY = [f"Option {n:02d}" for n in range(1, 71)]  # more options than one bigint has bits
SEVEN = ["Un", "Deux", "Trois", "Quatre", "Cinq", "Six", "Sept"]  # ranked: more (rank, option) pairs than bits


def hostile_survey(year):
    survey = make_survey(year, title="Sondage hostile")
    add_question(
        survey, QuestionKind.SINGLE, "Choix", ["=Danger", "Oui, vraiment", 'Dit "non"', "Normal"], allow_other=True
    )
    add_question(survey, QuestionKind.MULTIPLE, "Plusieurs", ["A", "-B", "C\nD"], allow_other=True)
    add_question(survey, QuestionKind.YES_NO, "Oui ou non", allow_other=True)
    add_question(survey, QuestionKind.NUMBER, "Nombre")
    add_question(survey, QuestionKind.SCALE_10, "Note")
    add_question(survey, QuestionKind.RANKING, "Classez", ["+Un", "Deux, trois", "Quatre"])
    add_question(survey, QuestionKind.TEXT, "=Commentaire, libre")
    add_question(survey, QuestionKind.MULTIPLE, "Beaucoup", MANY, allow_other=True)
    add_question(survey, QuestionKind.RANKING, "Sept", SEVEN)
    add_question(survey, QuestionKind.SINGLE, "Neuf", [f"N{n}" for n in range(1, 10)])
    return survey


def hostile_values(rng: random.Random) -> dict:
    text = lambda: rng.choice(HOSTILE)  # noqa: E731
    values = {}
    if rng.random() < 0.8:
        values[1] = rng.choice(["=Danger", "Oui, vraiment", 'Dit "non"', "Normal", ("autre", text())])
    if rng.random() < 0.8:
        picked = rng.sample(["A", "-B", "C\nD", "autre"], rng.randint(1, 4))
        values[2] = (picked, text()) if "autre" in picked else picked
    if rng.random() < 0.8:
        values[3] = (rng.choice(["oui", "non"]), rng.choice([None, text()]))
    if rng.random() < 0.8:
        values[4] = rng.choice([0, 10, 100, Decimal("2.50"), Decimal("0.05"), Decimal("1234567.89"), 7])
    if rng.random() < 0.8:
        values[5] = rng.randint(1, 10)
    if rng.random() < 0.8:
        values[6] = tuple(rng.sample(["+Un", "Deux, trois", "Quatre"], rng.randint(1, 3)))
    if rng.random() < 0.8:
        values[7] = text()
    if rng.random() < 0.8:
        picked = rng.sample([*MANY, "autre"], rng.randint(1, 5))
        values[8] = (picked, text()) if "autre" in picked else picked
    if rng.random() < 0.8:
        values[9] = tuple(rng.sample(SEVEN, rng.randint(1, 7)))
    if rng.random() < 0.8:
        values[10] = rng.choice([f"N{n}" for n in range(1, 10)])
    return values


@pytest.mark.postgres
@pytest.mark.parametrize("lines", ["kept", "from answers", "rebuilt"])
def test_hostile_answers_give_the_same_bytes_on_both_paths(year, monkeypatch, lines):
    from mentorat import factories as f

    schools = [f.SchoolFactory(code=f"H{i}", order=[Order.PRIMARY, Order.SECONDARY][i % 2]) for i in range(4)]
    survey = hostile_survey(year)
    other = hostile_survey(year)  # another survey's responses in between: left out
    rng = random.Random(12)
    for n in range(80):
        school = rng.choice([*schools, None])
        order = school.order if school else rng.choice(["", Order.PRIMARY, Order.SECONDARY])
        week = datetime.date(2026, 11, 2) + datetime.timedelta(weeks=rng.randint(0, 5))
        respond(rng.choice([survey, survey, other]), hostile_values(rng), school=school, order=order, week=week)
        if n % 20 == 0:
            respond(survey, {}, order=order, week=week)  # a response without any answer
    if lines != "kept":
        survey.responses.update(raw_line="", raw_shape="")  # as written by another way than the application's
    if lines == "rebuilt":
        assert raw_lines_rebuild(survey=survey) == survey.responses.count()
    assert reads_kept_lines(survey) == (lines != "from answers")
    database = "".join(exports.raw_csv_stream(survey))
    python = python_csv(survey, monkeypatch)
    assert database == python
    assert python.startswith("\ufeffréponse,semaine,ordre,Q1. Choix,")
    for cell in ("'=1+1", "'@SOMME(A1)", ",'=Danger,", '"Oui, vraiment"', "'-B", "'+33 6 12", '"""=1+1"""'):
        assert cell in database
    rows = database.split("\r\n")
    assert len([row for row in rows if row.startswith(("1,", "2,", "3,"))]) >= 3
    assert any(",2.5," in row for row in rows) and any(",1234567.89," in row for row in rows)  # numbers as numbers
    assert ",'2.5," not in database


@pytest.mark.postgres
def test_a_number_is_kept_as_postgresql_rounds_it(year, monkeypatch):
    from mentorat import factories as f

    survey = make_random_survey(year, [f.SchoolFactory(code="N1")], random.Random(2), n=0)
    by_position = questions(survey)
    for number in (Decimal("2.545"), Decimal("7.005"), Decimal("3")):
        person = f.PersonFactory()
        answers = answer_values(by_position, {1: "Suffisant", 3: "non", 5: number})
        response_submit(invitation=invite(survey, person), answers=answers, now=OPENS)
    assert reads_kept_lines(survey)
    database = "".join(exports.raw_csv_stream(survey))
    assert database == python_csv(survey, monkeypatch)
    assert ",2.55," in database and ",7.01," in database and ",3," in database


@pytest.mark.postgres
def test_raw_lines_stream_in_small_chunks_and_stop_cleanly(year, monkeypatch):
    from mentorat import factories as f

    survey = make_random_survey(year, [f.SchoolFactory(code="S1")], random.Random(3), n=30)
    whole = "".join(exports.raw_csv_stream(survey))
    monkeypatch.setattr(exports, "COPY_CHUNK", 100)  # a chunk every line or so, lines cut across writes
    chunks = list(exports.raw_csv_stream(survey))
    assert len(chunks) > 10 and "".join(chunks) == whole
    stream = exports.raw_csv_stream(survey)
    next(stream), next(stream), next(stream)
    stream.close()  # a client gone: the database's work ends and the connection stays usable
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres
def test_an_empty_survey_gives_its_header_only(year):
    survey = hostile_survey(year)
    text = "".join(exports.raw_csv_stream(survey))
    assert text.count("\r\n") == 1 and text.startswith("\ufeffréponse,")
