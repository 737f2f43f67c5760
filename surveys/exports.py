"""Exports (aggregated CSV/XLSX, anonymised raw CSV) and the import of raw CSV in the same format.

Every exported cell starting with = + - @ (or a tab / carriage return) is
prefixed with an apostrophe so that a spreadsheet never runs it as a formula;
the import removes that apostrophe again, so export → import → export gives
the same file.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import groupby

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.spreadsheets import DANGEROUS, neutralise, safe_cell
from schools.models import Order
from surveys import aggregates, rules
from surveys.models import NO, YES, Answer, Question, QuestionKind, Response, ResponseImport, Survey
from surveys.results import SurveyResults

SEPARATOR = " | "
OTHER_LABEL = "Autre (précisez)"
FIXED_COLUMNS = ["réponse", "semaine", "ordre"]


def unneutralise(text: str) -> str:
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in DANGEROUS else text


class Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


# Aggregated results

AGGREGATE_HEADER = [
    "n°",
    "question",
    "type",
    "option",
    "nombre",
    "pourcentage",
    "2e place — nombre",
    "2e place — pourcentage",
    "répondants",
    "ont vu la question",
]


def _pct(value: Decimal | None):
    return None if value is None else round(float(value) * 100, 1)


def aggregate_rows(results: SurveyResults) -> Iterator[list]:
    """One row per question × option (typed values; the CSV writer makes them text).

    Percentages are of those who saw the question; a conditional question also
    reports how many it was not shown to, apart from those who left it blank.
    """
    for result in results.questions:
        q = result.question
        base = [q.position, " ".join(q.text.split()), q.get_kind_display()]

        def line(label, count, percent=None, second=None, second_percent=None, result=result, base=base):
            return base + [label, count, _pct(percent), second, _pct(second_percent), result.respondents, result.shown]

        for row in result.rows:
            yield line(row.label, row.count, row.percent, row.second, row.second_percent)
        if q.kind == QuestionKind.SCALE_10 and result.respondents:
            yield line(_("8 à 10"), result.top_count, result.top_share)
            yield line(_("NPS (calculé sur une échelle de 1 à 10)"), result.nps)
        if q.kind == QuestionKind.RANKING and result.no_second:
            yield line(_("Aucun 2e choix"), None, None, result.no_second)
        if q.kind == QuestionKind.NUMBER and result.average is not None:
            yield line(_("Moyenne"), round(float(result.average), 2))
        if q.kind == QuestionKind.TEXT:
            yield line(_("Réponses en texte libre"), result.text_count)
        yield line(_("Vue mais sans réponse"), result.no_answer, result.no_answer_share)
        if result.is_conditional:
            yield line(_("Non affichée (condition non remplie)"), result.not_shown)


def aggregate_csv(results: SurveyResults) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AGGREGATE_HEADER)
    for row in aggregate_rows(results):
        # Numbers stay numbers (an NPS of -52 is not a formula); only text is neutralised.
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return out.getvalue()


def aggregate_xlsx(results: SurveyResults) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Résultats"))
    sheet.append(AGGREGATE_HEADER)
    for row in aggregate_rows(results):
        sheet.append([safe_cell(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Raw responses


def _questions(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").select_related("show_if_question").order_by("position"))


def _has_other_column(question: Question) -> bool:
    return question.allow_other and question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)


def raw_header(questions: list[Question]) -> list[str]:
    header = list(FIXED_COLUMNS)
    for q in questions:
        header.append(f"Q{q.position}. {' '.join(q.text.split())}")
        if _has_other_column(q):
            extra = "Pourquoi ?" if q.kind == QuestionKind.YES_NO else OTHER_LABEL
            header.append(f"Q{q.position}. {extra}")
    return header


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


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
            main = _number_text(number)
        else:
            main = text or ""
    return [main, other] if _has_other_column(question) else [main]


def raw_rows(survey: Survey, chunk_size: int = 5000) -> Iterator[list[str]]:
    """Header then one row per response, in constant memory.

    Two ordered streams read side by side, without a join or a sort in the
    database: the responses by id and their answers by response id (found
    through the survey's question ids).
    """
    questions = _questions(survey)
    yield raw_header(questions)
    labels = {choice.pk: choice.label for q in questions for choice in q.choices.all()}
    choice_positions = {choice.pk: choice.position for q in questions for choice in q.choices.all()}
    positions = {q.pk: q.position for q in questions}
    last = 1 << 30

    def answer_order(answer: tuple) -> tuple:
        _rid, question_id, choice_id, _number, rank, *_rest, answer_id = answer
        return (
            positions[question_id],
            last if rank is None else rank,
            choice_positions.get(choice_id, last),  # « Autre » after the options
            answer_id,
        )

    responses = (
        Response.objects.filter(survey=survey)
        .order_by("id")
        .values_list("id", "submitted_week", "order")
        .iterator(chunk_size=chunk_size)
    )
    answers = (
        Answer.objects.filter(question_id__in=list(positions))
        .order_by("response_id")
        .values_list("response_id", "question_id", "choice_id", "number", "rank", "boolean", "text", "id")
        .iterator(chunk_size=chunk_size * 10)
    )
    pending = next(answers, None)
    for number, (response_id, week, order) in enumerate(responses, start=1):
        group = []
        while pending is not None and pending[0] <= response_id:
            if pending[0] == response_id:
                group.append(pending)
            pending = next(answers, None)
        by_question: dict[int, list[tuple]] = {}
        if len(group) > 1:
            group.sort(key=answer_order)
        for _rid, question_id, *values, _id in group:
            by_question.setdefault(question_id, []).append(tuple(values))
        line = [str(number), week.isoformat(), order]
        for q in questions:
            line.extend(_cells(q, by_question.get(q.pk, ()), labels))
        yield line


def raw_csv_stream(survey: Survey) -> Iterable[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # so Excel opens UTF-8 accents correctly
    if connection.vendor == "postgresql":
        questions = _questions(survey)
        yield writer.writerow([neutralise(cell) for cell in raw_header(questions)])
        for rows in _pg_raw_chunks(survey, questions):
            yield "".join([writer.writerow(row) for row in rows])
        return
    for row in raw_rows(survey):
        yield writer.writerow([neutralise(cell) for cell in row])


PG_DANGEROUS = "('=', '+', '-', '@', chr(9), chr(13))"  # DANGEROUS, in SQL


def _pg_safe(expression: str) -> str:
    """SQL of neutralise(): a cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"(CASE WHEN left({expression}, 1) IN {PG_DANGEROUS} THEN chr(39) || {expression} ELSE {expression} END)"


def _pg_raw_query(survey: Survey, questions: list[Question]) -> tuple[str, list]:
    """One row per response, its cells built by PostgreSQL (the same cells as raw_rows, in id order).

    The answers are grouped as they are read in response order: no Python work
    per answer, which is what makes 150,000 responses a matter of seconds.
    """
    columns, params = [], []
    for q in questions:
        pk = int(q.pk)
        only = f"FILTER (WHERE a.question_id = {pk})"
        if q.kind == QuestionKind.SINGLE:  # one answer: no sort needed
            columns.append(f"max(coalesce(c.label, %s)) {only}")
            params += [OTHER_LABEL]
            if _has_other_column(q):
                columns.append(f"max(a.text) FILTER (WHERE a.question_id = {pk} AND a.choice_id IS NULL)")
        elif q.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
            columns.append(f"string_agg(coalesce(c.label, %s), %s ORDER BY a.rank, c.position, a.id) {only}")
            params += [OTHER_LABEL, SEPARATOR]
            if _has_other_column(q):
                columns.append(f"max(a.text) FILTER (WHERE a.question_id = {pk} AND a.choice_id IS NULL)")
        elif q.kind == QuestionKind.YES_NO:
            columns.append(f"max(CASE WHEN a.boolean THEN %s ELSE %s END) {only}")
            params += [YES, NO]
            if _has_other_column(q):
                columns.append(f"max(a.text) {only}")
        elif q.kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
            columns.append(f"max(trim_scale(a.number)::text) {only}")
        else:
            columns.append(f"max(a.text) {only}")
    safe = [_pg_safe(column) for column in columns]
    # Each aggregate is written twice in the CASE: PostgreSQL computes an identical aggregate once.
    sql = (
        f'SELECT r.submitted_week, r."order"{"".join(", " + cell for cell in safe)} '
        "FROM surveys_response r "
        "LEFT JOIN surveys_answer a ON a.response_id = r.id "
        "LEFT JOIN surveys_choice c ON c.id = a.choice_id "
        "WHERE r.survey_id = %s GROUP BY r.id ORDER BY r.id"
    )
    # The CASE repeats each column three times, with its parameters.
    params = [value for column_params in _repeat_params(columns, params) for value in column_params]
    return sql, [*params, survey.pk]


def _repeat_params(columns: list[str], params: list) -> Iterator[list]:
    """Each column's parameters three times (the CASE of _pg_safe names the column three times)."""
    index = 0
    for column in columns:
        count = column.count("%s")
        yield params[index : index + count] * 3
        index += count


def _pg_raw_chunks(survey: Survey, questions: list[Question], size: int = 5000) -> Iterator[list[list]]:
    """Rows of the raw export in chunks, read through a server-side cursor (constant memory)."""
    sql, params = _pg_raw_query(survey, questions)
    number = 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            chunk = []
            for week, order, *cells in rows:
                number += 1
                chunk.append([number, week.isoformat(), order, *cells])
            yield chunk


# Import


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _parse_cells(question: Question, main: str, other: str) -> list[dict]:
    """Typed answers of one cell (and its "other"/"why" cell); raises ValueError with a French message."""
    kind = question.kind
    if not main:
        if other:
            raise ValueError(_("texte « autre / pourquoi » sans réponse principale"))
        return []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
        by_label = {choice.label: choice for choice in question.choices.all()}
        picked = [part.strip() for part in main.split(SEPARATOR.strip())]
        if len(set(picked)) != len(picked):
            raise ValueError(_("option répétée"))
        if kind == QuestionKind.SINGLE and len(picked) > 1:
            raise ValueError(_("une seule option attendue"))
        answers = []
        for rank, label in enumerate(picked, start=1):
            if label == OTHER_LABEL and question.allow_other and kind != QuestionKind.RANKING:
                answers.append({"choice": None, "text": other or None})
            elif label in by_label:
                answers.append({"choice": by_label[label], "rank": rank if kind == QuestionKind.RANKING else None})
            else:
                raise ValueError(_("option inconnue « %(label)s »") % {"label": label})
        return answers
    if kind == QuestionKind.YES_NO:
        if main not in (YES, NO):
            raise ValueError(_("« oui » ou « non » attendu"))
        return [{"boolean": main == YES, "text": other or None}]
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
        try:
            number = Decimal(main.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("nombre attendu")) from None
        if not number.is_finite() or number < 0 or number >= Decimal("1e10"):
            raise ValueError(_("nombre hors limites"))
        if kind == QuestionKind.SCALE_10 and (number != number.to_integral_value() or not 1 <= number <= 10):
            raise ValueError(_("nombre entier de 1 à 10 attendu"))
        return [{"number": number.quantize(Decimal("0.01"))}]
    return [{"text": main}]


def _rule_errors(questions: list[Question], answers: list[dict]) -> list[str]:
    """The web form's rules (conditions, required questions) applied to one imported row."""
    selected: dict[int, set[str]] = {}
    for answer in answers:
        values = selected.setdefault(answer["question"].pk, set())
        if answer.get("boolean") is not None:
            values.add(YES if answer["boolean"] else NO)
        elif answer.get("choice") is not None:
            values.add(answer["choice"].label)
    answered = {answer["question"].pk for answer in answers}
    errors = []
    for question, problem in rules.answer_problems(questions, selected, answered):
        if problem == rules.HIDDEN:
            condition = question.show_if_question
            errors.append(
                _("Q%(n)s : réponse à une question non affichée (seulement si Q%(c)s = « %(value)s »)")
                % {"n": question.position, "c": condition.position, "value": question.show_if_value}
            )
        else:
            errors.append(_("Q%(n)s : réponse obligatoire manquante") % {"n": question.position})
    return errors


def _parse_row(line: list[str], questions: list[Question]) -> tuple[Response, list[dict]]:
    """One CSV row → an unsaved Response and its answers; raises ValueError with the column name."""
    try:
        week = datetime.date.fromisoformat(line[1])
    except ValueError:
        raise ValueError(_("semaine : date AAAA-MM-JJ attendue")) from None
    if line[2] not in Order.values and line[2] != "":
        raise ValueError(_("ordre : « primaire », « secondaire » ou vide attendu"))
    response = Response(submitted_week=week, order=line[2])
    answers, column = [], len(FIXED_COLUMNS)
    for q in questions:
        main = line[column]
        other = line[column + 1] if _has_other_column(q) else ""
        column += 2 if _has_other_column(q) else 1
        try:
            answers.extend({"question": q, **values} for values in _parse_cells(q, main, other))
        except ValueError as error:
            raise ValueError(f"Q{q.position} : {error}") from None
    problems = _rule_errors(questions, answers)
    if problems:
        raise ValueError(" ; ".join(problems))
    return response, answers


def _answer_tuples(answers: list[dict]) -> list[tuple]:
    return [
        (
            a["question"].pk,
            a["choice"].pk if a.get("choice") else None,
            a.get("number"),
            a.get("rank"),
            a.get("boolean"),
            a.get("text"),
        )
        for a in answers
    ]


def _row_key(week: datetime.date, order: str, answers: Iterable[tuple]) -> str:
    """A short fingerprint of one response: its week, order and typed answers, in any order."""
    values = sorted(
        json.dumps(
            [qid, cid, None if number is None else format(Decimal(number).normalize(), "f"), rank, boolean, text]
        )
        for qid, cid, number, rank, boolean, text in answers
    )
    payload = json.dumps([week.isoformat(), order or "", values])
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _recorded_keys(survey: Survey) -> list[str]:
    """The fingerprints of the responses the survey already holds (one query)."""
    rows = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id")
        .values_list(
            "response_id",
            "response__submitted_week",
            "response__order",
            "question_id",
            "choice_id",
            "number",
            "rank",
            "boolean",
            "text",
        )
    )
    keys = []
    for _id, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        keys.append(_row_key(group[0][1], group[0][2], [row[3:] for row in group]))
    return keys


