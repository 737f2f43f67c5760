"""The cohort pages as a PANE or HR uses them: forms, refusals at the field, 409s, the planner, the import."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.accompaniment import planner
from mentors.models import (
    Cohort,
    CohortMember,
    Event,
    EventInvitation,
    EventKind,
    EventStatus,
    NonSchoolDay,
    NonSchoolDayKind,
)
from mentors.models.accompaniment import DEFAULT_TIMES, EventPeriod
from mentors.tests.factories import MentorAssignmentFactory
from roles.models import Role
from schools.models import Order

D = datetime.date
DEC_8 = D(2026, 12, 8)


def nominated(year, school, n=1):
    people = []
    for _ in range(n):
        person = f.PersonFactory()
        MentorAssignmentFactory(person=person, year=year, school=school)
        people.append(person)
    return people


@pytest.fixture
def cohort(year, pane, trainer, school_a):
    return f.CohortFactory(
        year=year,
        name="Cohorte A",
        panes=[pane.person],
        trainers=[trainer.person],
        mentors=nominated(year, school_a, 2),
    )


def make_event(cohort, number=1, date=DEC_8, kind=EventKind.COHORT_DAY, status=EventStatus.DRAFT):
    start, end = DEFAULT_TIMES[EventPeriod.FULL_DAY]
    return Event.objects.create(
        year=cohort.year,
        cohort=cohort,
        kind=kind,
        number=number,
        date=date,
        starts_at=start,
        ends_at=end,
        status=status,
    )


def event_data(event, **changes):
    data = {
        "kind": event.kind,
        "number": event.number or "",
        "title": event.title,
        "date": event.date.isoformat(),
        "period": event.period,
        "starts_at": "",
        "ends_at": "",
        "place": event.place,
        "meeting_url": event.meeting_url,
        "agenda": event.agenda,
        "version": event.version,
        "documents-TOTAL_FORMS": 2,
        "documents-INITIAL_FORMS": 0,
        "documents-MIN_NUM_FORMS": 0,
        "documents-MAX_NUM_FORMS": 20,
        "documents-0-title": "",
        "documents-0-url": "",
        "documents-1-title": "",
        "documents-1-url": "",
    }
    data.update(changes)
    return data


def test_a_pane_creates_a_cohort_with_herself_and_a_trainer(client, year, pane, trainer):
    client.force_login(pane)
    page = client.get(reverse("mentors:cohort_create"))
    assert re.search(rf'name="panes" value="{pane.person.pk}"\s+id="[^"]+" checked', page.content.decode())
    response = client.post(
        reverse("mentors:cohort_create"),
        {
            "name": "Cohorte primaire",
            "order": Order.PRIMARY,
            "panes": [pane.person.pk],
            "trainers": [trainer.person.pk],
        },
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mentors:cohort_detail", args=[cohort.pk])
    assert list(cohort.panes.all()) == [pane.person] and list(cohort.trainers.all()) == [trainer.person]


def test_the_cohort_form_offers_only_pane_and_trainers(client, year, hr, pane, trainer, teacher):
    client.force_login(hr)
    response = client.post(reverse("mentors:cohort_create"), {"name": "X", "panes": [teacher.person.pk]})
    assert response.status_code == 200
    assert f"Sélectionnez un choix valide. {teacher.person.pk} n’en fait pas partie." in response.content.decode()
    assert not Cohort.objects.exists()


def test_moving_a_day_onto_a_pedagogical_day_is_refused_at_the_date_field(client, cohort, pane):
    NonSchoolDay.objects.create(
        year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL, label="Journée pédagogique"
    )
    event = make_event(cohort)
    client.force_login(pane)
    url = reverse("mentors:cohort_event_edit", args=[event.pk])
    response = client.post(url, event_data(event, date="2026-11-13"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le 13 novembre 2026 est une journée pédagogique" in page
    assert 'aria-invalid="true"' in page and "override_reason" not in page
    event.refresh_from_db()
    assert event.date == D(2026, 12, 8) and event.version == 1


def test_a_pane_cannot_slip_an_override_reason_in(client, cohort, pane):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    event = make_event(cohort)
    client.force_login(pane)
    url = reverse("mentors:cohort_event_edit", args=[event.pk])
    client.post(url, event_data(event, date="2026-11-13", override_reason="Je passe outre"))
    event.refresh_from_db()
    assert event.date == D(2026, 12, 8) and event.override_reason == ""


def test_hr_overrides_with_a_reason_and_the_event_page_shows_it(client, cohort, hr):
    NonSchoolDay.objects.create(year=cohort.year, date=D(2026, 11, 13), kind=NonSchoolDayKind.PEDAGOGICAL)
    event = make_event(cohort)
    client.force_login(hr)
    url = reverse("mentors:cohort_event_edit", args=[event.pk])
    first = client.post(url, event_data(event, date="2026-11-13"))
    assert "indiquez le motif de la dérogation" in first.content.decode()
    response = client.post(url, event_data(event, date="2026-11-13", override_reason="Seule date de l'UdeS"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.date == D(2026, 11, 13) and event.overridden_by == hr
    page = client.get(reverse("mentors:cohort_event_detail", args=[event.pk])).content.decode()
    assert "Seule date de l&#x27;UdeS" in page and "Accordée par" in page


def test_times_default_to_the_period_and_documents_are_saved(client, cohort, pane):
    client.force_login(pane)
    response = client.post(
        reverse("mentors:cohort_event_create", args=[cohort.pk]),
        {
            **event_data(make_event(cohort, number=6, date=D(2027, 5, 4)), version=""),
            "kind": EventKind.MEETING,
            "number": "",
            "title": "Rencontre de démarrage",
            "date": "2026-12-02",
            "period": EventPeriod.AFTERNOON,
            "place": "Centre administratif, salle 2",
            "documents-0-title": "Présentation",
            "documents-0-url": "https://exemple.qc.ca/presentation.pdf",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Rencontre de démarrage")
    assert (event.starts_at, event.ends_at) == DEFAULT_TIMES[EventPeriod.AFTERNOON]
    assert event.number is None and event.status == EventStatus.DRAFT and event.created_by == pane
    assert [(d.title, d.url) for d in event.documents.all()] == [
        ("Présentation", "https://exemple.qc.ca/presentation.pdf")
    ]


def test_end_before_start_is_refused_at_the_field(client, cohort, pane):
    event = make_event(cohort)
    client.force_login(pane)
    response = client.post(
        reverse("mentors:cohort_event_edit", args=[event.pk]), event_data(event, starts_at="15:00", ends_at="09:00")
    )
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début." in response.content.decode()


def test_two_people_editing_an_event_get_a_409_and_keep_their_input(client, cohort, pane, hr):
    event = make_event(cohort)
    client.force_login(hr)
    url = reverse("mentors:cohort_event_edit", args=[event.pk])
    assert client.post(url, event_data(event, place="Salle A")).status_code == 302
    client.force_login(pane)
    response = client.post(url, event_data(event, place="Salle B"))  # still version 1
    page = response.content.decode()
    assert response.status_code == 409
    assert (
        "Cet événement a été modifié par une autre personne" in page and 'value="Salle B"' in page and "Salle A" in page
    )
    event.refresh_from_db()
    assert event.place == "Salle A"


def test_two_people_editing_a_cohort_get_a_409(client, cohort, pane, hr):
    url = reverse("mentors:cohort_edit", args=[cohort.pk])
    data = {"name": "Cohorte Alpha", "order": "", "panes": [pane.person.pk], "version": 1}
    client.force_login(hr)
    assert client.post(url, data).status_code == 302
    client.force_login(pane)
    response = client.post(url, {**data, "name": "Cohorte Bêta"})
    assert response.status_code == 409 and "Cohorte Alpha" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.name == "Cohorte Alpha"


def test_the_suggestion_is_checked_and_explained(client, year, pane, school_a, school_b):
    primary = f.CohortFactory(year=year, name="Primaire", order=Order.PRIMARY, panes=[pane.person])
    f.CohortFactory(year=year, name="Secondaire", order=Order.SECONDARY, panes=[pane.person])
    at_a = nominated(year, school_a, 2)
    at_b = nominated(year, school_b, 1)
    client.force_login(pane)
    page = client.get(reverse("mentors:cohort_placement", args=[primary.pk])).content.decode()
    assert "Les personnes mentores d’une même école restent ensemble" in page
    for person in at_a:
        assert f'value="{person.pk}"' in page
    assert page.count(" checked") == 2  # the two primary-school mentors, not the secondary one
    response = client.post(reverse("mentors:cohort_placement", args=[primary.pk]), {"mentors": [at_a[0].pk]})
    assert response.status_code == 302
    assert list(primary.mentors.all()) == [at_a[0]]
    assert not CohortMember.objects.filter(person=at_b[0]).exists()


def test_plan_accept_and_publish_through_the_pages(client, cohort, pane):
    client.force_login(pane)
    url = reverse("mentors:cohort_plan", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert page.count('data-kind="cohort_day"') == 6 and page.count('data-kind="university_day"') == 6
    response = client.post(url, {"digest": planner.propose(cohort).digest})
    assert response.status_code == 302
    assert Event.objects.filter(cohort=cohort, status=EventStatus.DRAFT).count() == 14
    client.post(reverse("mentors:cohort_publish", args=[cohort.pk]))
    assert Event.objects.filter(cohort=cohort, status=EventStatus.PUBLISHED).count() == 14
    assert EventInvitation.objects.filter(event__cohort=cohort).exists()


def test_the_cohort_list_shows_mentors_drafts_and_the_next_event(client, cohort, pane):
    make_event(cohort, number=1, date=D(2026, 9, 22), status=EventStatus.PUBLISHED)
    make_event(cohort, number=2, date=D(2027, 1, 12))
    make_event(cohort, number=3, date=D(2027, 2, 9), status=EventStatus.PUBLISHED)
    client.force_login(pane)
    page = client.get(reverse("mentors:cohort_list")).content.decode()
    row = page[page.index(f'data-cohort="{cohort.pk}"') :].split("</tr>")[0]
    assert '<td class="num">2</td>' in row  # mentors
    assert "1 brouillon" in row and "12 janvier 2027" in row
    # A cohort without any event yet is listed too.
    empty = f.CohortFactory(year=cohort.year, name="Cohorte vide", panes=[pane.person])
    page = client.get(reverse("mentors:cohort_list")).content.decode()
    assert f'data-cohort="{empty.pk}"' in page


def test_drafts_are_hidden_from_a_trainer(client, cohort, trainer):
    make_event(cohort, number=1, date=D(2026, 12, 8))
    make_event(cohort, number=2, date=D(2027, 1, 12), status=EventStatus.PUBLISHED)
    client.force_login(trainer)
    page = client.get(reverse("mentors:cohort_detail", args=[cohort.pk])).content.decode()
    assert 'data-number="2"' in page and 'data-number="1"' not in page
    assert "Publier" not in page


def test_the_cohort_page_shows_schools_mentees_and_attendance(client, cohort, pane, school_a, year):
    mentor = cohort.mentors.order_by("pk").first()
    f.PairingFactory(year=year, mentor=mentor)
    past = [
        make_event(cohort, number=1, date=D(2026, 9, 22), status=EventStatus.PUBLISHED),
        make_event(cohort, number=2, date=D(2026, 11, 4), status=EventStatus.PUBLISHED),
    ]
    EventInvitation.objects.create(event=past[0], person=mentor, attended=True)
    EventInvitation.objects.create(event=past[1], person=mentor, attended=False)
    client.force_login(pane)
    page = client.get(reverse("mentors:cohort_detail", args=[cohort.pk])).content.decode()
    row = page[page.index(f'data-person="{mentor.pk}"') :].split("</tr>")[0]
    assert school_a.name in row
    assert '<td class="num">1</td>' in row  # one active mentee
    assert "1 sur 2" in row


# --- Query counts: flat as rows grow ---


def _cohorts_with_events(year, school, n_cohorts, mentors_each, with_events=True):
    pane = f.PersonFactory()
    f.give_role(pane, Role.PANE)
    cohorts = []
    for i in range(n_cohorts):
        cohort = f.CohortFactory(
            year=year, name=f"Cohorte {i:02d}", panes=[pane], mentors=nominated(year, school, mentors_each)
        )
        if with_events:
            for k in range(1, 4):
                event = make_event(cohort, number=k, date=D(2026, 9, 1) + datetime.timedelta(days=7 * k + i % 3))
                for member in cohort.members.all():
                    EventInvitation.objects.create(event=event, person_id=member.person_id, attended=True)
        cohorts.append(cohort)
    return cohorts


@pytest.mark.parametrize("n_cohorts", [2, 15])
def test_the_cohort_list_query_count_is_flat(client, django_assert_max_num_queries, hr, year, school_a, n_cohorts):
    _cohorts_with_events(year, school_a, n_cohorts, 2)
    client.force_login(hr)
    # session, user, person, memberships, current year; cohorts, panes, trainers, mentor counts,
    # event stats, nominated count, placed count, years (+ savepoints).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mentors:cohort_list"))
    assert response.content.decode().count("data-cohort=") == n_cohorts


@pytest.mark.parametrize("mentors_each", [2, 25])
def test_the_cohort_page_query_count_is_flat(client, django_assert_max_num_queries, pane, year, school_a, mentors_each):
    cohort = _cohorts_with_events(year, school_a, 1, mentors_each)[0]
    cohort.panes.add(pane.person)
    client.force_login(pane)
    # session, user, person, memberships, current year; cohort, can-edit check, events, panes,
    # trainers, members, their schools, mentee counts, attendance (+ savepoints).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("mentors:cohort_detail", args=[cohort.pk]))
    assert response.content.decode().count("data-person=") == mentors_each


# --- The import of the non-school days ---


@pytest.fixture
def signed_in_pane(client, pane, year):
    client.force_login(pane)
    return client


def _upload(client, year, content):
    file = io.BytesIO(content.encode("utf-8"))
    file.name = "calendrier.csv"
    response = client.post(
        reverse("mentors:nonschoolday_import"), {"kind": "calendrier", "year": year.pk, "file": file}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_a_good_file_is_previewed_then_imported(signed_in_pane, year):
    client = signed_in_pane
    NonSchoolDay.objects.create(year=year, date=D(2026, 10, 12), kind=NonSchoolDayKind.PEDAGOGICAL)
    preview_url = _upload(
        client,
        year,
        "date;type;libellé\n2026-09-07;congé;Fête du Travail\n2026-10-12;Congé;Action de grâce\n"
        "13/11/2026;journée pédagogique;\n2027-03-01;relâche;Semaine de relâche\n",
    )
    preview = client.get(preview_url)
    page = preview.content.decode()
    assert "3 journées à ajouter" in page and "1 journée à mettre à jour" in page
    assert not NonSchoolDay.objects.filter(date=D(2026, 9, 7)).exists()
    response = client.post(preview_url, {"digest": preview.context["plan"].digest})
    assert response.status_code == 302
    days = dict(NonSchoolDay.objects.filter(year=year).values_list("date", "kind"))
    assert days == {
        D(2026, 9, 7): "holiday",
        D(2026, 10, 12): "holiday",
        D(2026, 11, 13): "pedagogical",
        D(2027, 3, 1): "break",
    }


def test_bad_lines_are_listed_and_nothing_is_imported(signed_in_pane, year):
    client = signed_in_pane
    preview_url = _upload(
        client,
        year,
        "date,type,libelle\n2026-09-07,congé,Fête du Travail\n2026-13-45,congé,\n2026-10-12,vacances d'été,\n"
        "2028-01-10,congé,\n2026-09-07,relâche,\n",
    )
    page = client.get(preview_url).content.decode()
    assert "ligne 3 : date « 2026-13-45 » invalide" in page
    assert "ligne 4 : type « vacances d&#x27;été » inconnu : congé, journée pédagogique ou relâche attendu" in page
    assert "ligne 5 : le 2028-01-10 n&#x27;appartient pas à l&#x27;année scolaire 2026-2027" in page
    assert "ligne 6 : le 2026-09-07 apparaît déjà à la ligne 2" in page
    assert "Confirmer" not in page
    client.post(preview_url, {"digest": "x"})
    assert not NonSchoolDay.objects.exists()


def test_a_file_without_the_columns_is_refused_at_the_field(signed_in_pane, year):
    file = io.BytesIO(b"jour_ferie;quoi\n2026-09-07;x\n")
    file.name = "calendrier.csv"
    response = signed_in_pane.post(
        reverse("mentors:nonschoolday_import"), {"kind": "calendrier", "year": year.pk, "file": file}
    )
    assert "Colonnes obligatoires manquantes : date, type" in response.content.decode()


def test_the_template_csv_reimports_cleanly(signed_in_pane, year):
    content = signed_in_pane.get(reverse("mentors:nonschoolday_template")).content.decode("utf-8-sig")
    assert content.splitlines()[0] == "date;type;libelle"
    preview_url = _upload(signed_in_pane, year, content)
    assert "3 journées à ajouter" in signed_in_pane.get(preview_url).content.decode()


def test_adding_a_day_twice_is_refused_at_the_field(signed_in_pane, year):
    url = reverse("mentors:nonschoolday_list") + f"?annee={year.pk}"
    data = {"date": "2026-11-13", "kind": "pedagogical", "label": ""}
    assert signed_in_pane.post(url, data).status_code == 302
    response = signed_in_pane.post(url, data)
    assert "Cette date figure déjà au calendrier" in response.content.decode()
    assert NonSchoolDay.objects.count() == 1
