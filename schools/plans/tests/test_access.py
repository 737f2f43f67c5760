"""Every plans URL × every persona: allowed, forbidden (403), hidden (404: another school's ids) or sent to sign in.

A director edits the plan and the tracking table of the school they direct and
nothing else; HR, the PANE, general management and the administrators read every
plan (management only reads); the tracking table is for the school's directors
and mentors only. htmx requests get the same answers as plain ones.
"""

from __future__ import annotations

import shutil

import pytest
from django.test import override_settings
from django.urls import reverse

from mentorat import factories as f
from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from schools.plans.tests.conftest import file_document, make_newcomer_a, make_newcomer_b, make_plan_a, make_plan_b


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


READERS = {"hr": 200, "pane": 200, "management": 200, "admin_user": 200}
# A page of school A's plan: the centre-wide readers and A's director; B's director gets 404.
READ_A = _row(director_a=200, director_b=404, **READERS)
READ_A_REDIRECT = _row(director_a=302, director_b=404, **{k: 302 for k in READERS})
# Editing school A's plan: A's director only; B's director gets 404, every other role 403.
EDIT_A_GET = _row(director_a=200, director_b=404)
EDIT_A_POST = _row(director_a=302, director_b=404)
# Comments: the PANE and administrators, and the school's director who answers.
COMMENT_A = _row(director_a=302, director_b=404, pane=302, admin_user=302)
# The same pages with school B's ids: A's director gets 404.
READ_B = _row(director_a=404, director_b=200, **READERS)
EDIT_B_GET = _row(director_a=404, director_b=200)
EDIT_B_POST = _row(director_a=404, director_b=302)
# The tracking table: the school's directors (edit) and mentors (read).
TRACK_A = _row(director_a=200, director_b=404, mentor_a=200)
TRACK_A_EDIT = _row(director_a=302, director_b=404)
TRACK_B = _row(director_a=404, director_b=200, mentor_a=404)

# (url name, target object, method, expected by persona, POST data)
ACCESS_TABLE = [
    ("plans:index", None, "get", _row(director_a=302, director_b=302, **{k: 302 for k in READERS}), None),
    ("plans:overview", None, "get", _row(**READERS), None),
    ("plans:school_plan", "school_a", "get", READ_A_REDIRECT, None),
    ("plans:school_plan", "school_b", "get", _row(director_a=404, director_b=302, **{k: 302 for k in READERS}), None),
    ("plans:plan_create", "school_a", "post", EDIT_A_POST, lambda o: {"source": "vide", "annee": o["last_year"].pk}),
    (
        "plans:plan_create",
        "school_b",
        "post",
        _row(director_a=404, director_b=302),
        lambda o: {"source": "vide", "annee": o["last_year"].pk},
    ),
    ("plans:plan_detail", "plan_a", "get", READ_A, None),
    ("plans:plan_detail", "plan_b", "get", READ_B, None),
    ("plans:plan_print", "plan_a", "get", READ_A, None),
    ("plans:plan_print", "plan_b", "get", READ_B, None),
    ("plans:plan_history", "plan_a", "get", READ_A, None),
    ("plans:plan_notes", "plan_a", "post", EDIT_A_POST, {"notes": "Présenter le plan en CPE."}),
    ("plans:comments_read", "plan_a", "post", EDIT_A_POST, None),
    ("plans:step_add", "plan_a", "get", EDIT_A_GET, None),
    ("plans:step_add", "plan_b", "get", EDIT_B_GET, None),
    ("plans:step_detail", "step_a", "get", READ_A_REDIRECT, None),
    ("plans:step_edit", "step_a", "get", EDIT_A_GET, None),
    ("plans:step_edit", "step_b", "get", EDIT_B_GET, None),
    ("plans:step_status", "step_a", "post", EDIT_A_POST, {"status": "en_cours", "version": 1}),
    ("plans:step_status", "step_b", "post", EDIT_B_POST, {"status": "en_cours", "version": 1}),
    ("plans:step_move", "step_a", "post", EDIT_A_POST, {"direction": "down"}),
    ("plans:step_delete", "step_a", "post", EDIT_A_POST, None),
    ("plans:step_delete", "step_b", "post", EDIT_B_POST, None),
    ("plans:step_comment", "step_a", "post", COMMENT_A, {"body": "Bravo pour cette étape."}),
    (
        "plans:step_comment",
        "step_b",
        "post",
        _row(director_a=404, director_b=302, pane=302, admin_user=302),
        {"body": "Bravo."},
    ),
    ("plans:document_add", "step_a", "get", EDIT_A_GET, None),
    ("plans:document_download", "document_a", "get", READ_A, None),
    ("plans:document_download", "document_b", "get", READ_B, None),
    ("plans:document_delete", "document_a", "post", EDIT_A_POST, None),
    ("plans:document_delete", "document_b", "post", EDIT_B_POST, None),
    ("plans:tracking_index", None, "get", _row(director_a=302, director_b=302, mentor_a=302), None),
    ("plans:tracking_table", "school_a", "get", TRACK_A, None),
    ("plans:tracking_table", "school_b", "get", TRACK_B, None),
    ("plans:newcomer_detail", "newcomer_a", "get", TRACK_A, None),
    ("plans:newcomer_detail", "newcomer_b", "get", TRACK_B, None),
    ("plans:newcomer_edit", "newcomer_a", "post", TRACK_A_EDIT, lambda o: {"status": "bien", "version": 1}),
    (
        "plans:newcomer_edit",
        "newcomer_b",
        "post",
        _row(director_a=404, director_b=302),
        {"status": "bien", "version": 1},
    ),
    (
        "plans:newcomer_follow_up",
        "newcomer_a",
        "post",
        TRACK_A_EDIT,
        {"date": "2026-11-20", "status": "bien", "note": "Rencontre."},
    ),
]


