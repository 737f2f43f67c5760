"""Every form of the project, fed random and hostile input by Hypothesis: never a 500, nothing stored when refused.

One row of FORMS per form: the persona who may use it, the URL it posts to, the
page that shows it (its fields are read from that page, so a new field is
driven without touching this file) and the strategies of the fields a page
cannot tell (uploaded files, a kind that must match the file). Adding a form is
adding a row; `test_every_form_of_the_project_is_driven` fails on a URL that
accepts POST and is in no row.

The budget is fixed (profile "ci": a few examples per form, derandomised so a
run is repeatable). To hunt for new failures, run with HYPOTHESIS_PROFILE=explore.
"""

from __future__ import annotations

import datetime
import inspect
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from mentorat.tests.test_url_coverage import our_url_names
from roles.models import Actor, Membership, Role
from schools import imports

settings.register_profile(
    "ci",
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("explore", parent=settings.get_profile("ci"), max_examples=200, derandomize=False)
# Quicker to read a failure: no shrinking (the first failing example is reported as drawn).
settings.register_profile("triage", parent=settings.get_profile("ci"), phases=[Phase.explicit, Phase.generate])
settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "ci"))

# What a hostile user types: markup, SQL, spreadsheet formulas, control and NUL
# characters, digits that are not ASCII, wrong types, huge and negative numbers,
# impossible dates and times.
HOSTILE_VALUES = [
    "",
    " ",
    "x" * 5000,
    "é" * 300,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE schools_school; --",
    "1 OR 1=1",
    '=HYPERLINK("http://exemple.org","clic")',
    "+33 1 23",
    "-1",
    "@SUM(A1:A9)",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202edroite\u202c",
    "\ufeff",
    "²",
    "١٢٣",
    "𝟙𝟚",
    "½",
    "0",
    "-999999999999",
    "9" * 40,
    "1e309",
    "NaN",
    "3.5",
    "2026-02-30",
    "2026-13-01",
    "31/12/2026",
    "0000-00-00",
    "99999-12-31",
    "25:61",
    "true",
    "[]",
    "null",
]
HOSTILE = st.sampled_from(HOSTILE_VALUES) | st.text(max_size=30) | st.integers().map(str)
SKIPPED_FIELDS = {
    "csrfmiddlewaretoken",
    # Non-URL `next` values are the robustness helper's item of issue 10 (not driven here).
    "next",
}


@dataclass
class Field:
    name: str
    kind: str  # text, hidden, select, checkbox, file, textarea…
    values: list[str] = field(default_factory=list)  # what the page offers or holds


