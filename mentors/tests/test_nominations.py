"""The nomination pages: window, reflective tool, candidacy, director's opinion, HR board, budget."""

from __future__ import annotations

import datetime
import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat import factories as f
from mentors.models import Candidacy, CandidacyStatus, Decision, DecisionLog, MentorAssignment, ProgrammeSettings
from mentors.tests.factories import (
    CandidacyFactory,
    MentorAssignmentFactory,
    ProgrammeSettingsFactory,
    ReflectiveAnswersFactory,
)
from schools.models import Order

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


REFLECTIVE = {
    "motivation": 4,
    "availability": 3,
    "listening": 4,
    "sharing_practice": 2,
    "collaboration": 3,
    "comment": "J'aime partager.",
}


def _candidacy_post(school, **extra):
    return {
        "school": school.pk,
        "order": school.order,
        "years_of_experience": 9,
        "subjects_levels": "3e année",
        "motivation": "Accueillir",
        "availability": "Jeudis",
        "capacity": 2,
        **extra,
    }


# --- HR sets the window ---


def test_hr_opens_the_window(client, hr, year):
    client.force_login(hr)
    response = client.post(
        reverse("mentors:settings_edit") + f"?annee={year.pk}",
        {
            "opens_at": "2026-11-20T08:00",
            "closes_at": "2026-11-30T17:00",
            "substitute_daily_rate": "260",
            "compensation": "1600",
            "teaching_days": "180",
        },
    )
    assert response.status_code == 302
    programme = ProgrammeSettings.objects.get(year=year)
    assert programme.is_open()
    assert timezone.localtime(programme.closes_at).hour == 17


def test_window_closing_before_opening_is_refused(client, hr, year):
    client.force_login(hr)
    response = client.post(
        reverse("mentors:settings_edit") + f"?annee={year.pk}",
        {
            "opens_at": "2026-11-30T08:00",
            "closes_at": "2026-11-20T17:00",
            "substitute_daily_rate": "260",
            "compensation": "1600",
            "teaching_days": "180",
        },
    )
    assert response.status_code == 200
    assert "La fermeture doit suivre l'ouverture." in _text(response)
    assert not ProgrammeSettings.objects.exists()


def _settings_post(client, year, **data):
    values = {
        "opens_at": "2026-11-20T08:00",
        "closes_at": "2026-11-30T17:00",
        "substitute_daily_rate": "260",
        "compensation": "1600",
        "teaching_days": "180",
        **data,
    }
    return client.post(reverse("mentors:settings_edit") + f"?annee={year.pk}", values)


def test_a_second_hr_editor_of_the_settings_is_told_and_overwrites_nothing(client, hr, year):
    client.force_login(hr)
    _settings_post(client, year)
    seen = ProgrammeSettings.objects.get(year=year).version
    assert _settings_post(client, year, substitute_daily_rate="270", version=seen).status_code == 302

    response = _settings_post(client, year, substitute_daily_rate="999", version=seen)  # the other tab

    assert response.status_code == 409
    assert "modifiés par une autre personne" in _text(response)
    assert 'value="999' in _text(response)  # what they typed is still in the form
    assert ProgrammeSettings.objects.get(year=year).substitute_daily_rate == 270


def test_settings_saved_without_a_version_are_refused(client, hr, year):
    client.force_login(hr)
    _settings_post(client, year)
    assert _settings_post(client, year, substitute_daily_rate="999").status_code == 409
    assert ProgrammeSettings.objects.get(year=year).substitute_daily_rate == 260


# --- The teacher ---


def test_form_says_when_the_window_opens(client, teacher, year):
    opens = timezone.now() + datetime.timedelta(days=3)
    ProgrammeSettingsFactory(year=year, opens_at=opens, closes_at=opens + datetime.timedelta(days=10))
    client.force_login(teacher)
    page = client.get(reverse("mentors:candidacy_edit")).content.decode()
    assert "pas encore ouverte" in page and "elle ouvre le 27 novembre 2026" in page


def test_form_says_the_window_closed(client, teacher, year):
    closed = timezone.now() - datetime.timedelta(days=2)
    ProgrammeSettingsFactory(year=year, opens_at=closed - datetime.timedelta(days=10), closes_at=closed)
    client.force_login(teacher)
    response = client.get(reverse("mentors:candidacy_edit"))
    assert "est terminée" in response.content.decode()
    assert client.post(reverse("mentors:candidacy_edit"), {}).status_code == 200
    assert not Candidacy.objects.exists()


def test_teacher_fills_the_tool_sees_the_summary_then_applies(client, teacher, window, school_a):
    client.force_login(teacher)
    assert client.post(reverse("mentors:reflective_tool"), REFLECTIVE).status_code == 302
    page = client.get(reverse("mentors:candidacy_mine")).content.decode()
    assert "moyenne 3,2 sur 4" in page or "moyenne 3.2 sur 4" in page
    assert "Mon goût de partager ma pratique" in page
    response = client.post(reverse("mentors:candidacy_edit"), _candidacy_post(school_a))
    assert response.status_code == 302
    candidacy = Candidacy.objects.get(person=teacher.person)
    assert candidacy.status == CandidacyStatus.SUBMITTED and candidacy.capacity == 2


