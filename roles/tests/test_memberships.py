"""Roles of the year: grant, end (access ends at once), change of school, copy forward, history."""

from __future__ import annotations

import datetime
import html

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from mentorat import factories as f
from mentors.tests.factories import CandidacyFactory
from roles import services
from roles.access import Access
from roles.models import Membership, Role
from roles.views_memberships import DIRECTORS_SCHOOLS_PER_PAGE
from schools.models import SchoolYear

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def last_year(db):
    return f.SchoolYearFactory(
        label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30)
    )


@pytest.fixture
def next_year(db):
    following = SchoolYear.with_seed_milestones(2027)
    following.save()
    return following


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_hr_grants_a_direction_that_opens_the_school_at_once(client, hr, year, school_a):
    person = f.person_with_account("nouvelle.direction@example.org", employee_number="555001")
    client.force_login(hr)
    url = f"{reverse('roles:membership_grant')}?annee={year.pk}"
    data = {"person": "555001", "role": Role.DIRECTOR, "school": school_a.pk, "starts_on": "2026-11-24"}
    assert client.post(url, data).status_code == 302
    membership = Membership.objects.get(person=person)
    assert (membership.year, membership.school, membership.starts_on) == (year, school_a, TODAY)
    assert Access(person.user).can("school.view", school_a)


def test_grant_errors_are_french_and_at_their_field(client, hr, year, school_a):
    client.force_login(hr)
    url = f"{reverse('roles:membership_grant')}?annee={year.pk}"
    response = client.post(url, {"person": "inconnu@example.org", "role": Role.DIRECTOR, "starts_on": "2030-01-01"})
    page = _page(response)
    assert "Aucune personne du personnel n'a le matricule ou le courriel « inconnu@example.org »." in page
    assert "Choisissez une date de l'année 2026-2027" in page
    assert 'aria-invalid="true"' in page
    assert not Membership.objects.filter(role=Role.DIRECTOR).exists()


def test_a_role_ended_today_stops_giving_access_at_once(client, hr, director_a, school_a, year, mailoutbox):
    candidacy = CandidacyFactory(year=year, school=school_a)
    assert Access(director_a).can("candidacy.view", candidacy)
    membership = Membership.objects.get(person__user=director_a, role=Role.DIRECTOR)
    client.force_login(hr)
    response = client.post(reverse("roles:membership_end", kwargs={"pk": membership.pk}), {"ends_on": "2026-11-24"})
    assert response.status_code == 302
    access = Access(director_a)
    assert not access.can("school.view", school_a)
    assert not access.can("candidacy.view", candidacy)
    client.force_login(director_a)
    assert client.get(reverse("schools:school_detail", kwargs={"pk": school_a.pk})).status_code == 403
    assert client.get(reverse("mentors:candidacy_detail", kwargs={"pk": candidacy.pk})).status_code == 403


def test_a_role_ending_tomorrow_still_gives_access_today(director_a, school_a):
    membership = Membership.objects.get(person__user=director_a, role=Role.DIRECTOR)
    services.membership_end(membership=membership, ends_on=datetime.date(2026, 11, 25))
    assert Access(director_a).can("school.view", school_a)


def test_a_role_starting_later_gives_no_access_yet(year, school_a):
    person = f.person_with_account("bientot@example.org")
    Membership.objects.create(
        person=person, role=Role.DIRECTOR, school=school_a, year=year, starts_on=datetime.date(2027, 1, 5)
    )
    assert not Access(person.user).can("school.view", school_a)
    assert Membership.objects.in_force(year, datetime.date(2027, 1, 5)).filter(person=person).exists()


def test_a_director_who_changes_school_keeps_nothing_of_the_old_one(
    client, hr, director_a, year, school_a, school_b, mailoutbox
):
    candidacy_a = CandidacyFactory(year=year, school=school_a)
    staff_a = f.StaffAssignmentFactory(school=school_a, year=year).person
    client.force_login(hr)
    url = f"{reverse('roles:membership_grant')}?annee={year.pk}"
    data = {"person": director_a.email, "role": Role.DIRECTOR, "school": school_b.pk, "starts_on": "2026-11-24"}
    assert client.post(url, {**data, "leave_other_schools": "on"}).status_code == 302
    access = Access(director_a)
    assert access.directed_school_ids == {school_b.pk}
    assert not access.can("school.view", school_a)
    assert not access.can("candidacy.view", candidacy_a)
    assert not access.can("candidacy.opinion", candidacy_a)
    assert not access.can("person.view", staff_a)
    assert access.can("school.view", school_b)


