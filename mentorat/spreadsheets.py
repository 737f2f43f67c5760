"""Cells written to CSV or Excel files: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

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
