"""The planning rules (every save), HR's override, the planner and the cohort services."""

from __future__ import annotations

import datetime

import pytest

from mentorat import factories as f
from mentors.accompaniment import planner, services
from mentors.accompaniment.conflicts import check_event
from mentors.models import (
    CohortMember,
    Event,
    EventKind,
    EventPeriod,
    EventStatus,
    NonSchoolDay,
    NonSchoolDayKind,
    ProgrammeSettings,
)
from mentors.models.accompaniment import DEFAULT_TIMES
from mentors.tests.factories import MentorAssignmentFactory
from roles.models import Role

D = datetime.date
DEC_8 = D(2026, 12, 8)


@pytest.fixture
def trainer_person(trainer):
    return trainer.person


@pytest.fixture
def mentors(year, school_a):
    people = []
    for _ in range(3):
        person = f.PersonFactory()
        f.give_role(person, Role.MENTOR, school=school_a, year=year)
        MentorAssignmentFactory(person=person, year=year, school=school_a)
        people.append(person)
    return people


@pytest.fixture
def cohort(year, pane, trainer_person, mentors):
    return f.CohortFactory(year=year, name="Cohorte A", panes=[pane.person], trainers=[trainer_person], mentors=mentors)


@pytest.fixture
def other_cohort(year, trainer_person):
    other_pane = f.PersonFactory(first_name="Julie", last_name="Bouchard")
    f.give_role(other_pane, Role.PANE)
    return f.CohortFactory(year=year, name="Cohorte B", panes=[other_pane], trainers=[trainer_person])


def make_event(cohort, kind=EventKind.COHORT_DAY, number=1, date=DEC_8, period=EventPeriod.FULL_DAY, **kw):
    starts_at, ends_at = DEFAULT_TIMES[EventPeriod(period)]
    return Event(
        year=cohort.year,
        cohort=cohort,
        kind=kind,
        number=number,
        date=date,
        period=period,
        starts_at=starts_at,
        ends_at=ends_at,
        **kw,
    )


def save(event, by, **kw):
    return services.event_save(event=event, by=by, **kw)


def refused(event, by, **kw) -> str:
    before = Event.objects.count()
    with pytest.raises(services.PlanningConflicts) as error:
        save(event, by, **kw)
    assert Event.objects.count() == before
    return str(error.value)


# --- Each rule, its French message, nothing saved ---


def test_an_event_on_a_pedagogical_day_is_refused_naming_the_day(cohort, pane):
    NonSchoolDay.objects.create(
        year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL, label="Journée pédagogique"
    )
    message = refused(make_event(cohort, date=D(2026, 11, 13)), pane)
    assert "Le 13 novembre 2026 est une journée pédagogique (Journée pédagogique)" in message


def test_an_event_on_a_holiday_or_a_break_is_refused(cohort, pane):
    NonSchoolDay.objects.create(
        year=cohort.year, date=D(2026, 10, 12), kind=NonSchoolDayKind.HOLIDAY, label="Action de grâce"
    )
    NonSchoolDay.objects.create(year=cohort.year, date=D(2027, 3, 1), kind=NonSchoolDayKind.BREAK, label="Relâche")
    assert "Le 12 octobre 2026 est un congé (Action de grâce)" in refused(
        make_event(cohort, date=D(2026, 10, 12)), pane
    )
    assert "Le 1er mars 2027 tombe pendant un congé scolaire (Relâche)" in refused(
        make_event(cohort, date=D(2027, 3, 1)), pane
    )


def test_a_weekend_is_refused(cohort, pane):
    assert "Le 12 décembre 2026 est un samedi" in refused(make_event(cohort, date=D(2026, 12, 12)), pane)


def test_a_date_outside_the_school_year_is_refused(cohort, pane):
    assert "en dehors de l'année scolaire 2026-2027" in refused(make_event(cohort, date=D(2027, 7, 6)), pane)


def test_university_day_k_must_come_before_cohort_day_k(cohort, pane):
    save(make_event(cohort, EventKind.COHORT_DAY, 2, D(2026, 12, 8)), pane)
    message = refused(make_event(cohort, EventKind.UNIVERSITY_DAY, 2, D(2026, 12, 10)), pane)
    assert (
        "La journée universitaire 2 (le 10 décembre 2026) doit précéder la journée de cohorte 2 de Cohorte A "
        "(le 8 décembre 2026)." in message
    )
    # The same rule the other way round: moving the cohort day before its university day.
    save(make_event(cohort, EventKind.UNIVERSITY_DAY, 3, D(2027, 1, 12)), pane)
    assert "doit précéder la journée de cohorte 3" in refused(
        make_event(cohort, EventKind.COHORT_DAY, 3, D(2027, 1, 12)), pane
    )


