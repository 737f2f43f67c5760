"""Law 25: the audit trail (who, when, what, from where), a person's file, access requests and their reminder."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse

from mentorat import factories as f
from mentors.models import CohortMember, DecisionLog, EventInvitation
from mentors.tests.factories import (
    CandidacyFactory,
    FollowUpEntryFactory,
    MentorAssignmentFactory,
    ReflectiveAnswersFactory,
)
from roles.models import Membership, Role
from schools.models import AccessRequest, AccessRequestKind, Person, access_request_due_on
from schools.plans.models import CycleStep, DeploymentPlan, Newcomer, NewcomerFollowUp, PlanStep
from schools.privacy.services import access_requests_remind
from surveys.tests.factories import full_survey, invite, respond

TODAY = datetime.date(2026, 11, 24)
SECRET_ANSWER = "Réponse anonyme très reconnaissable"


def _audit_page(client, **params):
    return client.get(reverse("privacy:audit_log"), params).content.decode()


# --- The audit trail ---


def test_a_correction_shows_field_before_and_after_with_who_and_from_where(client, hr, school_a, year):
    person = f.PersonFactory(first_name="Julie", last_name="Tremblay", email="julie@example.org")
    client.force_login(hr)
    url = reverse("privacy:person_correct", kwargs={"pk": person.pk})
    stamp = person.updated_at.isoformat()
    data = {"employee_number": person.employee_number, "first_name": "Julie", "last_name": "Tremblay-Roy"}
    response = client.post(url, {**data, "email": "julie@example.org", "updated_at": stamp}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).last_name == "Tremblay-Roy"

    page = _audit_page(client, personne_id=person.pk)
    assert "<del>Tremblay</del>" in page and "<ins>Tremblay-Roy</ins>" in page
    assert "10.1.2.3" in page and "rh@example.org" in page
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.remote_addr == "10.1.2.3" and entry.actor == hr


def test_a_stale_correction_overwrites_nothing(client, hr):
    person = f.PersonFactory(last_name="Avant")
    client.force_login(hr)
    url = reverse("privacy:person_correct", kwargs={"pk": person.pk})
    data = {"employee_number": person.employee_number, "first_name": "A", "last_name": "Après", "email": ""}
    response = client.post(url, {**data, "updated_at": "2020-01-01T00:00:00+00:00"})
    assert response.status_code == 200
    assert "modifiée entre-temps" in response.content.decode()
    assert Person.objects.get(pk=person.pk).last_name == "Avant"


def test_role_changes_pairings_and_decisions_are_in_the_trail_about_the_person(client, hr, year, school_a):
    person = f.PersonFactory(last_name="Gagnon")
    membership = f.give_role(person, Role.MENTOR, school=school_a, year=year)
    membership.ends_on = datetime.date(2027, 1, 1)
    membership.save()
    candidacy = CandidacyFactory(person=person, year=year, school=school_a)
    candidacy.decision = "nominated"
    candidacy.save()
    f.PairingFactory(mentor=person, year=year)
    client.force_login(hr)
    page = _audit_page(client, personne="Gagnon")
    for kind in ("rôle attribué", "candidature", "jumelage"):
        assert kind in page, kind
    assert "prend fin le" in page and "2027-01-01" in page
    assert "Nommée" in page or "nominated" in page


def test_the_person_filter_keeps_only_entries_about_that_person(client, hr, year):
    one, other = f.PersonFactory(last_name="Pelletier"), f.PersonFactory(last_name="Bouchard")
    pairing = f.PairingFactory(mentor=one, mentee=f.PersonFactory(last_name="Novice"), year=year)
    client.force_login(hr)
    page = _audit_page(client, personne_id=other.pk)
    assert "Bouchard" in page and str(pairing) not in page
    page = _audit_page(client, personne_id=pairing.mentee_id)
    assert str(pairing) in page  # a pairing concerns its mentor and its mentee


def test_sign_ins_failed_sign_ins_and_refusals_are_recorded(client, teacher):
    client.post(reverse("account_login"), {"login": "enseignant@example.org", "password": "mauvais"})
    client.post(reverse("account_login"), {"login": "enseignant@example.org", "password": "motdepasse-test"})
    assert client.get(reverse("privacy:audit_log")).status_code == 403  # a teacher: refused
    events = list(
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS).values_list("additional_data__event", flat=True)
    )
    assert events.count("sign_in_failed") == 1 and events.count("sign_in") == 1 and events.count("refused") == 1
    failed = LogEntry.objects.get(additional_data__event="sign_in_failed")
    assert failed.subjects.filter(person=teacher.person).exists() and failed.remote_addr == "127.0.0.1"
    refused = LogEntry.objects.get(additional_data__event="refused")
    assert refused.actor == teacher and refused.object_repr == reverse("privacy:audit_log")


def test_the_trail_filters_by_event_actor_object_type_and_period(client, hr, year):
    person = f.PersonFactory(last_name="Lavoie")
    f.give_role(person, Role.TEACHER, year=year)
    client.force_login(hr)
    assert "Lavoie" in _audit_page(client, objet="roles.membership")
    assert "Lavoie" not in _audit_page(client, objet="mentors.pairing")
    assert "Lavoie" not in _audit_page(client, du="2026-12-01")
    assert "Lavoie" in _audit_page(client, du="2026-11-24", au="2026-11-24")
    assert "Lavoie" not in _audit_page(client, action="event:sign_in")
    assert "Lavoie" in _audit_page(client, action="action:0")
    assert "La fin de la période précède son début." in _audit_page(client, du="2026-12-01", au="2026-11-01")


def test_the_trail_export_is_a_neutralised_csv_and_is_itself_recorded(client, hr):
    f.PersonFactory(first_name="=HYPERLINK(1)", last_name="Formule")
    client.force_login(hr)
    response = client.get(reverse("privacy:audit_log_export"), {"personne": "Formule"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "Date et heure" in text
    assert LogEntry.objects.filter(additional_data__event="export", actor=hr).exists()


def test_nobody_can_change_or_delete_the_trail_in_the_django_admin(rf, admin_user):
    entry = LogEntry.objects.log_create(f.PersonFactory(), force_log=True, action=LogEntry.Action.CREATE)
    model_admin = admin.site._registry[LogEntry]
    request = rf.get("/admin/auditlog/logentry/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_anonymous_survey_answers_are_never_registered_in_the_trail(year):
    from auditlog.registry import auditlog

    from surveys.models import Answer, Response

    assert not auditlog.contains(Response) and not auditlog.contains(Answer)
    survey = full_survey(year)
    respond(survey, {}, week=datetime.date(2026, 11, 23))
    assert not LogEntry.objects.filter(content_type__model__in=["response", "answer"]).exists()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_trail_page_has_a_query_bound(client, hr, year, django_assert_max_num_queries, rows):
    for _i in range(rows):
        person = f.PersonFactory()
        f.PairingFactory(mentor=person, year=year)
    client.force_login(hr)
    # session, user, person, memberships, year, count, page of entries (content type, actor, person joined),
    # the menus' own reads, the names of the people, schools, years and buildings changed (4 at most); nothing per row.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("privacy:audit_log"))
    assert response.status_code == 200


# --- A person's file ---


@pytest.fixture
def everything_about(year, school_a):
    """One person with every kind of record the centre holds, and an anonymous survey response."""
    person = f.person_with_account("complet@example.org", first_name="Rosalie", last_name="Complet")
    f.StaffAssignmentFactory(person=person, school=school_a, year=year, job_title="Orthopédagogue")
    f.EntitlementFactory(person=person, year=year)
    f.give_role(person, Role.MENTEE, school=school_a, year=year)
    ReflectiveAnswersFactory(person=person, year=year, comment="Commentaire réflexif")
    candidacy = CandidacyFactory(person=person, year=year, school=school_a, motivation="Motivation de Rosalie")
    DecisionLog.objects.create(candidacy=candidacy, to_decision="nominated", reason="Motif de décision")
    MentorAssignmentFactory(person=person, year=year, school=school_a)
    as_mentor = f.PairingFactory(mentor=person, mentee=f.PersonFactory(last_name="Mentorée"), year=year)
    f.PairingFactory(mentor=f.PersonFactory(last_name="Sa-Mentore"), mentee=person, year=year)
    FollowUpEntryFactory(pairing=as_mentor, notes="NOTE PRIVÉE DE L'AUTEUR")
    cohort = f.CohortFactory(year=year, name="Cohorte Érables")
    CohortMember.objects.create(cohort=cohort, person=person, year=year)
    from mentors.tests.test_cohorts_pages import make_event

    EventInvitation.objects.create(event=make_event(cohort), person=person, attended=True)
    plan = DeploymentPlan.objects.create(school=school_a, year=year)
    step = PlanStep.objects.create(plan=plan, title="Accueil des nouveaux", cycle_step=CycleStep.NAME)
    step.people_persons.add(person)
    newcomer = Newcomer.objects.create(school=school_a, year=year, person=person, reason="ip", needs="Besoins")
    NewcomerFollowUp.objects.create(newcomer=newcomer, date=TODAY, status="to_meet", note="Suivi noté")
    survey = full_survey(year, title="Sondage des mentorés")
    invite(survey, person)
    first_text = survey.questions.filter(kind="text").order_by("position").first()
    respond(survey, {first_text.position: SECRET_ANSWER} if first_text else {})
    AccessRequest.objects.create(person=person, kind=AccessRequestKind.ACCESS, received_on=TODAY, notes="Par courriel")
    return person


EXPECTED_IN_FILE = {
    "fiche": "Rosalie",
    "compte": "complet@example.org",
    "affectations": "Orthopédagogue",
    "insertion_professionnelle": "2026-2027",
    "roles": "Personne mentorée",
    "outil_reflexif": "Commentaire réflexif",
    "candidatures": "Motivation de Rosalie",
    "decisions": "Motif de décision",
    "affectations_mentor": "École des Érables",
    "jumelages_mentor": "Mentorée",
    "jumelages_mentore": "Sa-Mentore",
    "suivi": "Rencontre",
    "cohortes": "Cohorte Érables",
    "evenements": "Cohorte Érables",
    "plans": "Accueil des nouveaux",
    "tableau_de_suivi": "Besoins",
    "tableau_de_suivi_notes": "Suivi noté",
    "sondages": "Sondage des mentorés",
    "demandes": "Par courriel",
    "journal": "Création",
}


def test_every_kind_of_record_is_in_the_file_and_no_anonymous_answer(client, hr, everything_about):
    client.force_login(hr)
    page = client.get(reverse("privacy:person_file", kwargs={"pk": everything_about.pk})).content.decode()
    sections = page.split('data-section="')[1:]
    found = {chunk.split('"', 1)[0]: chunk for chunk in sections}
    assert set(found) == set(EXPECTED_IN_FILE)
    for key, text in EXPECTED_IN_FILE.items():
        assert text in found[key], key
    assert SECRET_ANSWER not in page
    assert "NOTE PRIVÉE" not in page


def test_the_export_holds_one_json_and_one_csv_per_kind_without_anonymous_answers(client, hr, everything_about):
    client.force_login(hr)
    response = client.get(reverse("privacy:person_file_export", kwargs={"pk": everything_about.pk}))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert names == {"dossier.json"} | {f"{key}.csv" for key in EXPECTED_IN_FILE}
    document = json.loads(archive.read("dossier.json"))
    assert document["person"]["employee_number"] == everything_about.employee_number
    for key, text in EXPECTED_IN_FILE.items():
        assert text in json.dumps(document["sections"][key], ensure_ascii=False), key
        assert text in archive.read(f"{key}.csv").decode("utf-8-sig"), key
    everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    assert SECRET_ANSWER not in everything and "NOTE PRIVÉE" not in everything
    export = LogEntry.objects.get(additional_data__event="export")
    assert export.subjects.filter(person=everything_about).exists()


# --- Access requests ---


def test_the_legal_delay_is_twenty_days_extendable_by_ten():
    assert access_request_due_on(datetime.date(2026, 11, 1), extended=False) == datetime.date(2026, 11, 21)
    assert access_request_due_on(datetime.date(2026, 11, 1), extended=True) == datetime.date(2026, 12, 1)


def test_the_list_shows_the_due_date_and_the_late_requests(client, hr):
    late = AccessRequest.objects.create(
        person=f.PersonFactory(last_name="Retard"),
        kind=AccessRequestKind.ACCESS,
        received_on=datetime.date(2026, 10, 1),
    )
    AccessRequest.objects.create(
        person=f.PersonFactory(last_name="Récent"), kind=AccessRequestKind.PORTABILITY, received_on=TODAY
    )
    client.force_login(hr)
    page = client.get(reverse("privacy:request_list")).content.decode()
    assert "en retard" in page and "21 octobre 2026" in page
    assert late.state(TODAY) == "late"
    assert "14 décembre 2026" in page  # 24 November + 20 days


def test_hr_records_and_extends_a_request_and_the_change_is_audited(client, hr):
    person = f.PersonFactory()
    client.force_login(hr)
    url = reverse("privacy:request_create", kwargs={"person_pk": person.pk})
    response = client.post(url, {"kind": "rectification", "received_on": "2026-11-20", "notes": ""})
    assert response.status_code == 302
    request_obj = AccessRequest.objects.get(person=person)
    edit = reverse("privacy:request_edit", kwargs={"pk": request_obj.pk})
    data = {"kind": "rectification", "received_on": "2026-11-20", "extended": "on", "version": request_obj.version}
    assert client.post(edit, data).status_code == 302
    assert AccessRequest.objects.get(pk=request_obj.pk).due_on == datetime.date(2026, 12, 20)
    stale = client.post(edit, {**data, "notes": "perdue"})
    assert "modifiée entre-temps" in stale.content.decode()
    assert LogEntry.objects.get_for_object(request_obj).filter(action=LogEntry.Action.UPDATE).exists()


def test_the_reminder_is_sent_once_even_when_the_task_runs_twice(hr, mailoutbox, django_capture_on_commit_callbacks):
    from schools.tasks import remind_access_requests

    due_soon = AccessRequest.objects.create(
        person=f.PersonFactory(last_name="Bientôt"),
        kind=AccessRequestKind.ACCESS,
        received_on=datetime.date(2026, 11, 5),
    )
    AccessRequest.objects.create(person=f.PersonFactory(), kind=AccessRequestKind.ACCESS, received_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_access_requests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_access_requests.delay().get() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rh@example.org"]
    assert "Bientôt" in mailoutbox[0].body and "25 novembre 2026" in mailoutbox[0].body
    assert AccessRequest.objects.get(pk=due_soon.pk).reminded_on == TODAY


def test_an_extension_gives_a_new_reminder_before_the_new_due_date(hr, mailoutbox):
    request_obj = AccessRequest.objects.create(
        person=f.PersonFactory(), kind=AccessRequestKind.ACCESS, received_on=datetime.date(2026, 11, 5)
    )
    assert access_requests_remind(today=TODAY) == 1
    from schools.privacy.services import access_request_save

    request_obj.refresh_from_db()
    request_obj.extended = True
    access_request_save(request_obj=request_obj, expected_version=request_obj.version, by=None)
    assert access_requests_remind(today=TODAY) == 0  # due 5 December now: not yet
    assert access_requests_remind(today=datetime.date(2026, 11, 30)) == 1


@pytest.mark.parametrize("rows", [2, 25])
def test_the_request_list_has_a_query_bound(client, hr, django_assert_max_num_queries, rows):
    for _i in range(rows):
        AccessRequest.objects.create(person=f.PersonFactory(), kind=AccessRequestKind.ACCESS, received_on=TODAY)
    client.force_login(hr)
    # session, user, person, memberships, year, count, the page of requests with their person; menus.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("privacy:request_list")).status_code == 200


def test_the_reminder_goes_to_hr_only(hr, pane, mailoutbox, django_capture_on_commit_callbacks):
    assert Membership.objects.filter(role=Role.HR).count() == 1
    AccessRequest.objects.create(
        person=f.PersonFactory(), kind=AccessRequestKind.ACCESS, received_on=datetime.date(2026, 11, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        access_requests_remind(today=TODAY)
    assert [m.to for m in mailoutbox] == [["rh@example.org"]]


def test_the_person_file_reads_a_fixed_number_of_queries(client, hr, everything_about, django_assert_max_num_queries):
    client.force_login(hr)
    url = reverse("privacy:person_file", kwargs={"pk": everything_about.pk})
    # session, user, person, memberships, year; the person; one query per section (20); the names of the
    # people, schools, years and buildings in the audit entries (4 at most); menus.
    with django_assert_max_num_queries(38):
        assert client.get(url).status_code == 200


# --- Writes through update() and bulk inserts are audited too ---


def _changes(obj, action=LogEntry.Action.UPDATE):
    entry = LogEntry.objects.get_for_object(obj).filter(action=action).latest("pk")
    return entry, entry.changes


def test_a_decision_and_a_pairing_end_written_by_update_are_audited(hr, year, school_a):
    from mentors.services import candidacy_decide, pairing_end

    candidacy = CandidacyFactory(person=f.PersonFactory(), year=year, school=school_a)
    candidacy_decide(candidacy=candidacy, decision="declined", reason="Quota atteint", by=hr, expected_version=1)
    entry, changes = _changes(candidacy)
    assert changes["decision"] == ["", "declined"] and changes["decision_reason"][1] == "Quota atteint"
    assert entry.subjects.filter(person=candidacy.person).exists()

    pairing = f.PairingFactory(year=year)
    pairing_end(pairing=pairing, status="completed", reason="", ended_on=TODAY, by=hr)
    entry, changes = _changes(pairing)
    assert changes["status"] == ["active", "completed"] and changes["ended_on"] == ["None", "2026-11-24"]
    assert set(entry.subjects.values_list("person_id", flat=True)) == {pairing.mentor_id, pairing.mentee_id}


def test_attendance_ticked_on_the_day_is_audited_with_before_and_after(hr, year):
    from mentors.accompaniment import attendance
    from mentors.tests.test_cohorts_pages import make_event

    person = f.PersonFactory()
    invitation = EventInvitation.objects.create(event=make_event(f.CohortFactory(year=year)), person=person)
    assert attendance.record(event=invitation.event, shown={invitation.pk: False}, ticked={invitation.pk}, by=hr) == 1
    entry, changes = _changes(invitation)
    assert changes["attended"] == ["None", "True"]
    assert entry.subjects.filter(person=person).exists()
