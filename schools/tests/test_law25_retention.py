"""The retention schedule on a dated dataset: dry run, real run, a second run that changes nothing."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.files.storage import default_storage
from django.urls import reverse

from mentorat import factories as f
from mentors.models import Candidacy, Decision, EventInvitation
from mentors.tests.factories import CandidacyFactory
from mentors.tests.factories_calendar import EventFactory
from schools import imports
from schools.law25 import retention
from schools.law25.models import RecordKind, RetentionAction, RetentionRule
from schools.models import Person
from schools.plans.models import Newcomer
from surveys.models import Invitation, Response
from surveys.tests.factories import invite, make_survey, respond

UTC = datetime.UTC


def _year(start: int):
    return f.SchoolYearFactory(
        label=f"{start}-{start + 1}", starts_on=datetime.date(start, 7, 1), ends_on=datetime.date(start + 1, 6, 30)
    )


@pytest.fixture
def dataset(db, year, school_a, settings, tmp_path):
    """Records of 2017-2018 and 2019-2020 (long past) beside this year's (2026-2027)."""
    settings.VAR_DIR = tmp_path  # no import upload left by another test
    old, older = _year(2019), _year(2017)
    people = {name: f.PersonFactory() for name in ("mentee", "teacher", "gone", "stays")}
    data = {"old": old, "people": people}

    # Surveys: one closed in 2020, one closed four days ago, one still open.
    data["old_survey"] = make_survey(
        old, opens_at=datetime.datetime(2020, 2, 1, tzinfo=UTC), closes_at=datetime.datetime(2020, 2, 28, tzinfo=UTC)
    )
    data["recent_survey"] = make_survey(
        year,
        title="Récent",
        opens_at=datetime.datetime(2026, 11, 1, tzinfo=UTC),
        closes_at=datetime.datetime(2026, 11, 20, tzinfo=UTC),
    )
    data["open_survey"] = make_survey(year, title="Ouvert")
    for survey in (data["old_survey"], data["recent_survey"], data["open_survey"]):
        invitation = invite(survey, people["mentee"])
        invitation.draft = {"1": "brouillon"}
        invitation.save()
        respond(survey, {}, school=school_a)

    # Accompaniment: an event of 2020 and one of this year, each with an invitee.
    for event in (EventFactory(year=old, date=datetime.date(2020, 3, 10)), EventFactory(year=year)):
        EventInvitation.objects.create(event=event, person=people["teacher"], attended=True)

    # Candidacies: declined in 2019-2020 (goes), nominated then (stays), declined this year (stays).
    data["declined_old"] = CandidacyFactory(year=old, school=school_a, decision=Decision.DECLINED)
    CandidacyFactory(year=old, school=school_a, decision=Decision.NOMINATED)
    CandidacyFactory(year=year, school=school_a, decision=Decision.DECLINED)

    # Tracking table: a row of 2019-2020 (goes) and one of this year (stays).
    for y in (old, year):
        Newcomer.objects.create(school=school_a, year=y, person=people["teacher"], reason="arrivee")

    # Staff: last assigned in 2017-2018 (gone for more than 7 years), one still assigned.
    gone = people["gone"]
    gone.user = f.UserFactory(email="parti@example.org")
    gone.save()
    f.StaffAssignmentFactory(person=gone, school=school_a, year=older)
    f.StaffAssignmentFactory(person=people["stays"], school=school_a, year=year)
    for name in ("mentee", "teacher"):
        f.StaffAssignmentFactory(person=people[name], school=school_a, year=year)

    # An audit entry of 2018.
    entry = LogEntry.objects.log_create(school_a, force_log=True, action=LogEntry.Action.UPDATE)
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=datetime.datetime(2018, 1, 5, tzinfo=UTC))
    return data


def _counts(now=None) -> dict[str, int]:
    return {row.rule.kind: row.count for row in retention.dry_run(now)}


EXPECTED_NOW = {
    RecordKind.IMPORT_UPLOADS: 0,
    RecordKind.SURVEY_DRAFTS: 2,  # the 2020 survey's and the one closed four days ago; not the open one
    RecordKind.SURVEY_INVITATIONS: 1,
    RecordKind.SURVEY_RESPONSES: 1,
    RecordKind.EVENT_INVITATIONS: 1,
    RecordKind.CANDIDACIES_NOT_RETAINED: 1,
    RecordKind.TRACKING_TABLE: 1,
    RecordKind.STAFF_RECORDS: 1,
    RecordKind.AUDIT_ENTRIES: 1,
    RecordKind.OUTBOUND_EMAILS: 0,  # none older than six months
}


