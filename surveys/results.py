"""Aggregated survey results, computed in the database.

A handful of GROUP BY queries serve a whole survey, whatever its number of
questions or responses: answers are never loaded into Python (only up to
``texts_per_question`` free-text answers per question, for the people allowed
to read them).

Anonymity: a group (the whole survey, one order, one school) with fewer than
``min_group`` respondents is withheld, and when one group is withheld the next
smallest is withheld too, so that it cannot be recovered by subtracting the
shown groups from the total. Free text needs ``min_group_text`` in a breakdown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from schools.models import Order, School
from surveys import conf
from surveys.aggregates import ANSWERED, RESPONSES, SHOWN, TEXTS, choice_key
from surveys.models import YES, Answer, Choice, Question, QuestionKind, Response, ResultCount, Survey

WITHHELD_MESSAGE = _("pas assez de réponses")
NO_BIN = -1


@dataclass
class Scope:
    """Which respondents to count: all, one order or one school."""

    order: str = ""
    school: School | None = None

    @property
    def is_breakdown(self) -> bool:
        return bool(self.order or self.school)

    def response_filter(self, prefix: str = "") -> dict:
        if self.school is not None:
            return {f"{prefix}school_id": self.school.pk}
        if self.order:
            return {f"{prefix}order": self.order}
        return {}

    def label(self) -> str:
        if self.school is not None:
            return self.school.name
        if self.order:
            return str(Order(self.order).label)
        return str(_("Toutes les réponses"))


@dataclass
class Row:
    label: str
    count: int
    percent: Decimal | None = None
    second: int | None = None  # rankings: second-place count
    second_percent: Decimal | None = None
    previous_percent: Decimal | None = None  # same option, previous year's survey


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0  # answered the question
    shown: int = 0  # saw the question: the base of its percentages
    not_shown: int = 0  # a condition hid the question from them
    no_answer: int = 0  # saw it and left it blank
    rows: list[Row] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (context label, text)
    text_count: int = 0
    average: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    top_count: int | None = None  # 1–10 scale: answers 8–10
    nps: int | None = None
    no_second: int | None = None  # rankings: respondents who gave no second choice
    previous: QuestionResult | None = None

    @property
    def top_share(self) -> Decimal | None:
        return _share(self.top_count, self.shown) if self.top_count is not None else None

    @property
    def is_conditional(self) -> bool:
        return self.question.show_if_question_id is not None

    @property
    def no_answer_share(self) -> Decimal | None:
        return _share(self.no_answer, self.shown)

    def chart(self) -> dict:
        """The data Chart.js draws; the table beside it carries the same numbers."""
        kind = self.question.kind
        data = {
            "labels": [row.label for row in self.rows],
            "kind": kind,
            "datasets": [{"label": str(_("Nombre de réponses")), "data": [row.count for row in self.rows]}],
        }
        if kind == QuestionKind.RANKING:
            data["datasets"] = [
                {"label": str(_("1re place")), "data": [row.count for row in self.rows]},
                {"label": str(_("2e place")), "data": [row.second or 0 for row in self.rows]},
            ]
        elif self.previous is not None:
            data["datasets"] = [
                {"label": str(_("Cette année (%)")), "data": [_float(row.percent) for row in self.rows]},
                {"label": str(_("Année précédente (%)")), "data": [_float(row.previous_percent) for row in self.rows]},
            ]
        return data


@dataclass
class SurveyResults:
    survey: Survey
    scope: Scope
    respondents: int
    withheld: bool
    texts_allowed: bool
    questions: list[QuestionResult]
    withheld_orders: set = field(default_factory=set)
    withheld_schools: set = field(default_factory=set)  # worked out for a one-school scope only
    total: int = 0  # every respondent of the survey, whatever the scope


def _share(count: int | None, total: int) -> Decimal | None:
    if not total or count is None:
        return None
    return Decimal(count) / Decimal(total)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def suppressed(sizes: dict, minimum: int) -> set:
    """Groups to withhold: the small ones, then the next smallest until the hidden mass reaches the minimum.

    Keys ``None`` or ``""`` (respondents without a school or order) are never
    shown, so they count as already hidden.
    """
    hidden = {key for key, n in sizes.items() if key in (None, "") or n < minimum}
    if not any(key not in (None, "") for key in hidden):
        return hidden
    rest = sorted((n, str(key), key) for key, n in sizes.items() if key not in hidden)
    while sum(sizes[key] for key in hidden) < minimum and rest:
        hidden.add(rest.pop(0)[2])
    return hidden


@dataclass
class KeptCounts:
    """A survey's kept counts for one scope: its group sizes and the scope's figures of each question."""

    by_order: dict = field(default_factory=dict)  # order → respondents
    by_school: dict = field(default_factory=dict)  # school id → respondents (None: without a school)
    figures: dict = field(default_factory=dict)  # question pk → Counter of key → count


def kept_counts(surveys: list[Survey], scope: Scope, question_ids: list[int]) -> dict[int, KeptCounts]:
    """Each survey's group sizes and the scope's figures of these questions (one query on the kept counts).

    The whole survey and one order read the orders' rows only (a few hundred, not a set for each school);
    one school reads every school's respondents, on which its withholding depends, and its own figures.
    """
    sizes = Q(question_pk=0, key=RESPONSES)
    if scope.school is not None:
        wanted = sizes | Q(school_pk=scope.school.pk, question_pk__in=question_ids)
    else:
        wanted = Q(school_pk=0) & (sizes | Q(question_pk__in=question_ids, **scope.response_filter()))
    kept = {survey.pk: KeptCounts() for survey in surveys}
    rows = ResultCount.objects.filter(wanted, survey__in=[survey.pk for survey in surveys]).exclude(count=0)
    columns = ("survey_id", "question_pk", "school_pk", "order", "key", "count")
    for survey_id, question_pk, school_pk, order, key, n in rows.values_list(*columns):
        counts = kept[survey_id]
        if question_pk:
            counts.figures.setdefault(question_pk, Counter())[key] += n
        elif school_pk:
            counts.by_school[school_pk] = counts.by_school.get(school_pk, 0) + n
        else:
            counts.by_order[order] = counts.by_order.get(order, 0) + n
    for counts in kept.values():
        without_school = sum(counts.by_order.values()) - sum(counts.by_school.values())
        if scope.school is not None and without_school:
            counts.by_school[None] = without_school
    return kept


def _recount_group_sizes(survey: Survey, schools: bool) -> tuple[dict, dict]:
    by_order: dict = {}
    by_school: dict = {}
    rows = Response.objects.filter(survey=survey).values("order", "school_id").annotate(n=Count("id"))
    for row in rows:
        by_order[row["order"]] = by_order.get(row["order"], 0) + row["n"]
        if schools:
            by_school[row["school_id"]] = by_school.get(row["school_id"], 0) + row["n"]
    return by_order, by_school


def survey_questions(*surveys: Survey | None) -> dict[int, list[Question]]:
    """Each survey's questions in order, with their choices and the question each depends on (two queries)."""
    found: dict[int, list[Question]] = {survey.pk: [] for survey in surveys if survey is not None}
    questions = (
        Question.objects.filter(survey__in=list(found))
        .select_related("show_if_question")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
        .order_by("survey_id", "position")
    )
    for question in questions:
        found[question.survey_id].append(question)
    return found


