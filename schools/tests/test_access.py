"""Access tables of the schools app's own URLs, read by mentorat/tests/test_url_coverage.py.

The tests walking these tables live beside the views they cover (test_imports.py
for the imports); add other schools URLs here as their tables are written.
"""

from __future__ import annotations

from schools.tests.test_imports import IMPORT_ACCESS_TABLE
from schools.tests.test_school_selects import SUGGESTIONS_ACCESS_TABLE

ACCESS_TABLE = [*IMPORT_ACCESS_TABLE, *SUGGESTIONS_ACCESS_TABLE]