def test_the_schedule_is_seeded_with_every_kind(db):
    assert set(RetentionRule.objects.values_list("kind", flat=True)) == set(RecordKind.values)
    responses = RetentionRule.objects.get(kind=RecordKind.SURVEY_RESPONSES)
    assert responses.action == RetentionAction.ANONYMISE


def test_dry_run_counts_and_changes_nothing(dataset):
    assert _counts() == EXPECTED_NOW
    oldest = {row.rule.kind: row.oldest for row in retention.dry_run()}
    assert oldest[RecordKind.EVENT_INVITATIONS] == datetime.date(2020, 3, 10)
    assert oldest[RecordKind.STAFF_RECORDS] == datetime.date(2018, 6, 30)
    # Nothing moved.
    assert _counts() == EXPECTED_NOW
    assert Invitation.objects.filter(draft__isnull=False).count() == 3


def test_real_run_destroys_or_anonymises_what_is_past_its_period(dataset):
    done = retention.apply_schedule()

    assert done == {kind: count for kind, count in EXPECTED_NOW.items()}
    # Survey answers are anonymised, never deleted: every response is still there.
    assert Response.objects.count() == 3
    assert Response.objects.get(survey=dataset["old_survey"]).school is None
    assert Response.objects.get(survey=dataset["recent_survey"]).school is not None
    # Drafts of closed surveys are unlinked; the open survey's draft stays.
    assert list(Invitation.objects.filter(draft__isnull=False).values_list("survey", flat=True)) == [
        dataset["open_survey"].pk
    ]
    assert not Invitation.objects.filter(survey=dataset["old_survey"]).exists()
    assert EventInvitation.objects.count() == 1
    assert not Candidacy.objects.filter(pk=dataset["declined_old"].pk).exists()
    assert Candidacy.objects.count() == 2
    assert Newcomer.objects.count() == 1
    gone = Person.objects.select_related("user").get(pk=dataset["people"]["gone"].pk)
    assert gone.first_name == "Personne" and gone.email == "" and gone.anonymised_at is not None
    assert not gone.user.is_active and "parti" not in gone.user.email
    assert Person.objects.get(pk=dataset["people"]["stays"].pk).anonymised_at is None


def test_each_run_is_logged_in_the_audit_trail(dataset):
    retention.apply_schedule()

    logged = LogEntry.objects.filter(additional_data__has_key="retention")
    kinds = {entry.additional_data["retention"]: entry.additional_data["count"] for entry in logged}
    assert kinds == {kind: count for kind, count in EXPECTED_NOW.items() if count}


def test_running_twice_has_the_effect_of_running_once(dataset):
    retention.apply_schedule()
    entries = LogEntry.objects.count()
    people = list(Person.objects.order_by("pk").values())

    assert retention.apply_schedule() == dict.fromkeys(EXPECTED_NOW, 0)
    assert _counts() == dict.fromkeys(EXPECTED_NOW, 0)
    assert LogEntry.objects.count() == entries
    assert list(Person.objects.order_by("pk").values()) == people


def test_time_brings_this_years_records_to_their_turn(dataset):
    retention.apply_schedule()
    # A year after the recent survey closed, its invitation goes; two years after, its response's school.
    with time_machine.travel(datetime.datetime(2027, 11, 21, tzinfo=UTC)):
        assert _counts()[RecordKind.SURVEY_INVITATIONS] == 1
        assert _counts()[RecordKind.SURVEY_RESPONSES] == 0
    with time_machine.travel(datetime.datetime(2028, 11, 21, tzinfo=UTC)):
        assert _counts()[RecordKind.SURVEY_RESPONSES] == 1


def test_a_period_changed_by_the_administrator_is_the_one_applied(dataset):
    rule = RetentionRule.objects.get(kind=RecordKind.CANDIDACIES_NOT_RETAINED)
    rule.period = 120
    rule.save()

    assert _counts()[RecordKind.CANDIDACIES_NOT_RETAINED] == 0
    assert retention.apply_schedule()[RecordKind.CANDIDACIES_NOT_RETAINED] == 0


