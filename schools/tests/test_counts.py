"""The year's staff total (an aggregate) agrees with a recount after every kind of write; a page's school counts."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentorat import factories as f
from schools import counts, imports
from schools.models import StaffAssignment, YearStaffTotal
from schools.tests.test_imports import csv_bytes, staff_row


def kept(year) -> int:
    return YearStaffTotal.objects.get(year=year).staff


def recounted(year) -> int:
    return StaffAssignment.objects.filter(year=year).values("person").distinct().count()


@pytest.fixture
def counted_year(year):
    counts.year_staff(year)  # the first read keeps the total; every write after adjusts it
    return year


def test_first_read_counts_the_year_and_keeps_it(year, school_a, school_b):
    person = f.PersonFactory()
    f.StaffAssignmentFactory(person=person, school=school_a, year=year)
    f.StaffAssignmentFactory(person=person, school=school_b, year=year)  # a shared task: one person
    assert counts.year_staff(year) == 1
    assert kept(year) == 1


def test_a_shared_task_counts_once_and_leaves_with_its_last_school(counted_year, school_a, school_b):
    person = f.PersonFactory()
    first = f.StaffAssignmentFactory(person=person, school=school_a, year=counted_year)
    second = f.StaffAssignmentFactory(person=person, school=school_b, year=counted_year)
    assert kept(counted_year) == 1
    first.delete()
    assert kept(counted_year) == 1
    second.delete()
    assert kept(counted_year) == 0


def test_a_queryset_delete_of_a_shared_task_removes_the_person_once(counted_year, school_a, school_b):
    person = f.PersonFactory()
    f.StaffAssignmentFactory(person=person, school=school_a, year=counted_year)
    f.StaffAssignmentFactory(person=person, school=school_b, year=counted_year)
    StaffAssignment.objects.filter(person=person).delete()
    assert kept(counted_year) == 0 == recounted(counted_year)


def test_moving_an_assignment_to_another_year_moves_the_person(counted_year, school_a):
    other = f.SchoolYearFactory(label="2027-2028", starts_on="2027-07-01", ends_on="2028-06-30")
    counts.year_staff(other)
    assignment = StaffAssignment.objects.get(pk=f.StaffAssignmentFactory(school=school_a, year=counted_year).pk)
    assignment.year = other
    assignment.save()
    assert (kept(counted_year), kept(other)) == (0, 1)


def test_the_staff_import_recounts_the_year(counted_year, school_a):
    school_a.code = "E001"
    school_a.save()
    content = csv_bytes([staff_row(str(n)) for n in range(30)])
    plan = imports.validate_staff(imports.parse_file(io.BytesIO(content), "x.csv"), counted_year)
    imports.apply(plan)
    assert kept(counted_year) == 30 == recounted(counted_year)


def test_rebuilt_and_incremental_totals_agree_on_random_writes(counted_year, school_a, school_b):
    rng = random.Random(12)
    people = f.PersonFactory.create_batch(12)
    schools = [school_a, school_b, f.SchoolFactory()]
    for _ in range(120):
        person, school = rng.choice(people), rng.choice(schools)
        existing = StaffAssignment.objects.filter(person=person, school=school, year=counted_year).first()
        if existing is not None:
            existing.delete()
        elif rng.random() < 0.1:
            StaffAssignment.objects.filter(person=person).delete()  # all their schools at once
        else:
            f.StaffAssignmentFactory(person=person, school=school, year=counted_year)
    incremental = kept(counted_year)
    call_command("rebuild_staff_totals", stdout=io.StringIO())
    assert incremental == kept(counted_year) == recounted(counted_year)


def test_school_counts_count_each_schools_staff_and_novices(year, school_a, school_b):
    novice = f.PersonFactory()
    f.StaffAssignmentFactory(person=novice, school=school_a, year=year)
    f.StaffAssignmentFactory(person=novice, school=school_b, year=year)
    f.EntitlementFactory(person=novice, year=year)
    f.StaffAssignmentFactory(school=school_a, year=year)
    rows = {s.code: (s.staff_count, s.novice_count) for s in counts.school_counts(type(school_a).objects.all(), year)}
    assert rows == {"A001": (2, 1), "B001": (1, 1)}


def test_the_centre_totals_read_the_kept_figure(client, hr, year, school_a):
    f.StaffAssignmentFactory.create_batch(3, school=school_a, year=year)
    client.force_login(hr)
    assert client.get(reverse("home")).context["centre_totals"]["staff"] == 3
    YearStaffTotal.objects.filter(year=year).update(staff=99)  # the page reads the aggregate, not the rows
    assert client.get(reverse("home")).context["centre_totals"]["staff"] == 99
