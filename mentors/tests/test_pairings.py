"""Pairing page, suggestions, mentor's log and HR/PANE follow-up counts."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors import matching
from mentors.models import FollowUpEntry, MentorAssignment, Pairing, PairingStatus
from mentors.tests.factories import CandidacyFactory, FollowUpEntryFactory, MentorAssignmentFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _novice(school, year, building=None, started_on=datetime.date(2026, 8, 25), job_title="Enseignant(e)"):
    person = f.PersonFactory()
    f.StaffAssignmentFactory(person=person, school=school, year=year, building=building, job_title=job_title)
    f.EntitlementFactory(person=person, year=year, started_on=started_on)
    return person


def test_suggestions_rank_building_then_school_then_order(year, school_a, school_b):
    building = f.BuildingFactory(school=school_a)
    other_primary = f.SchoolFactory(order=school_a.order)
    novice = _novice(school_a, year, building=building)
    same_building = MentorAssignmentFactory(year=year, school=school_a, building=building)
    same_school = MentorAssignmentFactory(year=year, school=school_a)
    same_order = MentorAssignmentFactory(year=year, school=other_primary)
    elsewhere = MentorAssignmentFactory(year=year, school=school_b)
    full = MentorAssignmentFactory(year=year, school=school_a, building=building, capacity=1)
    f.PairingFactory(mentor=full.person, year=year)
    pool = list(MentorAssignment.objects.with_load().select_related("person", "school", "candidacy"))
    profile = matching.NoviceProfile.from_assignments(list(novice.assignments.select_related("school")))
    ranked = matching.rank(profile, pool, limit=None)
    assert [s.assignment for s in ranked] == [same_building, same_school, same_order, elsewhere]
    assert ranked[0].score == 40 + 30 + 10 + 6
    assert "Même bâtiment" in [label for label, _points in ranked[0].reasons]
    assert ranked[3].cross_school


def test_common_subjects_add_points(year, school_a):
    novice = _novice(school_a, year, job_title="Enseignant(e) mathématiques")
    candidacy = CandidacyFactory(year=year, school=school_a, subjects_levels="Mathématiques, sec. 1")
    MentorAssignmentFactory(year=year, school=school_a, person=candidacy.person, candidacy=candidacy)
    pool = list(MentorAssignment.objects.with_load().select_related("person", "school", "candidacy"))
    profile = matching.NoviceProfile.from_assignments(list(novice.assignments.select_related("school")))
    assert ("Disciplines ou niveaux en commun", 10) in matching.rank(profile, pool)[0].reasons


def test_the_novice_page_shows_each_page_of_rank_in_order(client, pane, year, school_a, school_b, monkeypatch):
    from mentors.views import nominations

    monkeypatch.setattr(nominations, "ROWS_PER_PAGE", 2)
    novice = _novice(school_a, year, job_title="Enseignant(e) mathématiques")
    for n, school in enumerate([school_a, school_b, school_b, school_a, school_b]):
        candidacy = CandidacyFactory(year=year, school=school, subjects_levels=["Mathématiques", "Musique"][n % 2])
        MentorAssignmentFactory(year=year, school=school, person=candidacy.person, candidacy=candidacy, capacity=n + 1)
    pool = list(
        MentorAssignment.objects.for_year(year)
        .with_load()
        .select_related("person", "school", "candidacy")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    profile = matching.NoviceProfile.from_assignments(list(novice.assignments.select_related("school")))
    expected = [s.assignment.person_id for s in matching.rank(profile, pool, limit=None)]
    client.force_login(pane)
    shown = []
    for page in (1, 2, 3):
        response = client.get(reverse("mentors:pairing_novice", args=[novice.pk]), {"page": page})
        shown += [int(pk) for pk in re.findall(r'data-mentor="(\d+)"', response.content.decode())]
    assert shown == expected and len(shown) == 5


def test_the_pairing_list_pages_pairings_by_names_and_mentors_most_loaded_first(
    client, pane, year, school_a, monkeypatch
):
    from mentors.views import nominations

    monkeypatch.setattr(nominations, "ROWS_PER_PAGE", 2)
    other_year = f.SchoolYearFactory(
        label="2031-2032", starts_on=datetime.date(2031, 7, 1), ends_on=datetime.date(2032, 6, 30)
    )
    # (mentor's last name, active pairings of the year); an ended pairing and another year's never count.
    loads = {"Roy": 1, "Cote": 2, "Bedard": 0, "Gagnon": 2, "Ahmed": 1}
    mentors = {}
    for last_name, load in loads.items():
        mentor = f.PersonFactory(first_name=f"M{last_name}", last_name=last_name)
        MentorAssignmentFactory(person=mentor, year=year, school=school_a, capacity=3)
        for mentee_name in ("Zed", "Abel")[:load]:
            f.PairingFactory(mentor=mentor, mentee=f.PersonFactory(last_name=mentee_name), year=year)
        mentors[last_name] = mentor
    f.PairingFactory(
        mentor=mentors["Bedard"], year=year, ended_on=datetime.date(2026, 10, 1), status=PairingStatus.COMPLETED
    )
    f.PairingFactory(mentor=mentors["Bedard"], year=other_year)
    client.force_login(pane)

    pairings, shown = [], []
    for page in (1, 2, 3):
        text = _text(client.get(reverse("mentors:pairing_list"), {"page": page, "mpage": page}))
        pairings += [int(pk) for pk in re.findall(r'data-pairing="(\d+)"', text)]
        loads_table = text[text.index("Charge des personnes mentores") :]
        shown += sorted((n for n in loads if f"M{n} {n}" in loads_table), key=lambda n: loads_table.index(f"M{n} {n}"))

    names = {p.pk: (p.mentor.last_name, p.mentee.last_name) for p in Pairing.objects.select_related("mentor", "mentee")}
    assert [names[pk] for pk in pairings] == [
        ("Ahmed", "Zed"),
        ("Cote", "Abel"),
        ("Cote", "Zed"),
        ("Gagnon", "Abel"),
        ("Gagnon", "Zed"),
        ("Roy", "Zed"),
    ]
    assert shown == ["Cote", "Gagnon", "Ahmed", "Roy", "Bedard"]


def test_board_flags_novices_waiting_more_than_30_days(client, hr, year, school_a):
    _novice(school_a, year, started_on=datetime.date(2026, 8, 25))  # 91 days on 24 Nov
    recent = _novice(school_a, year, started_on=datetime.date(2026, 11, 10))  # 14 days
    client.force_login(hr)
    page = _text(client.get(reverse("mentors:pairing_board")))
    assert "91 jours" in page and "14 jours" in page
    assert page.count('data-testid="late"') == 1
    assert recent.full_name in page


def test_hr_pairs_from_a_suggestion_and_the_mentor_sees_the_mentee(client, hr, year, school_a, mentor_a):
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)
    novice = _novice(school_a, year)
    client.force_login(hr)
    page = _text(client.get(reverse("mentors:pairing_board")))
    assert mentor_a.person.full_name in page and "Même école (+30)" in page
    response = client.post(reverse("mentors:pairing_create"), {"mentor": mentor_a.person.pk, "mentee": novice.pk})
    assert response.status_code == 302
    client.force_login(mentor_a)
    assert novice.full_name in _text(client.get(reverse("mentors:my_mentees")))


def test_cross_school_pairing_asks_for_confirmation(client, pane, year, school_a, school_b, mentor_a):
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)
    novice = _novice(school_b, year)
    client.force_login(pane)
    data = {"mentor": mentor_a.person.pk, "mentee": novice.pk}
    response = client.post(reverse("mentors:pairing_create"), data)
    assert response.status_code == 200 and "Confirmez ce jumelage entre écoles" in _text(response)
    assert not Pairing.objects.filter(mentee=novice).exists()
    client.post(reverse("mentors:pairing_create"), {**data, "confirm": "1"})
    assert Pairing.objects.filter(mentee=novice, ended_on__isnull=True).exists()


def test_pairing_twice_shows_a_french_error(client, hr, year, school_a, mentor_a, mentee_a):
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)
    client.force_login(hr)
    response = client.post(
        reverse("mentors:pairing_create"), {"mentor": mentor_a.person.pk, "mentee": mentee_a.person.pk}, follow=True
    )
    assert "a déjà une personne mentore" in _text(response)


def test_ending_early_needs_a_reason_then_the_novice_is_unpaired(client, hr, year, mentee_a):
    pairing = Pairing.objects.get(mentee=mentee_a.person)
    client.force_login(hr)
    url = reverse("mentors:pairing_end", kwargs={"pk": pairing.pk})
    response = client.post(url, {"status": "ended_early", "ended_on": "2026-11-20", "reason": ""})
    assert "Indiquez le motif" in _text(response)
    client.post(url, {"status": "ended_early", "ended_on": "2026-11-20", "reason": "Changement d'école"})
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ENDED_EARLY and pairing.ended_on == datetime.date(2026, 11, 20)
    assert mentee_a.person.full_name in _text(client.get(reverse("mentors:pairing_board")))


def test_mentee_sees_their_mentor(client, mentee_a, mentor_a):
    client.force_login(mentee_a)
    assert mentor_a.person.full_name in _text(client.get(reverse("mentors:my_mentor")))


def test_mentor_logs_a_meeting(client, mentor_a, mentee_a):
    pairing = Pairing.objects.get(mentee=mentee_a.person)
    client.force_login(mentor_a)
    url = reverse("mentors:followup_log", kwargs={"pk": pairing.pk})
    response = client.post(
        url,
        {
            "date": "2026-11-18",
            "duration_minutes": 45,
            "kind": "observation",
            "topics": ["classroom_management", "well_being"],
            "notes": "Très bon climat",
        },
    )
    assert response.status_code == 302
    entry = FollowUpEntry.objects.get()
    assert entry.author == mentor_a.person and entry.topics == ["classroom_management", "well_being"]
    page = _text(client.get(url))
    assert "Très bon climat" in page and "Gestion de classe, Bien-être" in page


def test_log_refuses_a_future_date_and_a_bad_duration(client, mentor_a, mentee_a):
    pairing = Pairing.objects.get(mentee=mentee_a.person)
    client.force_login(mentor_a)
    response = client.post(
        reverse("mentors:followup_log", kwargs={"pk": pairing.pk}),
        {"date": "2027-01-10", "duration_minutes": 0, "kind": "meeting"},
    )
    assert "La date ne peut pas être dans le futur." in _text(response)
    assert not FollowUpEntry.objects.exists()


def test_stats_show_counts_and_hours_per_month_never_notes(client, pane, mentee_a):
    pairing = Pairing.objects.get(mentee=mentee_a.person)
    FollowUpEntryFactory(pairing=pairing, date=datetime.date(2026, 10, 3), duration_minutes=60, notes="SECRET")
    FollowUpEntryFactory(pairing=pairing, date=datetime.date(2026, 10, 17), duration_minutes=30, notes="SECRET")
    FollowUpEntryFactory(pairing=pairing, date=datetime.date(2026, 11, 5), duration_minutes=90)
    client.force_login(pane)
    page = _text(client.get(reverse("mentors:followup_stats")))
    assert "2 · 1.5 h" in page or "2 · 1,5 h" in page
    assert "3 · 3.0 h" in page or "3 · 3,0 h" in page
    assert "SECRET" not in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_pairings_never_push_a_mentor_over_capacity():
    import threading

    from mentors.services import MentoringError, pairing_create
    from mentors.tests.factories import MentorAssignmentFactory

    year = f.SchoolYearFactory()
    school = f.SchoolFactory()
    mentor = f.PersonFactory()
    f.StaffAssignmentFactory(person=mentor, school=school, year=year)
    MentorAssignmentFactory(person=mentor, year=year, school=school, capacity=2)
    novices = []
    for _ in range(6):
        novice = f.PersonFactory()
        f.StaffAssignmentFactory(person=novice, school=school, year=year)
        f.EntitlementFactory(person=novice, year=year)
        novices.append(novice)
    start = threading.Barrier(len(novices))
    refused = []

    def pair(novice):
        from django.db import connection

        try:
            start.wait()
            pairing_create(mentor=mentor, mentee=novice, year=year, by=None)
        except MentoringError as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pair, args=(novice,)) for novice in novices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Pairing.objects.active().filter(mentor=mentor).count() == 2
    assert len(refused) == 4


def test_pairing_with_a_non_numeric_mentor_or_mentee_is_not_found(client, hr, year, school_a, mentor_a):
    """A non-numeric id on the pairing form was a 500 (« Field 'id' expected a number »)."""
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a)
    novice = _novice(school_a, year)
    client.force_login(hr)
    for mentor, mentee in ((mentor_a.person.pk, "abc"), ("x\x14", novice.pk), (mentor_a.person.pk, "²")):
        response = client.post(reverse("mentors:pairing_create"), {"mentor": mentor, "mentee": mentee})
        assert response.status_code == 404
    assert not Pairing.objects.filter(mentee=novice).exists()
