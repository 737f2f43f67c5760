"""Checks on uploaded spreadsheets before any parser opens them."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


class SpreadsheetTooLarge(ValueError):
    """The .xlsx would expand beyond the limits; str(error) is the French message for the file field."""


def check_xlsx_expansion(data: bytes) -> None:
    """Refuse an .xlsx whose parts would expand beyond the settings' limits, reading only the zip's directory.

    A 1 MB file can hold a shared-strings table of gigabytes that openpyxl loads whole, even in
    read-only mode; the central directory gives each part's uncompressed size without inflating it.
    A file that is not a zip is left to the parser, which says so.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    total_limit, part_limit = settings.XLSX_MAX_UNCOMPRESSED_BYTES, settings.XLSX_MAX_PART_BYTES
    too_big = sum(part.file_size for part in parts) > total_limit or any(
        part.file_size > part_limit
        for part in parts
        if part.filename == "xl/sharedStrings.xml" or part.filename.startswith("xl/worksheets/")
    )
    if too_big:
        raise SpreadsheetTooLarge(
            _(
                "Ce fichier Excel est trop volumineux une fois décompressé (plus de %(max)s Mo) : "
                "découpez-le ou enregistrez-le en CSV."
            )
            % {"max": total_limit // (1024 * 1024)}
        )
