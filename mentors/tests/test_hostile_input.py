"""Decisions and pairings under hostile input: a French message or a 404, nothing half-saved (issue 10, item 17)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mentors.models import Candidacy, Decision, DecisionLog, Pairing
from mentors.tests.factories import MentorAssignmentFactory

pytestmark = pytest.mark.django_db

BAD_NEXT = ["abc", "mentors:board", "/ok\nSet-Cookie: x=1", "/\t", "https://evil.example/", "//evil.example/"]


@pytest.fixture
def hr_client(hr):
    client = Client(raise_request_exception=False)
    client.force_login(hr)
    return client


@pytest.mark.parametrize("target", BAD_NEXT)
def test_a_decision_with_a_bogus_next_is_saved_once_and_lands_on_the_board(hr_client, candidacy_a, target):
    response = hr_client.post(
        reverse("mentors:candidacy_decide", kwargs={"pk": candidacy_a.pk}),
        {"decision": "waiting_list", "reason": "", "version": 1, "next": target},
    )
    assert response.status_code == 302 and response["Location"] == reverse("mentors:board")
    assert DecisionLog.objects.filter(candidacy=candidacy_a).count() == 1


@pytest.mark.parametrize("target", BAD_NEXT)
def test_a_bulk_decision_with_a_bogus_next_lands_on_the_board(hr_client, candidacy_a, target):
    response = hr_client.post(
        reverse("mentors:board_decide_many"),
        {"decision": "waiting_list", "reason": "", "selection": [f"{candidacy_a.pk}:1"], "next": target},
    )
    assert response.status_code == 302 and response["Location"] == reverse("mentors:board")
    assert Candidacy.objects.get(pk=candidacy_a.pk).decision == Decision.WAITING_LIST


def test_a_decision_keeps_a_next_on_this_site(hr_client, candidacy_a):
    target = reverse("mentors:board") + "?tri=experience&page=2"
    response = hr_client.post(
        reverse("mentors:candidacy_decide", kwargs={"pk": candidacy_a.pk}),
        {"decision": "waiting_list", "reason": "", "version": 1, "next": target},
    )
    assert response["Location"] == target


@pytest.mark.parametrize("value", ["abc", "1.5", "²", "-3", "9" * 40, "1 2"])
def test_a_non_numeric_mentor_or_mentee_id_on_the_pairing_form_is_a_404(
    client, hr, year, school_a, mentor_a, novice_a, value
):
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)
    client.force_login(hr)
    url = reverse("mentors:pairing_create")
    assert client.post(url, {"mentor": value, "mentee": novice_a.pk}).status_code == 404
    assert client.post(url, {"mentor": mentor_a.person.pk, "mentee": value}).status_code == 404
    assert not Pairing.objects.filter(mentee=novice_a).exists()


def test_a_nul_character_in_a_decision_is_refused_and_nothing_is_saved(hr_client, candidacy_a):
    response = hr_client.post(
        reverse("mentors:candidacy_decide", kwargs={"pk": candidacy_a.pk}),
        {"decision": "waiting_list", "reason": "", "version": 1, "next": "/\x00"},
    )
    assert response.status_code == 400 and "Requête invalide" in response.content.decode()
    assert not DecisionLog.objects.filter(candidacy=candidacy_a).exists()


@pytest.mark.parametrize("value", ["²", "٣", "9" * 40])
def test_a_plan_started_with_a_unicode_digit_year_falls_back_to_the_selected_year(
    client, director_a, school_a, year, value
):
    from schools.plans.models import DeploymentPlan

    client.force_login(director_a)
    response = client.post(
        reverse("plans:plan_create", kwargs={"school_pk": school_a.pk}), {"source": "vide", "annee": value}
    )
    assert response.status_code == 302
    assert DeploymentPlan.objects.filter(school=school_a, year=year).exists()