def test_candidacy_form_shows_errors_in_french(client, teacher, window, school_a):
    ReflectiveAnswersFactory(person=teacher.person, year=window.year)
    client.force_login(teacher)
    response = client.post(
        reverse("mentors:candidacy_edit"), _candidacy_post(school_a, years_of_experience="-3", motivation="")
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_building_of_another_school_is_refused(client, teacher, window, school_a, school_b):
    ReflectiveAnswersFactory(person=teacher.person, year=window.year)
    building_b = f.BuildingFactory(school=school_b)
    client.force_login(teacher)
    response = client.post(reverse("mentors:candidacy_edit"), _candidacy_post(school_a, building=building_b.pk))
    assert "n'appartient pas à l'école" in _text(response)


def test_teacher_edits_then_withdraws(client, teacher, window, candidacy_a, school_a):
    ReflectiveAnswersFactory(person=teacher.person, year=window.year)
    client.force_login(teacher)
    client.post(reverse("mentors:candidacy_edit"), _candidacy_post(school_a, motivation="Autre", version=1))
    candidacy_a.refresh_from_db()
    assert candidacy_a.motivation == "Autre" and candidacy_a.version == 2
    client.post(reverse("mentors:candidacy_withdraw"), {"version": 2})
    candidacy_a.refresh_from_db()
    assert candidacy_a.status == CandidacyStatus.WITHDRAWN


def test_previous_mentor_renews_in_one_step(client, mentor_a, window, school_a):
    last_year = f.SchoolYearFactory(
        label="2025-2026", starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 6, 30)
    )
    MentorAssignmentFactory(person=mentor_a.person, year=last_year, school=school_a)
    client.force_login(mentor_a)
    assert "Renouveler mon engagement" in client.get(reverse("mentors:candidacy_mine")).content.decode()
    client.post(reverse("mentors:candidacy_renew"))
    assert Candidacy.objects.get(person=mentor_a.person, year=window.year).is_renewal


# --- The director ---


def test_director_sees_only_their_school_candidacies(client, director_a, candidacy_a, candidacy_b):
    client.force_login(director_a)
    page = client.get(reverse("mentors:director_candidacies")).content.decode()
    assert candidacy_a.person.full_name in page
    assert candidacy_b.person.full_name not in page


def test_director_gives_an_opinion(client, director_a, candidacy_a):
    client.force_login(director_a)
    response = client.post(
        reverse("mentors:candidacy_opinion", kwargs={"pk": candidacy_a.pk}),
        {"opinion": "reserved", "comment": "À revoir en janvier", "version": 1},
    )
    assert response.status_code == 302
    candidacy_a.refresh_from_db()
    assert candidacy_a.director_opinion == "reserved" and candidacy_a.opinion_by == director_a


def test_hr_sees_the_name_of_the_director_who_gave_the_opinion(client, hr, director_a, candidacy_a):
    client.force_login(director_a)
    client.post(
        reverse("mentors:candidacy_opinion", kwargs={"pk": candidacy_a.pk}),
        {"opinion": "favourable", "comment": "", "version": 1},
    )
    client.force_login(hr)
    page = client.get(reverse("mentors:candidacy_detail", kwargs={"pk": candidacy_a.pk})).content.decode()
    opinion = page[page.index('data-testid="opinion"') :][:400]
    assert director_a.person.full_name in opinion
    assert "(," not in opinion


def test_reserved_opinion_without_comment_is_refused_at_the_field(client, director_a, candidacy_a):
    client.force_login(director_a)
    response = client.post(
        reverse("mentors:candidacy_opinion", kwargs={"pk": candidacy_a.pk}),
        {"opinion": "unfavourable", "comment": "", "version": 1},
    )
    assert "Expliquez en commentaire" in response.content.decode()


# --- HR's board and decisions ---


def test_board_groups_by_school_with_quota_per_building(client, hr, year, window, school_a, school_b):
    f.BuildingFactory(school=school_a, name="Pavillon Nord")
    f.BuildingFactory(school=school_a, name="Pavillon Sud")
    CandidacyFactory(year=year, school=school_a, decision=Decision.NOMINATED)
    CandidacyFactory(year=year, school=school_b)
    client.force_login(hr)
    page = client.get(reverse("mentors:board")).content.decode()
    assert "Pavillon Nord : places pourvues : 0 sur 1" in page
    assert "places pourvues : 0 sur 2" in page  # secondary school, one building
    assert "Sans bâtiment : places pourvues : 1 sur 0" in page


def test_board_filters_by_order_and_status(client, hr, year, window, candidacy_a, candidacy_b):
    client.force_login(hr)
    page = client.get(reverse("mentors:board"), {"ordre": Order.SECONDARY}).content.decode()
    assert candidacy_b.person.full_name in page and candidacy_a.person.full_name not in page
    Candidacy.objects.filter(pk=candidacy_b.pk).update(decision=Decision.WAITING_LIST)
    page = client.get(reverse("mentors:board"), {"statut": "pending"}).content.decode()
    assert candidacy_a.person.full_name in page and candidacy_b.person.full_name not in page


