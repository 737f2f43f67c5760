"""Error pages are in French and never leak a stack trace."""

from __future__ import annotations

from django.test import Client
from django.urls import path

from mentorat.urls import urlpatterns as project_urls


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*project_urls, path("boom/", _boom)]


def test_404_page_is_french(client, hr):
    client.force_login(hr)
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_403_page_is_french(client, teacher):
    client.force_login(teacher)
    response = client.get("/ecoles/importer/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_500_page_is_french(settings, db):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body and "boom" not in body