def test_numbers_are_one_to_six_and_once_per_cohort(cohort, pane):
    assert "porte un numéro de 1 à 6" in refused(make_event(cohort, number=7), pane)
    assert "porte un numéro de 1 à 6" in refused(make_event(cohort, number=None), pane)
    save(make_event(cohort, number=4, date=D(2027, 2, 9)), pane)
    message = refused(make_event(cohort, number=4, date=D(2027, 2, 16)), pane)
    assert "La journée de cohorte 4 de Cohorte A existe déjà (le 9 février 2027)" in message


def test_a_cancelled_day_frees_its_number_and_its_people(cohort, pane):
    first = save(make_event(cohort, number=4, date=D(2027, 2, 9)), pane)
    first.status = EventStatus.CANCELLED
    first.save()
    assert save(make_event(cohort, number=4, date=D(2027, 2, 9)), pane).pk


def test_nobody_is_booked_twice_on_the_same_half_day(cohort, other_cohort, pane, trainer_person):
    save(make_event(cohort, EventKind.UNIVERSITY_DAY, 1, D(2026, 12, 1)), pane)
    # The trainer accompanies both cohorts: Cohorte B's university day the same morning collides.
    clash = make_event(other_cohort, EventKind.UNIVERSITY_DAY, 1, D(2026, 12, 1), EventPeriod.MORNING)
    message = refused(clash, pane)
    assert (
        f"Double réservation le 1er décembre 2026 (avant-midi) : {trainer_person.full_name} participe déjà à "
        "« Journée universitaire 1 — Cohorte A »." in message
    )


def test_a_morning_and_an_afternoon_do_not_collide(cohort, pane):
    save(make_event(cohort, EventKind.MEETING, None, D(2026, 12, 2), EventPeriod.MORNING), pane)
    assert save(make_event(cohort, EventKind.MEETING, None, D(2026, 12, 2), EventPeriod.AFTERNOON), pane).pk


def test_the_people_booked_twice_are_named(cohort, pane, mentors):
    save(make_event(cohort, EventKind.MEETING, None, D(2026, 12, 3), EventPeriod.AFTERNOON), pane)
    clash = make_event(cohort, EventKind.MEETING, None, D(2026, 12, 3), EventPeriod.FULL_DAY)
    message = refused(clash, pane)
    # The PANE and three mentors: three names, then the count of the others.
    people = sorted([pane.person, *mentors], key=lambda p: (p.last_name, p.first_name))
    names = ", ".join(p.full_name for p in people[:3])
    assert f"(après-midi) : {names} et 1 autre personne participent déjà à « Autre rencontre — Cohorte A »" in message


def test_the_regulation_and_bilan_half_days_stay_in_their_windows(cohort, pane):
    regulation = make_event(cohort, EventKind.REGULATION, None, D(2026, 12, 8), EventPeriod.MORNING)
    assert (
        "La demi-journée de régulation a lieu entre le 1er octobre 2026 et le 30 novembre 2026 : "
        "le 8 décembre 2026 est hors de cette période." in refused(regulation, pane)
    )
    bilan = make_event(cohort, EventKind.BILAN, None, D(2027, 4, 20), EventPeriod.MORNING)
    assert "La demi-journée de bilan a lieu entre le 1er mai 2027 et le 30 juin 2027" in refused(bilan, pane)


def test_hr_moves_the_window_and_the_rule_follows(cohort, pane):
    ProgrammeSettings.objects.create(year=cohort.year, regulation_from=D(2026, 12, 1), regulation_until=D(2026, 12, 18))
    assert save(make_event(cohort, EventKind.REGULATION, None, D(2026, 12, 8), EventPeriod.MORNING), pane).pk
    assert "entre le 1er décembre 2026 et le 18 décembre 2026" in refused(
        make_event(cohort, EventKind.REGULATION, None, D(2026, 11, 10), EventPeriod.MORNING), pane
    )


def test_an_edit_is_checked_too(cohort, pane):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    event = save(make_event(cohort, date=D(2026, 12, 8)), pane)
    event.date = D(2026, 11, 13)
    with pytest.raises(services.PlanningConflicts):
        save(event, pane)
    event.refresh_from_db()
    assert event.date == D(2026, 12, 8)


