"""The tracking table of new staff: who is new, who follows them, how they are doing, traces of follow-ups."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.tests.factories import FollowUpEntryFactory
from schools.plans import services
from schools.plans.models import Newcomer, NewcomerFollowUp, NewcomerReason, NewcomerStatus


@pytest.fixture
def last_year(db):
    return f.SchoolYearFactory(label="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30")


def table(client, school, **params):
    return client.get(reverse("plans:tracking_table", kwargs={"school_pk": school.pk}), params)


def test_new_staff_are_the_novices_and_first_year_staff(client, director_a, school_a, school_b, year, last_year):
    novice = f.StaffAssignmentFactory(school=school_a, year=year, job_title="Enseignante 3e année").person
    f.EntitlementFactory(person=novice, year=year)
    secretary = f.StaffAssignmentFactory(school=school_a, year=year, job_title="Secrétaire d'école").person
    veteran = f.StaffAssignmentFactory(school=school_a, year=year).person
    f.StaffAssignmentFactory(person=veteran, school=school_b, year=last_year)
    elsewhere = f.StaffAssignmentFactory(school=school_b, year=year).person
    f.EntitlementFactory(person=elsewhere, year=year)
    client.force_login(director_a)
    response = table(client, school_a)
    rows = {row.person: row for row in response.context["rows"]}
    assert rows[novice].reason == NewcomerReason.ENTITLEMENT
    assert rows[secretary].reason == NewcomerReason.FIRST_YEAR
    assert veteran not in rows and elsewhere not in rows
    page = response.content.decode()
    assert "Secrétaire d&#x27;école" in page and "Enseignante 3e année" in page


def test_without_earlier_staff_records_only_the_novices_are_new(director_a, school_a, year):
    novice = f.StaffAssignmentFactory(school=school_a, year=year).person
    f.EntitlementFactory(person=novice, year=year)
    f.StaffAssignmentFactory(school=school_a, year=year)
    # director_a is assigned too, but nobody has a record of an earlier year: only the entitled novice is new.
    assert services.newcomer_candidates(school_a, year) == {novice.pk: NewcomerReason.ENTITLEMENT}


def test_the_follower_defaults_to_the_active_pairings_mentor(client, director_a, mentor_a, mentee_a, school_a):
    client.force_login(director_a)
    rows = table(client, school_a).context["rows"]
    row = next(r for r in rows if r.person == mentee_a.person)
    assert row.followed_by == mentor_a.person


def test_opening_the_table_twice_adds_nobody_twice(client, director_a, mentee_a, school_a):
    client.force_login(director_a)
    table(client, school_a)
    table(client, school_a)
    assert Newcomer.objects.filter(person=mentee_a.person).count() == 1


def test_director_updates_a_row_and_keeps_traces(client, director_a, newcomer_a, school_a, year):
    colleague = f.StaffAssignmentFactory(school=school_a, year=year).person
    client.force_login(director_a)
    response = client.post(
        reverse("plans:newcomer_edit", kwargs={"pk": newcomer_a.pk}),
        {
            "followed_by": colleague.pk,
            "status": NewcomerStatus.WATCH,
            "needs": "Gestion de classe",
            "next_follow_up_on": "2026-12-05",
            "notes": "Libérer deux jours",
            "version": 1,
        },
    )
    assert response.status_code == 302
    newcomer_a.refresh_from_db()
    assert (newcomer_a.followed_by, newcomer_a.status, newcomer_a.needs) == (
        colleague,
        "a_surveiller",
        "Gestion de classe",
    )
    client.post(
        reverse("plans:newcomer_follow_up", kwargs={"pk": newcomer_a.pk}),
        {"date": "2026-11-23", "status": NewcomerStatus.FINE, "note": "Rencontre avec la mentore : ça va mieux."},
    )
    trace = NewcomerFollowUp.objects.get(newcomer=newcomer_a)
    assert trace.by == director_a and trace.note.startswith("Rencontre avec la mentore")
    newcomer_a.refresh_from_db()
    assert newcomer_a.status == NewcomerStatus.FINE  # the latest follow-up says how they are doing
    page = table(client, school_a).content.decode()
    assert "Gestion de classe" in page and "1 suivi" in page and "5 décembre 2026" in page


def test_a_follow_up_needs_a_date_and_a_note(client, director_a, newcomer_a):
    client.force_login(director_a)
    response = client.post(reverse("plans:newcomer_follow_up", kwargs={"pk": newcomer_a.pk}), {"status": "bien"})
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    assert not NewcomerFollowUp.objects.exists()


def test_concurrent_row_edits_keep_what_was_typed(client, director_a, newcomer_a):
    services.newcomer_update(newcomer=newcomer_a, data={"needs": "Planification"}, expected_version=1, by=director_a)
    client.force_login(director_a)
    response = client.post(
        reverse("plans:newcomer_edit", kwargs={"pk": newcomer_a.pk}),
        {"status": "soutien", "needs": "Ce que j'ai tapé", "version": 1},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Planification" in body and "Ce que j&#x27;ai tapé" in body
    newcomer_a.refresh_from_db()
    assert newcomer_a.needs == "Planification"


def test_mentors_of_the_school_read_the_table_but_not_the_follow_up_log(client, mentor_a, mentee_a, school_a):
    pairing = mentee_a.person.pairings_as_mentee.get()
    FollowUpEntryFactory(pairing=pairing, author=mentor_a.person, notes="Note confidentielle de la mentore")
    client.force_login(mentor_a)
    response = table(client, school_a)
    assert response.status_code == 200
    page = response.content.decode()
    assert mentee_a.person.full_name in page
    assert "Note confidentielle" not in page
    assert reverse("plans:newcomer_edit", kwargs={"pk": response.context["rows"][0].pk}) not in page
    row = response.context["rows"][0]
    detail = client.get(reverse("plans:newcomer_detail", kwargs={"pk": row.pk})).content.decode()
    assert "Note confidentielle" not in detail and "<form" not in detail.split('id="main"')[1]
    assert (
        client.post(reverse("plans:newcomer_edit", kwargs={"pk": row.pk}), {"status": "bien", "version": 1}).status_code
        == 403
    )


def test_director_pages_never_show_the_mentors_follow_up_notes(client, director_a, mentor_a, mentee_a, school_a):
    pairing = mentee_a.person.pairings_as_mentee.get()
    FollowUpEntryFactory(pairing=pairing, author=mentor_a.person, notes="Note confidentielle de la mentore")
    client.force_login(director_a)
    response = table(client, school_a)
    row = response.context["rows"][0]
    assert "Note confidentielle" not in response.content.decode()
    assert (
        "Note confidentielle"
        not in client.get(reverse("plans:newcomer_detail", kwargs={"pk": row.pk})).content.decode()
    )


def test_tracking_table_query_count_is_flat(client, director_a, school_a, year, django_assert_max_num_queries):
    for count in (2, 25):
        for _ in range(count):
            person = f.StaffAssignmentFactory(school=school_a, year=year).person
            f.EntitlementFactory(person=person, year=year)
        client.force_login(director_a)
        table(client, school_a)  # first visit adds the rows
        # session, user, person, current year, memberships, school; sync: entitled people, earlier records,
        # known rows; rows (+ person, follower), their assignments here, their follow-ups; years.
        with django_assert_max_num_queries(13):
            response = table(client, school_a)
        assert len(response.context["rows"]) >= count
