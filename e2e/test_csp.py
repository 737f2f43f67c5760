"""Content-Security-Policy in Chromium: the main journeys of every persona raise no CSP violation.

Chromium reports each refused script, style, image or form target in the console
("… violates the following Content Security Policy directive …"); the test listens
to the console and to the page's ``securitypolicyviolation`` events while each
demo persona signs in and walks home, the pages it links to and the pages those
link to (one of each page type), and while a mentee answers a survey by its link.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from mentorat.demo import DEMO_ACCOUNTS
from roles.models import Role
from schools.models import Person, SchoolYear
from surveys.tests.factories import full_survey, invite

SKIP = re.compile(r"^/(admin/|i18n/|comptes/logout)|\.(csv|xlsx|ics|zip)$|/(ics|flux)/|/export|/telecharger|/modele/")
LIMIT = 30
# Listens to the violations the page itself sees (the console already gets them; this also tells the directive).
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});"""


def page_type(url: str) -> str:
    return re.sub(r"/[0-9a-f-]{1,36}(?=/)", "/N", url.split("?")[0])


def links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        path = href.split("#")[0]
        if path and not SKIP.search(path.split("?")[0]) and "format=" not in path and path not in found:
            found.append(path)
    return found


@pytest.fixture
def violations(page):
    """Every CSP message of the console, and the violations the pages reported, as they come."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script(LISTEN)
    return seen


def visit(page, url: str, seen: list[str], who: str) -> None:
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return
        raise
    assert response is not None and response.status < 400, f"{who}: {url} answered {response and response.status}"
    assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), url
    page.wait_for_load_state("load")
    reported = page.evaluate("window.__csp || []")
    seen += [f"{who} {url}: {text}" for text in reported]


def walk(page, seen, who) -> int:
    queue, done = ["/"], set()
    while queue and len(done) < LIMIT:
        url = queue.pop(0)
        if page_type(url) in done:
            continue
        done.add(page_type(url))
        visit(page, url, seen, who)
        queue += [link for link in links(page) if page_type(link) not in done]
    return len(done)


@pytest.fixture
def open_survey_link(demo):
    year = SchoolYear.objects.current()
    survey = full_survey(year, title="Sondage des personnes mentorées")
    survey.opens_at = timezone.now() - datetime.timedelta(days=1)
    survey.closes_at = timezone.now() + datetime.timedelta(days=10)
    survey.save()
    mentee = Person.objects.filter(memberships__role=Role.MENTEE).first()
    return f"/sondages/r/{invite(survey, mentee).token}/"


def test_no_csp_violation_on_the_main_journeys(page, sign_in, demo, open_survey_link, violations):
    visit(page, "/comptes/login/", violations, "anonyme")
    visit(page, open_survey_link, violations, "questionnaire")
    # The survey's scripts run: saving a draft posts the form (form-action 'self').
    page.get_by_role("button", name=re.compile("Continuer plus tard|Enregistrer", re.I)).first.click()
    page.wait_for_load_state("load")

    walked = {}
    for email, _role, _label in DEMO_ACCOUNTS:
        page.context.clear_cookies()
        sign_in(email)
        walked[email] = walk(page, violations, email)
        # The menus open (Bootstrap's script runs under the policy).
        page.goto("/")
        toggle = page.locator("#main-nav button.dropdown-toggle").first
        if toggle.count():
            toggle.click()
            expect(page.locator("#main-nav .dropdown-menu.show")).to_have_count(1)

    assert walked["rh@demo.mentorat.ca"] >= 8, walked
    assert not violations, f"{len(violations)} CSP violations:\n" + "\n".join(violations)
