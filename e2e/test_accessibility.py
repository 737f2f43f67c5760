"""WCAG 2.1 AA and the Content-Security-Policy in the browser, on every page each persona reaches from home.

axe-core comes from npm (package-lock.json) and is injected from node_modules by
Playwright: no CDN. A violation fails the test with the rule, the page and the
elements, so the fix can start from the message. Also the keyboard, and 320 px.

The same crawl checks the Content-Security-Policy: Chromium reports each refused
script, style, image or form target in the console ("… violates the following
Content Security Policy directive …"); the test listens to the console and to the
page's ``securitypolicyviolation`` events while each demo persona signs in and walks
home, the pages it links to and the pages those link to (one of each page type),
and while a mentee answers a survey by its link. (One crawl per persona for both
checks: signing in and loading each page is most of the time of these tests.)
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from mentorat.demo import DEMO_ACCOUNTS
from roles.models import Role
from schools.models import Person, SchoolYear
from surveys.tests.factories import full_survey, invite

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 800}
# Links that are not pages to check: downloads, sign-out, the Django admin (IT only, outside the statement).
SKIP = re.compile(r"^/(admin/|i18n/|comptes/logout)|\.(csv|xlsx|ics|zip)$|/(ics|flux)/|/export|/telecharger|/modele/")

PRINT_VIEW = re.compile(r"/imprimer/$")
# Listens to the violations the page itself sees (the console already gets them; this also tells the directive).
LISTEN_CSP = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});"""
DESKTOP = {"width": 1280, "height": 900}

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " → " + (n.failureSummary || "").split("\\n").slice(0, 2).join(" "))
  }));
}"""


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: a <script> tag would be refused by our CSP.
        page.evaluate(AXE.read_text())
    return page.evaluate(AXE_RUN, WCAG_AA)


def sideways_overflow(page) -> int:
    """How many pixels the page itself scrolls sideways (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def home_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    seen: list[str] = []
    for href in hrefs:
        path = href.split("#")[0]
        if path and not SKIP.search(path.split("?")[0]) and "format=" not in path and path not in seen:
            seen.append(path)
    return seen


def page_type(url: str) -> str:
    """/mentorat/candidatures/45/ and /mentorat/candidatures/46/ are one page type."""
    return re.sub(r"/[0-9a-f-]{1,36}(?=/)", "/N", url.split("?")[0])


def crawl(page, problems: list[str], who: str, limit: int = 40, csp: list[str] | None = None) -> int:
    """Home, the pages it links to, and the pages those link to (one of each page type), breadth first.

    Links are followed from every page checked: the first pages are the ones the former
    accessibility crawl (links of its first limit/2 pages) and CSP walk (30 pages) each saw.
    """
    queue, seen = ["/"], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if page_type(url) in seen:
            continue
        seen.add(page_type(url))
        if check_page(page, url, problems, who, csp):
            queue += [link for link in home_links(page) if page_type(link) not in seen]
    return len(seen)


def csp_reported(page, url: str, csp: list[str], who: str, response) -> None:
    """The page was served with our policy, and reported no violation once loaded."""
    assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), url
    page.wait_for_load_state("load")
    csp += [f"{who} {url}: {text}" for text in page.evaluate("window.__csp || []")]


def check_page(page, url: str, problems: list[str], who: str, csp: list[str] | None = None) -> bool:
    """axe-core, the title and 320 px on one page (and its CSP when `csp` collects); False for a download."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return False  # a file, not a page
        raise
    assert response is not None and response.status < 400, f"{who}: {url} answered {response and response.status}"
    if csp is not None:
        csp_reported(page, url, csp, who, response)  # before axe-core runs in the page
    title = page.title()
    if not title or len(title) > 120 or "<" in title:  # WCAG 2.4.2: a short title that names the page
        problems.append(f"{who} {url} has no proper title: {title[:80]!r}…")
    for violation in axe_violations(page):
        problems.append(
            f"{who} {url} [{violation['rule']}, {violation['impact']}] {violation['help']}: {violation['nodes']}"
        )
    if PRINT_VIEW.search(url):
        return True  # WCAG 1.4.10 exempts two-dimensional data tables: the print view is one (letter, landscape)
    page.set_viewport_size(NARROW)
    overflow = sideways_overflow(page)
    if overflow > 0:
        problems.append(f"{who} {url} scrolls sideways by {overflow} px at 320 px")
    page.set_viewport_size(DESKTOP)
    return True


@pytest.fixture
def violations(page):
    """Every CSP message of the console, and (through crawl's `csp`) the violations the pages reported."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script(LISTEN_CSP)
    return seen


def report(problems: list[str], violations: list[str]) -> str:
    return (
        f"{len(problems)} accessibility problems:\n"
        + "\n".join(problems)
        + f"\n{len(violations)} CSP violations:\n"
        + "\n".join(violations)
    )


@pytest.fixture
def open_survey_link(demo):
    """A personal answer link to an open survey, as a mentee receives it."""
    year = SchoolYear.objects.current()
    survey = full_survey(year, title="Sondage des personnes mentorées")
    survey.opens_at = timezone.now() - datetime.timedelta(days=1)
    survey.closes_at = timezone.now() + datetime.timedelta(days=10)
    survey.save()
    mentee = Person.objects.filter(memberships__role=Role.MENTEE).first()
    return f"/sondages/r/{invite(survey, mentee).token}/"


def test_the_sign_in_page_the_statement_and_a_survey_on_a_phone_meet_wcag_aa_and_the_csp(
    page, open_survey_link, violations
):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make install does)"
    problems: list[str] = []

    check_page(page, "/comptes/login/", problems, "anonyme", violations)
    check_page(page, "/accessibilite/", problems, "anonyme", violations)
    page.set_viewport_size(PHONE)
    response = page.goto(open_survey_link)
    assert response.status == 200
    csp_reported(page, open_survey_link, violations, "questionnaire", response)
    problems += [f"questionnaire (téléphone) [{v['rule']}] {v['help']}: {v['nodes']}" for v in axe_violations(page)]
    page.set_viewport_size(DESKTOP)
    # The survey's scripts run: saving a draft posts the form (form-action 'self').
    page.get_by_role("button", name=re.compile("Continuer plus tard|Enregistrer", re.I)).first.click()
    page.wait_for_load_state("load")

    assert not problems and not violations, report(problems, violations)