def test_hr_cannot_grant_or_end_the_hr_or_administrator_role(client, hr, year):
    other = f.person_with_account("autre.rh@example.org", employee_number="555002")
    client.force_login(hr)
    url = f"{reverse('roles:membership_grant')}?annee={year.pk}"
    response = client.post(url, {"person": "555002", "role": Role.HR, "starts_on": "2026-11-24"})
    assert response.status_code == 200 and response.context["form"].errors["role"]
    assert not Membership.objects.filter(person=other).exists()
    own = Membership.objects.get(person__user=hr, role=Role.HR)
    assert (
        client.post(reverse("roles:membership_end", kwargs={"pk": own.pk}), {"ends_on": "2026-11-24"}).status_code
        == 403
    )
    own.refresh_from_db()
    assert own.ends_on is None


def test_an_administrator_grants_and_ends_the_hr_role(client, admin_user, hr, year):
    other = f.person_with_account("autre.rh@example.org", employee_number="555002")
    client.force_login(admin_user)
    url = f"{reverse('roles:membership_grant')}?annee={year.pk}"
    assert client.post(url, {"person": "555002", "role": Role.HR, "starts_on": "2026-11-24"}).status_code == 302
    assert Access(other.user).has(Role.HR)
    own = Membership.objects.get(person__user=hr, role=Role.HR)
    client.post(reverse("roles:membership_end", kwargs={"pk": own.pk}), {"ends_on": "2026-11-24"})
    assert not Access(hr).has(Role.HR)


def test_ending_a_role_that_has_not_started_removes_it(client, hr, next_year, school_a):
    person = f.PersonFactory()
    membership = Membership.objects.create(
        person=person, role=Role.DIRECTOR, school=school_a, year=next_year, starts_on=next_year.starts_on
    )
    client.force_login(hr)
    client.post(reverse("roles:membership_end", kwargs={"pk": membership.pk}), {"ends_on": "2026-11-24"})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_end_before_the_start_is_refused_at_the_field(client, hr, year, school_a):
    membership = Membership.objects.create(
        person=f.PersonFactory(), role=Role.DIRECTOR, school=school_a, year=year, starts_on=datetime.date(2026, 9, 1)
    )
    client.force_login(hr)
    response = client.post(reverse("roles:membership_end", kwargs={"pk": membership.pk}), {"ends_on": "2026-08-01"})
    assert "La fin doit suivre le début du rôle" in _page(response)
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_history_records_who_ended_which_role_and_when(client, hr, director_a):
    membership = Membership.objects.get(person__user=director_a, role=Role.DIRECTOR)
    client.force_login(hr)
    client.post(reverse("roles:membership_end", kwargs={"pk": membership.pk}), {"ends_on": "2026-11-24"})
    entry = LogEntry.objects.get_for_object(membership).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == hr
    assert entry.changes_dict == {"ends_on": ["None", "2026-11-24"]}


def test_the_roles_page_lists_each_school_director_and_the_centre_roles(
    client, pane, hr, director_a, school_a, school_b
):
    client.force_login(pane)
    page = _page(client.get(reverse("roles:membership_list")))
    assert director_a.person.full_name in page
    assert "Aucune direction" in page  # school B has no director this year
    assert hr.person.full_name in page and "permanent" in page
    assert reverse("roles:membership_grant") not in page  # read-only for the PANE


# --- Copying last year's roles forward ---


def _role(person, role, year, school=None, **dates):
    return Membership.objects.create(person=person, role=role, school=school, year=year, **dates)


def test_copy_forward_reviews_who_is_new_gone_or_changed_school_then_copies(
    client, hr, last_year, year, school_a, school_b
):
    stays, moves, leaves, replaced, pane_person = (f.PersonFactory(last_name=n) for n in "ABCDE")
    newcomer, new_director = f.PersonFactory(last_name="F"), f.PersonFactory(last_name="G")
    school_c = f.SchoolFactory(code="C001")
    _role(stays, Role.DIRECTOR, last_year, school_a)
    _role(moves, Role.DIRECTOR, last_year, school_b)
    _role(replaced, Role.DIRECTOR, last_year, school_c)
    _role(leaves, Role.TRAINER, last_year, ends_on=datetime.date(2026, 3, 1))
    _role(pane_person, Role.PANE, last_year)
    _role(moves, Role.DIRECTOR, year, school_c, starts_on=year.starts_on)  # already placed at school C
    _role(new_director, Role.DIRECTOR, year, school_b, starts_on=year.starts_on)
    _role(newcomer, Role.PANE, year, starts_on=year.starts_on)
    client.force_login(hr)
    url = f"{reverse('roles:membership_copy')}?annee={year.pk}"
    response = client.get(url)
    plan = response.context["plan"]
    assert {(m.person, m.role) for m in plan.to_copy} == {(stays, Role.DIRECTOR), (pane_person, Role.PANE)}
    assert [(m.person, [n.school for n in now]) for m, now in plan.changed_school] == [(moves, [school_c])]
    assert [(m.person, [n.person for n in now]) for m, now in plan.replaced] == [(replaced, [moves])]
    assert [m.person for m in plan.not_renewed] == [leaves]
    assert {m.person for m in plan.new_in_target} == {moves, new_director, newcomer}
    assert Membership.objects.filter(year=year).count() == 3  # nothing copied by the review

    response = client.post(url, {"digest": plan.digest})
    assert response.status_code == 302
    copied = Membership.objects.get(person=stays, year=year)
    assert (copied.role, copied.school, copied.starts_on) == (Role.DIRECTOR, school_a, year.starts_on)
    assert Membership.objects.filter(person=pane_person, year=year, role=Role.PANE).exists()
    assert not Membership.objects.filter(person__in=[leaves, replaced], year=year).exists()
    assert not Membership.objects.filter(person=moves, year=year, school=school_b).exists()


