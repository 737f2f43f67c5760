"""Logs name ids, never answers or link tokens (issue 10, item 18)."""

from __future__ import annotations

import logging

import pytest
from django.db import DataError
from django.test import Client
from django.urls import reverse

from surveys import services
from surveys.models import Invitation
from surveys.tests.factories import invite, questions

pytestmark = pytest.mark.django_db

SECRET = "Ma directrice me harcèle"


@pytest.fixture
def invitation(survey, mentee_a):
    return invite(survey, mentee_a.person)


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


def _draft(survey, text):
    return {f"q{questions(survey)[8].pk}": text, "enregistrer": "1"}


def test_a_failing_save_for_later_logs_neither_the_answers_nor_the_token(
    quiet_client, invitation, survey, monkeypatch, caplog
):
    def fail(*, invitation, data):
        # What PostgreSQL answers for a value it refuses: the JSON it was given, in its CONTEXT line.
        raise DataError(f"unsupported Unicode escape sequence\nCONTEXT: JSON data, line 1: {data}")

    monkeypatch.setattr(services, "draft_save", fail)
    response = quiet_client.post(reverse("surveys:respond", args=[invitation.token]), _draft(survey, SECRET))
    assert response.status_code == 500
    logged = caplog.text
    assert "Internal Server Error: /sondages/r/…/" in logged and "DataError" in logged
    assert SECRET not in logged and invitation.token not in logged


@pytest.mark.parametrize("text", [f"{SECRET}\x00", "\x00"])
def test_a_nul_character_in_a_draft_is_refused_and_nothing_is_saved(quiet_client, invitation, survey, text):
    response = quiet_client.post(reverse("surveys:respond", args=[invitation.token]), _draft(survey, text))
    assert response.status_code == 400 and "Requête invalide" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).draft is None


@pytest.mark.postgres
def test_a_nul_character_in_a_draft_is_refused_on_postgresql(quiet_client, invitation, survey, caplog):
    response = quiet_client.post(reverse("surveys:respond", args=[invitation.token]), _draft(survey, f"{SECRET}\x00"))
    assert response.status_code == 400
    assert Invitation.objects.get(pk=invitation.pk).draft is None
    assert SECRET not in caplog.text


def test_a_404_on_a_survey_link_logs_the_address_without_its_token(quiet_client, caplog):
    quiet_client.get("/sondages/r/un-jeton-secret/")
    assert "/sondages/r/…/" in caplog.text and "un-jeton-secret" not in caplog.text


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/mentorat/calendrier/abonnement/jeton-du-flux.ics", "/mentorat/calendrier/abonnement/….ics"),
        ("/mentorat/calendrier/reponse/jeton-rsvp/oui/", "/mentorat/calendrier/reponse/…/oui/"),
    ],
)
def test_a_404_on_a_calendar_link_logs_the_address_without_its_token(quiet_client, caplog, path, shown):
    quiet_client.get(path)
    assert shown in caplog.text and "jeton" not in caplog.text


def test_the_development_server_access_log_masks_tokens(caplog):
    server = logging.getLogger("django.server")
    server.addHandler(caplog.handler)
    try:
        server.info('"%s" %s %s', "GET /sondages/r/jeton-secret/merci/ HTTP/1.1", "200", "1234")
    finally:
        server.removeHandler(caplog.handler)
    assert '"GET /sondages/r/…/merci/ HTTP/1.1" 200 1234' in caplog.text and "jeton-secret" not in caplog.text


def test_a_sent_email_is_logged_without_its_address(caplog, mailoutbox, django_capture_on_commit_callbacks):
    from mentorat.emails import queue_email

    with caplog.at_level(logging.INFO, logger="mentorat.outbox"), django_capture_on_commit_callbacks(execute=True):
        queue_email(
            "decision", "marie.secret@exemple.qc.ca", {"name": "Marie", "reason": SECRET, "decision": "declined"}
        )
    assert len(mailoutbox) == 1 and "outbox: decision sent" in caplog.text
    assert "marie.secret" not in caplog.text and SECRET not in caplog.text


def test_a_failing_email_is_logged_without_its_address_or_contents(
    caplog, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "mentorat.tests.test_outbox.AlwaysFailing"
    from mentorat.emails import queue_email

    with caplog.at_level(logging.INFO, logger="mentorat"), django_capture_on_commit_callbacks(execute=True):
        queue_email(
            "decision", "marie.secret@exemple.qc.ca", {"name": "Marie", "reason": SECRET, "decision": "declined"}
        )
    assert "failed" in caplog.text
    assert "marie.secret" not in caplog.text and SECRET not in caplog.text