# --- The override ---


def test_hr_may_save_despite_a_conflict_with_a_reason_and_it_is_recorded(cohort, hr):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    event = save(make_event(cohort, date=D(2026, 11, 13)), hr, override_reason="Seule date possible pour l'UdeS")
    event.refresh_from_db()
    assert event.override_reason == "Seule date possible pour l'UdeS"
    assert event.overridden_by == hr and event.overridden_at is not None


def test_hr_without_a_reason_is_refused(cohort, hr):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    refused(make_event(cohort, date=D(2026, 11, 13)), hr)


def test_a_pane_never_overrides(cohort, pane):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    with pytest.raises(services.PlanningError, match="Seules les ressources humaines"):
        save(make_event(cohort, date=D(2026, 11, 13)), pane, override_reason="Je le veux")
    assert not Event.objects.exists()


def test_the_waiver_goes_once_the_event_breaks_no_rule(cohort, hr):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    event = save(make_event(cohort, date=D(2026, 11, 13)), hr, override_reason="Exception")
    event.date = D(2026, 11, 17)
    save(event, hr)
    event.refresh_from_db()
    assert event.override_reason == "" and event.overridden_by is None


# --- Concurrent edits ---


def test_a_stale_event_edit_is_refused_and_nothing_is_lost(cohort, pane, hr):
    event = save(make_event(cohort, date=D(2026, 12, 8)), pane)
    mine, theirs = Event.objects.get(pk=event.pk), Event.objects.get(pk=event.pk)
    theirs.place = "Salle 101"
    save(theirs, hr, expected_version=1)
    mine.place = "Salle 202"
    with pytest.raises(services.ConflictError, match="Cet événement a été modifié par une autre personne"):
        save(mine, pane, expected_version=1)
    event.refresh_from_db()
    assert event.place == "Salle 101" and event.version == 2


def test_a_stale_cohort_edit_is_refused(cohort, pane, hr):
    mine, theirs = type(cohort).objects.get(pk=cohort.pk), type(cohort).objects.get(pk=cohort.pk)
    theirs.name = "Cohorte Alpha"
    services.cohort_save(cohort=theirs, panes=[pane.person], trainers=[], by=hr, expected_version=1)
    mine.name = "Cohorte Bêta"
    with pytest.raises(services.ConflictError):
        services.cohort_save(cohort=mine, panes=[pane.person], trainers=[], by=pane, expected_version=1)
    cohort.refresh_from_db()
    assert cohort.name == "Cohorte Alpha"


# --- Publication and cancellation call the calendar side's hooks ---


def test_publishing_sets_the_drafts_published_and_invites(cohort, pane, mentors):
    save(make_event(cohort, date=D(2026, 12, 8)), pane)
    published = services.cohort_publish(cohort=cohort, by=pane)
    assert [e.status for e in published] == [EventStatus.PUBLISHED]
    event = Event.objects.get()
    assert event.status == EventStatus.PUBLISHED
    invited = set(event.invitations.values_list("person_id", flat=True))
    assert invited == {pane.person.pk, *(m.pk for m in mentors)}


def test_a_mentor_who_leaves_the_cohort_gets_a_cancellation_and_a_newcomer_an_invitation(
    cohort, pane, mentors, year, school_a, mailoutbox, django_capture_on_commit_callbacks
):
    save(make_event(cohort, date=D(2026, 12, 8)), pane)
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_publish(cohort=cohort, by=pane)
    newcomer = f.PersonFactory(email="nouvelle.mentore@example.org")
    MentorAssignmentFactory(person=newcomer, year=year, school=school_a)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_remove_member(cohort=cohort, person=mentors[0], by=pane)
        services.cohort_place(cohort=cohort, people=[newcomer], by=pane)

    sent = {message.to[0]: message for message in mailoutbox}
    leaver = sent[mentors[0].email]
    assert "METHOD:CANCEL" in leaver.attachments[0][1]
    assert "METHOD:REQUEST" in sent["nouvelle.mentore@example.org"].attachments[0][1]
    assert set(sent) == {mentors[0].email, "nouvelle.mentore@example.org"}  # the others are not bothered


def test_publishing_rechecks_the_drafts(cohort, pane):
    save(make_event(cohort, date=D(2026, 12, 8)), pane)
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 12, 8), kind=NonSchoolDayKind.PEDAGOGICAL)
    with pytest.raises(services.PlanningError, match="8 décembre 2026 est une journée pédagogique"):
        services.cohort_publish(cohort=cohort, by=pane)
    assert Event.objects.get().status == EventStatus.DRAFT


