"""MentorPool.ranked() gives exactly rank()'s suggestions, reading only part of the pool.

rank() scores every mentor of the year; the pairing pages rank through MentorPool, which
scores the novice's own schools and buildings, then the others by decreasing bound until
no one left can reach the last rank shown. Random pools (hypothesis) must give the same
scores, in the same order, for every limit.
"""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorat import factories as f
from mentors import matching
from mentors.models import MentorAssignment
from mentors.tests.factories import CandidacyFactory, MentorAssignmentFactory

ORDERS = ["primaire", "secondaire", "préscolaire"]
# Few last names, differing only by case or accent too, so that ties are frequent.
LAST_NAMES = ["Roy", "roy", "Côté", "Cote", "Gagnon", "Lévesque"]
VOCABULARY = ["mathématiques", "français", "sciences", "anglais", "univers", "social", "musique", "année", "2e"]

subject_text = st.one_of(
    st.lists(st.sampled_from(VOCABULARY), max_size=4).map(", ".join),
    st.text(max_size=30),
)


@st.composite
def pools(draw):
    """Mentors (one to three schools each, one load per person as with_load counts it) and a novice."""
    schools = draw(st.integers(1, 6))
    school_orders = [draw(st.sampled_from(ORDERS)) for _ in range(schools)]
    buildings = list(range(1, draw(st.integers(0, 5)) + 1))
    assignments, pk = [], itertools.count(1)
    for person_id in range(1, draw(st.integers(0, 25)) + 1):
        last_name = draw(st.sampled_from(LAST_NAMES))
        first_name = draw(st.sampled_from(["Anne", "Luc"]))
        load = draw(st.integers(0, 5))
        for school in draw(st.lists(st.integers(0, schools - 1), min_size=1, max_size=3, unique=True)):
            text = draw(subject_text)
            assignments.append(
                SimpleNamespace(
                    pk=draw(st.integers(1, 10_000)) * 1000 + next(pk),  # pk order unrelated to creation
                    person_id=person_id,
                    person=SimpleNamespace(last_name=last_name, first_name=first_name),
                    school_id=school,
                    school=SimpleNamespace(order=school_orders[school]),
                    building_id=draw(st.sampled_from([None, *buildings])),
                    capacity=draw(st.integers(1, 8)),
                    load=load,
                    text=text,
                    subject_words=matching.words(text),
                )
            )
    novice = matching.NoviceProfile(
        school_ids=set(draw(st.lists(st.integers(0, schools), max_size=2))),
        building_ids=set(draw(st.lists(st.sampled_from([0, *buildings]), max_size=2))) - {0},
        orders=set(draw(st.lists(st.sampled_from(ORDERS), max_size=2))),
        words=matching.words(draw(subject_text)),
    )
    return assignments, novice


def _entry(a) -> matching.PoolEntry:
    return matching.PoolEntry(
        a.pk,
        a.person_id,
        a.school_id,
        a.building_id,
        a.school.order,
        a.capacity,
        a.load,
        a.person.last_name,
        matching.frozen_words(a.text),
    )


@settings(max_examples=400, deadline=None)
@given(pools(), st.one_of(st.none(), st.integers(0, 10)))
def test_the_pool_ranks_as_rank_does(pool_and_novice, limit):
    assignments, novice = pool_and_novice
    # rank()'s input as the pages read it: the year's assignments by last name, first name, pk.
    ordered = sorted(assignments, key=lambda a: (a.person.last_name, a.person.first_name, a.pk))
    expected = [(s.score, s.assignment.pk) for s in matching.rank(novice, ordered, limit=limit)]
    pool = matching.MentorPool([_entry(a) for a in assignments])
    assert [(score, entry.pk) for score, entry in pool.ranked(novice, limit=limit)] == expected
    assert pool.ranked_count == len(matching.rank(novice, ordered, limit=None))


def test_a_page_past_the_first_ranks_as_the_whole_list():
    """The novice page ranks only to its end: every slice is the same slice of the full ranking."""
    entries = [
        matching.PoolEntry(pk, pk % 40, pk % 7, None, ORDERS[pk % 2], 5, pk % 4, LAST_NAMES[pk % 6], frozenset())
        for pk in range(1, 200)
    ]
    novice = matching.NoviceProfile(school_ids={3}, building_ids=set(), orders={"primaire"}, words=set())
    pool = matching.MentorPool(entries)
    full = pool.ranked(novice, limit=None)
    assert len(full) == pool.ranked_count == 40
    for stop in range(41):
        assert pool.ranked(novice, limit=stop) == full[:stop]


_labels = itertools.count(2100)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_pool_read_from_the_database_ranks_as_rank_does(data):
    """Loads, orders and subject words as MentorPool.for_year reads them give rank()'s result on the ORM pool."""
    start = next(_labels)
    year = f.SchoolYearFactory(
        label=f"{start}-{start + 1}", starts_on=datetime.date(start, 7, 1), ends_on=datetime.date(start + 1, 6, 30)
    )
    other_year = f.SchoolYearFactory(
        label=f"{start + 500}-{start + 501}",
        starts_on=datetime.date(start + 500, 7, 1),
        ends_on=datetime.date(start + 501, 6, 30),
    )
    schools = [f.SchoolFactory(order=data.draw(st.sampled_from(ORDERS[:2]))) for _ in range(3)]
    buildings = [f.BuildingFactory(school=school) for school in schools]
    for _ in range(data.draw(st.integers(1, 8))):
        person = f.PersonFactory(last_name=data.draw(st.sampled_from(LAST_NAMES)))
        candidacy = CandidacyFactory(
            person=person, year=year, school=schools[0], subjects_levels=data.draw(subject_text).replace("\x00", "")
        )
        for school in data.draw(st.lists(st.sampled_from(schools), min_size=1, max_size=2, unique_by=id)):
            MentorAssignmentFactory(
                person=person,
                year=year,
                school=school,
                building=data.draw(st.sampled_from([None, buildings[schools.index(school)]])),
                capacity=data.draw(st.integers(1, 4)),
                candidacy=data.draw(st.sampled_from([None, candidacy])),
            )
        for ended, pairing_year in data.draw(
            st.lists(st.tuples(st.booleans(), st.sampled_from([year, other_year])), max_size=4)
        ):
            f.PairingFactory(
                mentor=person,
                year=pairing_year,
                ended_on=pairing_year.ends_on if ended else None,
                status="completed" if ended else "active",
            )
    novice = matching.NoviceProfile(
        school_ids={schools[data.draw(st.integers(0, 2))].pk},
        building_ids=set(data.draw(st.lists(st.sampled_from([b.pk for b in buildings]), max_size=1))),
        orders=set(data.draw(st.lists(st.sampled_from(ORDERS[:2]), max_size=2))),
        words=matching.words(data.draw(subject_text)),
    )
    orm_pool = list(
        MentorAssignment.objects.for_year(year)
        .with_load()
        .select_related("person", "school", "candidacy")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    pool = matching.MentorPool.for_year(year)
    for limit in (3, None):
        expected = [(s.score, s.assignment.pk) for s in matching.rank(novice, orm_pool, limit=limit)]
        assert [(score, entry.pk) for score, entry in pool.ranked(novice, limit=limit)] == expected
    mentors, load, seats = pool.totals()
    assert mentors == len({a.person_id for a in orm_pool})
    assert load == sum(a.load for a in orm_pool)
    assert seats == sum(a.capacity for a in orm_pool)
