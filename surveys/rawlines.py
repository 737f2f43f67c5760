"""Each response's line of the raw CSV, written with its answers and kept on the response.

A line of the raw export is the response's number, then its cells: week,
order and each question's cell(s), text neutralised. The submission and the
import keep the finished text of those cells on the ``Response``
(``raw_line``), in the transaction that saves its answers, with the
fingerprint of the survey's layout it was written for (``raw_shape``). On
PostgreSQL the export then reads these lines in one sequential pass instead of
pivoting every answer (``exports.raw_csv_stream``).

A line whose fingerprint is not the survey's current one is never exported:
responses stored by another way, or a survey whose options were renamed in the
admin, are exported from their answers until ``raw_lines_rebuild`` rewrites
their lines (``manage.py rebuild_survey_aggregates``).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from mentorat.spreadsheets import DANGEROUS, neutralise
from surveys.models import NO, YES, Answer, Question, QuestionKind, Response, Survey

SEPARATOR = " | "
OTHER_LABEL = "Autre (précisez)"
FIXED_COLUMNS = ["réponse", "semaine", "ordre"]
# Bump when the code below writes a line differently: every kept line then waits for the rebuild.
LINE_FORMAT = 1
LAST = 1 << 30
CENT = Decimal("0.01")


class Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


WRITER = csv.writer(Echo())


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").select_related("show_if_question").order_by("position"))


def has_other_column(question: Question) -> bool:
    return question.allow_other and question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)


def raw_header(questions: list[Question]) -> list[str]:
    header = list(FIXED_COLUMNS)
    for q in questions:
        header.append(f"Q{q.position}. {' '.join(q.text.split())}")
        if has_other_column(q):
            extra = "Pourquoi ?" if q.kind == QuestionKind.YES_NO else OTHER_LABEL
            header.append(f"Q{q.position}. {extra}")
    return header


class NumberCell(str):
    """A number's text in the raw export: a number stays a number, it is never neutralised."""


def raw_cell(cell) -> str:
    """The text written for one raw-export cell: numbers as they are, text neutralised."""
    return cell if isinstance(cell, (int, NumberCell)) else neutralise(cell)


def csv_field(text: str) -> str:
    """One neutralised text cell as csv.writer writes it inside a row."""
    text = neutralise(text)
    return '"' + text.replace('"', '""') + '"' if any(char in text for char in ',"\r\n') else text


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _cells(question: Question, answers: list[tuple], labels: dict) -> list[str]:
    """The question's cell(s) from its answer rows (choice_id, number, rank, boolean, text)."""
    main, other = "", ""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
        picked = [labels[choice_id] if choice_id else OTHER_LABEL for choice_id, *_rest in answers]
        main = SEPARATOR.join(picked)
        other = next((text for choice_id, _n, _r, _b, text in answers if choice_id is None and text), "") or ""
    elif answers:
        _choice, number, _rank, boolean, text = answers[0]
        if kind == QuestionKind.YES_NO:
            main, other = (YES if boolean else NO), (text or "")
        elif kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
            main = NumberCell(_number_text(number))
        else:
            main = text or ""
    return [main, other] if has_other_column(question) else [main]


class Layout:
    """The raw CSV's columns for a survey's questions: one response's cells, and the layout's fingerprint."""

    def __init__(self, questions: Iterable[Question]):
        self.questions = sorted(questions, key=lambda q: q.position)
        choices = [choice for q in self.questions for choice in q.choices.all()]
        self.labels = {choice.pk: choice.label for choice in choices}
        self.choice_positions = {choice.pk: choice.position for choice in choices}
        self.positions = {q.pk: q.position for q in self.questions}
        self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> str:
        """Changes whenever a kept line would: the format, the questions' kinds and columns, their options."""
        layout: list = [LINE_FORMAT, SEPARATOR, OTHER_LABEL, YES, NO, list(DANGEROUS)]
        for q in self.questions:
            choices = sorted(q.choices.all(), key=lambda choice: choice.position)
            layout.append([q.pk, q.kind, has_other_column(q), [[choice.pk, choice.label] for choice in choices]])
        return hashlib.sha256(json.dumps(layout).encode()).hexdigest()[:16]

    def header(self) -> list[str]:
        return raw_header(self.questions)

    def _answer_order(self, answer: tuple) -> tuple:
        question_id, choice_id, _number, rank, _boolean, _text, key = answer
        return (
            self.positions[question_id],
            LAST if rank is None else rank,
            self.choice_positions.get(choice_id, LAST),  # « Autre » after the options
            key,
        )

    def cells(self, week: datetime.date, order: str, answers: list[tuple]) -> list:
        """A response's cells after its number, from its answers.

        Each answer is (question_id, choice_id, number, rank, boolean, text, key),
        in any order; the key (the answer's id) orders ties as they were saved.
        """
        if len(answers) > 1:
            answers = sorted(answers, key=self._answer_order)
        by_question: dict[int, list[tuple]] = {}
        for question_id, *values, _key in answers:
            by_question.setdefault(question_id, []).append(tuple(values))
        cells = [week.isoformat(), order]
        for q in self.questions:
            cells.extend(_cells(q, by_question.get(q.pk, ()), self.labels))
        return cells

    def line(self, week: datetime.date, order: str, answers: list[tuple]) -> str:
        return written(self.cells(week, order, answers))