class Forms(HTMLParser):
    """The fields of the POST forms of a page whose action is `target`."""

    def __init__(self, page: str, target: str):
        super().__init__()
        self.page, self.target = page, target
        self.fields: dict[str, Field] = {}
        self.inside = False
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(urljoin(self.page, attrs.get("action") or self.page)).path
            self.inside = (attrs.get("method") or "").lower() == "post" and action == self.target
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            found = self.fields.setdefault(attrs["name"], Field(attrs["name"], kind))
            found.values.append(attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "button":
            # A named button sends its value: the choices are the buttons.
            found = self.fields.setdefault(attrs["name"], Field(attrs["name"], "select"))
            found.values.append(attrs.get("value") or "")
        elif tag == "textarea":
            self.fields.setdefault(attrs["name"], Field(attrs["name"], "textarea"))
        elif tag == "select":
            self.select = self.fields.setdefault(attrs["name"], Field(attrs["name"], "select"))
        elif tag == "option" and self.select is not None:
            self.select.values.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = None


def form_fields(html: str, page: str, target: str) -> dict[str, Field]:
    parser = Forms(page, target)
    parser.feed(html)
    return parser.fields


def csv_file(example: str, name: str = "import.csv"):
    """Files shaped like the example (same columns), with hostile cells here and there, or plain garbage."""
    lines = example.lstrip("\ufeff").splitlines()
    header = lines[0]
    rows = [line.split(";") for line in lines[1:]] or [header.split(";")]

    def mutate(cells):
        return st.lists(st.sampled_from(cells) | HOSTILE, min_size=len(cells), max_size=len(cells))

    shaped = st.lists(st.sampled_from(rows).flatmap(mutate), min_size=1, max_size=4).map(
        lambda body: "\r\n".join([header, *(";".join(cells) for cells in body)]).encode()
    )
    content = shaped | st.binary(max_size=200) | st.just(b"") | st.just(b"\xff\xfe\x00;\x00")
    names = st.sampled_from([name, "import.csv", "sans-extension", "import.txt"])
    return st.tuples(names, content).map(lambda pair: SimpleUploadedFile(pair[0], pair[1], "text/csv"))


def import_file(kind: str):
    return csv_file(imports.example_csv(kind))


def survey_file(o):
    questions = o["survey"].questions.order_by("position")
    header = ";".join(["reponse", "date", *(f"Q{q.position}" for q in questions)])
    row = ";".join(["1", "2026-11-20", *("Oui" for _ in questions)])
    return csv_file(f"{header}\r\n{row}\r\n")


@dataclass
class Row:
    persona: str
    name: str
    kwargs: object = None  # objects → URL kwargs
    page: tuple | None = None  # (url name, objects → kwargs) of the page showing the form; None: the URL itself
    fields: object = None  # objects → {field name: strategy}, for what a page cannot tell
    # The form's own page answers 200 when it succeeds (in-place edits), so a 200 may have stored.
    saves_on_200: bool = False
    # An import: a 302 to its preview is followed and the preview's confirmation posted.
    confirms: bool = False
    xfail: str = ""

    @property
    def id(self):
        return f"{self.name}-{self.persona}"


def pk(key):
    return lambda o: {"pk": o[key].pk}


def responsibility(o):
    return {"pk": Actor.objects.get(name="La personne mentore").responsibilities.order_by("position").first().pk}


def access_request(o):
    from schools.models import AccessRequest

    request_obj, _created = AccessRequest.objects.get_or_create(
        person=o["novice"], kind="access", defaults={"received_on": datetime.date(2026, 11, 20)}
    )
    return {"pk": request_obj.pk}


def _retention_rule(o):
    from schools.law25.models import RetentionRule

    return {"pk": RetentionRule.objects.get(kind="event_invitations").pk}


def _incident(o):
    from schools.law25.models import ConfidentialityIncident
    from schools.tests.test_access_law25 import make_incident

    return {"pk": (ConfidentialityIncident.objects.first() or make_incident()).pk}


REFERENTIAL = ("referential_edit", None)
PLAN = ("plans:plan_detail", pk("plan"))
SURVEY = ("surveys:survey_detail", pk("survey"))
QUESTION = lambda o: {"pk": o["survey"].pk, "question_pk": o["question"].pk}  # noqa: E731

FORMS = [
    # The referential (who does what)
    Row("hr", "responsibility_add", lambda o: {"pk": Actor.objects.get(name="La personne mentore").pk}, REFERENTIAL),
    Row("hr", "responsibility_reword", responsibility, REFERENTIAL),
    Row("hr", "responsibility_move", responsibility, REFERENTIAL),
    Row("hr", "responsibility_retire", responsibility, REFERENTIAL),
    # Deployment plans and the tracking table of new staff
    Row(
        "director_b",
        "plans:plan_create",
        lambda o: {"school_pk": o["school_b"].pk},
        ("plans:school_plan", lambda o: {"school_pk": o["school_b"].pk}),
    ),
    Row("director_a", "plans:plan_notes", pk("plan"), PLAN),
    # A button shown only when there are unread comments: posted with a stray field.
    Row("director_a", "plans:comments_read", pk("plan"), PLAN, fields=lambda o: {"champ": HOSTILE}),
    Row("director_a", "plans:step_add", pk("plan")),
    Row("director_a", "plans:step_edit", pk("step"), saves_on_200=True),
    Row("director_a", "plans:step_status", pk("step"), PLAN, saves_on_200=True),
    Row("director_a", "plans:step_move", pk("step"), PLAN),
    Row("pane", "plans:step_comment", pk("step"), ("plans:step_detail", pk("step"))),
    Row("director_a", "plans:document_add", pk("step")),
    Row("director_a", "plans:document_delete", pk("document"), PLAN),
    Row("director_a", "plans:step_delete", pk("step"), PLAN),
    Row("director_a", "plans:newcomer_edit", pk("newcomer"), ("plans:newcomer_detail", pk("newcomer"))),
    Row("director_a", "plans:newcomer_follow_up", pk("newcomer"), ("plans:newcomer_detail", pk("newcomer"))),
    # Schools, staff, imports, the centre's schools, buildings and years
    Row("hr", "schools:person_invite", pk("novice"), ("schools:person_detail", pk("novice"))),
    Row("hr", "schools:staff_invite_many", None, ("schools:staff_list", None)),
    *(
        Row(
            "hr",
            "schools:import_start",
            fields=lambda o, kind=kind: {
                "kind": st.just(kind) | HOSTILE,
                "year": st.just(str(o["year"].pk)) | HOSTILE,
                "file": import_file(kind),
            },
            confirms=True,
        )
        for kind in imports.STAFF_KINDS
    ),
    Row("hr", "schools:school_create"),
    Row("hr", "schools:school_edit", pk("school_a")),
    Row("hr", "schools:building_create", pk("school_a")),
    Row("hr", "schools:building_edit", pk("building_a")),
    Row("hr", "schools:building_delete", pk("building_a"), ("schools:school_detail", pk("school_a"))),
    Row("hr", "schools:year_create_next", None, ("schools:year_list", None)),
    Row("hr", "schools:year_mark_current", None, ("schools:year_list", None)),
    Row("hr", "schools:year_delete", pk("year"), ("schools:year_list", None)),
    Row("hr", "schools:year_edit", pk("year")),
    # The cycle page's « Lancer maintenant » (the button shows only for a due step: its field is given here)
    Row(
        "hr",
        "cycle:run",
        lambda o: {"key": "nominations-open"},
        ("cycle:overview", None),
        fields=lambda o: {"annee": HOSTILE | st.just(str(o["year"].pk))},
    ),
    # Law 25: correcting a staff record, access requests
    Row("hr", "privacy:person_correct", pk("novice")),
    Row("hr", "privacy:request_create", lambda o: {"person_pk": o["novice"].pk}),
    Row("hr", "privacy:request_edit", access_request),
    # Law 25: the retention schedule (administrator) and the incident register (HR)
    Row("admin_user", "law25:retention_edit", _retention_rule),
    Row("hr", "law25:incident_create"),
    Row("hr", "law25:incident_edit", _incident),
    # Roles of the year
    Row("hr", "roles:membership_grant"),
    Row("hr", "roles:membership_copy"),
    Row(
        "hr",
        "roles:membership_end",
        lambda o: {"pk": Membership.objects.get(role=Role.DIRECTOR, person__user=o["director_a"]).pk},
    ),
    # Nominations, pairings, follow-up
    Row("hr", "mentors:settings_edit"),
    Row("teacher", "mentors:reflective_tool"),
    Row("teacher", "mentors:candidacy_edit"),
    Row("teacher", "mentors:candidacy_withdraw", None, ("mentors:candidacy_mine", None)),
    # Shown to last year's mentors only: posted with a stray field.
    Row(
        "mentor_a",
        "mentors:candidacy_renew",
        None,
        ("mentors:candidacy_mine", None),
        fields=lambda o: {"champ": HOSTILE},
    ),
    Row("director_a", "mentors:candidacy_opinion", pk("candidacy"), ("mentors:candidacy_detail", pk("candidacy"))),
    Row("hr", "mentors:candidacy_decide", pk("candidacy"), ("mentors:candidacy_detail", pk("candidacy"))),
    Row("hr", "mentors:board_decide_many", None, ("mentors:board", None)),
    Row(
        "hr",
        "mentors:pairing_create",
        None,
        ("mentors:pairing_novice", lambda o: {"person_pk": o["novice"].pk}),
    ),
    Row("hr", "mentors:pairing_end", pk("pairing")),
    Row("mentor_a", "mentors:followup_log", pk("pairing")),
    Row("mentor_a", "mentors:followup_delete", pk("entry"), ("mentors:followup_log", pk("pairing"))),
    # Cohorts, their events, the school calendar
    Row("pane", "mentors:cohort_create"),
    Row("pane", "mentors:cohort_edit", pk("cohort_a")),
    # Every mentor of the small world is placed already: the page shows no box to tick.
    Row("pane", "mentors:cohort_placement", pk("cohort_a"), fields=lambda o: {"mentors": HOSTILE}),
    Row(
        "pane",
        "mentors:cohort_member_remove",
        lambda o: {"pk": o["cohort_a"].pk, "person_pk": o["mentor_a"].person.pk},
        ("mentors:cohort_detail", pk("cohort_a")),
    ),
    Row("pane", "mentors:cohort_plan", pk("cohort_a")),
    Row("pane", "mentors:cohort_publish", pk("cohort_a"), ("mentors:cohort_detail", pk("cohort_a"))),
    Row("pane", "mentors:cohort_event_create", pk("cohort_a")),
    Row("pane", "mentors:cohort_event_edit", pk("draft")),
    Row("pane", "mentors:cohort_event_cancel", pk("event"), ("mentors:cohort_event_detail", pk("event"))),
    Row("pane", "mentors:nonschoolday_list"),
    Row("pane", "mentors:nonschoolday_edit", pk("nonschoolday")),
    Row("pane", "mentors:nonschoolday_delete", pk("nonschoolday"), ("mentors:nonschoolday_list", None)),
    Row(
        "pane",
        "mentors:nonschoolday_import",
        fields=lambda o: {"file": import_file(imports.ImportKind.NON_SCHOOL_DAYS)},
        confirms=True,
    ),
    # The calendar: answers, attendance, subscriptions
    Row("mentor_a", "mentors:event_rsvp", pk("event"), ("mentors:event_detail", pk("event"))),
    Row("hr", "mentors:attendance_record", pk("event")),
    # The answer page records and answers 200 (an update: now an audit entry too).
    Row(
        "anonymous",
        "mentors:rsvp_token",
        lambda o: {"token": o["event"].invitations.get(person=o["mentor_a"].person).token, "answer": "present"},
        saves_on_200=True,
    ),
    Row("mentor_a", "mentors:feed_manage", None, ("mentors:calendar_mine", None)),
    Row("hr", "mentors:feed_revoke_for_person", pk("mentor_b"), ("schools:person_detail", pk("mentor_b"))),
    # Surveys: building, campaign, the raw import, the answer form
    Row("hr", "surveys:survey_create"),
    Row("hr", "surveys:survey_edit", pk("survey")),
    Row("hr", "surveys:survey_copy", pk("survey")),
    Row("hr", "surveys:question_create", pk("survey")),
    Row("hr", "surveys:question_edit", QUESTION),
    Row("hr", "surveys:question_move", QUESTION, SURVEY),
    Row("hr", "surveys:question_delete", QUESTION, SURVEY),
    Row("hr", "surveys:campaign_generate", pk("survey"), SURVEY),
    Row("hr", "surveys:campaign_send", pk("survey"), SURVEY),
    Row("hr", "surveys:import_responses", pk("survey"), fields=lambda o: {"file": survey_file(o)}),
    Row("anonymous", "surveys:respond", lambda o: {"token": o["invitation"].token}),
    # The outbox: HR sends failed e-mails again; each person's choice of nudges
    Row("hr", "outbox:resend", pk("outbound_failed"), ("outbox:list", None)),
    Row("hr", "outbox:resend_all", None, ("outbox:list", None)),
    Row("teacher", "nudge_settings", saves_on_200=False),
]

# URLs that accept POST and are driven another way than by a row of their own.
DRIVEN_THROUGH = {
    "schools:import_preview": "the staff, novices and directors import rows confirm their preview",
    "mentors:nonschoolday_import_preview": "the school-calendar import row confirms its preview",
}
# Ours by name but not by code, or not a form of the project.
NOT_DRIVEN = {
    "account_email": "allauth's e-mail page, replaced by a read-only page (issue 14): no form",
}

STORING_APPS = {"roles", "schools", "plans", "mentors", "surveys", "auditlog", "account", "auth"}


def stored_rows() -> dict[str, int]:
    """Row counts of every model that a submission could write to.

    What each model's `_default_manager.count()` counts, in one query: it runs before and after
    every example (about fifty models, a thousand examples).
    """
    querysets = {
        model._meta.label: model._default_manager.order_by().values("pk")
        for model in apps.get_models()
        if model._meta.app_label in STORING_APPS and not model._meta.proxy
    }
    counts, params = [], []
    for number, queryset in enumerate(querysets.values()):
        sql, query_params = queryset.query.get_compiler(using=queryset.db).as_sql()
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS rows_{number})")
        params += query_params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts)}", params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def value_of(spec: Field):
    if spec.kind == "file":
        return st.just(SimpleUploadedFile("vide.csv", b"")) | st.binary(max_size=100).map(
            lambda content: SimpleUploadedFile("fichier.pdf", content, "application/pdf")
        )
    offered = [value for value in spec.values if value]
    if not offered:
        return HOSTILE
    if spec.kind in ("select", "radio", "checkbox", "hidden"):
        # Mostly what the page offers (so valid submissions reach the deep code), sometimes anything.
        return st.sampled_from(offered) | st.sampled_from(offered) | HOSTILE
    return st.sampled_from(offered) | HOSTILE


