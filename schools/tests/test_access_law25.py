"""Access table of the Law 25 pages (retention schedule, incident register) × every persona."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorat.testing import LOGIN, PERSONAS, check_access, make_world
from schools.law25.models import ConfidentialityIncident, RecordKind, RetentionRule


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


KEEPERS = {"hr": 200, "admin_user": 200}

# (url name, kwargs target, method, expected by persona)
ACCESS_TABLE = [
    ("law25:retention_list", None, "get", _row(**KEEPERS)),
    ("law25:retention_dry_run", None, "get", _row(**KEEPERS)),
    ("law25:retention_edit", "rule", "get", _row(admin_user=200)),
    ("law25:incident_list", None, "get", _row(**KEEPERS)),
    ("law25:incident_create", None, "get", _row(**KEEPERS)),
    ("law25:incident_export", None, "get", _row(**KEEPERS)),
    ("law25:incident_detail", "incident", "get", _row(**KEEPERS)),
    ("law25:incident_edit", "incident", "get", _row(**KEEPERS)),
]


def make_incident(**extra) -> ConfidentialityIncident:
    fields = {
        "title": "Courriel envoyé au mauvais destinataire",
        "information_concerned": "Nom et école de 3 personnes mentorées",
        "circumstances": "Liste jointe par erreur à un courriel externe.",
        "occurred_from": datetime.date(2026, 11, 2),
        "learned_on": datetime.date(2026, 11, 3),
        "people_count": 3,
    }
    return ConfidentialityIncident.objects.create(**{**fields, **extra})


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        users = make_world()
        objects = {"rule": RetentionRule.objects.get(kind=RecordKind.AUDIT_ENTRIES), "incident": make_incident()}
        return {"users": users, "objects": objects}

    return made_once(build)


class TestAccessTable:
    """One world made for the whole table (`made_once`), each test in a savepoint inside it."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
    def test_access_table(self, client, shared, url_name, target, method, expected, persona):
        user = shared["users"][persona]
        kwargs = {"pk": shared["objects"][target].pk} if target else {}
        check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)

    @pytest.mark.parametrize("persona", PERSONAS[1:])
    def test_menu_links_only_what_the_persona_may_open(self, client, shared, persona):
        client.force_login(shared["users"][persona])
        page = client.get(reverse("home")).content.decode()
        for name in ("law25:retention_list", "law25:incident_list"):
            assert (f'href="{reverse(name)}"' in page) is (persona in KEEPERS), (persona, name)


def test_only_the_administrator_sees_the_edit_links_of_the_schedule(client, hr, admin_user):
    rule = RetentionRule.objects.get(kind=RecordKind.AUDIT_ENTRIES)
    edit = reverse("law25:retention_edit", args=[rule.pk])
    client.force_login(hr)
    assert edit not in client.get(reverse("law25:retention_list")).content.decode()
    client.force_login(admin_user)
    assert edit in client.get(reverse("law25:retention_list")).content.decode()
