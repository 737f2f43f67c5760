"""French first, English complete: the catalog covers every string and the switch works."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import polib
import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
CATALOG = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv/*", "node_modules/*", "staticfiles/*", "var/*", "e2e/*", "bench/*", "*/tests/*"]


def fresh_msgids(tmp_path: Path, domain: str) -> set[str]:
    """Extract the strings marked in the code today into a throw-away catalog.

    makemessages writes each file's strings into the first locale path whose
    parent holds the file, so the throw-away catalog sits at the top of the
    project (a hidden folder, removed after) rather than under /tmp.
    """
    scratch = BASE_DIR / f".locale-check-{uuid.uuid4().hex[:8]}"
    (scratch / "en" / "LC_MESSAGES").mkdir(parents=True)
    ignore = [arg for pattern in [*IGNORE, "locale", f"{scratch.name}/*"] for arg in ("--ignore", pattern)]
    env = {**os.environ, "MENTORAT_LOCALE_DIR": str(scratch)}
    real = CATALOG.read_bytes()
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", domain, *ignore],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        fresh = scratch / "en" / "LC_MESSAGES" / f"{domain}.po"
        assert fresh.exists(), "makemessages wrote no catalog: the check would see no string"
        return {entry.msgid for entry in polib.pofile(str(fresh))}
    finally:
        # The real catalog stays as it was; rewritten only if touched, since another xdist worker
        # may be reading it right now (test_compiled_catalog_matches_the_source).
        if CATALOG.read_bytes() != real:
            CATALOG.write_bytes(real)
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.mark.skipif(
    shutil.which("xgettext") is None and os.getenv("CI") != "true", reason="GNU gettext (xgettext) is not installed"
)
def test_english_catalog_translates_every_marked_string(tmp_path):
    catalog = polib.pofile(str(CATALOG))
    translated = {entry.msgid for entry in catalog.translated_entries() if "fuzzy" not in entry.flags}
    missing = sorted(fresh_msgids(tmp_path, "django") - translated)
    assert not missing, f"{len(missing)} strings without English translation, e.g. {missing[:10]}"


def test_compiled_catalog_matches_the_source():
    compiled = polib.mofile(str(CATALOG.with_suffix(".mo")))
    source = polib.pofile(str(CATALOG))
    assert {e.msgid: e.msgstr for e in compiled if e.msgid} == {
        e.msgid: e.msgstr for e in source.translated_entries() if e.msgid and "fuzzy" not in e.flags
    }


@pytest.mark.django_db
def test_language_switch_shows_english_then_french(client, hr):
    client.force_login(hr)
    assert "Accueil" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Home" in page and 'lang="en"' in page
    client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})
    assert "Accueil" in client.get(reverse("home")).content.decode()


FRENCH = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_plural_catalog_holds_every_plural_entry():
    english = {e.msgid for e in polib.pofile(str(CATALOG)) if e.msgid_plural and not e.obsolete}
    french = polib.pofile(str(FRENCH))
    assert {e.msgid for e in french} == english
    assert "plural=(n > 1)" in french.metadata["Plural-Forms"]


def test_zero_and_one_take_the_singular_in_french_and_not_in_english():
    from django.utils import translation
    from django.utils.translation import ngettext

    def counted(n):
        return ngettext("%(n)s nommée", "%(n)s nommées", n) % {"n": n}

    with translation.override("fr-ca"):
        assert [counted(n) for n in (0, 1, 2)] == ["0 nommée", "1 nommée", "2 nommées"]
    with translation.override("en"):
        assert counted(0) == "0 appointed"