def submission(fields: dict[str, Field], extra: dict):
    """A strategy of POST data: each field valued, left out, or repeated."""
    drawn = {}
    for name, spec in fields.items():
        if name in SKIPPED_FIELDS:
            if spec.values:
                drawn[name] = st.just(spec.values[0])
            continue
        one = value_of(spec)
        drawn[name] = st.one_of(one, one, st.none(), st.lists(one, min_size=2, max_size=2))
    drawn.update(extra)
    return st.fixed_dictionaries(drawn).map(lambda data: {k: v for k, v in data.items() if v is not None})


def _confirm_preview(client, response, before):
    """An accepted upload goes to its preview: the preview renders and its confirmation never answers 500."""
    location = response["Location"]
    preview = client.get(location)
    assert preview.status_code < 500
    if preview.status_code != 200:
        return
    target = urlsplit(location).path
    fields = form_fields(preview.content.decode(), location, target)
    data = {name: spec.values[0] if spec.values else "" for name, spec in fields.items()}
    confirmed = client.post(target, data)
    assert confirmed.status_code < 500
    if confirmed.status_code >= 400 or confirmed.status_code == 200:
        assert stored_rows() == before, f"a refused import stored rows: {confirmed.status_code}"


class Undo(Exception):
    """Raised to roll back one example's writes."""