def test_cancelling_a_published_event_keeps_it_cancelled_and_a_draft_goes(cohort, pane):
    draft = save(make_event(cohort, number=1, date=D(2026, 12, 8)), pane)
    assert services.event_cancel(event=draft, by=pane, expected_version=draft.version) is True
    assert not Event.objects.exists()
    event = save(make_event(cohort, number=1, date=D(2026, 12, 8)), pane)
    services.cohort_publish(cohort=cohort, by=pane)
    event.refresh_from_db()
    services.event_cancel(event=event, by=pane, expected_version=event.version)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert check_event(event) == []


# --- Cohorts: one per mentor and year ---


def test_a_mentor_in_another_cohort_is_refused_naming_it(cohort, other_cohort, mentors, pane):
    with pytest.raises(services.PlanningError) as error:
        services.cohort_place(cohort=other_cohort, people=[mentors[0]], by=pane)
    assert f"{mentors[0].full_name} fait déjà partie de la cohorte « Cohorte A »" in str(error.value)
    assert CohortMember.objects.get(person=mentors[0]).cohort == cohort


def test_only_nominated_mentors_are_placed_and_all_or_none(other_cohort, year, pane, school_a):
    nominated = f.PersonFactory()
    MentorAssignmentFactory(person=nominated, year=year, school=school_a)
    stranger = f.PersonFactory()
    with pytest.raises(services.PlanningError, match="n'est pas nommée personne mentore en 2026-2027"):
        services.cohort_place(cohort=other_cohort, people=[nominated, stranger], by=pane)
    assert not CohortMember.objects.filter(cohort=other_cohort).exists()
    services.cohort_place(cohort=other_cohort, people=[nominated], by=pane)
    assert list(other_cohort.mentors.all()) == [nominated]


def test_cohort_panes_and_trainers_must_hold_their_roles(year, pane, hr):
    from mentors.models import Cohort

    teacher = f.PersonFactory()
    with pytest.raises(services.PlanningError) as error:
        services.cohort_save(cohort=Cohort(year=year, name="C"), panes=[teacher], trainers=[teacher], by=hr)
    assert "n'ont pas le rôle PANE" in str(error.value)
    assert "n'ont pas le rôle de formatrice universitaire" in str(error.value)
    assert not Cohort.objects.exists()


def test_two_cohorts_cannot_share_a_name_in_a_year(cohort, pane):
    from mentors.models import Cohort

    with pytest.raises(services.PlanningError, match="Une cohorte « cohorte a » existe déjà en 2026-2027"):
        services.cohort_save(
            cohort=Cohort(year=cohort.year, name="cohorte a"), panes=[pane.person], trainers=[], by=pane
        )


# --- The planner ---


@pytest.fixture
def calendar(year):
    """A few non-school days, among them some the middle-of-slice targets would fall on."""
    days = [
        (D(2026, 9, 7), NonSchoolDayKind.HOLIDAY, "Fête du Travail"),
        (D(2026, 10, 12), NonSchoolDayKind.HOLIDAY, "Action de grâce"),
        (D(2026, 11, 13), NonSchoolDayKind.PEDAGOGICAL, ""),
        *[(D(2026, 12, 21) + datetime.timedelta(days=i), NonSchoolDayKind.BREAK, "Vacances") for i in range(14)],
        *[(D(2027, 3, 1) + datetime.timedelta(days=i), NonSchoolDayKind.BREAK, "Relâche") for i in range(5)],
    ]
    for date, kind, label in days:
        NonSchoolDay.objects.create(year=year, date=date, kind=kind, label=label)
    return {date for date, _kind, _label in days}


def by_kind(plan, kind):
    return {p.number: p.date for p in plan.proposals if p.kind == kind}


