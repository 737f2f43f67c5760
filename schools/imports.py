"""Imports: staff with their school assignments, the novices entitled to a mentor, and the
centre's calendar of non-school days (the accompaniment planner avoids them).

Three steps, none of them tied to HTTP:

- ``parse_file(fileobj, filename)`` reads a CSV or XLSX file into ``Rows``
  (canonical column names, spreadsheet line numbers; the header is line 1);
- ``validate_staff(rows, year)`` / ``validate_novices(rows, year)`` /
  ``validate_non_school_days(rows, year)`` check every
  row against the database in a few bulk queries and return an ``ImportPlan``
  holding the errors ("ligne 7 : …") and the planned creations and updates;
- ``apply(plan)`` writes the plan with bulk_create / bulk_update in one
  transaction.

Between the preview and the confirmation the parsed rows wait in Django's default
storage (``imports/<random token>.json``: a bucket shared by every web machine in
production); ``purge_stale_uploads`` removes files past the retention schedule's
period (they hold personal information).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorat.uploads import SpreadsheetTooLarge, check_xlsx_expansion
from schools.counts import recount_year_staff
from schools.models import Building, Entitlement, Person, School, SchoolYear, StaffAssignment


class ImportKind(models.TextChoices):
    STAFF = "personnel", gettext_lazy("Personnel et affectations aux écoles")
    NOVICES = "insertion", gettext_lazy("Personnes en insertion professionnelle")
    DIRECTORS = "directions", gettext_lazy("Directions d'établissement de l'année")
    NON_SCHOOL_DAYS = "calendrier", gettext_lazy("Calendrier des journées sans classe")


# HR's import page offers these (staff, novices, the year's directors); the calendar has its own page (PANE and HR).
STAFF_KINDS = [ImportKind.STAFF, ImportKind.NOVICES, ImportKind.DIRECTORS]


REQUIRED_COLUMNS = {
    ImportKind.STAFF: ["matricule", "prenom", "nom", "courriel", "ecole"],
    ImportKind.NOVICES: ["matricule"],
    ImportKind.DIRECTORS: ["ecole"],
    ImportKind.NON_SCHOOL_DAYS: ["date", "type"],
}
OPTIONAL_COLUMNS = {
    ImportKind.STAFF: ["batiment", "fonction", "pourcentage_tache"],
    ImportKind.NOVICES: ["date_debut"],
    ImportKind.DIRECTORS: ["matricule", "courriel", "date_debut"],
    ImportKind.NON_SCHOOL_DAYS: ["libelle"],
}

# Header spellings seen in HR's exports, compared after _normalize_header().
COLUMN_ALIASES = {
    "matricule": ["matricule", "no employe", "no d'employe", "numero d'employe", "numero employe", "employee number"],
    "prenom": ["prenom", "first name"],
    "nom": ["nom", "nom de famille", "last name"],
    "courriel": ["courriel", "adresse courriel", "adresse de courriel", "email", "e-mail", "mail"],
    "ecole": [
        "ecole",
        "code ecole",
        "code d'ecole",
        "code de l'ecole",
        "etablissement",
        "code etablissement",
        "school",
    ],
    "batiment": ["batiment", "code batiment", "code du batiment", "batisse", "immeuble", "building"],
    "fonction": ["fonction", "titre d'emploi", "titre emploi", "poste"],
    "pourcentage_tache": [
        "pourcentage_tache",
        "pourcentage de tache",
        "% tache",
        "% de tache",
        "tache",
        "part de tache",
        "part de la tache",
        "pourcentage",
    ],
    "date_debut": [
        "date_debut",
        "date de debut",
        "debut",
        "date d'entree en fonction",
        "entree en fonction",
        "date d'entree",
    ],
    "date": ["date", "jour"],
    "type": ["type", "type de journee", "nature"],
    "libelle": ["libelle", "intitule", "description", "label"],
}

DEFAULT_JOB_TITLE = "Enseignant(e)"
PREVIEW_ROWS = 10
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# SQLite builds may cap a statement at 999 parameters.
CHUNK = 900
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
EXAMPLES = {
    ImportKind.STAFF: [
        ["100001", "Marie", "Tremblay", "marie.tremblay@exemple.qc.ca", "E001", "", "Enseignant(e)", "100"],
        ["100002", "Jean", "Gagnon", "jean.gagnon@exemple.qc.ca", "E001", "", "Enseignant(e)", "60"],
        ["100002", "Jean", "Gagnon", "jean.gagnon@exemple.qc.ca", "E002", "", "Enseignant(e)", "40"],
    ],
    ImportKind.NOVICES: [["100001", "2026-08-25"], ["100002", "25/08/2026"]],
    ImportKind.DIRECTORS: [["E001", "100001", "", ""], ["E002", "", "jean.gagnon@exemple.qc.ca", "2027-07-01"]],
    ImportKind.NON_SCHOOL_DAYS: [
        ["2026-09-07", "congé", "Fête du Travail"],
        ["2026-10-23", "journée pédagogique", ""],
        ["01/03/2027", "relâche", "Semaine de relâche"],
    ],
}


class FileRejected(Exception):
    """The file as a whole cannot be read (type, size, encoding, header)."""


def _normalize_header(text: Any) -> str:
    """'Pourcentage de tâche' → 'pourcentagedetache': no case, accents, spaces or punctuation."""
    ascii_text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9%]+", "", ascii_text.lower())


_ALIASES = {_normalize_header(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}


@dataclass
class Row:
    line: int
    values: dict[str, Any]

    def get(self, column: str) -> Any:
        return self.values.get(column)


class Rows(list):
    """The data rows of a file, plus the known columns its header holds."""

    def __init__(self, rows: Iterable[Row] = (), columns: Iterable[str] = ()):
        super().__init__(rows)
        self.columns = list(columns)


# Reading files.


def parse_file(fileobj, filename: str) -> Rows:
    """Read a .csv or .xlsx file into rows keyed by canonical column names."""
    suffix = Path(filename or "").suffix.lower()
    data = fileobj.read()
    if isinstance(data, str):
        data = data.encode()
    if suffix == ".csv":
        records = _csv_records(data)
    elif suffix == ".xlsx":
        records = _xlsx_records(data)
    else:
        raise FileRejected(
            _("Type de fichier non pris en charge (« %(suffix)s ») : utilisez un fichier .csv ou .xlsx.")
            % {"suffix": suffix or filename}
        )
    return _rows_from_records(records)


def _rows_from_records(records: Iterator[list[Any]]) -> Rows:
    header = next(records, None)
    if header is None:
        return Rows()
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        column = _ALIASES.get(_normalize_header(title))
        if column is None:
            continue
        if column in positions:
            raise FileRejected(_("La colonne « %(column)s » apparaît deux fois dans l'en-tête.") % {"column": column})
        positions[column] = index
    rows = Rows(columns=positions)
    for line, record in enumerate(records, start=2):
        if all(_text(cell) == "" for cell in record):
            continue
        if len(rows) >= settings.IMPORT_MAX_ROWS:
            raise FileRejected(
                _("Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
                % {"max": settings.IMPORT_MAX_ROWS}
            )
        values = {column: record[index] if index < len(record) else None for column, index in positions.items()}
        rows.append(Row(line, values))
    return rows


def _csv_records(data: bytes) -> Iterator[list[str]]:
    # Excel on Windows in Quebec saves cp1252 with ";" between fields.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRejected(_("Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_records(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_xlsx_expansion(data)
    except SpreadsheetTooLarge as error:
        raise FileRejected(str(error)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise FileRejected(_("Ce fichier Excel est illisible : enregistrez-le de nouveau en .xlsx.")) from None
    return _xlsx_sheet_records(workbook)


def _xlsx_sheet_records(workbook) -> Iterator[list[Any]]:
    # A generator, so that a sheet over the row limit is not read to its end.
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong sheet size
        for row in sheet.iter_rows():
            yield [_xlsx_value(cell) for cell in row]
    finally:
        workbook.close()


def _xlsx_value(cell) -> Any:
    """A cell's value; a cell formatted as a percentage (0.5 shown as 50 %) gives 50."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 6)
    return value


