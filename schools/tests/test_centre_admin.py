"""Schools and buildings edited in the browser: quota and release inputs, confirmation, locking, history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from mentorat import factories as f
from mentors import services as mentor_services
from mentors.models import Decision, MentorAssignment
from mentors.reports import budget_for
from mentors.tests.factories import CandidacyFactory, MentorAssignmentFactory, ProgrammeSettingsFactory
from schools.models import Order, School


def _school_data(school: School, **changes) -> dict:
    data = {
        "code": school.code,
        "name": school.name,
        "order": school.order,
        "cycle_length_days": school.cycle_length_days,
        "release_days_per_cycle": school.release_days_per_cycle,
        "mentor_quota": school.mentor_quota,
        "is_active": "on" if school.is_active else "",
        "version": school.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _nominate(candidacy, hr):
    return mentor_services.candidacy_decide(
        candidacy=candidacy, decision=Decision.NOMINATED, reason="", by=hr, expected_version=candidacy.version
    )


@pytest.mark.parametrize("order,quota", [(Order.PRIMARY, 1), (Order.SECONDARY, 2)])
def test_hr_creates_a_school_with_the_seed_quota_by_default(client, hr, order, quota):
    client.force_login(hr)
    data = {"code": "e900", "name": "École du Fleuve", "order": order, "cycle_length_days": 9}
    data |= {"release_days_per_cycle": "1.8", "is_active": "on"}
    response = client.post(reverse("schools:school_create"), data)
    school = School.objects.get(code="E900")
    assert response.status_code == 302
    assert school.mentor_quota == quota
    page = client.get(reverse("schools:school_detail", kwargs={"pk": school.pk})).content.decode()
    assert "1,8 jours par cycle de 9 jours (20\u00a0%" in page  # the derived fraction beside its inputs


def test_release_days_over_the_cycle_are_refused_at_the_field(client, hr, school_a):
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    response = client.post(url, _school_data(school_a, release_days_per_cycle="12"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Les jours de libération (12) dépassent la durée du cycle (10 jours)." in page
    assert 'aria-invalid="true"' in page
    school_a.refresh_from_db()
    assert school_a.release_days_per_cycle == Decimal("2")


def test_a_change_of_this_years_figures_asks_to_confirm_and_existing_budget_does_not_move(
    client, hr, year, school_a, mailoutbox
):
    ProgrammeSettingsFactory(year=year)
    _nominate(CandidacyFactory(year=year, school=school_a), hr)
    before = budget_for(year).centre.total
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})

    response = client.post(url, _school_data(school_a, release_days_per_cycle="3", mentor_quota="2"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Libération : 20\u00a0% → 30\u00a0% de la tâche." in page
    assert "Personnes mentores prévues : 1 → 2." in page
    assert "2026-2027 : 1 affectation garde ses valeurs de nomination ; le budget de cette année ne change pas." in page
    school_a.refresh_from_db()
    assert (school_a.release_days_per_cycle, school_a.mentor_quota) == (Decimal("2"), 1)  # nothing saved yet

    signature = response.context["impact"].signature
    confirmed = _school_data(school_a, release_days_per_cycle="3", mentor_quota="2", confirmed=signature)
    assert client.post(url, confirmed).status_code == 302
    school_a.refresh_from_db()
    assert (school_a.release_days_per_cycle, school_a.mentor_quota) == (Decimal("3"), 2)
    assert budget_for(year).centre.total == before
    assert MentorAssignment.objects.get().release_days_per_cycle == Decimal("2")

    # The next nomination uses the new values and adds its own, larger, cost.
    second = _nominate(CandidacyFactory(year=year, school=school_a), hr)
    new_assignment = MentorAssignment.objects.get(candidacy=second)
    assert new_assignment.release_days_per_cycle == Decimal("3")
    assert new_assignment.release_fraction == Decimal("0.3")
    assert budget_for(year).centre.total == before + new_assignment.cost_estimate
    assert new_assignment.cost_estimate > before


def test_a_confirmation_for_other_values_asks_again(client, hr, year, school_a):
    MentorAssignmentFactory(year=year, school=school_a)
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    signature = client.post(url, _school_data(school_a, mentor_quota="2")).context["impact"].signature
    response = client.post(url, _school_data(school_a, mentor_quota="5", confirmed=signature))
    assert response.status_code == 200 and "impact" in response.context
    school_a.refresh_from_db()
    assert school_a.mentor_quota == 1


def test_a_change_without_assignments_this_year_saves_at_once(client, hr, year, school_a):
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    assert client.post(url, _school_data(school_a, cycle_length_days="9")).status_code == 302
    school_a.refresh_from_db()
    assert school_a.cycle_length_days == 9


def test_a_name_change_needs_no_confirmation_even_with_assignments(client, hr, year, school_a):
    MentorAssignmentFactory(year=year, school=school_a)
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    assert client.post(url, _school_data(school_a, name="École des Érables rouges")).status_code == 302


def test_two_hr_people_editing_the_same_school_the_second_is_told_and_loses_nothing(client, hr, school_a):
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    seen = _school_data(school_a)
    # The first person saves while the second still has the form open.
    assert client.post(url, {**seen, "name": "École des Érables (nouveau nom)"}).status_code == 302
    response = client.post(url, {**seen, "cycle_length_days": "8", "release_days_per_cycle": "1.5"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Une autre personne a modifié cette école" in page
    assert "École des Érables (nouveau nom)" in page  # the other person's values are shown
    assert 'value="8"' in page and 'value="1.5"' in page  # what was typed is still there
    school_a.refresh_from_db()
    assert (school_a.name, school_a.cycle_length_days) == ("École des Érables (nouveau nom)", 10)
    # Submitting again, having seen the other version, saves.
    again = {**seen, "cycle_length_days": "8", "release_days_per_cycle": "1.5", "version": school_a.version}
    again["name"] = "École des Érables (nouveau nom)"
    assert client.post(url, again).status_code == 302
    school_a.refresh_from_db()
    assert school_a.cycle_length_days == 8


def test_history_records_who_when_which_field_before_and_after(client, hr, school_a):
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    client.post(url, _school_data(school_a, cycle_length_days="9"))
    entry = LogEntry.objects.get_for_object(school_a).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == hr
    assert entry.timestamp is not None
    assert entry.changes_dict == {"cycle_length_days": ["10", "9"]}
    page = client.get(reverse("schools:school_detail", kwargs={"pk": school_a.pk})).content.decode()
    assert 'data-testid="history"' in page and hr.person.full_name in page


def test_director_sees_own_school_settings_read_only_and_not_another_school(client, director_a, school_a, school_b):
    client.force_login(director_a)
    page = client.get(reverse("schools:school_detail", kwargs={"pk": school_a.pk})).content.decode()
    assert 'data-testid="school-settings"' in page
    assert reverse("schools:school_edit", kwargs={"pk": school_a.pk}) not in page
    assert 'data-testid="history"' not in page
    assert client.get(reverse("schools:school_detail", kwargs={"pk": school_b.pk})).status_code == 404
    assert client.get(reverse("schools:school_edit", kwargs={"pk": school_a.pk})).status_code == 403


def test_hr_deactivates_a_school(client, hr, school_a):
    client.force_login(hr)
    url = reverse("schools:school_edit", kwargs={"pk": school_a.pk})
    client.post(url, _school_data(school_a, is_active=""))
    school_a.refresh_from_db()
    assert not school_a.is_active
    assert "désactivée" in client.get(reverse("schools:school_list")).content.decode()


# --- Buildings ---


def test_hr_adds_a_second_building_and_the_quota_applies_to_each(client, hr, school_b):
    f.BuildingFactory(school=school_b, code="P1", name="Pavillon Nord")
    client.force_login(hr)
    url = reverse("schools:building_create", kwargs={"pk": school_b.pk})
    assert client.post(url, {"code": "p2", "name": "Pavillon Sud"}).status_code == 302
    assert list(school_b.buildings.values_list("code", flat=True)) == ["P1", "P2"]
    page = client.get(reverse("schools:school_detail", kwargs={"pk": school_b.pk})).content.decode()
    assert "2 par bâtiment" in page


def test_a_building_code_used_twice_is_refused_at_the_field(client, hr, school_b):
    f.BuildingFactory(school=school_b, code="P1")
    client.force_login(hr)
    response = client.post(reverse("schools:building_create", kwargs={"pk": school_b.pk}), {"code": "p1", "name": "X"})
    assert "Cette école a déjà un bâtiment avec ce code." in response.content.decode()
    assert school_b.buildings.count() == 1


def test_a_building_in_use_is_not_deleted(client, hr, year, school_b):
    building = f.BuildingFactory(school=school_b)
    f.StaffAssignmentFactory(school=school_b, year=year, building=building)
    client.force_login(hr)
    response = client.post(reverse("schools:building_delete", kwargs={"pk": building.pk}), follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    assert school_b.buildings.count() == 1
