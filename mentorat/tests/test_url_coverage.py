"""No view can be forgotten: every named URL of our apps appears in an access table."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

BASE_DIR = Path(__file__).resolve().parents[2]
APPS_WITH_TABLES = ["roles", "schools", "schools.plans", "mentors", "surveys"]
THIRD_PARTY_NAMESPACES = {"admin"}
THIRD_PARTY_PREFIXES = ("account_", "socialaccount_", "microsoft_", "set_language", "mfa_", "usersessions_")


def our_url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in THIRD_PARTY_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= our_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.name.startswith(THIRD_PARTY_PREFIXES):
            names.add(f"{namespace}{pattern.name}")
    return names


def access_table_modules():
    """Every `<app>/tests/test_access*.py`: an area may keep its table in a module of its own."""
    for app in APPS_WITH_TABLES:
        tests_dir = BASE_DIR.joinpath(*app.split("."), "tests")
        for path in sorted(tests_dir.glob("test_access*.py")):
            yield importlib.import_module(f"{app}.tests.{path.stem}")


def tabled_url_names() -> set[str]:
    names: set[str] = set()
    for module in access_table_modules():
        names |= {row[0] for row in module.ACCESS_TABLE}
    return names


def test_every_url_is_in_an_access_table():
    missing = sorted(our_url_names() - tabled_url_names())
    assert not missing, f"URLs without an access test: {missing}"


def test_the_walk_finds_our_urls():
    names = our_url_names()
    assert {"home", "referential", "schools:school_list", "schools:person_detail"} <= names
    assert not any(name.startswith("admin:") for name in names)
