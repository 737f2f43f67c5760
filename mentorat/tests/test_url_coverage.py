"""No view can be forgotten: every named URL of our apps appears in an access table."""

from __future__ import annotations

import importlib

from django.urls import URLPattern, URLResolver, get_resolver

APPS_WITH_TABLES = ["roles", "schools", "mentors", "surveys"]
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


def tabled_url_names() -> set[str]:
    names: set[str] = set()
    for app in APPS_WITH_TABLES:
        try:
            module = importlib.import_module(f"{app}.tests.test_access")
        except ModuleNotFoundError:
            continue
        names |= {row[0] for row in module.ACCESS_TABLE}
    return names


def test_every_url_is_in_an_access_table():
    missing = sorted(our_url_names() - tabled_url_names())
    assert not missing, f"URLs without an access test: {missing}"


def test_the_walk_finds_our_urls():
    names = our_url_names()
    assert {"home", "referential", "schools:school_list", "schools:person_detail"} <= names
    assert not any(name.startswith("admin:") for name in names)