def test_copy_confirmed_on_a_stale_review_copies_nothing(client, hr, last_year, year, school_a):
    _role(f.PersonFactory(), Role.DIRECTOR, last_year, school_a)
    client.force_login(hr)
    url = f"{reverse('roles:membership_copy')}?annee={year.pk}"
    digest = client.get(url).context["plan"].digest
    _role(f.PersonFactory(), Role.PANE, last_year)  # changed since the review
    response = client.post(url, {"digest": digest})
    assert response.status_code == 200
    assert "Les rôles ont changé depuis l'aperçu" in _page(response)
    assert not Membership.objects.filter(year=year, role=Role.DIRECTOR).exists()


def test_hr_copy_leaves_the_administrator_roles_to_an_administrator(client, hr, last_year, year):
    other_hr = f.PersonFactory()
    _role(other_hr, Role.HR, last_year)
    client.force_login(hr)
    url = f"{reverse('roles:membership_copy')}?annee={year.pk}"
    plan = client.get(url).context["plan"]
    assert [m.person for m in plan.needs_admin] == [other_hr] and not plan.to_copy


@pytest.mark.parametrize("count", [3, 60])
def test_roles_page_queries_stay_flat(client, hr, year, django_assert_max_num_queries, count):
    for i in range(count):
        school = f.SchoolFactory()
        _role(f.PersonFactory(), Role.DIRECTOR, year, school)
        _role(f.PersonFactory(), Role.PANE if i % 2 else Role.TRAINER, year)
    client.force_login(hr)
    # session + user, person, current year, memberships (Access); schools (count), the page's schools + their
    # directions, schools without a director (count); centre roles; years (selector); previous year; the
    # school filter's first 31 schools (a <select> up to 30, else a search box).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("roles:membership_list"))
    assert len(response.context["schools_page"]) == min(count, DIRECTORS_SCHOOLS_PER_PAGE)


def test_the_roles_page_shows_the_schools_a_page_at_a_time_with_its_filter(client, hr, year, school_a, director_a):
    f.SchoolFactory.create_batch(DIRECTORS_SCHOOLS_PER_PAGE + 4)
    client.force_login(hr)
    url = reverse("roles:membership_list")
    first = client.get(url, {"annee": year.pk})
    page = _page(first)
    assert f"{DIRECTORS_SCHOOLS_PER_PAGE + 5} écoles, dont {DIRECTORS_SCHOOLS_PER_PAGE + 4} sans direction" in page
    assert '<nav aria-label="Pages des directions d\'établissement">' in page and 'aria-current="page"' in page
    assert f"?annee={year.pk}&ecoles=2" in page
    second = client.get(url, {"annee": year.pk, "ecoles": 2})
    assert len(second.context["schools_page"]) == 5
    assert not {s.pk for s in second.context["schools_page"]} & {s.pk for s in first.context["schools_page"]}
    assert client.get(url, {"ecoles": "x"}).status_code == 200 and client.get(url, {"ecoles": 99}).status_code == 200
    # The school filter keeps its school and its director, whatever page was asked for.
    filtered = client.get(url, {"annee": year.pk, "ecole": "A001", "ecoles": 2})
    assert [s.code for s in filtered.context["schools_page"]] == ["A001"]
    assert director_a.person.full_name in _page(filtered) and "1 école, dont 0 sans direction" in _page(filtered)
    assert "Aucune école ne correspond à ce filtre." in _page(client.get(url, {"ecole": "zzz-nulle-part"}))


def test_a_director_whose_role_ended_is_no_longer_in_the_directors_survey(director_a, director_b, year):
    from surveys.services import audience_people
    from surveys.tests.factories import make_survey

    ended = Membership.objects.get(person__user=director_a, role=Role.DIRECTOR)
    services.membership_end(membership=ended, ends_on=TODAY)
    survey = make_survey(year, audience="directors")
    assert list(audience_people(survey)) == [director_b.person]
