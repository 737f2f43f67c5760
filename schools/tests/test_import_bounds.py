"""Uploaded spreadsheets are bounded before parsing and parsed once (issue 10, item 15)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from mentorat import factories as f
from mentorat.uploads import SpreadsheetTooLarge, check_xlsx_expansion
from schools import imports
from schools.models import Person
from schools.tests.test_imports import STAFF_HEADER, confirm, csv_bytes, preview, staff_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 2_000_000
    settings.XLSX_MAX_PART_BYTES = 1_000_000


@pytest.fixture
def hr_client(client, hr, year):
    f.SchoolFactory(code="E001")
    client.force_login(hr)
    return client


def _bomb(part: str, size: int) -> bytes:
    """A valid workbook plus one part of `size` bytes that compresses to almost nothing."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([staff_row("1")])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != part:
                archive.writestr(item, source.read(item))
        archive.writestr(part, b'<?xml version="1.0"?><sst>' + b"a" * size + b"</sst>")
    return output.getvalue()


@pytest.fixture
def no_parser(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_an_xlsx_expanding_beyond_the_limit_is_refused_at_the_file_field_before_parsing(
    hr_client, year, part, no_parser
):
    content = _bomb(part, 1_500_000)
    assert len(content) < 50_000
    response = upload(hr_client, content, name="personnel.xlsx", year=year)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        "Ce fichier Excel est trop volumineux une fois décompressé (plus de 1 Mo) : "
        "découpez-le ou enregistrez-le en CSV."
    ]
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_xlsx_whose_parts_add_up_beyond_the_limit_is_refused(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 1_200_000
    check_xlsx_expansion(_bomb("xl/media/image1.png", 1_000_000))
    with pytest.raises(SpreadsheetTooLarge):
        check_xlsx_expansion(_bomb("xl/media/image1.png", 1_300_000))  # not a sheet part: only the total counts


def test_an_ordinary_xlsx_passes_the_bound(hr_client, year):
    content = xlsx_bytes([staff_row(str(n)) for n in range(1, 200)])
    check_xlsx_expansion(content)
    assert upload(hr_client, content, name="personnel.xlsx", year=year).status_code == 302


def test_the_file_is_parsed_once_for_upload_preview_and_confirmation(hr_client, year, monkeypatch):
    calls = []
    parse = imports.parse_file

    def counting(*args, **kwargs):
        calls.append(1)
        return parse(*args, **kwargs)

    monkeypatch.setattr(imports, "parse_file", counting)
    response = upload(hr_client, xlsx_bytes([staff_row("1"), staff_row("2")]), name="personnel.xlsx", year=year)
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert preview(hr_client, token).context["plan"].ok
    assert confirm(hr_client, token).status_code == 302
    assert calls == [1]
    assert Person.objects.filter(employee_number__in=["1", "2"]).count() == 2


def test_stored_rows_keep_their_cell_types():
    rows = imports.Rows(
        [
            imports.Row(2, {"matricule": 100001, "date_debut": datetime.datetime(2026, 8, 25, 0, 0)}),
            imports.Row(4, {"matricule": "A1", "date_debut": datetime.date(2026, 8, 26), "x": None, "y": 0.5}),
            imports.Row(5, {"matricule": "B", "date_debut": datetime.time(8, 30)}),
        ],
        columns=["matricule", "date_debut"],
    )
    back = imports.load_rows(imports.dump_rows(rows))
    assert back.columns == rows.columns
    assert [(r.line, r.values) for r in back] == [(r.line, r.values) for r in rows]


def test_a_stored_upload_from_before_the_change_asks_to_upload_again(year):
    plan = imports.plan_stored(csv_bytes([staff_row("1")], header=STAFF_HEADER), "personnel", year)
    assert [str(e) for e in plan.errors] == ["Ce fichier n'est plus disponible : téléversez-le de nouveau."]
