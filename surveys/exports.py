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
import queue
import struct
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import groupby

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.spreadsheets import DANGEROUS, neutralise, safe_cell, xlsx_with_rows
from schools.models import Order
from surveys import aggregates, rules
from surveys.models import NO, YES, Answer, Question, QuestionKind, Response, ResponseImport, Survey
from surveys.rawlines import (
    FIXED_COLUMNS,
    OTHER_LABEL,
    SEPARATOR,
    Echo,
    Layout,
    csv_field,
    has_other_column,
    questions_of,
    raw_cell,
    raw_header,
    stamp,
    survey_cells,
)
from surveys.results import SurveyResults


def unneutralise(text: str) -> str:
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in DANGEROUS else text


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
    """The workbook: openpyxl (write-only) writes its frame and header, the rows are written as XML."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Résultats"))
    sheet.append(AGGREGATE_HEADER)
    frame = io.BytesIO()
    workbook.save(frame)
    return xlsx_with_rows(frame, {"xl/worksheets/sheet1.xml": aggregate_rows(results)})


# Raw responses


def raw_rows(survey: Survey, chunk_size: int = 5000) -> Iterator[list]:
    """Header then one row per response, in constant memory (the cells of rawlines.py)."""
    layout = Layout(questions_of(survey))
    yield layout.header()
    for number, (_id, _week, _order, cells) in enumerate(survey_cells(survey, layout, chunk_size), start=1):
        yield [number, *cells]


def raw_csv_stream(survey: Survey) -> Iterable[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # so Excel opens UTF-8 accents correctly
    if connection.vendor == "postgresql":
        layout = Layout(questions_of(survey))
        yield writer.writerow([neutralise(cell) for cell in layout.header()])
        yield from _pg_raw_lines(survey, layout)
        return
    for row in raw_rows(survey):
        yield writer.writerow([raw_cell(cell) for cell in row])


# Raw responses on PostgreSQL: the database writes every CSV line, Python only passes them on.

# A text starting with one of DANGEROUS, and one that csv.writer quotes (QUOTE_MINIMAL), in PostgreSQL:
# plain string functions, several times cheaper per cell than a regular expression.
PG_FORMULA = "ascii({0}) IN (" + ", ".join(str(ord(char)) for char in DANGEROUS) + ")"
PG_QUOTED = """octet_length(translate({0}, ',"' || chr(13) || chr(10), '')) < octet_length({0})"""
PG_MASK_BITS = 63  # the options of one question fit one bigint
PG_GROUP_BITS = 8  # options read back together, through a table of 2**8 texts


def _pg_csv_field(column: str) -> str:
    """SQL of csv_field() for a text column (NULL gives an empty cell)."""
    formula = PG_FORMULA.format(column)
    quoted = f"""'"' || CASE WHEN {formula} THEN '''' ELSE '' END || replace({column}, '"', '""') || '"'"""
    return (
        f"CASE WHEN {column} IS NULL THEN '' WHEN {PG_QUOTED.format(column)} THEN {quoted}"
        f" WHEN {formula} THEN '''' || {column} ELSE {column} END"
    )


def _choices(question: Question) -> list:
    return sorted(question.choices.all(), key=lambda choice: choice.position)


def _choice_index(choices: list) -> str:
    """SQL: the answer's option as its index in ``choices``; « Autre » (no option) after them."""
    if not choices:
        return "0"
    whens = " ".join(f"WHEN {int(choice.pk)} THEN {index}" for index, choice in enumerate(choices))
    return f"CASE a.choice_id {whens} ELSE {len(choices)} END"


def _option_bits(question: Question) -> tuple[list[str], str] | None:
    """The labels of one choice question's bits in raw_rows() order, and the SQL of an answer's bit.

    None when they do not fit one bigint (the labels are then joined by string_agg).
    """
    choices = _choices(question)
    labels = [choice.label for choice in choices] + [OTHER_LABEL]
    if question.kind == QuestionKind.YES_NO:
        return [YES, NO], "CASE WHEN a.boolean THEN 0 ELSE 1 END"
    if question.kind == QuestionKind.RANKING:
        # One bit per (rank, option), by rank (no rank last) then option: the order raw_rows() sorts them in.
        size = len(labels)
        if size * size > PG_MASK_BITS:
            return None
        ranks = " ".join(f"WHEN {rank} THEN {(rank - 1) * size}" for rank in range(1, size))
        return labels * size, f"CASE a.rank {ranks} ELSE {(size - 1) * size} END + {_choice_index(choices)}"
    if len(labels) > PG_MASK_BITS:
        return None
    return labels, _choice_index(choices)