def results_for(survey: Survey, scope: Scope, *, with_texts: bool = False, compare: bool = False) -> SurveyResults:
    """The survey's results and, when ``compare``, the previous year's beside each question copied from it.

    Both surveys' questions (two queries) and kept counts (one) are read together.
    """
    previous = survey.copied_from if compare else None
    questions = survey_questions(survey, previous)
    ids = [question.pk for listed in questions.values() for question in listed]
    kept = kept_counts([s for s in (survey, previous) if s is not None], scope, ids)
    results = survey_results(survey, scope, with_texts=with_texts, questions=questions[survey.pk], kept=kept[survey.pk])
    if previous is not None and any(question.origin_id for question in questions[survey.pk]):
        attach_previous(
            results, survey_results(previous, scope, questions=questions[previous.pk], kept=kept[previous.pk])
        )
    return results


def survey_results(
    survey: Survey,
    scope: Scope | None = None,
    *,
    with_texts: bool = False,
    questions: list[Question] | None = None,
    recount: bool = False,
    kept: KeptCounts | None = None,
) -> SurveyResults:
    """Every question's aggregates for the scope, or a withheld result under the thresholds.

    Figures come from the kept counts (``surveys.aggregates``), read here unless given; ``recount=True``
    computes them again from every answer, as before the counts were kept (tests compare both).
    """
    scope = scope or Scope()
    if questions is None:
        questions = list(survey.questions.prefetch_related("choices").order_by("position"))
    if recount:
        by_order, by_school = _recount_group_sizes(survey, schools=scope.school is not None)
    else:
        kept = kept or kept_counts([survey], scope, [question.pk for question in questions])[survey.pk]
        by_order, by_school = kept.by_order, kept.by_school
    minimum, minimum_text = conf.min_group(), conf.min_group_text()
    withheld_orders, withheld_schools = suppressed(by_order, minimum), suppressed(by_school, minimum)
    if scope.school is not None:
        respondents = by_school.get(scope.school.pk, 0)
        withheld = respondents < minimum or scope.school.pk in withheld_schools
        texts_ok = scope.school.pk not in suppressed(by_school, minimum_text)
    elif scope.order:
        respondents = by_order.get(scope.order, 0)
        withheld = respondents < minimum or scope.order in withheld_orders
        texts_ok = scope.order not in suppressed(by_order, minimum_text)
    else:
        respondents = sum(by_order.values())
        withheld = respondents < minimum
        texts_ok = True
    results = SurveyResults(
        survey,
        scope,
        respondents,
        withheld,
        with_texts and texts_ok and not withheld,
        [QuestionResult(question) for question in questions],
        withheld_orders,
        withheld_schools,
        total=sum(by_order.values()),
    )
    if not withheld and questions:
        if recount:
            _recount(results, scope)
        else:
            _fill(results, scope, kept.figures)
    return results


