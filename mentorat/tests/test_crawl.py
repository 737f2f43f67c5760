"""Every persona, from its home page, follows every link and form target it is shown: no 403, no 404, no 500.

The menus and pages show a link only when the access module allows its target;
this walks what each persona is actually shown (breadth-first, a bounded number
of pages) and asks every target. The browser crawl (e2e/test_accessibility.py)
checks the same pages for accessibility two levels deep.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from mentorat.testing import PERSONAS

MAX_PAGES = 60
# Month and year navigation go on for ever: a few variants of one path are enough.
MAX_QUERIES_PER_PATH = 3
# Not ours to crawl: Django's admin (its own tests), static files, and signing out.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/comptes/logout/")
# A form's action asked with GET: the page itself, a redirect, or "POST only".
FORM_TARGET_OK = {200, 302, 405}


class Targets(HTMLParser):
    """The links (href, hx-get) and the forms (action, method) of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        if tag == "form":
            self.forms.append((attrs.get("action") or "", (attrs.get("method") or "get").lower()))
        if attrs.get("hx-post"):
            self.forms.append((attrs["hx-post"], "post"))


def same_site(page: str, href: str) -> str | None:
    """The path and query of a link on this site, or None for another site, an anchor, mailto…"""
    url = urljoin(f"http://testserver{page}", href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return path


def crawl(client, start: str = "/"):
    """(page, status) of every page reached, and (page, form action, method) of every form seen."""
    seen, pages, forms = {start}, [], {}
    variants: dict[str, int] = {}
    queue = deque([start])

    def visit(target):
        path = target.split("?")[0]
        if target in seen or variants.get(path, 0) >= MAX_QUERIES_PER_PATH:
            return
        seen.add(target)
        variants[path] = variants.get(path, 0) + 1
        queue.append(target)

    while queue and len(pages) < MAX_PAGES:
        page = queue.popleft()
        response = client.get(page)
        pages.append((page, response.status_code))
        if response.status_code in (301, 302):
            target = same_site(page, response["Location"])
            if target:
                visit(target)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Targets()
        parser.feed(response.content.decode())
        for action, method in parser.forms:
            target = same_site(page, action)
            if target:
                forms.setdefault((target, method), page)
        for href in parser.links:
            target = same_site(page, href)
            if target:
                visit(target)
    return pages, [(page, target, method) for (target, method), page in forms.items()]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_and_form_shown_to_a_persona_leads_somewhere_it_may_go(client, harness, persona):
    user = harness.objects[persona]
    if user is not None:
        client.force_login(user)
    pages, forms = crawl(client)
    broken = [(page, status) for page, status in pages if status in (403, 404) or status >= 500]
    assert not broken, f"{persona} is shown links to: {broken}"
    refused = []
    for page, action, method in forms:
        status = client.get(action).status_code
        allowed = FORM_TARGET_OK if method == "post" else {200, 302}
        if status not in allowed:
            refused.append((page, action, method, status))
    assert not refused, f"{persona} is shown forms whose target refuses it: {refused}"
    if persona not in ("anonymous", "teacher", "mentee_a"):
        assert len(pages) > 5, f"{persona} reached only {pages}"


def test_the_crawl_keeps_to_the_site_and_skips_static_and_sign_out():
    assert same_site("/ecoles/", "1/") == "/ecoles/1/"
    assert same_site("/", "?annee=2") == "/?annee=2"
    assert same_site("/", "https://exemple.org/") is None
    assert same_site("/", "mailto:rh@exemple.org") is None
    assert same_site("/", "/static/app.css") is None
    assert same_site("/", "/comptes/logout/") is None


def test_the_crawl_reports_a_link_that_is_refused(client, harness):
    """A page showing a link its reader may not follow is caught (the director's link to HR's board)."""
    client.force_login(harness.objects["director_a"])
    pages, _ = crawl(client, start="/mentorat/rh/candidatures/")
    assert pages == [("/mentorat/rh/candidatures/", 403)]
