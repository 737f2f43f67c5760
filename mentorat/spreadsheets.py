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
