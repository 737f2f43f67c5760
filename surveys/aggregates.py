"""Per-survey result counts (``ResultCount``), kept up to date in the transaction of each write.

A response adds one to a handful of figures (see ``ResultCount``): the results
page, its breakdowns, the year comparison and the aggregated exports read
these few hundred rows instead of every answer. Counts are added with one
``INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count``
(SQLite and PostgreSQL), so concurrent submissions never lose one.

``survey_rebuild`` recounts a survey from its answers (the management command
``rebuild_survey_aggregates``); ``responses_delete`` removes responses and
their counts together (retention, anonymisation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby

from django.db import connection, transaction

from surveys import rules
from surveys.models import CHOICE_KINDS, NO, YES, Question, QuestionKind, Response, ResultCount, Survey

RESPONSES, ANSWERED, TEXTS, SHOWN = "responses", "answered", "texts", "shown"
CENT = Decimal("0.01")

# (question_pk, key) → count, for one response or a group of them.
Figures = Counter
# (question_pk, school_pk, order, key) → count.
Delta = Counter


def number_key(number) -> str:
    """A number as the database keeps it (2 decimals), without trailing zeros: « 7 », « 7.5 »."""
    return format(Decimal(number).quantize(CENT).normalize(), "f")


def choice_key(choice_id: int | None, rank: int | None) -> str:
    return f"choice:{choice_id or ''}:{'' if rank is None else rank}"


class SurveyShape:
    """What counting needs to know of a survey's questions (loaded once per write)."""

    def __init__(self, questions: Iterable[Question]):
        self.questions = {question.pk: question for question in questions}
        self.labels = {choice.pk: choice.label for q in self.questions.values() for choice in q.choices.all()}
        self.conditional = [q for q in self.questions.values() if q.show_if_question_id in self.questions]

    @classmethod
    def of(cls, survey: Survey) -> SurveyShape:
        return cls(survey.questions.prefetch_related("choices"))

    def figures(self, answers: Iterable[tuple]) -> Figures:
        """One response's figures from its answers (question_id, choice_id, number, rank, boolean, text)."""
        figures, selected, answered = Figures({(0, RESPONSES): 1}), {}, set()
        for question_id, choice_id, number, rank, boolean, text in answers:
            question = self.questions.get(question_id)
            if question is None:
                continue
            answered.add(question_id)
            if text:
                figures[(question_id, TEXTS)] += 1
            if question.kind in CHOICE_KINDS:
                if rank is None or rank <= 2:  # the results show first and second places only
                    figures[(question_id, choice_key(choice_id, rank))] += 1
                if choice_id:
                    selected.setdefault(question_id, set()).add(self.labels.get(choice_id))
            elif question.kind == QuestionKind.YES_NO and boolean is not None:
                figures[(question_id, f"bool:{int(boolean)}")] += 1
                selected.setdefault(question_id, set()).add(YES if boolean else NO)
            elif question.kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10) and number is not None:
                figures[(question_id, f"num:{number_key(number)}")] += 1
        for question_id in answered:
            figures[(question_id, ANSWERED)] += 1
        if self.conditional:
            shown = rules.shown_ids(self.questions.values(), selected)
            for question in self.conditional:
                if question.pk in shown:
                    figures[(question.pk, SHOWN)] += 1
        return figures


def spread(figures: Figures, school_pk: int | None, order: str, delta: Delta | None = None) -> Delta:
    """Count the figures in the response's school row and in its order's row (school_pk 0)."""
    delta = Delta() if delta is None else delta
    for (question_pk, key), n in figures.items():
        delta[(question_pk, 0, order or "", key)] += n
        if school_pk:
            delta[(question_pk, school_pk, order or "", key)] += n
    return delta


def answer_tuple(values: dict) -> tuple:
    """An answer dict of the form or the import as (question_id, choice_id, number, rank, boolean, text)."""
    choice = values.get("choice")
    return (
        values["question"].pk,
        choice.pk if choice is not None else None,
        values.get("number"),
        values.get("rank"),
        values.get("boolean"),
        values.get("text"),
    )