# Reading cells.


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    return str(value).replace("\xa0", " ").strip()


def _parse_share(value: Any) -> int | None:
    """'50', '50 %', 50, 50.0 → 50; None when not a whole number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    text = _text(value).rstrip("%").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _parse_date(value: Any) -> datetime.date | None:
    """A date cell, 'YYYY-MM-DD' or 'DD/MM/YYYY'; raises ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def missing_columns(rows: Rows, kind: str) -> list[str]:
    return [column for column in REQUIRED_COLUMNS[kind] if column not in rows.columns]


def check_columns(rows: Rows, kind: str) -> None:
    """Raise FileRejected when the header lacks a required column or no row follows it."""
    missing = missing_columns(rows, kind)
    if missing:
        raise FileRejected(
            _("Colonnes obligatoires manquantes : %(columns)s. La première ligne doit donner les noms des colonnes.")
            % {"columns": ", ".join(missing)}
        )
    if not rows:
        raise FileRejected(_("Le fichier ne contient aucune ligne de données sous l'en-tête."))


# The plan.


@dataclass
class LineError:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("ligne %(line)s : %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class PreviewRow:
    line: int
    cells: list[str]
    action: str = ""


@dataclass
class ImportPlan:
    """What an import would change; apply() refuses a plan with errors."""

    kind: str
    year: SchoolYear
    row_count: int = 0
    errors: list[LineError] = field(default_factory=list)
    people_to_create: list[Person] = field(default_factory=list)
    people_to_update: list[Person] = field(default_factory=list)
    people_unchanged: int = 0
    assignments_to_create: list[StaffAssignment] = field(default_factory=list)
    assignments_to_update: list[StaffAssignment] = field(default_factory=list)
    assignments_unchanged: int = 0
    entitlements_to_create: list[Entitlement] = field(default_factory=list)
    entitlements_to_update: list[Entitlement] = field(default_factory=list)
    entitlements_unchanged: int = 0
    days_to_create: list[Any] = field(default_factory=list)
    days_to_update: list[Any] = field(default_factory=list)
    days_unchanged: int = 0
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def columns(self) -> list[str]:
        return REQUIRED_COLUMNS[self.kind] + OPTIONAL_COLUMNS[self.kind]

    @property
    def has_changes(self) -> bool:
        return any(self.counts()[key] for key in self.counts() if not key.endswith("unchanged"))

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(LineError(line, message))

    def counts(self) -> dict[str, int]:
        if self.kind == ImportKind.NON_SCHOOL_DAYS:
            return {
                "days_created": len(self.days_to_create),
                "days_updated": len(self.days_to_update),
                "days_unchanged": self.days_unchanged,
            }
        return {
            "people_created": len(self.people_to_create),
            "people_updated": len(self.people_to_update),
            "people_unchanged": self.people_unchanged,
            "assignments_created": len(self.assignments_to_create),
            "assignments_updated": len(self.assignments_to_update),
            "assignments_unchanged": self.assignments_unchanged,
            "entitlements_created": len(self.entitlements_to_create),
            "entitlements_updated": len(self.entitlements_to_update),
            "entitlements_unchanged": self.entitlements_unchanged,
        }

    @property
    def digest(self) -> str:
        """A fingerprint of the planned writes: confirming checks that it has not changed since the preview."""
        parts = [self.kind, str(self.year.pk)]
        parts += [f"p+{p.employee_number}|{p.first_name}|{p.last_name}|{p.email}" for p in self.people_to_create]
        parts += [f"p~{p.employee_number}|{p.first_name}|{p.last_name}|{p.email}" for p in self.people_to_update]
        for sign, assignments in (("a+", self.assignments_to_create), ("a~", self.assignments_to_update)):
            parts += [
                f"{sign}{a.person.employee_number}|{a.school_id}|{a.building_id}|{a.job_title}|{a.task_share}"
                for a in assignments
            ]
        for sign, entitlements in (("e+", self.entitlements_to_create), ("e~", self.entitlements_to_update)):
            parts += [f"{sign}{e.person.employee_number}|{e.started_on}" for e in entitlements]
        for sign, days in (("d+", self.days_to_create), ("d~", self.days_to_update)):
            parts += [f"{sign}{d.date}|{d.kind}|{d.label}" for d in days]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _people_by_number(numbers: Iterable[str]) -> dict[str, Person]:
    people = {}
    for chunk in _chunks(set(numbers)):
        people.update({p.employee_number: p for p in Person.objects.filter(employee_number__in=chunk)})
    return people


# What the preview says of a line: translated only for the lines it shows, not for each of 20 000.
NEW_PERSON = gettext_lazy("nouvelle personne")
NEW_ASSIGNMENT = gettext_lazy("nouvelle affectation")
NEW_ENTITLEMENT = gettext_lazy("nouvelle admissibilité")
NEW_DAY = gettext_lazy("nouvelle journée")
NEW_DIRECTOR = gettext_lazy("nouvelle direction")
UPDATED = gettext_lazy("mise à jour")
UNCHANGED = gettext_lazy("inchangé")


def _preview(plan: ImportPlan, row: Row, action=None) -> None:
    if len(plan.preview) < PREVIEW_ROWS:
        cells = [_text(row.get(column)) for column in plan.columns]
        plan.preview.append(PreviewRow(row.line, cells, str(action) if action else ""))


# Staff.


@dataclass
class _StaffLine:
    line: int
    number: str
    first_name: str
    last_name: str
    email: str
    school: School
    building: Building | None
    job_title: str
    task_share: int


class _StaffLookups:
    """Everything the rows refer to, loaded by key in a few queries."""

    def __init__(self, rows: Rows, year: SchoolYear):
        self.schools = {school.code.upper(): school for school in School.objects.all()}
        self.buildings = {(b.school_id, b.code.upper()): b for b in Building.objects.all()}
        self.people = _people_by_number(_text(row.get("matricule")) for row in rows)
        emails = {_text(row.get("courriel")).lower() for row in rows} - {""}
        self.email_owners: dict[str, str] = {}
        for chunk in _chunks(emails):
            owners = Person.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
            self.email_owners.update(owners.values_list("email_lower", "employee_number"))
        person_ids = [person.pk for person in self.people.values()]
        self.assignments: dict[tuple[int, int], StaffAssignment] = {}
        for chunk in _chunks(person_ids):
            for assignment in StaffAssignment.objects.filter(year=year, person_id__in=chunk):
                self.assignments[assignment.person_id, assignment.school_id] = assignment


REQUIRED_LABELS = (
    gettext_lazy("matricule"),
    gettext_lazy("prénom"),
    gettext_lazy("nom"),
    gettext_lazy("courriel"),
    gettext_lazy("code d'école"),
)


class _StaffChecker:
    """Checks the rows one by one, remembering what earlier lines said."""

    def __init__(self, plan: ImportPlan, lookups: _StaffLookups):
        self.plan = plan
        self.lookups = lookups
        self.first_line_of: dict[str, _StaffLine] = {}
        self.line_of_pair: dict[tuple[str, int], int] = {}
        self.email_in_file: dict[str, tuple[str, int]] = {}
        self.share_of: dict[str, int] = {}

    def check(self, row: Row) -> _StaffLine | None:
        errors: list[str] = []
        number = _text(row.get("matricule"))
        first_name, last_name = _text(row.get("prenom")), _text(row.get("nom"))
        email = _text(row.get("courriel")).lower()
        for value, label in (
            (number, REQUIRED_LABELS[0]),
            (first_name, REQUIRED_LABELS[1]),
            (last_name, REQUIRED_LABELS[2]),
            (email, REQUIRED_LABELS[3]),
            (_text(row.get("ecole")), REQUIRED_LABELS[4]),
        ):
            if not value:
                errors.append(_("%(column)s manquant") % {"column": label})
        if len(number) > 20:
            errors.append(_("matricule « %(value)s » trop long (20 caractères au plus)") % {"value": number})
        if len(first_name) > 100 or len(last_name) > 100:
            errors.append(_("prénom ou nom trop long (100 caractères au plus)"))
        if email:
            errors += self._email_errors(number, email)
        school, building = self._school_and_building(row, errors)
        job_title = _text(row.get("fonction")) or DEFAULT_JOB_TITLE
        if len(job_title) > 100:
            errors.append(_("fonction trop longue (100 caractères au plus)"))
        task_share = self._task_share(row, errors)
        if errors:
            for message in errors:
                self.plan.error(row.line, message)
            return None
        line = _StaffLine(row.line, number, first_name, last_name, email, school, building, job_title, task_share)
        return line if self._consistent_with_earlier_lines(line) else None

    def _email_errors(self, number: str, email: str) -> list[str]:
        # validate_email accepts up to 320 characters; the column holds fewer.
        longest = Person._meta.get_field("email").max_length
        if len(email) > longest:
            return [_("courriel trop long (%(max)s caractères au plus)") % {"max": longest}]
        try:
            validate_email(email)
        except ValidationError:
            return [_("courriel « %(value)s » invalide") % {"value": email}]
        owner = self.lookups.email_owners.get(email)
        if owner and owner != number:
            return [
                _("courriel « %(value)s » déjà utilisé par une autre personne (matricule %(owner)s)")
                % {"value": email, "owner": owner}
            ]
        return []

    def _school_and_building(self, row: Row, errors: list[str]) -> tuple[School | None, Building | None]:
        code = _text(row.get("ecole")).upper()
        school = self.lookups.schools.get(code)
        if code and school is None:
            errors.append(_("code d'école « %(code)s » inconnu") % {"code": code})
        building_code = _text(row.get("batiment")).upper()
        if not building_code or school is None:
            return school, None
        building = self.lookups.buildings.get((school.pk, building_code))
        if building is None:
            errors.append(
                _("bâtiment « %(building)s » inconnu pour l'école « %(code)s »")
                % {"building": building_code, "code": code}
            )
        return school, building

    def _task_share(self, row: Row, errors: list[str]) -> int:
        raw = row.get("pourcentage_tache")
        if _text(raw) == "":
            return 100
        share = _parse_share(raw)
        if share is None or not 1 <= share <= 100:
            errors.append(
                _("pourcentage de tâche « %(value)s » invalide : nombre entier de 1 à 100 attendu")
                % {"value": _text(raw)}
            )
            return 0
        return share

    def _consistent_with_earlier_lines(self, line: _StaffLine) -> bool:
        """Same person on several lines (shared task): same names and e-mail, distinct schools, ≤ 100 % in all."""
        first = self.first_line_of.setdefault(line.number, line)
        if (first.first_name, first.last_name, first.email) != (line.first_name, line.last_name, line.email):
            return self._reject(
                line,
                _("le matricule %(number)s porte un autre nom ou courriel à la ligne %(other)s")
                % {"number": line.number, "other": first.line},
            )
        earlier = self.line_of_pair.setdefault((line.number, line.school.pk), line.line)
        if earlier != line.line:
            return self._reject(
                line,
                _("le matricule %(number)s est déjà affecté à l'école %(code)s à la ligne %(other)s")
                % {"number": line.number, "code": line.school.code, "other": earlier},
            )
        owner, owner_line = self.email_in_file.setdefault(line.email, (line.number, line.line))
        if owner != line.number:
            return self._reject(
                line,
                _("courriel « %(value)s » déjà utilisé à la ligne %(other)s par le matricule %(owner)s")
                % {"value": line.email, "other": owner_line, "owner": owner},
            )
        total = self.share_of.get(line.number, 0) + line.task_share
        if total > 100:
            return self._reject(
                line,
                _("la tâche totale du matricule %(number)s dépasse 100 %% (%(total)s %%)")
                % {"number": line.number, "total": total},
            )
        self.share_of[line.number] = total
        return True

    def _reject(self, line: _StaffLine, message: str) -> bool:
        self.plan.error(line.line, message)
        return False


def validate_staff(rows: Rows, year: SchoolYear) -> ImportPlan:
    """Check staff rows and plan the people and assignments to create or update."""
    plan = ImportPlan(ImportKind.STAFF, year, row_count=len(rows))
    missing = missing_columns(rows, ImportKind.STAFF)
    if missing:
        plan.error(1, _("colonnes obligatoires manquantes : %(columns)s") % {"columns": ", ".join(missing)})
        return plan
    lookups = _StaffLookups(rows, year)
    checker = _StaffChecker(plan, lookups)
    planned_people: dict[str, tuple[Person, str]] = {}
    for row in rows:
        line = checker.check(row)
        if line is None:
            _preview(plan, row)
            continue
        first_line_of_person = line.number not in planned_people
        if first_line_of_person:
            planned_people[line.number] = _plan_person(plan, line, lookups.people.get(line.number))
        person, person_action = planned_people[line.number]
        assignment_action = _plan_assignment(plan, line, person, lookups)
        person_changes = first_line_of_person and person_action is not UNCHANGED
        _preview(plan, row, person_action if person_changes else assignment_action)
    return plan


def _plan_person(plan: ImportPlan, line: _StaffLine, person: Person | None) -> tuple[Person, str]:
    if person is None:
        person = Person(
            employee_number=line.number, first_name=line.first_name, last_name=line.last_name, email=line.email
        )
        plan.people_to_create.append(person)
        return person, NEW_PERSON
    wanted = {"first_name": line.first_name, "last_name": line.last_name, "email": line.email}
    if person.email.lower() == line.email:
        wanted["email"] = person.email  # keep the stored spelling when only the case differs
    if all(getattr(person, name) == value for name, value in wanted.items()):
        plan.people_unchanged += 1
        return person, UNCHANGED
    for name, value in wanted.items():
        setattr(person, name, value)
    plan.people_to_update.append(person)
    return person, UPDATED


def _plan_assignment(plan: ImportPlan, line: _StaffLine, person: Person, lookups: _StaffLookups) -> str:
    assignment = lookups.assignments.get((person.pk, line.school.pk)) if person.pk else None
    if assignment is None:
        plan.assignments_to_create.append(
            StaffAssignment(
                person=person,
                school=line.school,
                year=plan.year,
                building=line.building,
                job_title=line.job_title,
                task_share=line.task_share,
            )
        )
        return NEW_ASSIGNMENT
    building_id = line.building.pk if line.building else None
    if (assignment.building_id, assignment.job_title, assignment.task_share) == (
        building_id,
        line.job_title,
        line.task_share,
    ):
        plan.assignments_unchanged += 1
        return UNCHANGED
    assignment.person = person
    assignment.building = line.building
    assignment.job_title = line.job_title
    assignment.task_share = line.task_share
    plan.assignments_to_update.append(assignment)
    return UPDATED


# Novices.


def validate_novices(rows: Rows, year: SchoolYear) -> ImportPlan:
    """Check the list of novices and plan the entitlements to create or update."""
    plan = ImportPlan(ImportKind.NOVICES, year, row_count=len(rows))
    missing = missing_columns(rows, ImportKind.NOVICES)
    if missing:
        plan.error(1, _("colonnes obligatoires manquantes : %(columns)s") % {"columns": ", ".join(missing)})
        return plan
    people = _people_by_number(_text(row.get("matricule")) for row in rows)
    entitlements = {}
    for chunk in _chunks(person.pk for person in people.values()):
        entitlements.update({e.person_id: e for e in Entitlement.objects.filter(year=year, person_id__in=chunk)})
    line_of: dict[str, int] = {}
    for row in rows:
        number = _text(row.get("matricule"))
        person, started_on = _check_novice(plan, row, number, people, line_of)
        if person is None:
            _preview(plan, row)
            continue
        _preview(plan, row, _plan_entitlement(plan, person, started_on, entitlements.get(person.pk)))
    return plan


def _check_novice(plan, row, number, people, line_of) -> tuple[Person | None, datetime.date | None]:
    errors = []
    person = people.get(number)
    if not number:
        errors.append(_("matricule manquant"))
    elif person is None:
        errors.append(_("matricule « %(value)s » inconnu : importez d'abord le personnel") % {"value": number})
    elif line_of.setdefault(number, row.line) != row.line:
        errors.append(
            _("le matricule %(number)s apparaît déjà à la ligne %(other)s")
            % {"number": number, "other": line_of[number]}
        )
    started_on = None
    if _text(row.get("date_debut")):
        try:
            started_on = _parse_date(row.get("date_debut"))
        except ValueError:
            errors.append(
                _("date de début « %(value)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu")
                % {"value": _text(row.get("date_debut"))}
            )
    for message in errors:
        plan.error(row.line, message)
    return (None, None) if errors else (person, started_on)


def _plan_entitlement(plan, person, started_on, entitlement) -> str:
    if entitlement is None:
        plan.entitlements_to_create.append(Entitlement(person=person, year=plan.year, started_on=started_on))
        return NEW_ENTITLEMENT
    # An empty date in the file keeps the date already known.
    if started_on is None or entitlement.started_on == started_on:
        plan.entitlements_unchanged += 1
        return UNCHANGED
    entitlement.person = person
    entitlement.started_on = started_on
    plan.entitlements_to_update.append(entitlement)
    return UPDATED


# The centre's calendar of non-school days (mentors.NonSchoolDay).

# Spellings of the types, compared after _normalize_header().
DAY_TYPES = {
    "holiday": ["conge", "ferie", "jour ferie", "conge ferie"],
    "pedagogical": ["journee pedagogique", "pedagogique", "jp"],
    "break": ["relache", "semaine de relache", "vacances", "conge scolaire", "conge des fetes"],
}
_DAY_TYPES = {_normalize_header(alias): kind for kind, aliases in DAY_TYPES.items() for alias in aliases}


def validate_non_school_days(rows: Rows, year: SchoolYear) -> ImportPlan:
    """Check the calendar rows: a date of the year once, a known type; plan the days to add or update."""
    from mentors.models import NonSchoolDay

    plan = ImportPlan(ImportKind.NON_SCHOOL_DAYS, year, row_count=len(rows))
    existing = {day.date: day for day in NonSchoolDay.objects.filter(year=year)}
    line_of: dict[datetime.date, int] = {}
    for row in rows:
        errors: list[str] = []
        date = _check_day_date(row, year, line_of, errors)
        kind = _DAY_TYPES.get(_normalize_header(row.get("type")))
        if kind is None:
            errors.append(
                _("type « %(value)s » inconnu : congé, journée pédagogique ou relâche attendu")
                % {"value": _text(row.get("type"))}
            )
        label = _text(row.get("libelle"))
        if len(label) > 200:
            errors.append(_("libellé trop long (200 caractères au plus)"))
        for message in errors:
            plan.error(row.line, message)
        if errors:
            _preview(plan, row)
            continue
        _preview(
            plan, row, _plan_day(plan, existing.get(date), NonSchoolDay(year=year, date=date, kind=kind, label=label))
        )
    return plan


def _check_day_date(row: Row, year: SchoolYear, line_of: dict, errors: list[str]) -> datetime.date | None:
    raw = _text(row.get("date"))
    if not raw:
        errors.append(_("date manquante"))
        return None
    try:
        date = _parse_date(row.get("date"))
    except ValueError:
        errors.append(_("date « %(value)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu") % {"value": raw})
        return None
    if not year.starts_on <= date <= year.ends_on:
        errors.append(
            _("le %(date)s n'appartient pas à l'année scolaire %(year)s")
            % {"date": date.isoformat(), "year": year.label}
        )
    elif line_of.setdefault(date, row.line) != row.line:
        errors.append(
            _("le %(date)s apparaît déjà à la ligne %(other)s") % {"date": date.isoformat(), "other": line_of[date]}
        )
    return date


def _plan_day(plan: ImportPlan, day, wanted) -> str:
    if day is None:
        plan.days_to_create.append(wanted)
        return NEW_DAY
    # An empty label in the file keeps the label already known.
    label = wanted.label or day.label
    if (day.kind, day.label) == (wanted.kind, label):
        plan.days_unchanged += 1
        return UNCHANGED
    day.kind, day.label = wanted.kind, label
    plan.days_to_update.append(day)
    return UPDATED


VALIDATORS = {
    ImportKind.STAFF: validate_staff,
    ImportKind.NOVICES: validate_novices,
    ImportKind.NON_SCHOOL_DAYS: validate_non_school_days,
}


def plan_file(fileobj, filename: str, kind: str, year: SchoolYear) -> ImportPlan:
    """Parse and validate a file; a file-level problem becomes the plan's only error."""
    try:
        rows = parse_file(fileobj, filename)
        check_columns(rows, kind)
    except FileRejected as error:
        plan = ImportPlan(kind, year)
        plan.error(None, str(error))
        return plan
    return VALIDATORS[kind](rows, year)


def dump_rows(rows: Rows) -> bytes:
    """The parsed rows as JSON, kept between the upload, the preview and the confirmation (parsed once)."""
    return json.dumps(
        {"columns": rows.columns, "rows": [[row.line, row.values] for row in rows]}, default=_json_cell
    ).encode()


def _json_cell(value: Any) -> Any:
    for kind in (datetime.datetime, datetime.date, datetime.time):
        if isinstance(value, kind):
            return {"$" + kind.__name__: value.isoformat()}
    return str(value)


def _from_json_cell(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), kinds = next(iter(value.items())), {"$datetime", "$date", "$time"}
        if tag in kinds:
            return getattr(datetime, tag[1:]).fromisoformat(text)
    return value


def load_rows(content: bytes) -> Rows:
    try:
        stored = json.loads(content)
        rows = [Row(line, {k: _from_json_cell(v) for k, v in values.items()}) for line, values in stored["rows"]]
        return Rows(rows, columns=stored["columns"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise FileRejected(_("Ce fichier n'est plus disponible : téléversez-le de nouveau.")) from None


def plan_stored(content: bytes, kind: str, year: SchoolYear) -> ImportPlan:
    """Validate rows kept by dump_rows against today's data (the preview, then the confirmation)."""
    try:
        rows = load_rows(content)
        check_columns(rows, kind)
    except FileRejected as error:
        plan = ImportPlan(kind, year)
        plan.error(None, str(error))
        return plan
    return VALIDATORS[kind](rows, year)


@transaction.atomic
def apply(plan: ImportPlan) -> dict[str, int]:
    """Write a valid plan: all or nothing. Returns the counts."""
    if not plan.ok:
        raise ValueError("An import plan with errors cannot be applied.")
    if isinstance(plan, DirectorsPlan):
        return apply_directors(plan)
    from schools.privacy import audit

    now = timezone.now()
    # Bulk writes send no signals: each one is written to the audit trail (Law 25) with its before and after.
    person_fields = ["employee_number", "first_name", "last_name", "email"]
    before = audit.bulk_snapshot(Person, plan.people_to_update, person_fields)
    Person.objects.bulk_create(plan.people_to_create)
    for person in plan.people_to_update:
        person.updated_at = now
    Person.objects.bulk_update(plan.people_to_update, ["first_name", "last_name", "email", "updated_at"])
    audit.log_bulk(
        Person, created=plan.people_to_create, updated=plan.people_to_update, before=before, fields=person_fields
    )
    assignment_fields = ["person", "school", "year", "building", "job_title", "task_share"]
    before = audit.bulk_snapshot(StaffAssignment, plan.assignments_to_update, assignment_fields)
    StaffAssignment.objects.bulk_create(plan.assignments_to_create)
    if plan.assignments_to_create:
        recount_year_staff(plan.year.pk)  # bulk_create sends no signal: the year's total is counted again
    StaffAssignment.objects.bulk_update(plan.assignments_to_update, ["building", "job_title", "task_share"])
    audit.log_bulk(
        StaffAssignment,
        created=plan.assignments_to_create,
        updated=plan.assignments_to_update,
        before=before,
        fields=assignment_fields,
    )
    entitlement_fields = ["person", "year", "started_on"]
    before = audit.bulk_snapshot(Entitlement, plan.entitlements_to_update, entitlement_fields)
    Entitlement.objects.bulk_create(plan.entitlements_to_create)
    Entitlement.objects.bulk_update(plan.entitlements_to_update, ["started_on"])
    audit.log_bulk(
        Entitlement,
        created=plan.entitlements_to_create,
        updated=plan.entitlements_to_update,
        before=before,
        fields=entitlement_fields,
    )
    if plan.days_to_create or plan.days_to_update:
        from mentors.models import NonSchoolDay

        NonSchoolDay.objects.bulk_create(plan.days_to_create)
        NonSchoolDay.objects.bulk_update(plan.days_to_update, ["kind", "label"])
    return plan.counts()


def example_csv(kind: str) -> str:
    """A model file for HR: the header and a few example rows, for Excel in French (BOM and ';')."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(REQUIRED_COLUMNS[kind] + OPTIONAL_COLUMNS[kind])
    writer.writerows(EXAMPLES[kind])
    return "\ufeff" + output.getvalue()


# Uploaded files waiting between the preview and the confirmation: the parsed rows (dump_rows),
# kept through Django's storage API (an S3-compatible bucket in production, so that the
# confirmation may land on another web machine than the preview; private files under
# MEDIA_ROOT on a laptop). Nothing serves them over HTTP.

UPLOADS_FOLDER = "imports"


def _upload_name(token: str) -> str | None:
    return f"{UPLOADS_FOLDER}/{token}.json" if TOKEN_RE.fullmatch(token or "") else None


def store_upload(content: bytes) -> str:
    """Keep an uploaded file's parsed rows and return its token."""
    token = secrets.token_urlsafe(24)
    default_storage.save(_upload_name(token), ContentFile(content))
    return token


def read_upload(token: str) -> bytes | None:
    name = _upload_name(token)
    if name is None:
        return None
    try:
        with default_storage.open(name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def delete_upload(token: str) -> None:
    name = _upload_name(token)
    if name is not None:
        default_storage.delete(name)


def stale_uploads(cutoff: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    """(storage name, modified) of the uploads last written before cutoff, in the default storage."""
    try:
        _folders, names = default_storage.listdir(UPLOADS_FOLDER)
    except FileNotFoundError:
        return []
    found = []
    for filename in names:
        name = f"{UPLOADS_FOLDER}/{filename}"
        modified = default_storage.get_modified_time(name)
        if modified < cutoff:
            found.append((name, modified))
    return found


def purge_stale_uploads(max_age: datetime.timedelta | None = None) -> int:
    """Delete uploads older than max_age, by default the retention schedule's period; returns how many."""
    from schools.law25.retention import upload_cutoff

    if max_age is not None:
        cutoff = timezone.now() - max_age
    else:
        cutoff = upload_cutoff()
        if cutoff is None:
            return 0  # no line in the schedule: nothing is destroyed without one
    stale = stale_uploads(cutoff)
    for name, _modified in stale:
        default_storage.delete(name)
    return len(stale)


# Directors of the year: school code → person (roles of the year page).
#
# The lines of a school give all its directors for the year: a director of the
# school missing from the file is ended on the new director's start date, and a
# person listed at one school keeps none of the directions of schools they are
# not listed at (a director who changes school keeps nothing of the old one).
# Memberships are written one by one so that the history records each of them.


@dataclass
class PlannedDirector:
    line: int
    person: Person
    school: School
    starts_on: datetime.date


@dataclass
class DirectorsPlan(ImportPlan):
    directors_to_create: list[PlannedDirector] = field(default_factory=list)
    directors_to_end: list[tuple[Any, datetime.date]] = field(default_factory=list)
    directors_unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "directors_created": len(self.directors_to_create),
            "directors_ended": len(self.directors_to_end),
            "directors_unchanged": self.directors_unchanged,
        }

    @property
    def digest(self) -> str:
        parts = [self.kind, str(self.year.pk)]
        parts += [f"d+{d.person.pk}|{d.school.pk}|{d.starts_on}" for d in self.directors_to_create]
        parts += [f"d-{m.pk}|{ends_on}" for m, ends_on in self.directors_to_end]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _people_by_email(emails: Iterable[str]) -> dict[str, Person]:
    people = {}
    for chunk in _chunks(set(emails) - {""}):
        found = Person.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        people.update({p.email.lower(): p for p in found})
    return people


class _DirectorChecker:
    def __init__(self, plan: DirectorsPlan, rows: Rows):
        self.plan = plan
        self.schools = {school.code.upper(): school for school in School.objects.all()}
        self.by_number = _people_by_number(n for n in (_text(row.get("matricule")) for row in rows) if n)
        self.by_email = _people_by_email(_text(row.get("courriel")).lower() for row in rows)
        self.line_of: dict[tuple[int, int], int] = {}

    def check(self, row: Row) -> PlannedDirector | None:
        errors: list[str] = []
        school = self._school(row, errors)
        person = self._person(row, errors)
        starts_on = self._start(row, errors)
        if not errors and school and person:
            earlier = self.line_of.setdefault((school.pk, person.pk), row.line)
            if earlier != row.line:
                errors.append(
                    _("%(name)s est déjà à la direction de l'école %(code)s à la ligne %(other)s")
                    % {"name": person.full_name, "code": school.code, "other": earlier}
                )
        for message in errors:
            self.plan.error(row.line, message)
        return None if errors else PlannedDirector(row.line, person, school, starts_on)

    def _school(self, row: Row, errors: list[str]) -> School | None:
        code = _text(row.get("ecole")).upper()
        school = self.schools.get(code)
        if not code:
            errors.append(_("code d'école manquant"))
        elif school is None:
            errors.append(_("code d'école « %(code)s » inconnu") % {"code": code})
        elif not school.is_active:
            errors.append(_("l'école %(code)s est désactivée") % {"code": code})
        return school

    def _person(self, row: Row, errors: list[str]) -> Person | None:
        number, email = _text(row.get("matricule")), _text(row.get("courriel")).lower()
        if not number and not email:
            errors.append(_("matricule ou courriel manquant"))
            return None
        by_number, by_email = self.by_number.get(number), self.by_email.get(email)
        if number and by_number is None:
            errors.append(_("matricule « %(value)s » inconnu : importez d'abord le personnel") % {"value": number})
        if email and by_email is None:
            errors.append(_("courriel « %(value)s » inconnu : importez d'abord le personnel") % {"value": email})
        if by_number and by_email and by_number != by_email:
            errors.append(
                _("le matricule %(number)s et le courriel « %(email)s » désignent deux personnes différentes")
                % {"number": number, "email": email}
            )
        return by_number or by_email

    def _start(self, row: Row, errors: list[str]) -> datetime.date:
        from roles.services import default_start

        year = self.plan.year
        if not _text(row.get("date_debut")):
            return default_start(year)
        try:
            starts_on = _parse_date(row.get("date_debut"))
        except ValueError:
            errors.append(
                _("date de début « %(value)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu")
                % {"value": _text(row.get("date_debut"))}
            )
            return default_start(year)
        if not year.starts_on <= starts_on <= year.ends_on:
            errors.append(
                _("date de début %(date)s hors de l'année %(label)s") % {"date": starts_on, "label": year.label}
            )
        return starts_on


def validate_directors(rows: Rows, year: SchoolYear) -> DirectorsPlan:
    """Check the directors' lines and plan the directions to create and to end."""
    from roles.models import Membership, Role

    plan = DirectorsPlan(ImportKind.DIRECTORS, year, row_count=len(rows))
    if "matricule" not in rows.columns and "courriel" not in rows.columns:
        plan.error(1, _("colonnes obligatoires manquantes : matricule ou courriel"))
        return plan
    checker = _DirectorChecker(plan, rows)
    planned = []
    for row in rows:
        director = checker.check(row)
        if director is None:
            _preview(plan, row)
        planned.append((row, director))
    if not plan.ok:
        return plan
    current = list(
        Membership.objects.filter(role=Role.DIRECTOR, year=year).select_related("person", "school").order_by("pk")
    )
    active = {m.pk: m for m in current if m.ends_on is None or m.ends_on > year.starts_on}
    wanted = {(d.school.pk, d.person.pk) for _row, d in planned}
    listed_people = {d.person.pk for _row, d in planned}
    start_at_school = {}
    for _row, d in planned:
        start_at_school[d.school.pk] = min(d.starts_on, start_at_school.get(d.school.pk, d.starts_on))
    held = {(m.school_id, m.person_id) for m in active.values()}
    for row, d in planned:
        if (d.school.pk, d.person.pk) in held:
            plan.directors_unchanged += 1
            _preview(plan, row, UNCHANGED)
        else:
            plan.directors_to_create.append(d)
            _preview(plan, row, NEW_DIRECTOR)
    first_start = min(start_at_school.values())
    for m in active.values():
        if (m.school_id, m.person_id) in wanted:
            continue
        if m.school_id in start_at_school:
            plan.directors_to_end.append((m, start_at_school[m.school_id]))
        elif m.person_id in listed_people:
            plan.directors_to_end.append((m, first_start))
    return plan


def apply_directors(plan: DirectorsPlan) -> dict[str, int]:
    from roles.models import Role
    from roles.services import _end, _grant

    with transaction.atomic():
        for membership, ends_on in plan.directors_to_end:
            _end(membership, ends_on)
        for d in plan.directors_to_create:
            _grant(person=d.person, role=Role.DIRECTOR, school=d.school, year=plan.year, starts_on=d.starts_on)
    return plan.counts()


VALIDATORS[ImportKind.DIRECTORS] = validate_directors
