"""The confidentiality incident register: the fields the regulation asks for, edits, export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from schools.law25.models import ConfidentialityIncident
from schools.tests.test_access_law25 import make_incident

FORM = {
    "title": "Clé USB perdue",
    "information_concerned": "Noms, matricules et écoles des nouveaux enseignants",
    "circumstances": "Clé USB non chiffrée oubliée dans un autobus.",
    "occurred_from": "2026-11-10",
    "occurred_until": "2026-11-12",
    "learned_on": "2026-11-13",
    "people_count": "42",
    "risk_level": "serious",
    "risk_justification": "Matricules et noms ensemble : usurpation possible.",
    "commission_notified_on": "2026-11-14",
    "people_notified_on": "2026-11-15",
    "measures": "Mots de passe changés, clés chiffrées obligatoires.",
}


def test_hr_records_an_incident_with_every_required_field(client, hr):
    client.force_login(hr)
    response = client.post(reverse("law25:incident_create"), FORM)

    incident = ConfidentialityIncident.objects.get()
    assert response.status_code == 302
    assert incident.created_by == hr
    assert incident.people_count == 42
    assert str(incident.commission_notified_on) == "2026-11-14"
    page = client.get(reverse("law25:incident_detail", args=[incident.pk])).content.decode()
    for text in ("Clé USB non chiffrée", "42", "14 novembre 2026", "15 novembre 2026", "Mots de passe changés"):
        assert text in page


@pytest.mark.parametrize(
    "change,field",
    [
        ({"occurred_until": "2026-11-01"}, "occurred_until"),
        ({"learned_on": "2026-11-01"}, "learned_on"),
        ({"risk_justification": ""}, "risk_justification"),
        ({"people_count": "-3"}, "people_count"),
    ],
)
def test_inconsistent_input_is_refused_at_the_field(client, hr, change, field):
    client.force_login(hr)
    response = client.post(reverse("law25:incident_create"), {**FORM, **change})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ConfidentialityIncident.objects.exists()


def test_concurrent_edit_does_not_overwrite(client, hr, admin_user):
    incident = make_incident()
    url = reverse("law25:incident_edit", args=[incident.pk])
    client.force_login(admin_user)
    assert client.post(url, {**FORM, "title": "Premier", "version": 1}).status_code == 302
    client.force_login(hr)
    stale = client.post(url, {**FORM, "title": "Second", "version": 1})

    assert stale.status_code == 409
    assert 'data-testid="conflict"' in stale.content.decode()
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("Premier", 2)


def test_export_holds_every_incident_with_numbers_as_numbers(client, hr):
    make_incident(title="=HYPERLINK(1)", people_count=7)
    client.force_login(hr)
    response = client.get(reverse("law25:incident_export"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "titre" and "nombre de personnes concernées" in rows[0]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][rows[0].index("nombre de personnes concernées")] == "7"


@pytest.mark.parametrize("count", [1, 30])
def test_register_list_query_bound(client, hr, django_assert_max_num_queries, count):
    for n in range(count):
        make_incident(title=f"Incident {n}")
    client.force_login(hr)
    # session, user, person, memberships, current year ×1-2, incidents; the menu's rules reuse them.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("law25:incident_list"))
    assert response.content.decode().count("Incident ") >= count


@pytest.mark.parametrize("extra_people", [0, 30])
def test_dry_run_query_bound(client, hr, django_assert_max_num_queries, extra_people):
    from mentorat import factories as f

    for _ in range(extra_people):
        f.PersonFactory()
    client.force_login(hr)
    # session, user, person, memberships, year, rules, then two per rule (nine rules).
    with django_assert_max_num_queries(30):
        assert client.get(reverse("law25:retention_dry_run")).status_code == 200


@pytest.mark.parametrize("count", [1, 9])
def test_schedule_list_query_bound(client, hr, django_assert_max_num_queries, count):
    client.force_login(hr)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("law25:retention_list")).status_code == 200


def test_creation_and_edits_reach_the_audit_trail_with_before_and_after(client, hr):
    from auditlog.models import LogEntry

    client.force_login(hr)
    client.post(reverse("law25:incident_create"), FORM)
    incident = ConfidentialityIncident.objects.get()
    url = reverse("law25:incident_edit", args=[incident.pk])
    client.post(url, {**FORM, "people_count": "43", "version": incident.version})

    entries = LogEntry.objects.get_for_object(incident).order_by("timestamp", "pk")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["people_count"] == ["42", "43"]
    assert entries.last().actor == hr
