"""Benchmark of an .xlsx "bomb" upload: a small file whose shared-strings table expands enormously.

Builds in memory an .xlsx of about 1 MB whose xl/sharedStrings.xml expands to ``--expanded`` MB
(default 1024), then times parse_file on it (the import form's first step) and reports the peak
memory of this process. Before the bound, openpyxl loaded the whole table (issue 10: 2.1 GB, 13 s
for 1 GB); with it, the zip's central directory refuses the file without inflating anything.

    .venv/bin/python bench/xlsx_bound_bench.py
    .venv/bin/python bench/xlsx_bound_bench.py --expanded 200
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")


def bomb(expanded_mb: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["matricule", "prenom", "nom", "courriel", "ecole"])
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                archive.writestr(item, source.read(item))
        chunk = b"<si><t>" + b"a" * (1024 * 1024 - 16) + b"</t></si>"
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(expanded_mb):
                part.write(chunk)
            part.write(b"</sst>")
    return output.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expanded", type=int, default=1024, help="uncompressed size of the shared strings, in MB")
    args = parser.parse_args()
    import django

    django.setup()
    from schools import imports

    content = bomb(args.expanded)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        imports.parse_file(io.BytesIO(content), "bombe.xlsx")
        outcome = "parsed (not refused!)"
    except imports.FileRejected as error:
        outcome = f"refused: {error}"
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"upload {len(content) / 1e6:.2f} MB, shared strings {args.expanded} MB uncompressed")
    print(f"{outcome}")
    print(
        f"parse_file: {elapsed * 1000:.1f} ms; peak RSS {peak / 1024:.0f} MB (before the call: {before / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
