"""`manage.py seed_demo`: a repeatable demo centre with one account per role."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentorat.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from mentors import reports
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    Cohort,
    Decision,
    DecisionLog,
    FollowUpEntry,
    MentorAssignment,
    Opinion,
    Pairing,
    ProgrammeSettings,
    ReflectiveAnswers,
)
from roles.models import Membership, Role, User
from schools.management.commands.seed_demo import Planner
from schools.models import (
    Building,
    Entitlement,
    Order,
    Person,
    School,
    SchoolYear,
    ServiceCentre,
    StaffAssignment,
)
from schools.plans.models import (
    DeploymentPlan,
    Newcomer,
    NewcomerFollowUp,
    PlanChange,
    PlanStep,
    PlanTemplate,
    StepComment,
    StepStatus,
)
from surveys.models import Answer, Response, Survey

SMALL = "0.05"


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [ServiceCentre, SchoolYear, School, Building, Person, StaffAssignment, Entitlement, Membership, Pairing]
    models += [Cohort, User, ProgrammeSettings, ReflectiveAnswers, Candidacy, DecisionLog, MentorAssignment]
    models += [FollowUpEntry, Response, Answer]
    models += [DeploymentPlan, PlanStep, PlanChange, StepComment, Newcomer, NewcomerFollowUp]
    result = {model.__name__: model.objects.count() for model in models}
    result["cohort mentors"] = Cohort.mentors.through.objects.count()
    from mentors.models import Event, EventInvitation, NonSchoolDay

    for model in (Event, EventInvitation, NonSchoolDay):
        result[model.__name__] = model.objects.count()
    result["attended"] = EventInvitation.objects.filter(attended=True).count()
    return result


def demo_person(role: str) -> Person:
    email = next(email for email, account_role, _label in DEMO_ACCOUNTS if account_role == role)
    return Person.objects.select_related("user").get(user__email=email)


def test_every_run_plans_the_same_rows():
    assert Planner(1.0).build() == Planner(1.0).build()


def mentor_count(year: SchoolYear) -> int:
    return Membership.objects.filter(role=Role.MENTOR, year=year).values("person").distinct().count()


def test_if_empty_does_nothing_once_schools_exist(db):
    seed("--if-empty", "--scale", SMALL)
    before = counts()
    assert before["School"] > 0
    output = seed("--if-empty", "--scale", "0.2")
    assert counts() == before
    assert "rien n'a été fait" in output


def test_realistic_numbers_at_full_scale(db):
    seed()
    year = SchoolYear.objects.get(label="2026-2027")
    assert SchoolYear.objects.current() == year
    assert SchoolYear.objects.filter(label="2025-2026").exists()
    assert ServiceCentre.objects.get().short_name == "CSSPS"
    assert School.objects.filter(order=Order.PRIMARY).count() == 38
    assert School.objects.filter(order=Order.SECONDARY).count() == 12
    assert Person.objects.filter(assignments__year=year).distinct().count() == 2000
    assert Entitlement.objects.filter(year=year).count() == 150
    mentors = Membership.objects.filter(role=Role.MENTOR, year=year)
    assert mentors.values("person").distinct().count() == 41
    # Novices mostly paired, about ten waiting; the two cohorts share every mentor.
    paired = Pairing.objects.active().filter(year=year).count()
    assert 135 <= paired <= 145
    assert Cohort.mentors.through.objects.filter(cohort__year=year).count() == 41
    assert Cohort.objects.filter(year=year).count() == 2
    # Every school has a director; one director leads two schools.
    directors = Membership.objects.filter(role=Role.DIRECTOR, year=year)
    assert directors.values("school").distinct().count() == 50
    assert directors.values("person").distinct().count() == 49
    # A few dozen shared tasks, 50 % / 50 %.
    shared = StaffAssignment.objects.filter(year=year, task_share=50).values("person").distinct().count()
    assert 20 <= shared <= 40
    assert Building.objects.values("school").distinct().count() >= 3
    # No mentor more than their school's quota.
    for school in School.objects.all():
        assert mentors.filter(school=school).count() <= school.mentor_quota
    # Every mentor nominated in April, about fifteen other candidacies; the budget counts them all.
    assert MentorAssignment.objects.for_year(year).count() == 41
    assert 12 <= Candidacy.objects.filter(year=year).exclude(decision=Decision.NOMINATED).count() <= 15
    assert reports.budget_for(year).centre.total > 0


@pytest.fixture(scope="class")
def shared_world(made_once):
    made_once(lambda: seed("--scale", SMALL))


@pytest.mark.usefixtures("shared")
class TestTheSeededCentre:
    """The demo centre at 5 %, seeded once for the class (`made_once`), each test in a savepoint inside it."""

    def test_running_twice_leaves_the_same_counts(self):
        before = counts()
        output = seed("--scale", SMALL)
        assert counts() == before
        assert output.count("\n") == 1 and output.startswith("seed_demo : ")
        assert before["School"] > 0 and before["Pairing"] > 0
        assert before["MentorAssignment"] > 0 and before["FollowUpEntry"] > 0 and before["Response"] > 0

    @pytest.mark.parametrize(("email", "role"), [(email, role) for email, role, _label in DEMO_ACCOUNTS])
    def test_every_demo_account_signs_in_and_holds_its_role(self, client, email, role):
        assert client.login(email=email, password=DEMO_PASSWORD)
        user = User.objects.get(email=email)
        assert user.person.email == email
        if role == Role.ADMIN:
            assert user.is_staff and user.is_superuser
        else:
            year = SchoolYear.objects.current()
            assert Membership.objects.in_force(year).filter(person=user.person, role=role).exists()
            assert not user.is_superuser

    def test_mentor_demo_account_follows_the_mentee_demo_account(self):
        mentor, mentee = demo_person(Role.MENTOR), demo_person(Role.MENTEE)
        mentees = Pairing.objects.active().filter(mentor=mentor).values_list("mentee", flat=True)
        assert 3 <= len(mentees) <= 4
        assert mentee.pk in mentees
        assert Entitlement.objects.filter(person=mentee, started_on__month__in=[8, 9, 10, 11]).exists()

    def test_director_demo_account_directs_a_primary_school_with_novices_and_a_mentor(self):
        director = demo_person(Role.DIRECTOR)
        school = School.objects.get(memberships__person=director, memberships__role=Role.DIRECTOR)
        assert school.order == Order.PRIMARY
        assert Membership.objects.filter(school=school, role=Role.MENTOR, person=demo_person(Role.MENTOR)).exists()
        assert Entitlement.objects.filter(person__assignments__school=school).count() >= 3

    def test_pane_demo_account_leads_a_cohort_and_teacher_is_a_plain_teacher(self):
        assert Cohort.objects.filter(panes=demo_person(Role.PANE), mentors__isnull=False).exists()
        teacher = demo_person(Role.TEACHER)
        assert set(teacher.memberships.values_list("role", flat=True)) == {Role.TEACHER}
        assert not teacher.entitlements.exists()

    def test_central_roles_are_permanent(self):
        central = Membership.objects.filter(role__in=[Role.HR, Role.PANE, Role.TRAINER, Role.MANAGEMENT])
        assert central.count() == 5  # HR, two PANE, trainer, general management
        assert not central.filter(school__isnull=False).exists()
        assert not central.filter(year__isnull=False).exists()

    def test_every_mentor_was_nominated_by_hr_and_has_an_assignment(self):
        year = SchoolYear.objects.get(label="2026-2027")
        hr = demo_person(Role.HR).user
        assignments = MentorAssignment.objects.for_year(year).with_load().select_related("candidacy", "school")
        assert assignments.count() == mentor_count(year) > 0
        for assignment in assignments:
            candidacy = assignment.candidacy
            assert candidacy.person_id == assignment.person_id and candidacy.school == assignment.school
            assert candidacy.status == CandidacyStatus.SUBMITTED and candidacy.decision == Decision.NOMINATED
            assert candidacy.decided_by == hr
            assert ReflectiveAnswers.objects.filter(person=candidacy.person, year=year).exists()
            log = candidacy.decision_logs.get()
            assert (log.by, log.to_decision, log.at) == (hr, Decision.NOMINATED, candidacy.decided_at)
            assert 4 <= assignment.capacity and assignment.capacity >= assignment.load
            assert assignment.cycle_length_days == assignment.school.cycle_length_days
            assert assignment.release_days_per_cycle == assignment.school.release_days_per_cycle

    def test_other_candidacies_wait_or_were_declined_with_a_reason(self):
        others = Candidacy.objects.exclude(decision=Decision.NOMINATED)
        assert others.exists()
        assert set(others.values_list("decision", flat=True)) == {Decision.WAITING_LIST, Decision.DECLINED}
        assert not others.filter(decision=Decision.DECLINED, decision_reason="").exists()
        assert not MentorAssignment.objects.filter(candidacy__in=others).exists()
        reserved = others.filter(director_opinion=Opinion.RESERVED)
        assert reserved.exists() and not reserved.filter(director_comment="").exists()
        # The demo director gave one of them on their own school.
        director = demo_person(Role.DIRECTOR).user
        assert reserved.filter(opinion_by=director).exists()

    def test_programme_settings_close_this_years_window_and_leave_the_next_one_to_hr(self):
        settings = ProgrammeSettings.objects.get(year__label="2026-2027")
        assert settings.window_state() == "closed"
        assert settings.opens_at.date().isoformat() == "2026-04-20"
        assert ProgrammeSettings.objects.get(year__label="2027-2028").window_state() == "unset"
        assert ProgrammeSettings.objects.nomination_settings() == settings

    def test_hr_pages_show_the_mentors_the_budget_and_the_follow_up(self, client):
        year = SchoolYear.objects.get(label="2026-2027")
        client.force_login(demo_person(Role.HR).user)
        page = client.get(reverse("mentors:pairing_board")).content.decode()
        active = Pairing.objects.active().filter(year=year).count()
        assert f"{mentor_count(year)} personnes mentores, {active} jumelages actifs" in page
        response = client.get(reverse("mentors:budget"))
        assert response.context["budget"].centre.mentors == mentor_count(year)
        assert response.context["budget"].centre.total > 0
        response = client.get(reverse("mentors:followup_stats"))
        assert sum(row["hours"] for row in response.context["rows"]) > 0
        board = client.get(reverse("mentors:board"))
        assert board.context["totals"]["nominated"] == mentor_count(year)

    def test_demo_mentor_logged_meetings_with_each_mentee(self):
        mentor = demo_person(Role.MENTOR)
        for pairing in Pairing.objects.filter(mentor=mentor):
            entries = pairing.follow_ups.all()
            assert entries.exists() and not entries.exclude(author=mentor).exists()
            assert all(pairing.started_on <= entry.date <= datetime.date(2026, 11, 20) for entry in entries)

    def test_the_2023_survey_results_are_loaded(self, client):
        mentors = Survey.objects.get(year__label="2022-2023", audience="mentors")
        assert mentors.responses.count() == 34
        client.force_login(demo_person(Role.HR).user)
        assert "34 sur 41" in client.get(reverse("surveys:results", args=[mentors.pk])).content.decode()

    def test_every_demo_opinion_names_the_director_who_gave_it(self):
        from mentors.models import Candidacy

        with_opinion = Candidacy.objects.exclude(director_opinion="")
        assert with_opinion.exists()
        assert not with_opinion.filter(opinion_by__isnull=True).exists()

    # --- The accompaniment calendar (schools/management/demo_accompaniment.py) ---

    def test_the_year_has_a_quebec_calendar_of_non_school_days(self):
        from mentors.models import NonSchoolDay

        days = {day.date: day for day in NonSchoolDay.objects.filter(year__label="2026-2027")}
        assert days[datetime.date(2026, 9, 7)].label == "Fête du Travail"
        assert days[datetime.date(2026, 11, 13)].kind == "pedagogical"
        assert days[datetime.date(2027, 3, 3)].kind == "break" and days[datetime.date(2027, 3, 29)].kind == "holiday"
        assert all(day.weekday() < 5 for day in days)

    def test_each_cohort_has_its_year_planned_and_published_within_the_rules(self):
        from mentors.accompaniment.conflicts import check_event
        from mentors.models import Event, EventKind, EventStatus

        for cohort in Cohort.objects.filter(year__label="2026-2027"):
            events = list(cohort.events.all())
            kinds = Counter(event.kind for event in events)
            assert kinds == {
                EventKind.UNIVERSITY_DAY: 6,
                EventKind.COHORT_DAY: 6,
                EventKind.REGULATION: 1,
                EventKind.BILAN: 1,
            }
            assert {event.status for event in events} == {EventStatus.PUBLISHED}
            assert all(check_event(event) == [] for event in events), cohort
            regulation = next(e for e in events if e.kind == EventKind.REGULATION)
            bilan = next(e for e in events if e.kind == EventKind.BILAN)
            assert datetime.date(2026, 11, 1) <= regulation.date <= datetime.date(2026, 11, 10)
            assert datetime.date(2027, 6, 1) <= bilan.date <= datetime.date(2027, 6, 10)
        assert Event.objects.filter(override_reason__gt="").count() == 0

    def test_past_days_have_attendance_about_nine_in_ten_and_future_days_none(self):
        from mentors.models import EventInvitation

        invitations = EventInvitation.objects.filter(event__year__label="2026-2027")
        past = invitations.filter(event__date__lt=datetime.date(2026, 11, 24))
        assert past.exists() and not past.filter(attended__isnull=True).exists()
        share = past.filter(attended=True).count() / past.count()
        assert 0.8 <= share <= 0.97
        assert not invitations.filter(event__date__gte=datetime.date(2026, 11, 24), attended__isnull=False).exists()

    def test_the_demo_pane_sees_her_cohort_full(self, client):
        pane = demo_person("pane")
        client.force_login(pane.user)
        cohort = Cohort.objects.get(panes=pane, year__label="2026-2027")
        page = client.get(reverse("mentors:cohort_detail", args=[cohort.pk])).content.decode()
        assert page.count('data-status="published"') == 14
        assert " sur 2</td>" in page  # two cohort days already past on 24 November 2026

    def test_demo_director_has_a_plan_from_the_primary_template_and_a_tracking_table(self):
        director = demo_person(Role.DIRECTOR)
        school = School.objects.get(memberships__person=director, memberships__role=Role.DIRECTOR)
        year = SchoolYear.objects.get(label="2026-2027")
        plan = DeploymentPlan.objects.get(school=school, year=year)
        assert plan.template == PlanTemplate.objects.get(name__contains="école primaire")
        statuses = set(plan.steps.values_list("status", flat=True))
        assert statuses == {StepStatus.DONE, StepStatus.ONGOING, StepStatus.UPCOMING}
        assert plan.steps.filter(when_text__contains="2026").exists()  # the seed's 2022 dates moved to the demo year
        assert StepComment.objects.filter(step__plan=plan).exists()
        rows = Newcomer.objects.filter(school=school, year=year)
        assert rows.count() >= 3 and NewcomerFollowUp.objects.filter(newcomer__in=rows).count() == 3
        # Other schools have plans too, so the overview is realistic (all of them at this small scale).
        assert DeploymentPlan.objects.filter(year=year).count() == School.objects.count()
