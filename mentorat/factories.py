"""factory_boy factories shared by every app's tests and by the benchmarks."""

from __future__ import annotations

import datetime

import factory

from mentors.models import Cohort, CohortMember, Pairing
from roles.models import Membership, Role, User
from schools.models import Building, Entitlement, Order, Person, School, SchoolYear, StaffAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("motdepasse-test")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("label",)

    label = "2026-2027"
    starts_on = datetime.date(2026, 7, 1)
    ends_on = datetime.date(2027, 6, 30)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    code = factory.Sequence(lambda n: f"E{n:03d}")
    name = factory.Sequence(lambda n: f"École {n}")
    order = Order.PRIMARY


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"B{n}")
    name = factory.Sequence(lambda n: f"Pavillon {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    employee_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.Faker("last_name", locale="fr_CA")
    email = factory.LazyAttribute(lambda p: f"{p.employee_number}@example.org")


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAssignment

    person = factory.SubFactory(PersonFactory)
    school = factory.SubFactory(SchoolFactory)
    year = factory.SubFactory(SchoolYearFactory)


class EntitlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entitlement

    person = factory.SubFactory(PersonFactory)
    year = factory.SubFactory(SchoolYearFactory)
    started_on = datetime.date(2026, 8, 25)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    role = Role.TEACHER


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    year = factory.SubFactory(SchoolYearFactory)
    mentor = factory.SubFactory(PersonFactory)
    mentee = factory.SubFactory(PersonFactory)
    started_on = datetime.date(2026, 9, 1)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    year = factory.SubFactory(SchoolYearFactory)
    name = factory.Sequence(lambda n: f"Cohorte {n}")

    @factory.post_generation
    def panes(self, create, extracted, **kwargs):
        """CohortFactory(panes=[person, …]); one new PANE person by default."""
        if create:
            self.panes.add(*(extracted if extracted is not None else [PersonFactory()]))

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.add(*extracted)

    @factory.post_generation
    def mentors(self, create, extracted, **kwargs):
        """CohortFactory(mentors=[person, …]) places them (one cohort per mentor and year)."""
        if create and extracted:
            for person in extracted:
                CohortMember.objects.create(cohort=self, person=person, year=self.year)


def person_with_account(email: str, **person_fields) -> Person:
    """A person linked to a sign-in account with the test password."""
    user = UserFactory(email=email)
    return PersonFactory(user=user, email=email, **person_fields)


def give_role(person: Person, role: str, school: School | None = None, year: SchoolYear | None = None) -> Membership:
    return Membership.objects.create(person=person, role=role, school=school, year=year)