# At least this many page types reached, so that a crawl stopped short (a broken menu…) is seen.
MIN_PAGES = {"rh@demo.mentorat.ca": 8, "direction@demo.mentorat.ca": 4}


@pytest.mark.parametrize("email", [email for email, _role, _label in DEMO_ACCOUNTS])
def test_every_page_reached_from_home_meets_wcag_aa_and_the_csp(
    page, sign_in, demo, open_survey_link, violations, email
):
    """One persona per test, so that `make e2e` can spread the crawls over processes."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make install does)"
    problems: list[str] = []

    sign_in(email)
    visited = crawl(page, problems, email, csp=violations)
    # The menus open (Bootstrap's script runs under the policy).
    page.goto("/")
    toggle = page.locator("#main-nav button.dropdown-toggle").first
    if toggle.count():
        toggle.click()
        expect(page.locator("#main-nav .dropdown-menu.show")).to_have_count(1)

    assert visited >= MIN_PAGES.get(email, 0), visited
    assert not problems and not violations, report(problems, violations)


def test_the_check_sees_a_violation_when_there_is_one(page, live_server):
    page.goto("/comptes/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\\'/x.png\\'>')")
    assert "image-alt" in {violation["rule"] for violation in axe_violations(page)}
    # Sized through the CSSOM: a style="" attribute would be refused by our CSP (style-src 'self').
    page.evaluate(
        "const wide = document.createElement('div'); wide.textContent = 'x'; wide.style.width = '2000px';"
        " document.querySelector('main').append(wide)"
    )
    page.set_viewport_size(NARROW)
    assert sideways_overflow(page) > 0


def test_english_pages_meet_wcag_aa_and_the_csp_too(page, sign_in, demo, violations):
    problems: list[str] = []
    sign_in("rh@demo.mentorat.ca")
    page.get_by_test_id("language-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    crawl(page, problems, "rh (en)", limit=25, csp=violations)
    assert not problems and not violations, report(problems, violations)


# --- The keyboard ------------------------------------------------------------------------

# For the element that has the focus: its outline, and the colour behind it (the first
# ancestor with an opaque background), as WCAG 2.4.7 / 1.4.11 ask (3:1 against what it is on).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let node = el.parentElement, behind = "rgb(255, 255, 255)";
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== "transparent" && !bg.startsWith("rgba(0, 0, 0, 0)")) { behind = bg; break; }
    node = node.parentElement;
  }
  return {
    tag: el.tagName.toLowerCase(), name: el.getAttribute("name") || el.id || "", text: el.textContent.trim().slice(0, 40),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor, behind: behind
  };
}"""


def _luminance(rgb: str) -> float:
    values = [int(v) for v in re.findall(r"\d+", rgb)[:3]]
    channels = [v / 255 for v in values]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def tab_through(page, limit: int = 150) -> list[dict]:
    """Press Tab until the focus comes back to the start; the state of each focused element."""
    page.locator("body").click(position={"x": 1, "y": 1})
    states = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            break
        if states and state == states[0]:
            break
        states.append(state)
    return states


def weak_focus(states: list[dict]) -> list[str]:
    weak = []
    for state in states:
        visible = state["outlineStyle"] != "none" and state["outlineWidth"] >= 2
        if not visible or contrast(state["outlineColor"], state["behind"]) < 3:
            weak.append(
                f"{state['tag']} « {state['name'] or state['text']} »: {state['outlineStyle']} {state['outlineWidth']}px "
                f"{state['outlineColor']} on {state['behind']}"
            )
    return weak


def test_sign_in_page_by_keyboard(page, demo):
    page.goto("/comptes/login/")
    states = tab_through(page)
    reached = {state["name"] for state in states}
    assert {"login", "password"} <= reached, reached
    assert not weak_focus(states), weak_focus(states)


def test_nominations_board_by_keyboard_and_the_menu_opens_with_enter_and_space(page, sign_in, demo):
    sign_in("rh@demo.mentorat.ca")
    menu = page.get_by_role("button", name="Mentorat")
    for key in ["Enter", " "]:
        menu.focus()
        page.keyboard.press(key)
        assert page.locator(".dropdown-menu.show").first.is_visible(), f"the menu did not open with {key!r}"
        page.keyboard.press("Escape")
        assert page.locator(".dropdown-menu.show").count() == 0
    page.goto("/mentorat/rh/candidatures/")
    states = tab_through(page)
    assert len(states) > 10
    assert not weak_focus(states), weak_focus(states)


def test_survey_by_keyboard_on_a_phone(page, open_survey_link):
    page.set_viewport_size(PHONE)
    page.goto(open_survey_link)
    states = tab_through(page, limit=200)
    assert any(state["tag"] == "input" for state in states)
    assert any(state["tag"] == "button" and "Envoyer" in state["text"] for state in states)
    assert not weak_focus(states), weak_focus(states)


def test_a_refused_survey_moves_focus_to_the_list_of_answers_to_fix(page, open_survey_link):
    page.goto(open_survey_link)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    first = summary.get_by_role("link").first
    first.click()
    expect(page.locator("input:focus")).to_have_count(1)