def _refuse_duplicates(survey: Survey, keys: list[str]) -> None:
    """Refuse a file that brings back a whole earlier import, or every response already recorded."""
    new = Counter(keys)
    for earlier in survey.imports.all():
        if not Counter(earlier.row_keys) - new:
            n = len(earlier.row_keys)
            message = ngettext(
                "Ce fichier a déjà été importé le %(date)s (sa ligne est dans ce fichier) : rien n'a été importé. "
                "N'importez que les nouvelles réponses.",
                "Ce fichier a déjà été importé le %(date)s (ses %(n)s lignes sont toutes dans ce fichier) : "
                "rien n'a été importé. N'importez que les nouvelles réponses.",
                n,
            )
            date = formats.date_format(timezone.localtime(earlier.imported_at), "j F Y, H:i")
            raise ImportFailed([message % {"date": date, "n": n}])
    recorded = Counter(_recorded_keys(survey))
    if recorded and not recorded - new:
        n = recorded.total()
        message = ngettext(
            "Ce fichier contient la réponse déjà enregistrée pour ce sondage : rien n'a été importé. "
            "N'importez que les nouvelles réponses.",
            "Ce fichier contient les %(n)s réponses déjà enregistrées pour ce sondage : rien n'a été importé. "
            "N'importez que les nouvelles réponses.",
            n,
        )
        raise ImportFailed([message % {"n": n}])