class TestEveryForm:
    """On one harness made for the class (`harness_made_once`), each test in a savepoint inside it."""

    @pytest.fixture
    def harness(self, shared_harness):
        return shared_harness

    @pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in FORMS])
    def test_hostile_input_never_gives_a_500_and_a_refusal_stores_nothing(self, client, harness, mailoutbox, row):
        objects = harness.objects
        user = objects[row.persona]
        if user is not None:
            client.force_login(user)
        url = reverse(row.name, kwargs=row.kwargs(objects) if row.kwargs else None)
        page_name, page_kwargs = row.page or (row.name, row.kwargs)
        page = reverse(page_name, kwargs=page_kwargs(objects) if page_kwargs else None)
        shown = client.get(page, follow=True)
        assert shown.status_code == 200, f"{row.persona} cannot open the page of the form: {page}"
        fields = form_fields(shown.content.decode(), shown.request["PATH_INFO"], urlsplit(url).path)
        extra = row.fields(objects) if row.fields else {}
        assert fields or extra, f"no form posting to {url} on {page}"

        @given(data=submission(fields, extra))
        def submit(data):
            # Each example starts from the same world (a valid one that removed the step
            # or the persona's own access would leave the next ones with 404s and 403s).
            try:
                with transaction.atomic():
                    submit_once(data)
                    raise Undo
            except Undo:
                pass

        def submit_once(data):
            before = stored_rows()
            response = client.post(url, data)
            event(f"answered {response.status_code}")
            assert response.status_code < 500
            refused = response.status_code >= 400 or (response.status_code == 200 and not row.saves_on_200)
            if refused:
                assert stored_rows() == before, f"refused with {response.status_code} but stored: {data}"
            if row.confirms and response.status_code == 302:
                _confirm_preview(client, response, before)

        submit()