def make_objects(year, school_a, school_b) -> dict:
    plan_a, plan_b = make_plan_a(year, school_a), make_plan_b(year, school_b)
    step_a, step_b = plan_a.steps.order_by("position").first(), plan_b.steps.first()
    return {
        "school_a": school_a,
        "school_b": school_b,
        "plan_a": plan_a,
        "plan_b": plan_b,
        "step_a": step_a,
        "step_b": step_b,
        "document_a": file_document(step_a),
        "document_b": file_document(step_b),
        "newcomer_a": make_newcomer_a(year, school_a),
        "newcomer_b": make_newcomer_b(year, school_b),
        "last_year": f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30"),
    }


@pytest.fixture
def objects(year, school_a, school_b):
    return make_objects(year, school_a, school_b)


@pytest.fixture(scope="class")
def shared_world(made_once, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")

    def build():
        with override_settings(MEDIA_ROOT=media):
            users = make_world()
            objects = make_objects(users["year"], users["school_a"], users["school_b"])
        return {"users": users, "objects": objects, "media": media}

    return made_once(build)


KWARG = {"school_a": "school_pk", "school_b": "school_pk"}


def _url(url_name, target, objects):
    if target is None:
        return reverse(url_name)
    return reverse(url_name, kwargs={KWARG.get(target, "pk"): objects[target].pk})


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.fixture(autouse=True)
    def _files_as_made(self, shared_world, _media_in_tmp):
        """The world's documents in this test's media folder: a test deleting one leaves the next one's."""
        shutil.copytree(shared_world["media"], _media_in_tmp, dirs_exist_ok=True)

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize(
        "url_name,target,method,expected,data", ACCESS_TABLE, ids=[f"{r[0]}-{r[1]}" for r in ACCESS_TABLE]
    )
    def test_access_table(self, client, shared, mailoutbox, url_name, target, method, expected, data, persona):
        objects, user = shared["objects"], shared["users"][persona]
        payload = data(objects) if callable(data) else data
        check_access(client, user, _url(url_name, target, objects), expected[persona], method=method, data=payload)


HTMX_ROWS = [
    ("plans:step_edit", "step_b", "get", None),
    ("plans:step_detail", "step_b", "get", None),
    ("plans:step_status", "step_b", "post", {"status": "realise", "version": 1}),
    ("plans:step_move", "step_b", "post", {"direction": "up"}),
    ("plans:step_delete", "step_b", "post", None),
    ("plans:step_add", "plan_b", "get", None),
]


@pytest.mark.parametrize("url_name,target,method,data", HTMX_ROWS, ids=[r[0] for r in HTMX_ROWS])
def test_htmx_endpoints_hide_another_schools_steps(client, objects, director_a, url_name, target, method, data):
    client.force_login(director_a)
    response = getattr(client, method)(_url(url_name, target, objects), data or {}, headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert objects["plan_b"].steps.filter(pk=objects["step_b"].pk, status="a_venir").exists()


@pytest.mark.parametrize("url_name,target,method,data", HTMX_ROWS, ids=[r[0] for r in HTMX_ROWS])
def test_htmx_endpoints_refuse_readers(client, objects, pane, url_name, target, method, data):
    client.force_login(pane)
    response = getattr(client, method)(_url(url_name, target, objects), data or {}, headers={"HX-Request": "true"})
    assert response.status_code == (200 if url_name == "plans:step_detail" else 403)


def test_menu_shows_plans_only_to_those_allowed(client, hr, director_a, mentor_a, teacher, management):
    plans, tracking = f'href="{reverse("plans:index")}"', f'href="{reverse("plans:tracking_index")}"'
    for user, sees_plans, sees_tracking in (
        (hr, True, False),
        (management, True, False),
        (director_a, True, True),
        (mentor_a, False, True),
        (teacher, False, False),
    ):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert (plans in page) is sees_plans, user
        assert (tracking in page) is sees_tracking, user


def test_management_reads_but_cannot_edit(client, management, plan_a, step_a):
    client.force_login(management)
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": plan_a.pk})).content.decode()
    assert step_a.title in page
    assert reverse("plans:step_edit", kwargs={"pk": step_a.pk}) not in page
    assert reverse("plans:step_add", kwargs={"pk": plan_a.pk}) not in page
    assert reverse("plans:step_comment", kwargs={"pk": step_a.pk}) not in page


def test_last_year_director_cannot_open_the_plan(client, school_a, plan_a):
    last_year = f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")
    person = f.person_with_account("ancienne.direction@example.org")
    f.give_role(person, "director", school=school_a, year=last_year)
    client.force_login(person.user)
    assert client.get(reverse("plans:plan_detail", kwargs={"pk": plan_a.pk})).status_code == 403