def _label_tables(labels: list[str]) -> list[list[str | None]]:
    """For each group of 8 bits: the joined labels of every value the group can take (None for 0)."""
    tables = []
    for start in range(0, len(labels), PG_GROUP_BITS):
        group = labels[start : start + PG_GROUP_BITS]
        table: list[str | None] = [None]
        for value in range(1, 1 << len(group)):
            table.append(SEPARATOR.join(label for bit, label in enumerate(group) if value >> bit & 1))
        tables.append(table)
    return tables


class _RawQuery:
    """The SQL of the raw lines, assembled column by column.

    Level 1 groups the survey's answers by response alone (no join): one
    aggregate per column, an option question's being a bigint of its answered
    options. Level 2 joins the responses, numbers them and turns the bigints
    into labels; level 3 neutralises and quotes text and writes the line.
    """

    def __init__(self):
        self.aggregates, self.aggregate_params = [], []
        self.columns, self.column_params = [], []
        self.fields = []  # level 3: SQL of each CSV field

    def column(self, sql: str, params=(), *, text: bool) -> None:
        name = f"c{len(self.columns)}"
        self.columns.append(f"{sql} AS {name}")
        self.column_params += params
        self.fields.append(_pg_csv_field(f"t.{name}") if text else f"t.{name}")

    def aggregate(self, sql: str, params=()) -> str:
        name = f"g{len(self.aggregates)}"
        self.aggregates.append(f"{sql} AS {name}")
        self.aggregate_params += params
        return f"g.{name}"

    def options(self, question: Question) -> None:
        pk = int(question.pk)
        bits = _option_bits(question)
        if bits is None:  # too many options for a bigint: joined in the database, in raw_rows() order
            choices = _choices(question)
            label = " ".join(f"WHEN {int(choice.pk)} THEN %s" for choice in choices)
            position = " ".join(f"WHEN {int(choice.pk)} THEN {int(choice.position)}" for choice in choices)
            joined = self.aggregate(
                f"string_agg(CASE a.choice_id {label} ELSE %s END, %s"
                f" ORDER BY a.rank, CASE a.choice_id {position} END, a.id) FILTER (WHERE a.question_id = {pk})",
                [choice.label for choice in choices] + [OTHER_LABEL, SEPARATOR],
            )
            self.column(joined, text=True)
            return
        labels, bit = bits
        mask = self.aggregate(f"bit_or(1::bigint << ({bit})) FILTER (WHERE a.question_id = {pk})")
        tables = _label_tables(labels)
        if len(tables) == 1:  # the table holds the finished field
            field = [None if text is None else csv_field(text) for text in tables[0]]
            self.column(f"coalesce((%s::text[])[{mask}::int + 1], '')", [field], text=False)
            return
        groups = ", ".join(
            f"(%s::text[])[({mask} >> {number * PG_GROUP_BITS} & {(1 << PG_GROUP_BITS) - 1})::int + 1]"
            for number in range(len(tables))
        )
        self.column(f"concat_ws(%s, {groups})", [SEPARATOR, *tables], text=True)

    def question(self, question: Question) -> None:
        pk = int(question.pk)
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING, QuestionKind.YES_NO):
            self.options(question)
            if has_other_column(question):
                only_other = "" if kind == QuestionKind.YES_NO else " AND a.choice_id IS NULL"
                self.column(self.aggregate(f"max(a.text) FILTER (WHERE a.question_id = {pk}{only_other})"), text=True)
        elif kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
            number = self.aggregate(f"max(a.number) FILTER (WHERE a.question_id = {pk})")
            self.column(f"coalesce(trim_scale({number})::text, '')", text=False)  # a number is never neutralised
        else:
            self.column(self.aggregate(f"max(a.text) FILTER (WHERE a.question_id = {pk})"), text=True)

    def sql(self, survey: Survey, questions: list[Question], first: int | None, last: int | None) -> tuple[str, list]:
        self.column('r."order"', text=True)
        # The order's few values (code constants) are written as they are: a string function less per line.
        known = " ".join(f"WHEN '{value}' THEN '{value}'" for value in Order.values if value.isalpha())
        self.fields[0] = f"CASE t.c0 WHEN '' THEN '' {known} ELSE {self.fields[0]} END"
        for question in questions:
            self.question(question)
        line = ", ".join(["t.number", "to_char(t.submitted_week, 'YYYY-MM-DD')", *self.fields])
        # The survey's responses are a range of ids: their answers are read from that range of the index
        # (answers of other surveys' responses in between are grouped too, then left out by the join).
        aggregates = ", ".join(["a.response_id", *self.aggregates])
        sql = (
            f"SELECT concat_ws(',', {line}) || chr(13) || chr(10) FROM ("
            f"SELECT r.id, row_number() OVER (ORDER BY r.id) AS number, r.submitted_week, {', '.join(self.columns)}"
            f" FROM surveys_response r LEFT JOIN (SELECT {aggregates} FROM surveys_answer a"
            " WHERE a.response_id BETWEEN %s AND %s"
            " GROUP BY a.response_id) g ON g.response_id = r.id"
            " WHERE r.survey_id = %s) t ORDER BY t.id"
        )
        return sql, [*self.column_params, *self.aggregate_params, first, last, survey.pk]


