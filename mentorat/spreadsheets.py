"""Cells written to CSV or Excel files: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The value as text, prefixed with ' when a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in DANGEROUS else text


def safe_cell(value):
    """Numbers stay numbers (a negative amount is not a formula); text is neutralised."""
    return neutralise(value) if isinstance(value, str) else value


def csv_text(rows) -> str:
    """Rows (a header first) as CSV text, every text cell neutralised; prefix "\\ufeff" for Excel."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(value) if isinstance(value, str) or value is None else value for value in row])
    return buffer.getvalue()


def xlsx_bytes(title: str, rows) -> bytes:
    """Rows (a header first) as a one-sheet workbook: numbers stay numbers, text is neutralised."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


XLSX_ROWS_PER_CHUNK = 500
# The control characters XML 1.0 forbids (openpyxl's ILLEGAL_CHARACTERS_RE, which refuses them).
XML_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def xlsx_with_rows(frame: io.BytesIO, rows_by_sheet: dict) -> bytes:
    """The workbook in ``frame`` (a header row a sheet) with rows appended to its sheets, a chunk at a time.

    openpyxl without lxml spends about a millisecond a row in its XML writer; the rows here are the
    same cells (inline strings and numbers) in a few string joins, streamed into the zip.
    """
    output = io.BytesIO()
    with zipfile.ZipFile(frame) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in rows_by_sheet:
                target.writestr(item, source.read(item.filename))
                continue
            head, tail = source.read(item.filename).decode().split("</sheetData>", 1)
            with target.open(item.filename, "w") as sheet:
                sheet.write(head.encode())
                chunk = []
                for number, row in enumerate(rows_by_sheet[item.filename], 2):
                    chunk.append(f'<row r="{number}">{"".join(xlsx_cell(value) for value in row)}</row>')
                    if len(chunk) == XLSX_ROWS_PER_CHUNK:
                        sheet.write("".join(chunk).encode())
                        chunk = []
                sheet.write(("".join(chunk) + "</sheetData>" + tail).encode())
    return output.getvalue()


def xlsx_cell(value) -> str:
    """One cell as openpyxl writes it: text inline (neutralised, escaped), numbers as numbers."""
    if isinstance(value, str):
        text = escape(XML_ILLEGAL.sub("", neutralise(value)))
        return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if value is None:
        return "<c/>"
    return f'<c t="n"><v>{float(value) if isinstance(value, Decimal) else value}</v></c>'