def test_board_sorts_by_experience(client, hr, year, window, school_a):
    junior = CandidacyFactory(year=year, school=school_a, years_of_experience=3, person__last_name="Aaa")
    senior = CandidacyFactory(year=year, school=school_a, years_of_experience=25, person__last_name="Zzz")
    client.force_login(hr)
    page = client.get(reverse("mentors:board"), {"tri": "experience"}).content.decode()
    assert page.index(senior.person.full_name) < page.index(junior.person.full_name)


def test_hr_decides_and_the_history_shows_who(client, hr, candidacy_a, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentors:candidacy_decide", kwargs={"pk": candidacy_a.pk}),
            {"decision": "nominated", "reason": "Profil complet", "version": 1},
        )
    assert response.status_code == 302
    assert MentorAssignment.objects.filter(person=candidacy_a.person).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [candidacy_a.person.email]
    page = client.get(reverse("mentors:candidacy_detail", kwargs={"pk": candidacy_a.pk})).content.decode()
    assert "Profil complet" in page and str(hr) in page


def test_second_hr_gets_a_conflict_message(client, hr, candidacy_a):
    other = f.person_with_account("rh2@example.org")
    f.give_role(other, "hr")
    client.force_login(hr)
    client.post(
        reverse("mentors:candidacy_decide", kwargs={"pk": candidacy_a.pk}),
        {"decision": "nominated", "reason": "", "version": 1},
    )
    client.force_login(other.user)
    response = client.post(
        reverse("mentors:candidacy_decide", kwargs={"pk": candidacy_a.pk}),
        {"decision": "declined", "reason": "Non", "version": 1},
    )
    assert response.status_code == 409
    assert "modifiée par une autre personne" in response.content.decode()
    candidacy_a.refresh_from_db()
    assert candidacy_a.decision == Decision.NOMINATED
    assert DecisionLog.objects.count() == 1


def test_bulk_decision_from_the_board(client, hr, candidacy_a, candidacy_b):
    client.force_login(hr)
    response = client.post(
        reverse("mentors:board_decide_many"),
        {"decision": "waiting_list", "reason": "", "selection": [f"{candidacy_a.pk}:1", f"{candidacy_b.pk}:1"]},
    )
    assert response.status_code == 302
    assert set(Candidacy.objects.values_list("decision", flat=True)) == {Decision.WAITING_LIST}


def test_bulk_decision_without_selection_says_so(client, hr, candidacy_a):
    client.force_login(hr)
    response = client.post(reverse("mentors:board_decide_many"), {"decision": "nominated"}, follow=True)
    assert "Cochez au moins une candidature." in response.content.decode()


# --- Budget ---


def test_budget_totals_and_exports(client, hr, year, school_a, school_b):
    ProgrammeSettingsFactory(year=year, substitute_daily_rate=Decimal(250), compensation=Decimal(1600))
    MentorAssignmentFactory(year=year, school=school_a)
    MentorAssignmentFactory(year=year, school=school_b)
    MentorAssignmentFactory(year=year, school=school_b, release_days_per_cycle=Decimal(1))
    client.force_login(hr)
    page = client.get(reverse("mentors:budget")).content.decode()
    # 36 days × 250 $ + 1 600 $ = 10 600 $ ; 18 days × 250 + 1 600 = 6 100 $ ; total 27 300 $
    assert "27\xa0300\xa0$" in page
    assert "10\xa0600\xa0$" in page
    csv_response = client.get(reverse("mentors:budget"), {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "27300" in b"".join(csv_response.streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("mentors:budget"), {"format": "xlsx"})
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.worksheets[0].max_row == 4
    totals = workbook.worksheets[1]
    total_column = [cell.value for cell in totals[1]].index("Total ($)") + 1
    assert totals.cell(row=totals.max_row, column=total_column).value == 27300


def test_budget_exports_neutralise_formulas_in_imported_names(client, hr, year):
    school = f.SchoolFactory(name='=HYPERLINK("http://example.org","x")')
    ProgrammeSettingsFactory(year=year)
    MentorAssignmentFactory(year=year, school=school)
    client.force_login(hr)
    text = b"".join(client.get(reverse("mentors:budget"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(reverse("mentors:budget"), {"format": "xlsx"}).content))
    cells = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in cells)
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in cells)


def test_board_counts_meet_their_nouns_in_the_singular(client, hr, year, candidacy_a):
    client.force_login(hr)
    page = client.get(reverse("mentors:board")).content.decode()
    totals = page[page.index('data-testid="totals"') :][:300]
    assert "1 candidature déposée, dont 1 sans décision," in totals
    assert "candidatures" not in totals


def test_pairing_board_counts_meet_their_nouns(client, pane, year, assignment_a, novice_a):
    client.force_login(pane)
    page = client.get(reverse("mentors:pairing_board")).content.decode()
    assert (
        "1 personne mentore, 0 jumelage actif pour 3 places ; 1 personne en insertion professionnelle sans mentore."
        in page
    )
