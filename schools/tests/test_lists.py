"""List pages: what they show, and a query count that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.models import Pairing
from schools import counts
from schools.counts import recount_year_staff
from schools.models import Building, Entitlement, Order, Person, School, StaffAssignment


def make_centre(year, schools: int, people: int) -> None:
    """Bulk-create `schools` schools (each with a building) and `people` assigned staff, a tenth novices."""
    School.objects.bulk_create(
        School(
            code=f"S{i:04d}", name=f"École {i:04d}", order=Order.PRIMARY if i % 4 else Order.SECONDARY, mentor_quota=1
        )
        for i in range(schools)
    )
    all_schools = list(School.objects.order_by("pk"))
    Building.objects.bulk_create(Building(school=s, code="A", name="Pavillon A") for s in all_schools)
    Person.objects.bulk_create(
        Person(employee_number=f"M{i:06d}", first_name="Prénom", last_name=f"Nom{i:06d}") for i in range(people)
    )
    persons = list(Person.objects.filter(employee_number__startswith="M").order_by("pk"))
    StaffAssignment.objects.bulk_create(
        StaffAssignment(person=p, school=all_schools[i % len(all_schools)], year=year) for i, p in enumerate(persons)
    )
    Entitlement.objects.bulk_create(Entitlement(person=p, year=year) for p in persons[::10])
    mentors, mentees = persons[1::10], persons[::10]
    Pairing.objects.bulk_create(
        Pairing(year=year, mentor=m, mentee=n, started_on=year.starts_on) for m, n in zip(mentors, mentees)
    )


@pytest.mark.parametrize("schools,people", [(10, 10), (1000, 1000)])
def test_school_list_queries_do_not_grow(client, hr, year, schools, people, django_assert_max_num_queries):
    make_centre(year, schools, people)
    client.force_login(hr)
    # session + user, person, current year, memberships, school years, schools count, the page's school ids,
    # those schools, their counts (one grouped query), buildings
    with django_assert_max_num_queries(12):
        response = client.get(reverse("schools:school_list"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == min(schools, 50) + 1  # 50 schools a page


@pytest.mark.parametrize("people", [10, 1000])
def test_staff_list_queries_do_not_grow(client, hr, year, people, django_assert_max_num_queries):
    make_centre(year, 10, people)
    recount_year_staff(year.pk)  # bulk writes recount the year's kept total, as the staff import does
    client.force_login(hr)
    # session + user, person, year, memberships, the year's kept staff total (the page count), the invitations'
    # progress, schools (filter), years, page, assignments, entitlements
    with django_assert_max_num_queries(12):
        response = client.get(reverse("schools:staff_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == people  # HR's own record has no assignment
    assert response.content.decode().count("<tr>") == min(people, 50) + 1


@pytest.mark.parametrize("people", [10, 1000])
def test_home_queries_do_not_grow(client, hr, director_a, year, people, django_assert_max_num_queries):
    make_centre(year, 10, people)
    counts.year_staff(year)  # the year's staff is counted on its first read, then kept
    client.force_login(hr)
    # session + user, person, year, memberships, schools count, the page's school ids, those schools, their
    # counts, 3 totals, the next events (1) and the year's milestones, each from its one source (5: next
    # year, its window, the surveys' span, the half-days' range across cohorts, their allowed windows)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("home")).status_code == 200
    client.force_login(director_a)
    # session + user, person, year, memberships, directed schools, their counts, novices, their pairings,
    # the school's plan (1), the next events (1), the year's milestones (5), one's own half-days (1)
    with django_assert_max_num_queries(17):
        assert client.get(reverse("home")).status_code == 200


def test_staff_list_filters_by_school_and_novices(client, hr, year, school_a, school_b):
    # Names and numbers fixed: a random one could be part of the other's (« Roy » in « Leroy »).
    novice = f.PersonFactory(last_name="Novicenom", employee_number="N111")
    f.StaffAssignmentFactory(person=novice, school=school_a, year=year)
    f.EntitlementFactory(person=novice, year=year)
    other = f.PersonFactory(last_name="Autrenom", employee_number="A222")
    f.StaffAssignmentFactory(person=other, school=school_b, year=year)
    client.force_login(hr)
    page = client.get(reverse("schools:staff_list"), {"ecole": school_a.pk, "ip": "1"}).content.decode()
    assert novice.last_name in page and other.last_name not in page
    page = client.get(reverse("schools:staff_list"), {"q": other.employee_number}).content.decode()
    assert other.last_name in page and novice.last_name not in page


def test_school_list_shows_release_and_quota(client, hr, year):
    f.SchoolFactory(name="École secondaire du Fleuve", order=Order.SECONDARY)
    client.force_login(hr)
    page = client.get(reverse("schools:school_list")).content.decode()
    assert "École secondaire du Fleuve" in page
    assert "20\xa0%" in page  # 2 days of a 10-day cycle