# The kept lines (rawlines.py), each behind its number: one pass over the survey's range of responses.
KEPT_LINES = (
    "SELECT row_number() OVER (ORDER BY r.id) || ',' || r.raw_line || chr(13) || chr(10)"
    " FROM surveys_response r WHERE r.id BETWEEN %s AND %s AND r.survey_id = %s ORDER BY r.id"
)


def _pg_raw_query(survey: Survey, layout: Layout) -> tuple[str, list]:
    """One finished CSV line per response, in id order: the bytes raw_csv_stream() writes on SQLite.

    The kept lines when every response has one of the survey's current layout;
    otherwise every line is built from the answers.
    """
    responses = Response.objects.filter(survey=survey)
    first, last, stale = responses.aggregate(
        first=Min("id"), last=Max("id"), stale=Count("id", filter=~Q(raw_shape=layout.fingerprint))
    ).values()
    if stale:
        return _RawQuery().sql(survey, layout.questions, first, last)
    return KEPT_LINES, [first, last, survey.pk]


COPY_CHUNK = 256 * 1024  # bytes of lines handed over at a time
COPY_TUPLE = struct.Struct("!hi")  # a row of COPY binary: its field count (-1 ends), its length
COPY_QUEUE = 4  # chunks waiting at most: the export never holds more than about a megabyte


class _CopyLines:
    """The sink of COPY … TO STDOUT (FORMAT binary, one text column): finished lines, a chunk at a time.

    psycopg2 pushes the data into write() from a worker thread; full chunks go
    through a bounded queue to the response's generator, so the database is
    never more than a few chunks ahead of the client. The binary format frames
    every row by its length: the lines need no unescaping.
    """

    SIGNATURE = 19  # PGCOPY\n\377\r\n\0, flags and header extension length

    def __init__(self):
        self.queue: queue.Queue = queue.Queue(COPY_QUEUE)
        self.stopped = threading.Event()
        self.buffer = bytearray()
        self.position = self.SIGNATURE

    def write(self, data) -> None:
        self.buffer += data
        if len(self.buffer) >= COPY_CHUNK:
            self.hand_over()

    def hand_over(self) -> None:
        buffer, position, lines = self.buffer, self.position, []
        view, end = memoryview(buffer), len(buffer)  # slices of a view: no copy before the join
        while position + 6 <= end:
            count, length = COPY_TUPLE.unpack_from(buffer, position)
            if count < 0:  # the trailer
                position = end
                break
            if position + 6 + length > end:
                break
            lines.append(view[position + 6 : position + 6 + length])
            position += 6 + length
        text = b"".join(lines).decode()
        del lines, view
        self.buffer, self.position = buffer[position:], 0
        if text:
            self.put(text)

    def put(self, item) -> None:
        while not self.stopped.is_set():  # a client gone: the rest of the data is read and dropped
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def run(self, raw_connection, sql: str) -> None:
        try:
            with raw_connection.cursor() as cursor:
                cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT binary)", self)
            self.hand_over()
            self.put(None)
        except Exception as error:  # noqa: BLE001 — raised again in the response's generator
            self.put(error)

    def lines(self) -> Iterator[str]:
        while (item := self.queue.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item


def _pg_raw_lines(survey: Survey, layout: Layout) -> Iterator[str]:
    """The raw lines streamed by COPY in constant memory (a COPY may use parallel workers, a cursor not)."""
    sql, params = _pg_raw_query(survey, layout)
    with connection.cursor() as cursor:
        sql = cursor.mogrify(sql, params).decode()
    connection.ensure_connection()
    sink = _CopyLines()
    worker = threading.Thread(target=sink.run, args=(connection.connection, sql), daemon=True)
    worker.start()
    try:
        yield from sink.lines()
    finally:
        sink.stopped.set()
        worker.join()


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
        other = line[column + 1] if has_other_column(q) else ""
        column += 2 if has_other_column(q) else 1
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
    questions = questions_of(survey)
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
        layout = Layout(questions)
        for response, answers in parsed:
            response.survey = survey
            stamp(layout, response, answers)
        Response.objects.bulk_create([response for response, _answers in parsed])
        Answer.objects.bulk_create(
            Answer(response=response, **values) for response, answers in parsed for values in answers
        )
        aggregates.record(survey, parsed, aggregates.SurveyShape(questions))
    return len(parsed)