def test_the_import_purge_reads_its_period_from_the_schedule(db):
    token = imports.store_upload(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(Path(default_storage.path(f"imports/{token}.json")), (two_days_ago, two_days_ago))
    rule = RetentionRule.objects.get(kind=RecordKind.IMPORT_UPLOADS)
    rule.period = 3
    rule.save()
    assert imports.purge_stale_uploads() == 0
    rule.period = 1
    rule.save()
    assert imports.purge_stale_uploads() == 1
    assert imports.read_upload(token) is None


def test_without_a_line_in_the_schedule_nothing_is_purged(db):
    token = imports.store_upload(b"x")
    os.utime(Path(default_storage.path(f"imports/{token}.json")), (0, 0))
    RetentionRule.objects.filter(kind=RecordKind.IMPORT_UPLOADS).delete()
    assert imports.purge_stale_uploads() == 0
    assert imports.read_upload(token) == b"x"
    imports.delete_upload(token)


def test_the_beat_schedule_wakes_the_retention_task():
    from mentorat.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "schools.tasks.apply_retention_schedule" in tasks


def test_the_task_applies_the_schedule(dataset):
    from schools.tasks import apply_retention_schedule

    assert apply_retention_schedule.delay().get()[RecordKind.TRACKING_TABLE] == 1
    assert Newcomer.objects.count() == 1


def test_hr_sees_the_dry_run_page(client, hr, dataset):
    client.force_login(hr)
    page = client.get(reverse("law25:retention_dry_run")).content.decode()

    assert "Candidatures non retenues" in page
    assert "10 mars 2020" in page
    assert Candidacy.objects.count() == 3  # the page changed nothing


def test_survey_answers_cannot_be_set_to_be_destroyed(client, admin_user):
    rule = RetentionRule.objects.get(kind=RecordKind.SURVEY_RESPONSES)
    client.force_login(admin_user)
    url = reverse("law25:retention_edit", args=[rule.pk])
    response = client.post(url, {"period": 1, "unit": "months", "action": "destroy", "version": rule.version})

    assert response.status_code == 200
    assert "pas possible" in response.content.decode()
    rule.refresh_from_db()
    assert rule.action == RetentionAction.ANONYMISE


def test_administrator_changes_a_period_and_a_stale_form_gets_409(client, admin_user):
    rule = RetentionRule.objects.get(kind=RecordKind.EVENT_INVITATIONS)
    client.force_login(admin_user)
    url = reverse("law25:retention_edit", args=[rule.pk])
    data = {"period": 48, "unit": "months", "action": "destroy", "starts_from": "x", "notes": "", "version": 1}

    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert (rule.period, rule.version, rule.updated_by) == (48, 2, admin_user)
    stale = client.post(url, {**data, "period": 6})
    assert stale.status_code == 409
    rule.refresh_from_db()
    assert rule.period == 48
    assert LogEntry.objects.filter(object_pk=str(rule.pk), changes__icontains="48").exists()


def test_anonymised_responses_leave_no_kept_figure_naming_their_school(dataset, school_a):
    from surveys.models import ResultCount

    old = dataset["old_survey"]
    assert ResultCount.objects.filter(survey=old, school_pk=school_a.pk).exists()
    retention.apply_schedule()
    assert not Response.objects.filter(survey=old, school__isnull=False).exists()
    assert not ResultCount.objects.filter(survey=old, school_pk=school_a.pk).exists()
    assert ResultCount.objects.filter(survey=old).exists()  # the survey's figures are still there


def test_sent_emails_go_after_their_period_and_queued_ones_stay(db, django_capture_on_commit_callbacks):
    from mentorat.emails import queue_email
    from mentorat.models import OutboundEmail

    with django_capture_on_commit_callbacks(execute=True):
        queue_email("invitation", "a@example.org", {"url": "http://x/"}, key="sent")
    with django_capture_on_commit_callbacks(execute=False):
        queue_email("invitation", "b@example.org", {"url": "http://x/"}, key="waiting")
    rule = RetentionRule.objects.get(kind=RecordKind.OUTBOUND_EMAILS)
    with time_machine.travel(datetime.timedelta(days=200)):
        assert retention.due(rule).count == 1
        retention.apply_schedule()
        assert list(OutboundEmail.objects.values_list("key", flat=True)) == ["waiting"]
