"""Hostile addresses answer a French 400 or 404, never a 500 (issue 10, item 17)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path", ["/sondages/r/%00/", "/sondages/r/abc%00def/merci/", "/mentorat/calendrier/abonnement/%00.ics"]
)
def test_a_nul_character_in_the_path_is_a_404(quiet_client, path):
    response = quiet_client.get(path)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.parametrize("path", ["/sondages/r/%00/", "/sondages/r/abc%00def/merci/"])
def test_a_nul_character_in_the_path_is_a_404_on_postgresql(quiet_client, path):
    assert quiet_client.get(path).status_code == 404


def test_a_nul_character_in_the_query_is_a_french_400(quiet_client, hr, year):
    quiet_client.force_login(hr)
    response = quiet_client.get("/ecoles/?q=%00")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()
    assert quiet_client.get("/ecoles/?q=a&ordre=%00").status_code == 400
    assert quiet_client.get("/ecoles/?q=abc").status_code == 200


@pytest.mark.postgres
def test_a_nul_character_in_the_query_is_a_400_on_postgresql(quiet_client, hr, year):
    quiet_client.force_login(hr)
    assert quiet_client.get("/ecoles/?q=%00").status_code == 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_microsoft_sign_in_is_a_404_when_single_sign_on_is_not_configured(quiet_client, settings, method):
    settings.MICROSOFT_SSO_ENABLED = False
    assert getattr(quiet_client, method)("/comptes/microsoft/login/").status_code == 404
    assert quiet_client.get("/comptes/microsoft/login/callback/?code=x&state=y").status_code == 404
