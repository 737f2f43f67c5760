"""`made_once` (conftest.py): rows made once for a test class, each test of the class in a savepoint inside them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mentorat import factories as f
from schools.models import School


@pytest.fixture(scope="class")
def shared_world(made_once):
    def build():
        return {
            "school": f.SchoolFactory(code="M001", name="École faite une fois"),
            "user": f.UserFactory(email="une.fois@example.org"),
        }

    return made_once(build)


class TestRowsMadeOnce:
    @pytest.mark.parametrize("turn", [1, 2, 3])
    def test_each_test_finds_the_rows_as_made_whatever_the_others_did(self, shared, turn):
        school = shared["school"]
        assert school.name == "École faite une fois"  # the other tests' changes in memory are not seen
        assert School.objects.get(code="M001").name == "École faite une fois"
        assert School.objects.count() == 1
        joined = shared["user"].date_joined
        assert timezone.localdate(joined).isoformat() == "2026-11-24" and joined < timezone.now()

        school.name = f"Renommée {turn}"
        school.save()
        f.SchoolFactory(code=f"N00{turn}")
        assert School.objects.count() == 2


@pytest.mark.django_db
def test_the_rows_made_once_are_gone_outside_their_class():
    assert not School.objects.filter(code="M001").exists()
