"""Nominating beyond a school's quota asks HR for a reason, recorded in the history (issue 10, item 19)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors import services
from mentors.models import Candidacy, Decision, DecisionLog, MentorAssignment
from mentors.tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db


def _nominated(year, school, building=None):
    candidacy = CandidacyFactory(year=year, school=school, building=building)
    services.candidacy_decide(candidacy=candidacy, decision=Decision.NOMINATED, reason="", by=None, expected_version=1)
    return candidacy


def _decide(client, candidacy, **extra):
    data = {"decision": "nominated", "reason": "", "version": candidacy.version, **extra}
    return client.post(reverse("mentors:candidacy_decide", kwargs={"pk": candidacy.pk}), data)


def test_nominating_beyond_a_primary_schools_quota_asks_for_a_reason_and_saves_nothing(client, hr, year, school_a):
    _nominated(year, school_a)  # primary: one seat, now taken
    second = CandidacyFactory(year=year, school=school_a)
    client.force_login(hr)
    response = _decide(client, second)
    assert response.status_code == 200
    form = response.context["decision_form"]
    assert "Quota atteint (places pourvues : 1 sur 1)" in form.errors["quota_reason"][0]
    assert 'aria-invalid="true"' in response.content.decode()
    second.refresh_from_db()
    assert second.decision == "" and not DecisionLog.objects.filter(candidacy=second).exists()
    assert not MentorAssignment.objects.filter(candidacy=second).exists()


def test_nominating_beyond_the_quota_with_a_reason_is_recorded_in_the_history(client, hr, year, school_a):
    _nominated(year, school_a)
    second = CandidacyFactory(year=year, school=school_a)
    client.force_login(hr)
    response = _decide(client, second, quota_reason="Deux pavillons éloignés")
    assert response.status_code == 302
    log = DecisionLog.objects.get(candidacy=second)
    assert log.to_decision == Decision.NOMINATED and log.over_quota_reason == "Deux pavillons éloignés"
    page = client.get(reverse("mentors:candidacy_detail", kwargs={"pk": second.pk})).content.decode()
    assert "Au-delà du quota" in page and "Deux pavillons éloignés" in page


def test_a_nomination_within_the_quota_needs_no_reason(client, hr, year, school_b):
    _nominated(year, school_b)  # secondary: two seats
    second = CandidacyFactory(year=year, school=school_b)
    client.force_login(hr)
    assert _decide(client, second).status_code == 302
    assert DecisionLog.objects.get(candidacy=second).over_quota_reason == ""


def test_the_quota_applies_per_building_when_a_school_has_several(year, school_a):
    north, south = f.BuildingFactory(school=school_a), f.BuildingFactory(school=school_a)
    _nominated(year, school_a, north)
    _nominated(year, school_a, south)  # the other building's seat: no reason needed
    third = CandidacyFactory(year=year, school=school_a, building=north)
    with pytest.raises(services.QuotaConfirmationNeeded):
        services.candidacy_decide(candidacy=third, decision=Decision.NOMINATED, reason="", by=None, expected_version=1)


def test_a_bulk_nomination_beyond_the_quota_asks_for_a_reason_and_saves_none(client, hr, year, school_a):
    first, second = CandidacyFactory(year=year, school=school_a), CandidacyFactory(year=year, school=school_a)
    client.force_login(hr)
    data = {"decision": "nominated", "reason": "", "selection": [f"{first.pk}:1", f"{second.pk}:1"]}
    response = client.post(reverse("mentors:board_decide_many"), data, follow=True)
    assert "indiquez le motif du dépassement" in response.content.decode()
    assert not Candidacy.objects.filter(decision=Decision.NOMINATED).exists()
    assert not DecisionLog.objects.exists()
    client.post(reverse("mentors:board_decide_many"), {**data, "quota_reason": "Remplacement d'un congé"})
    assert Candidacy.objects.filter(decision=Decision.NOMINATED).count() == 2
    # The first took the free seat; only the second went beyond, and says why.
    assert DecisionLog.objects.get(candidacy=first).over_quota_reason == ""
    assert DecisionLog.objects.get(candidacy=second).over_quota_reason == "Remplacement d'un congé"


def test_a_waiting_list_decision_is_not_limited_by_the_quota(year, school_a):
    _nominated(year, school_a)
    other = CandidacyFactory(year=year, school=school_a)
    services.candidacy_decide(candidacy=other, decision=Decision.WAITING_LIST, reason="", by=None, expected_version=1)
    assert DecisionLog.objects.get(candidacy=other).over_quota_reason == ""