def raw_import(*, survey: Survey, file) -> int:
    """Add the responses of a raw CSV (same format as the export): all rows or none."""
    questions = _questions(survey)
    header = raw_header(questions)
    try:
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        first = next(reader, None)
    except UnicodeDecodeError:
        raise ImportFailed([_("Le fichier doit être un CSV encodé en UTF-8.")]) from None
    if first is None or [unneutralise(cell) for cell in first] != header:
        raise ImportFailed(
            [
                _(
                    "Ligne 1 : les colonnes ne correspondent pas aux questions de ce sondage. "
                    "Partez d'un export des réponses de ce sondage."
                )
            ]
        )
    errors, parsed = [], []
    try:
        for line_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(parsed) >= settings.IMPORT_MAX_ROWS:
                errors.append(
                    _("Ligne %(n)s : trop de lignes (maximum %(max)s).")
                    % {"n": line_number, "max": settings.IMPORT_MAX_ROWS}
                )
                break
            if len(row) != len(header):
                errors.append(
                    _("Ligne %(n)s : %(got)s colonnes au lieu de %(want)s.")
                    % {"n": line_number, "got": len(row), "want": len(header)}
                )
                continue
            try:
                parsed.append(_parse_row([unneutralise(cell.strip()) for cell in row], questions))
            except ValueError as error:
                errors.append(_("Ligne %(n)s : %(error)s") % {"n": line_number, "error": error})
    except (UnicodeDecodeError, csv.Error):
        errors.append(_("Le fichier doit être un CSV encodé en UTF-8."))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        # Locks the survey so that two uploads of one file cannot both pass the duplicate check.
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        keys = [
            _row_key(response.submitted_week, response.order, _answer_tuples(answers)) for response, answers in parsed
        ]
        _refuse_duplicates(survey, keys)
        ResponseImport.objects.create(survey=survey, row_keys=keys)
        responses = [response for response, _answers in parsed]
        for response in responses:
            response.survey = survey
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(
            Answer(response=response, **values) for response, answers in parsed for values in answers
        )
        aggregates.record(survey, parsed, aggregates.SurveyShape(questions))
    return len(parsed)
