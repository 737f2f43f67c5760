from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from surveys.models import Survey
from surveys.results import survey_results
from surveys.seed_2023 import load_2023_results


@pytest.fixture
def seeded(db):
    load_2023_results()
    return {s.audience: s for s in Survey.objects.filter(year__label="2022-2023")}


def _counts(result):
    return {row.label: row.count for row in result.rows}


def _seconds(result):
    return {row.label: row.second for row in result.rows}


def test_the_three_instruments_are_shipped_by_migration(db):
    surveys = Survey.objects.filter(year__label="2022-2023")
    assert sorted(s.audience for s in surveys) == ["directors", "mentees", "mentors"]
    mentees = surveys.get(audience="mentees")
    assert mentees.questions.get(position=5).kind == "scale_10"
    assert mentees.questions.get(position=2).show_if_question.position == 1


def test_mentor_figures(seeded):
    q = survey_results(seeded["mentors"]).questions
    assert _counts(q[0])["Suffisant"] == 28 and _counts(q[0])["Supérieur à ce qui est nécessaire"] == 6
    assert list(_counts(q[1]).values()) == [10, 11, 13]
    assert list(_counts(q[2]).values()) == [9, 11, 6, 3, 3, 1, 1]
    assert _counts(q[3])["Proximité du mentor (1 mentor par milieu)"] == 25
    assert _seconds(q[3])["Le temps de libération"] == 17
    assert _counts(q[4]) == {"Oui": 33, "Non": 1}
    assert _counts(q[5])["Oui"] == 5
    assert _counts(q[6]) == {"Oui": 31, "Non": 3}
    assert list(_counts(q[7]).values()) == [12, 11, 5]


def test_mentor_compensation_form_separates_not_shown_from_blank(seeded):
    # PRODUCT.md's « no answer 6 » for the preferred form is 3 who answered « non » to the previous
    # question (never shown the form) and 3 who said « oui » and left it blank.
    q = survey_results(seeded["mentors"]).questions[7]
    assert (q.shown, q.respondents, q.no_answer, q.not_shown) == (31, 28, 3, 3)
    assert q.no_answer + q.not_shown == 6
    assert {row.label: row.percent for row in q.rows}["Congés compensatoires"] == Decimal(11) / Decimal(31)


def test_mentee_figures(seeded):
    q = survey_results(seeded["mentees"]).questions
    assert q[0].respondents == 156 and _counts(q[0])["Oui"] == 119
    assert list(_counts(q[1]).values()) == [42, 74, 3]
    assert list(_counts(q[2]).values()) == [86, 18, 12, 1, 2]
    assert _counts(q[3]) == {"Oui": 112, "Non": 7}
    assert [row.count for row in q[4].rows] == [0, 0, 0, 3, 4, 2, 7, 25, 15, 63]
    assert (q[4].top_count, q[4].respondents) == (103, 119)
    assert q[4].nps == round(100 * (78 - 9) / 119)
    assert _counts(q[5]) == {"Oui": 74, "Non": 45}


def test_director_figures(seeded):
    q = survey_results(seeded["directors"]).questions
    assert list(_counts(q[0]).values()) == [9, 20, 7, 1]
    assert _counts(q[1]) == {"Insuffisant": 1, "Suffisant": 23, "Supérieur à ce qui est nécessaire": 13}
    assert _counts(q[2])["Oui"] == 37
    assert _counts(q[3])["Mieux intégré à l'équipe-école"] == 28
    assert _seconds(q[3])["Fait preuve de plus d'autonomie"] == 18
    assert _counts(q[4])["La proximité de la personne mentore"] == 20
    assert _seconds(q[4])["La disponibilité de la personne mentore"] == 14


def test_results_pages_show_the_seed_figures(seeded, client, hr):
    client.force_login(hr)
    page = client.get(reverse("surveys:results", args=[seeded["mentors"].pk])).content.decode()
    assert "34 sur 41" in page
    assert "vue par 31, non affichée à 3" in page and "vue mais sans réponse : 3" in page
    page = client.get(reverse("surveys:results", args=[seeded["mentees"].pk])).content.decode()
    assert "103/119" in page
    assert "calculé sur une échelle de 1 à 10" in page
    assert "156 répondants" in page
    page = client.get(reverse("surveys:results", args=[seeded["directors"].pk])).content.decode()
    assert "37 sur 41" in page
    assert "Un mentor par bâtisse est essentiel." in page  # free text, HR only


def test_management_sees_figures_but_not_free_text(seeded, client, management):
    client.force_login(management)
    page = client.get(reverse("surveys:results", args=[seeded["directors"].pk])).content.decode()
    assert "37 sur 41" in page
    assert "Un mentor par bâtisse est essentiel." not in page


def test_command_is_idempotent(db, capsys):
    call_command("load_survey_2023_results")
    call_command("load_survey_2023_results")
    assert Survey.objects.get(year__label="2022-2023", audience="mentors").responses.count() == 34
    assert "rien à faire" in capsys.readouterr().out
