"""The rules enforced by mentors.services, without the web layer."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from mentorat import factories as f
from mentors import services
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    Decision,
    DecisionLog,
    MentorAssignment,
    Opinion,
    Pairing,
    PairingStatus,
    ProgrammeSettings,
)
from mentors.tests.factories import (
    CandidacyFactory,
    MentorAssignmentFactory,
    ProgrammeSettingsFactory,
    ReflectiveAnswersFactory,
)
from roles.models import Membership, Role

pytestmark = pytest.mark.django_db


def _new_candidacy(person, year, school):
    return Candidacy(
        person=person,
        year=year,
        school=school,
        order=school.order,
        years_of_experience=8,
        subjects_levels="1re année",
        motivation="Partager",
        availability="Lundi",
    )


# --- Window and submission ---


def test_submit_requires_the_reflective_tool(window, teacher, year, school_a):
    with pytest.raises(services.MentoringError, match="outil réflexif"):
        services.candidacy_submit(candidacy=_new_candidacy(teacher.person, year, school_a))


def test_submit_saves_a_submitted_candidacy(window, teacher, year, school_a):
    ReflectiveAnswersFactory(person=teacher.person, year=year)
    candidacy = services.candidacy_submit(candidacy=_new_candidacy(teacher.person, year, school_a))
    assert candidacy.status == CandidacyStatus.SUBMITTED
    assert candidacy.submitted_at is not None


def test_submit_refused_before_the_window_opens(year, teacher, school_a):
    opens = timezone.now() + datetime.timedelta(days=10)
    ProgrammeSettingsFactory(year=year, opens_at=opens, closes_at=opens + datetime.timedelta(days=10))
    ReflectiveAnswersFactory(person=teacher.person, year=year)
    with pytest.raises(services.MentoringError, match="elle ouvre le"):
        services.candidacy_submit(candidacy=_new_candidacy(teacher.person, year, school_a))


def test_submit_refused_after_the_window_closed(year, teacher, school_a):
    closed = timezone.now() - datetime.timedelta(days=1)
    ProgrammeSettingsFactory(year=year, opens_at=closed - datetime.timedelta(days=10), closes_at=closed)
    ReflectiveAnswersFactory(person=teacher.person, year=year)
    with pytest.raises(services.MentoringError, match="terminée"):
        services.candidacy_submit(candidacy=_new_candidacy(teacher.person, year, school_a))


def test_submit_refused_without_a_window(year, teacher, school_a):
    ReflectiveAnswersFactory(person=teacher.person, year=year)
    with pytest.raises(services.MentoringError, match="pas encore annoncée"):
        services.candidacy_submit(candidacy=_new_candidacy(teacher.person, year, school_a))


def test_one_candidacy_per_person_and_year_is_a_database_constraint(candidacy_a, school_b):
    with pytest.raises(IntegrityError):
        CandidacyFactory(person=candidacy_a.person, year=candidacy_a.year, school=school_b)


def test_second_submission_gets_a_french_message(window, candidacy_a, year, school_a):
    ReflectiveAnswersFactory(person=candidacy_a.person, year=year)
    with pytest.raises(services.MentoringError, match="déjà une candidature"):
        services.candidacy_submit(candidacy=_new_candidacy(candidacy_a.person, year, school_a))


def test_edit_keeps_the_director_opinion(window, candidacy_a, director_a):
    services.candidacy_give_opinion(
        candidacy=candidacy_a, opinion=Opinion.FAVOURABLE, comment="", by=director_a, expected_version=1
    )
    ReflectiveAnswersFactory(person=candidacy_a.person, year=candidacy_a.year)
    stale = Candidacy.objects.get(pk=candidacy_a.pk)
    stale.motivation = "Nouvelle motivation"
    services.candidacy_submit(candidacy=stale, expected_version=stale.version)
    candidacy_a.refresh_from_db()
    assert candidacy_a.motivation == "Nouvelle motivation"
    assert candidacy_a.director_opinion == Opinion.FAVOURABLE


def test_an_edit_that_does_not_say_which_version_it_shows_is_refused(window, candidacy_a):
    ReflectiveAnswersFactory(person=candidacy_a.person, year=candidacy_a.year)
    candidacy_a.motivation = "Écrasée ?"
    with pytest.raises(services.ConflictError):
        services.candidacy_submit(candidacy=candidacy_a)
    candidacy_a.refresh_from_db()
    assert candidacy_a.motivation != "Écrasée ?"


def test_withdraw_while_open(window, candidacy_a):
    services.candidacy_withdraw(candidacy=candidacy_a, expected_version=candidacy_a.version)
    candidacy_a.refresh_from_db()
    assert candidacy_a.status == CandidacyStatus.WITHDRAWN


def test_withdraw_refused_once_closed(year, candidacy_a):
    closed = timezone.now() - datetime.timedelta(hours=1)
    ProgrammeSettingsFactory(year=year, opens_at=closed - datetime.timedelta(days=10), closes_at=closed)
    with pytest.raises(services.MentoringError):
        services.candidacy_withdraw(candidacy=candidacy_a, expected_version=candidacy_a.version)


# --- Opinion ---


def test_reserved_opinion_needs_a_comment(candidacy_a, director_a):
    with pytest.raises(services.MentoringError, match="commentaire"):
        services.candidacy_give_opinion(
            candidacy=candidacy_a, opinion=Opinion.RESERVED, comment=" ", by=director_a, expected_version=1
        )


def test_opinion_is_saved_with_its_author(candidacy_a, director_a):
    services.candidacy_give_opinion(
        candidacy=candidacy_a, opinion=Opinion.UNFAVOURABLE, comment="Trop tôt", by=director_a, expected_version=1
    )
    candidacy_a.refresh_from_db()
    assert (candidacy_a.director_opinion, candidacy_a.opinion_by, candidacy_a.version) == (
        Opinion.UNFAVOURABLE,
        director_a,
        2,
    )


# --- Decisions ---


def test_nominating_creates_assignment_role_log_and_email(
    candidacy_a, hr, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.candidacy_decide(
            candidacy=candidacy_a, decision=Decision.NOMINATED, reason="", by=hr, expected_version=1
        )
    assignment = MentorAssignment.objects.get(person=candidacy_a.person, year=candidacy_a.year)
    assert assignment.school == candidacy_a.school
    assert assignment.release_days_per_cycle == Decimal(2)
    assert Membership.objects.filter(
        person=candidacy_a.person, role=Role.MENTOR, school=candidacy_a.school, year=candidacy_a.year
    ).exists()
    log = DecisionLog.objects.get()
    assert (log.by, log.from_decision, log.to_decision) == (hr, "", Decision.NOMINATED)
    assert len(mailoutbox) == 1
    assert "nomination" in mailoutbox[0].subject
    assert "/mentorat/candidature/" in mailoutbox[0].body


def test_no_email_when_the_transaction_rolls_back(candidacy_a, hr, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.candidacy_decide(
            candidacy=candidacy_a, decision=Decision.WAITING_LIST, reason="", by=hr, expected_version=1
        )
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_declining_needs_a_reason(candidacy_a, hr):
    with pytest.raises(services.MentoringError, match="motif"):
        services.candidacy_decide(
            candidacy=candidacy_a, decision=Decision.DECLINED, reason="", by=hr, expected_version=1
        )


def test_second_hr_decision_on_a_stale_version_is_a_conflict(candidacy_a, hr):
    other_hr = f.person_with_account("rh2@example.org").user
    stale = Candidacy.objects.get(pk=candidacy_a.pk)
    services.candidacy_decide(candidacy=candidacy_a, decision=Decision.NOMINATED, reason="", by=hr, expected_version=1)
    with pytest.raises(services.ConflictError, match="modifiée par une autre personne"):
        services.candidacy_decide(
            candidacy=stale, decision=Decision.DECLINED, reason="Non", by=other_hr, expected_version=1
        )
    candidacy_a.refresh_from_db()
    assert candidacy_a.decision == Decision.NOMINATED
    assert DecisionLog.objects.count() == 1


def test_withdrawn_candidacy_cannot_be_decided(candidacy_a, hr):
    Candidacy.objects.filter(pk=candidacy_a.pk).update(status=CandidacyStatus.WITHDRAWN)
    candidacy_a.refresh_from_db()
    with pytest.raises(services.MentoringError):
        services.candidacy_decide(
            candidacy=candidacy_a, decision=Decision.NOMINATED, reason="", by=hr, expected_version=1
        )


def test_changing_a_nomination_removes_the_assignment(candidacy_a, hr):
    services.candidacy_decide(candidacy=candidacy_a, decision=Decision.NOMINATED, reason="", by=hr, expected_version=1)
    services.candidacy_decide(
        candidacy=candidacy_a, decision=Decision.WAITING_LIST, reason="Quota", by=hr, expected_version=2
    )
    assert not MentorAssignment.objects.exists()
    assert not Membership.objects.filter(person=candidacy_a.person, role=Role.MENTOR).exists()
    assert DecisionLog.objects.count() == 2


def test_bulk_decision_is_all_or_nothing(candidacy_a, candidacy_b, hr):
    with pytest.raises(services.ConflictError):
        services.candidacy_decide_many(
            versions={candidacy_a.pk: 1, candidacy_b.pk: 99}, decision=Decision.NOMINATED, reason="", by=hr
        )
    assert not MentorAssignment.objects.exists()
    services.candidacy_decide_many(
        versions={candidacy_a.pk: 1, candidacy_b.pk: 1}, decision=Decision.NOMINATED, reason="", by=hr
    )
    assert MentorAssignment.objects.count() == 2


# --- Assignment figures ---


def test_assignment_release_and_cost(year):
    ProgrammeSettingsFactory(year=year, substitute_daily_rate=Decimal(250), compensation=Decimal(1600))
    assignment = MentorAssignmentFactory(year=year, cycle_length_days=10, release_days_per_cycle=Decimal(2))
    assert assignment.release_fraction == Decimal("0.2")
    assert assignment.release_days_in_year == Decimal(36)  # 20 % of 180 teaching days
    assert assignment.cost_estimate == Decimal(36 * 250 + 1600)


def test_assignment_uses_defaults_when_the_year_has_no_settings(year):
    assignment = MentorAssignmentFactory(year=year)
    assert not ProgrammeSettings.objects.exists()
    assert assignment.cost_estimate == Decimal(36) * Decimal(250) + Decimal(1600)


# --- Renewal ---


def test_renewal_is_prefilled_from_last_year(year, school_a, mentor_a):
    last_year = f.SchoolYearFactory(
        label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30)
    )
    last = CandidacyFactory(
        person=mentor_a.person, year=last_year, school=school_a, subjects_levels="Maternelle", years_of_experience=10
    )
    MentorAssignmentFactory(person=mentor_a.person, year=last_year, school=school_a, candidacy=last, capacity=4)
    ProgrammeSettingsFactory(year=year)
    candidacy = services.candidacy_renew(person=mentor_a.person, year=year)
    assert candidacy.is_renewal and candidacy.status == CandidacyStatus.SUBMITTED
    assert (candidacy.school, candidacy.subjects_levels, candidacy.capacity, candidacy.years_of_experience) == (
        school_a,
        "Maternelle",
        4,
        11,
    )


def test_renewal_refused_without_last_year_assignment(window, teacher, year):
    with pytest.raises(services.MentoringError, match="Aucune affectation"):
        services.candidacy_renew(person=teacher.person, year=year)


# --- Pairings ---


def test_pairing_creates_the_pair_and_the_mentee_role(assignment_a, mentor_a, novice_a, year, hr, school_a):
    pairing = services.pairing_create(mentor=mentor_a.person, mentee=novice_a, year=year, by=hr)
    assert pairing.status == PairingStatus.ACTIVE
    assert Membership.objects.filter(person=novice_a, role=Role.MENTEE, school=school_a, year=year).exists()


def test_cross_school_pairing_needs_confirmation(assignment_a, mentor_a, year, hr, school_b):
    novice = f.PersonFactory()
    f.StaffAssignmentFactory(person=novice, school=school_b, year=year)
    f.EntitlementFactory(person=novice, year=year)
    with pytest.raises(services.CrossSchoolConfirmationNeeded):
        services.pairing_create(mentor=mentor_a.person, mentee=novice, year=year, by=hr)
    assert services.pairing_create(mentor=mentor_a.person, mentee=novice, year=year, by=hr, confirm_cross_school=True)


def test_novice_has_at_most_one_active_mentor(assignment_a, mentor_a, novice_a, year, hr, school_a):
    services.pairing_create(mentor=mentor_a.person, mentee=novice_a, year=year, by=hr)
    other = MentorAssignmentFactory(year=year, school=school_a)
    with pytest.raises(services.MentoringError, match="déjà une personne mentore"):
        services.pairing_create(mentor=other.person, mentee=novice_a, year=year, by=hr)
    with pytest.raises(IntegrityError):
        Pairing.objects.create(year=year, mentor=other.person, mentee=novice_a, started_on=datetime.date.today())


def test_pairing_refused_beyond_capacity(mentor_a, novice_a, year, hr, school_a):
    MentorAssignmentFactory(person=mentor_a.person, year=year, school=school_a, capacity=1)
    f.EntitlementFactory(person=(busy := f.PersonFactory()), year=year)
    f.StaffAssignmentFactory(person=busy, school=school_a, year=year)
    services.pairing_create(mentor=mentor_a.person, mentee=busy, year=year, by=hr)
    with pytest.raises(services.MentoringError, match="capacité"):
        services.pairing_create(mentor=mentor_a.person, mentee=novice_a, year=year, by=hr)


def test_pairing_refused_for_a_person_not_entitled(assignment_a, mentor_a, teacher, year, hr):
    with pytest.raises(services.MentoringError, match="insertion professionnelle"):
        services.pairing_create(mentor=mentor_a.person, mentee=teacher.person, year=year, by=hr)


def test_ended_early_needs_a_reason_and_the_novice_can_be_paired_again(assignment_a, mentor_a, novice_a, year, hr):
    pairing = services.pairing_create(mentor=mentor_a.person, mentee=novice_a, year=year, by=hr)
    with pytest.raises(services.MentoringError, match="motif"):
        services.pairing_end(pairing=pairing, status=PairingStatus.ENDED_EARLY, reason="", by=hr)
    services.pairing_end(pairing=pairing, status=PairingStatus.ENDED_EARLY, reason="Congé", by=hr)
    pairing.refresh_from_db()
    assert pairing.ended_on and pairing.end_reason == "Congé"
    assert services.pairing_create(mentor=mentor_a.person, mentee=novice_a, year=year, by=hr)


def test_ending_twice_is_refused(assignment_a, mentor_a, novice_a, year, hr):
    pairing = services.pairing_create(mentor=mentor_a.person, mentee=novice_a, year=year, by=hr)
    stale = Pairing.objects.get(pk=pairing.pk)
    services.pairing_end(pairing=pairing, status=PairingStatus.COMPLETED, reason="", by=hr)
    with pytest.raises(services.ConflictError):
        services.pairing_end(pairing=stale, status=PairingStatus.COMPLETED, reason="", by=hr)