# A view accepts POST when its code (or a helper of its module it calls) reads
# the POST data or is decorated to accept POST (a GET filter form is not a form here).
POST_SIGNS = re.compile(r"request\.POST|request\.FILES|require_POST|def post\(|\"POST\"|require_http_methods")


def _views(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def accepts_post(view) -> bool:
    view = inspect.unwrap(getattr(view, "view_class", view))
    module = inspect.getmodule(view)
    source = inspect.getsource(view)
    # The decorators (require_POST…) sit above the function: read them from the module.
    module_source = inspect.getsource(module)
    start = module_source.find(source)
    decorated = module_source[max(0, start - 300) : start] + source
    helpers = [getattr(module, name, None) for name in re.findall(r"\b(_\w+)\(", source)]
    helper_sources = [inspect.getsource(helper) for helper in helpers if inspect.isfunction(helper)]
    return any(POST_SIGNS.search(text) for text in [decorated.split("\n\n\n")[-1], *helper_sources])


def test_every_form_of_the_project_is_driven():
    ours = our_url_names() | set(NOT_DRIVEN)
    views = dict(_views())
    posting = {name for name in ours if accepts_post(views[name])}
    driven = {row.name for row in FORMS} | set(DRIVEN_THROUGH)
    assert not posting - driven - set(NOT_DRIVEN), f"forms without a hostile-input row: {sorted(posting - driven)}"
    assert not driven - posting, f"rows for URLs that do not accept POST: {sorted(driven - posting)}"


def test_the_post_detector_tells_forms_from_pages():
    views = dict(_views())
    assert accepts_post(views["schools:year_mark_current"])  # @require_POST
    assert accepts_post(views["surveys:question_create"])  # through _question_form
    assert not accepts_post(views["schools:year_list"])
    assert not accepts_post(views["mentors:board"])  # a GET filter form


def test_form_fields_are_read_from_the_form_posting_to_the_url():
    html = """<form method="post" action="/a/"><input name="title" value="x"><select name="kind">
    <option value="1">Un</option><option value="2">Deux</option></select>
    <button name="go" value="yes">Go</button></form>
    <form method="post" action="/b/"><input name="other"></form>"""
    fields = form_fields(html, "/page/", "/a/")
    assert set(fields) == {"title", "kind", "go"}
    assert fields["kind"].values == ["1", "2"] and fields["go"].values == ["yes"]