def written(cells: list) -> str:
    """Cells as the export writes them after the response's number, without the line end."""
    return WRITER.writerow([raw_cell(cell) for cell in cells])[:-2]


def response_cells(layout: Layout, responses: Iterable[tuple], answers: Iterable[tuple]) -> Iterator[tuple]:
    """(response id, week, order, cells) of each response, from two streams in response id order.

    ``responses`` gives (id, week, order), ``answers`` (response_id, question_id,
    choice_id, number, rank, boolean, text, id): read side by side, without a
    join or a sort in the database.
    """
    answers = iter(answers)
    pending = next(answers, None)
    for response_id, week, order in responses:
        group = []
        while pending is not None and pending[0] <= response_id:
            if pending[0] == response_id:
                group.append(pending[1:])
            pending = next(answers, None)
        yield response_id, week, order, layout.cells(week, order, group)


def _answers(layout: Layout):
    return Answer.objects.filter(question_id__in=list(layout.positions)).order_by("response_id")


ANSWER_COLUMNS = ("response_id", "question_id", "choice_id", "number", "rank", "boolean", "text", "id")


def survey_cells(survey: Survey, layout: Layout, chunk_size: int = 5000) -> Iterator[tuple]:
    """Every response of the survey with its cells, in id order and constant memory."""
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("id")
        .values_list("id", "submitted_week", "order")
        .iterator(chunk_size=chunk_size)
    )
    answers = _answers(layout).values_list(*ANSWER_COLUMNS).iterator(chunk_size=chunk_size * 10)
    return response_cells(layout, responses, answers)


def stamp(layout: Layout, response: Response, answers: list[dict]) -> None:
    """Write a new response's line from the answers about to be saved with it (dicts of the form or the import).

    Call before saving the answers in the list's order: their ids follow it.
    """
    tuples = []
    for key, values in enumerate(answers):
        choice, number = values.get("choice"), values.get("number")
        tuples.append(
            (
                values["question"].pk,
                None if choice is None else choice.pk,
                None if number is None else Decimal(number).quantize(CENT, ROUND_HALF_UP),  # as PostgreSQL keeps it
                values.get("rank"),
                values.get("boolean"),
                values.get("text"),
                key,
            )
        )
    response.raw_line = layout.line(response.submitted_week, response.order, tuples)
    response.raw_shape = layout.fingerprint


def raw_lines_rebuild(*, survey: Survey, window: int = 2000) -> int:
    """Rewrite the kept line of each of the survey's responses from its answers; returns how many.

    A window of responses at a time, each read whole before it is written: constant
    memory, and no lock held (a response submitted meanwhile writes its own line).
    """
    layout = Layout(questions_of(survey))
    after, done = 0, 0
    while True:
        responses = list(
            Response.objects.filter(survey=survey, id__gt=after)
            .order_by("id")
            .values_list("id", "submitted_week", "order")[:window]
        )
        if not responses:
            return done
        first, after = responses[0][0], responses[-1][0]
        answers = _answers(layout).filter(response_id__gte=first, response_id__lte=after)
        lines = [
            (response_id, written(cells))
            for response_id, _week, _order, cells in response_cells(
                layout, responses, answers.values_list(*ANSWER_COLUMNS)
            )
        ]
        _write(lines, layout.fingerprint)
        done += len(lines)


def _write(lines: list[tuple[int, str]], fingerprint: str) -> None:
    """Set the lines of these responses in one statement (bulk_update's CASE costs more in Python than the rest)."""
    quote = connection.ops.quote_name
    table = quote(Response._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(lines))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote('raw_line')} = v.column2, {quote('raw_shape')} = %s"
            f" FROM (VALUES {values}) AS v WHERE {table}.{quote('id')} = v.column1",
            [fingerprint, *(value for line in lines for value in line)],
        )