def _fill(results: SurveyResults, scope: Scope, figures: dict) -> None:
    """Every figure from the scope's kept counts, free texts from the answers."""
    by_id = {result.question.pk: result for result in results.questions}
    for pk, result in by_id.items():
        conditional = result.question.show_if_question_id in by_id
        _fill_question(result, figures.get(pk, Counter()), results.respondents, conditional)
    if results.texts_allowed:
        with_texts = [pk for pk, result in by_id.items() if result.text_count]
        answers = Answer.objects.filter(question_id__in=with_texts, **_texts_filter(results.survey, scope))
        if with_texts and connection.features.supports_slicing_ordering_in_compound:
            _fill_latest_texts(by_id, with_texts, answers)
        elif with_texts:
            _fill_texts(by_id, answers)


def _texts_filter(survey: Survey, scope: Scope) -> dict:
    """The scope's answers; a school's by the ids of its responses (one query, a few hundred at most).

    Joined to the responses instead, PostgreSQL reads every text of the question before keeping the
    school's: it takes the texts for rare among the answers (it multiplies the two conditions' shares).
    """
    if scope.school is None:
        return scope.response_filter("response__")
    ids = Response.objects.filter(survey=survey, school_id=scope.school.pk).values_list("pk", flat=True)
    return {"response_id__in": list(ids)}