def _lock_order(row: tuple) -> tuple:
    """Every writer takes row locks in one order, the busiest row (the order's response count) first."""
    question_pk, school_pk, order, key = row
    return (question_pk != 0 or school_pk != 0, question_pk, school_pk, order, key)


def apply(survey_id: int, delta: Delta, *, sign: int = 1, replace: bool = False) -> None:
    """Add (or subtract) the delta to the survey's counts in one upsert per 500 rows."""
    rows = sorted((row for row, n in delta.items() if n), key=_lock_order)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ResultCount._meta.db_table)
    columns = ", ".join(quote(c) for c in ("survey_id", "question_pk", "school_pk", "order", "key", "count"))
    conflict = ", ".join(quote(c) for c in ("survey_id", "school_pk", "order", "question_pk", "key"))
    update = "excluded.count" if replace else f"{table}.{quote('count')} + excluded.{quote('count')}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            params = [
                value
                for question_pk, school_pk, order, key in batch
                for value in (
                    survey_id,
                    question_pk,
                    school_pk,
                    order,
                    key,
                    sign * delta[(question_pk, school_pk, order, key)],
                )
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {quote('count')} = {update}",
                params,
            )
    if sign < 0:
        ResultCount.objects.filter(survey_id=survey_id, count=0).delete()


def record(
    survey: Survey, responses: Iterable[tuple[Response, Iterable[dict]]], shape: SurveyShape | None = None
) -> None:
    """Count new responses (each with its answer dicts); call inside the transaction that saves them."""
    shape = shape or SurveyShape.of(survey)
    delta = Delta()
    for response, answers in responses:
        figures = shape.figures(answer_tuple(values) for values in answers)
        spread(figures, response.school_id, response.order, delta)
    apply(survey.pk, delta)


def count_stored(survey: Survey, responses=None, shape: SurveyShape | None = None) -> Delta:
    """The counts of stored responses (all the survey's, or a queryset of them), read in one streamed query."""
    shape = shape or SurveyShape.of(survey)
    responses = Response.objects.filter(survey=survey) if responses is None else responses
    rows = (
        responses.order_by("id")
        .values_list(
            "id",
            "school_id",
            "order",
            "answers__question_id",
            "answers__choice_id",
            "answers__number",
            "answers__rank",
            "answers__boolean",
            "answers__text",
        )
        .iterator(chunk_size=5000)
    )
    delta = Delta()
    for _id, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        answers = (row[3:] for row in group if row[3] is not None)
        spread(shape.figures(answers), group[0][1], group[0][2], delta)
    return delta


def _lock_counts(survey: Survey) -> None:
    """Wait for the survey's submissions in progress and hold new ones (they all update these rows first)."""
    list(
        ResultCount.objects.select_for_update()
        .filter(survey=survey, question_pk=0, school_pk=0)
        .order_by("order", "key")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def survey_rebuild(*, survey: Survey) -> int:
    """Recount a survey's results from its answers; returns the number of count rows."""
    _lock_counts(survey)
    ResultCount.objects.filter(survey=survey).delete()
    delta = count_stored(survey)
    apply(survey.pk, delta, replace=True)
    return len(delta)


@transaction.atomic
def responses_delete(*, survey: Survey, responses) -> int:
    """Delete responses (a queryset of the survey's) and take them out of its counts; returns how many."""
    responses = responses.filter(survey=survey)
    _lock_counts(survey)
    apply(survey.pk, count_stored(survey, responses), sign=-1)
    deleted = responses.count()
    Response.objects.filter(pk__in=responses.values("pk")).delete()
    return deleted


def stored_counts(survey: Survey) -> Delta:
    """The survey's counts as kept, non-zero only (for comparisons with a recount)."""
    rows = ResultCount.objects.filter(survey=survey).exclude(count=0)
    return Delta({(r.question_pk, r.school_pk, r.order, r.key): r.count for r in rows})