def test_the_planner_proposes_six_and_six_university_day_first_on_school_days(cohort, calendar):
    plan = planner.propose(cohort)
    assert plan.problems == []
    cohort_days, university_days = by_kind(plan, EventKind.COHORT_DAY), by_kind(plan, EventKind.UNIVERSITY_DAY)
    assert sorted(cohort_days) == sorted(university_days) == [1, 2, 3, 4, 5, 6]
    for k in range(1, 7):
        assert university_days[k] < cohort_days[k]
        assert (cohort_days[k] - university_days[k]).days <= 21
        if k > 1:
            assert cohort_days[k - 1] < university_days[k]
    every_date = [p.date for p in plan.proposals]
    assert all(d.weekday() < 5 and d not in calendar for d in every_date)
    assert min(cohort_days.values()) >= D(2026, 9, 1) and max(cohort_days.values()) <= D(2027, 5, 31)
    # Spread: about one cohort day every six weeks, the first in the autumn, the last in the spring.
    assert cohort_days[1] <= D(2026, 10, 31) and cohort_days[6] >= D(2027, 4, 1)


def test_the_half_days_fall_in_their_windows(cohort, calendar):
    plan = planner.propose(cohort)
    regulation = [p for p in plan.proposals if p.kind == EventKind.REGULATION]
    bilan = [p for p in plan.proposals if p.kind == EventKind.BILAN]
    assert len(regulation) == len(bilan) == 1
    assert D(2026, 10, 1) <= regulation[0].date <= D(2026, 11, 30) and regulation[0].period == EventPeriod.MORNING
    assert D(2027, 5, 1) <= bilan[0].date <= D(2027, 6, 30)
    # Early November and early June, as in the seed: the nearest school days to 1 Nov. and 1 June.
    assert (regulation[0].date, bilan[0].date) == (D(2026, 11, 2), D(2027, 6, 1))


def test_the_planner_follows_the_windows_hr_set(cohort, calendar):
    ProgrammeSettings.objects.create(
        year=cohort.year, regulation_from=D(2026, 12, 1), regulation_until=D(2026, 12, 18), bilan_until=D(2027, 5, 21)
    )
    plan = planner.propose(cohort)
    dates = {p.kind: p.date for p in plan.proposals if p.number is None}
    assert dates[EventKind.REGULATION] == D(2026, 12, 1)
    assert D(2027, 5, 1) <= dates[EventKind.BILAN] <= D(2027, 5, 21)


def test_the_planner_is_deterministic(cohort, calendar):
    assert planner.propose(cohort) == planner.propose(cohort)
    assert planner.propose(cohort).digest == planner.propose(cohort).digest


def test_the_planner_avoids_the_days_booked_by_another_cohort(cohort, other_cohort, calendar, hr, pane):
    """The trainer accompanies both cohorts: B's university days must avoid A's."""
    first = services.plan_accept(cohort=cohort, by=pane, digest=planner.propose(cohort).digest)
    plan_b = planner.propose(other_cohort)
    a_days = {e.date for e in first if e.kind == EventKind.UNIVERSITY_DAY}
    b_days = set(by_kind(plan_b, EventKind.UNIVERSITY_DAY).values())
    assert len(b_days) == 6 and not a_days & b_days
    # Accepting B goes through every rule without a refusal.
    services.plan_accept(cohort=other_cohort, by=hr, digest=plan_b.digest)
    assert Event.objects.filter(cohort=other_cohort).count() == 14


def test_accepting_creates_drafts_that_pass_every_rule(cohort, calendar, pane):
    events = services.plan_accept(cohort=cohort, by=pane, digest=planner.propose(cohort).digest)
    assert len(events) == 14
    assert {e.status for e in events} == {EventStatus.DRAFT}
    assert all(check_event(e) == [] for e in Event.objects.all())
    # Nothing left to propose once the year is planned.
    assert planner.propose(cohort).proposals == []


def test_the_planner_keeps_existing_days_and_fills_the_rest(cohort, calendar, pane):
    save(make_event(cohort, EventKind.COHORT_DAY, 3, D(2027, 1, 19)), pane)
    plan = planner.propose(cohort)
    assert 3 not in by_kind(plan, EventKind.COHORT_DAY)
    university_days = by_kind(plan, EventKind.UNIVERSITY_DAY)
    assert university_days[3] < D(2027, 1, 19)
    services.plan_accept(cohort=cohort, by=pane, digest=plan.digest)
    assert Event.objects.filter(cohort=cohort).count() == 14


def test_a_stale_proposal_is_refused(cohort, calendar, pane):
    digest = planner.propose(cohort).digest
    NonSchoolDay.objects.create(
        year=cohort.year, date=by_kind(planner.propose(cohort), EventKind.COHORT_DAY)[2], kind="pedagogical"
    )
    with pytest.raises(services.PlanningError, match="a changé depuis la proposition"):
        services.plan_accept(cohort=cohort, by=pane, digest=digest)
    assert not Event.objects.exists()