def _fill_latest_texts(by_id: dict, ids: list[int], answers) -> None:
    """Each question's latest free texts, read backwards on the partial text index (one UNION ALL query)."""
    limit = conf.texts_per_question()
    parts = [
        answers.filter(question_id=pk, text__gt="")
        .order_by("-id")
        .values_list("id", "question_id", "choice__label", "boolean", "text")[:limit]
        for pk in ids
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for _id, question_id, choice_label, boolean, text in sorted(rows, key=lambda row: (row[1], row[0])):
        if boolean is not None:
            context = str(_("Oui") if boolean else _("Non"))
        else:
            context = choice_label or ""
        by_id[question_id].texts.append((context, text))


def _numbers(counts: Counter) -> list[tuple[Decimal, int]]:
    return sorted((Decimal(key[4:]), n) for key, n in counts.items() if key.startswith("num:") and n)


def _fill_question(result: QuestionResult, counts: Counter, respondents: int, conditional: bool) -> None:
    """One question's figures from its counts, the same as the recount from the answers gives."""
    question, kind = result.question, result.question.kind
    result.respondents, result.text_count = counts[ANSWERED], counts[TEXTS]
    result.shown = counts[SHOWN] if conditional else respondents
    result.not_shown = respondents - result.shown
    result.no_answer = max(result.shown - result.respondents, 0)
    total = result.shown
    if kind == QuestionKind.RANKING:
        for choice in question.choices.all():
            first, second = counts[choice_key(choice.pk, 1)], counts[choice_key(choice.pk, 2)]
            result.rows.append(Row(choice.label, first, _share(first, total), second, _share(second, total)))
        result.no_second = max(result.respondents - sum(row.second for row in result.rows), 0)
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        for choice in question.choices.all():
            n = counts[choice_key(choice.pk, None)]
            result.rows.append(Row(choice.label, n, _share(n, total)))
        if question.allow_other:
            n = counts[choice_key(None, None)]
            result.rows.append(Row(str(_("Autre")), n, _share(n, total)))
    elif kind == QuestionKind.YES_NO:
        for value, label in ((1, _("Oui")), (0, _("Non"))):
            n = counts[f"bool:{value}"]
            result.rows.append(Row(str(label), n, _share(n, total)))
    elif kind == QuestionKind.NUMBER:
        _number_figures(result, _numbers(counts))
    elif kind == QuestionKind.SCALE_10:
        _scale_figures(result, _numbers(counts))


def _number_figures(result: QuestionResult, numbers: list[tuple[Decimal, int]]) -> None:
    """Average, minimum, maximum and bins (the first bin that matches wins) of a number question."""
    count = sum(n for _value, n in numbers)
    if count:
        result.average = sum(value * n for value, n in numbers) / count
        result.minimum, result.maximum = numbers[0][0], numbers[-1][0]
    question = result.question
    if not question.bins:
        return
    bins = [0] * len(question.bins)
    outside = 0
    for value, n in numbers:
        for index, (low, high, *_rest) in enumerate(question.bins):
            if value >= low and (high is None or value <= high):
                bins[index] += n
                break
        else:
            outside += n
    for index, (low, high, *label) in enumerate(question.bins):
        result.rows.append(
            Row(
                question.bin_label(low, high, label[0] if label else ""), bins[index], _share(bins[index], result.shown)
            )
        )
    if outside:
        result.rows.append(Row(str(_("Hors des tranches")), outside, _share(outside, result.shown)))


def _scale_figures(result: QuestionResult, numbers: list[tuple[Decimal, int]]) -> None:
    """1–10 distribution, share answering 8–10 and NPS (promoters 9–10, detractors 1–6)."""
    by_value = Counter()
    for value, n in numbers:
        by_value[int(value)] = n  # as the recount's GROUP BY number: one figure per stored value
    for value in range(1, 11):
        result.rows.append(Row(str(value), by_value[value], _share(by_value[value], result.shown)))
    result.top_count = sum(by_value[value] for value in (8, 9, 10))
    if result.respondents:
        promoters = sum(by_value[value] for value in (9, 10))
        detractors = sum(by_value[value] for value in range(1, 7))
        result.nps = round(100 * (promoters - detractors) / result.respondents)


# The recount: every figure again from the answers (the rebuild's reference, and the tests').


def _recount(results: SurveyResults, scope: Scope) -> None:
    by_id = {result.question.pk: result for result in results.questions}
    answers = Answer.objects.filter(question_id__in=list(by_id), **scope.response_filter("response__"))
    _fill_totals(by_id, answers)
    _fill_shown(by_id, results, scope)
    _fill_choices(by_id, answers)
    _fill_booleans(by_id, answers)
    _fill_bins(by_id, answers)
    _fill_scales(by_id, answers)
    if results.texts_allowed:
        _fill_texts(by_id, answers)


def _ids(by_id: dict, *kinds: str) -> list[int]:
    return [pk for pk, result in by_id.items() if result.question.kind in kinds]


def _fill_totals(by_id: dict, answers) -> None:
    """Respondents per question, number statistics and text counts (one query)."""
    has_text = Q(text__isnull=False) & ~Q(text="")
    rows = (
        answers.values("question_id")
        .annotate(
            respondents=Count("response_id", distinct=True),
            average=Avg("number"),
            minimum=Min("number"),
            maximum=Max("number"),
            texts=Count("id", filter=has_text),
        )
        .order_by()
    )
    for row in rows:
        result = by_id[row["question_id"]]
        result.respondents = row["respondents"]
        result.text_count = row["texts"]
        if result.question.kind == QuestionKind.NUMBER:
            result.average, result.minimum, result.maximum = row["average"], row["minimum"], row["maximum"]


def _matches(condition: Question, value: str) -> Q:
    """Answers of the condition question that show the dependent question (same rule as surveys.rules)."""
    if condition.kind == QuestionKind.YES_NO:
        return Q(question_id=condition.pk, boolean=value == YES)
    return Q(question_id=condition.pk, choice__label=value)


def _shown_filter(question: Question, by_pk: dict) -> Q | None:
    """Responses that saw the question: each condition up the chain was answered with its value."""
    conditions, current, seen = [], question, {question.pk}
    while current.show_if_question_id in by_pk and current.show_if_question_id not in seen:
        condition = by_pk[current.show_if_question_id]
        conditions.append(
            Exists(Answer.objects.filter(_matches(condition, current.show_if_value), response=OuterRef("pk")))
        )
        seen.add(condition.pk)
        current = condition
    if not conditions:
        return None
    shown = Q(conditions[0])
    for condition in conditions[1:]:
        shown &= Q(condition)
    return shown


def _fill_shown(by_id: dict, results: SurveyResults, scope: Scope) -> None:
    """Who saw each question, who could not (a condition hid it) and who left it blank (one query)."""
    by_pk = {pk: result.question for pk, result in by_id.items()}
    filters = {pk: _shown_filter(question, by_pk) for pk, question in by_pk.items()}
    conditional = {f"shown_{pk}": Count("pk", filter=shown) for pk, shown in filters.items() if shown is not None}
    counts = (
        Response.objects.filter(survey=results.survey, **scope.response_filter()).aggregate(**conditional)
        if conditional
        else {}
    )
    for pk, result in by_id.items():
        result.shown = counts.get(f"shown_{pk}", results.respondents)
        result.not_shown = results.respondents - result.shown
        result.no_answer = max(result.shown - result.respondents, 0)


def _fill_choices(by_id: dict, answers) -> None:
    """Choice counts, "other" counts and first/second places of rankings (one query)."""
    ids = _ids(by_id, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
    if not ids:
        return
    counts = {}
    rows = (
        answers.filter(question_id__in=ids)
        .filter(Q(rank__isnull=True) | Q(rank__lte=2))
        .values("question_id", "choice_id", "rank")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[(row["question_id"], row["choice_id"], row["rank"])] = row["n"]
    for pk in ids:
        result = by_id[pk]
        question, total = result.question, result.shown
        if question.kind == QuestionKind.RANKING:
            for choice in question.choices.all():
                first, second = counts.get((pk, choice.pk, 1), 0), counts.get((pk, choice.pk, 2), 0)
                result.rows.append(Row(choice.label, first, _share(first, total), second, _share(second, total)))
            result.no_second = max(result.respondents - sum(row.second for row in result.rows), 0)
            continue
        for choice in question.choices.all():
            n = counts.get((pk, choice.pk, None), 0)
            result.rows.append(Row(choice.label, n, _share(n, total)))
        if question.allow_other:
            n = counts.get((pk, None, None), 0)
            result.rows.append(Row(str(_("Autre")), n, _share(n, total)))


def _fill_booleans(by_id: dict, answers) -> None:
    ids = _ids(by_id, QuestionKind.YES_NO)
    if not ids:
        return
    rows = (
        answers.filter(question_id__in=ids, boolean__isnull=False)
        .values("question_id", "boolean")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["question_id"], row["boolean"]): row["n"] for row in rows}
    for pk in ids:
        result = by_id[pk]
        for value, label in ((True, _("Oui")), (False, _("Non"))):
            n = counts.get((pk, value), 0)
            result.rows.append(Row(str(label), n, _share(n, result.shown)))


def _bin_expression(questions: list[Question]) -> Case:
    """Bin index of a number answer; the first matching bin of its question wins."""
    whens = []
    for question in questions:
        for index, (low, high, *_rest) in enumerate(question.bins or []):
            condition = Q(question_id=question.pk, number__gte=low)
            if high is not None:
                condition &= Q(number__lte=high)
            whens.append(When(condition, then=Value(index)))
    return Case(*whens, default=Value(NO_BIN), output_field=IntegerField())


def _fill_bins(by_id: dict, answers) -> None:
    questions = [by_id[pk].question for pk in _ids(by_id, QuestionKind.NUMBER)]
    binned = [question for question in questions if question.bins]
    if not binned:
        return
    rows = (
        answers.filter(question_id__in=[q.pk for q in binned], number__isnull=False)
        .annotate(bin=_bin_expression(binned))
        .values("question_id", "bin")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["question_id"], row["bin"]): row["n"] for row in rows}
    for question in binned:
        result = by_id[question.pk]
        for index, (low, high, *label) in enumerate(question.bins):
            n = counts.get((question.pk, index), 0)
            result.rows.append(
                Row(question.bin_label(low, high, label[0] if label else ""), n, _share(n, result.shown))
            )
        outside = counts.get((question.pk, NO_BIN), 0)
        if outside:
            result.rows.append(Row(str(_("Hors des tranches")), outside, _share(outside, result.shown)))


def _fill_scales(by_id: dict, answers) -> None:
    """1–10 distribution, share answering 8–10 and NPS (promoters 9–10, detractors 1–6)."""
    ids = _ids(by_id, QuestionKind.SCALE_10)
    if not ids:
        return
    rows = (
        answers.filter(question_id__in=ids, number__isnull=False)
        .values("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["question_id"], int(row["number"])): row["n"] for row in rows}
    for pk in ids:
        result = by_id[pk]
        total = result.respondents  # the NPS is a score of those who gave one
        for value in range(1, 11):
            n = counts.get((pk, value), 0)
            result.rows.append(Row(str(value), n, _share(n, result.shown)))
        result.top_count = sum(counts.get((pk, value), 0) for value in (8, 9, 10))
        if total:
            promoters = sum(counts.get((pk, value), 0) for value in (9, 10))
            detractors = sum(counts.get((pk, value), 0) for value in range(1, 7))
            result.nps = round(100 * (promoters - detractors) / total)


def _fill_texts(by_id: dict, answers) -> None:
    """The latest free-text answers of each question (one query, a window per question)."""
    limit = conf.texts_per_question()
    rows = (
        answers.filter(text__isnull=False)
        .exclude(text="")
        .annotate(row=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").desc()))
        .filter(row__lte=limit)
        .values_list("question_id", "choice__label", "boolean", "text")
        .order_by("question_id", "id")
    )
    for question_id, choice_label, boolean, text in rows:
        if boolean is not None:
            context = str(_("Oui") if boolean else _("Non"))
        else:
            context = choice_label or ""
        by_id[question_id].texts.append((context, text))


def attach_previous(current: SurveyResults, previous: SurveyResults) -> None:
    """Pair each copied question with its origin's results, option by option (matched by label)."""
    if previous.withheld:
        return
    by_id = {result.question.pk: result for result in previous.questions}
    for result in current.questions:
        origin = by_id.get(result.question.origin_id)
        if origin is None or not origin.rows:
            continue
        result.previous = origin
        percents = {row.label: row.percent for row in origin.rows}
        for row in result.rows:
            row.previous_percent = percents.get(row.label)
