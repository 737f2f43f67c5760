from decimal import Decimal

import pytest

from mentorat import factories as f
from schools.models import Order
from surveys.results import Scope, suppressed, survey_results
from surveys.tests.factories import respond


def _by_label(result):
    return {row.label: row for row in result.rows}


@pytest.fixture
def answered(survey):
    """Six responses covering every question kind."""
    respond(
        survey,
        {
            1: "Suffisant",
            2: ["Proximité", "Ouverture"],
            3: ("oui", "Plus de temps"),
            4: "Argent",
            5: 3,
            6: ("Proximité", "Temps", "Direction"),
            7: 10,
            8: "Très bien",
        },
    )
    respond(
        survey, {1: "Suffisant", 2: ["Proximité"], 3: "oui", 4: "Congés", 5: 5, 6: ("Proximité", "Direction"), 7: 9}
    )
    respond(survey, {1: "Supérieur", 2: ["Disponibilité", "autre"], 3: "non", 5: 7, 6: ("Temps",), 7: 8})
    respond(survey, {1: ("autre", "Variable"), 3: ("non", "Pas intéressé"), 5: 12, 7: 6})
    respond(survey, {1: "Insuffisant", 3: "oui", 4: "Argent", 5: Decimal("10.5"), 7: 3})
    respond(survey, {1: "Suffisant", 3: "oui", 5: 40})
    return survey


def test_single_choice_counts_percentages_and_other(answered):
    result = survey_results(answered).questions[0]
    rows = _by_label(result)
    assert result.respondents == 6
    assert (rows["Suffisant"].count, rows["Supérieur"].count, rows["Insuffisant"].count) == (3, 1, 1)
    assert rows["Autre"].count == 1
    assert rows["Suffisant"].percent == Decimal("0.5")


def test_multiple_choice_percent_of_respondents_not_of_answers(answered):
    result = survey_results(answered).questions[1]
    rows = _by_label(result)
    assert result.respondents == 3
    assert rows["Proximité"].count == 2
    # Everyone saw this question: percentages are of the 6 who saw it, blanks included (issue 10, item 9).
    assert result.shown == 6
    assert rows["Proximité"].percent == Decimal(2) / Decimal(6)
    assert rows["Autre"].count == 1
    assert result.no_answer == 3 and result.not_shown == 0


def test_yes_no_counts_and_why_texts_for_hr(answered):
    result = survey_results(answered, with_texts=True).questions[2]
    rows = _by_label(result)
    assert (rows["Oui"].count, rows["Non"].count) == (4, 2)
    assert ("Oui", "Plus de temps") in result.texts
    assert ("Non", "Pas intéressé") in result.texts


def test_texts_hidden_without_the_right(answered):
    results = survey_results(answered, with_texts=False)
    assert all(not result.texts for result in results.questions)
    assert results.questions[7].text_count == 1


def test_conditional_question_counts_only_those_shown(answered):
    result = survey_results(answered).questions[3]
    assert result.respondents == 3
    assert _by_label(result)["Argent"].count == 2


def test_conditional_question_reports_not_shown_apart_from_unanswered(answered):
    # Q4 is shown after « oui » at Q3: 4 said oui (3 answered Q4, 1 left it blank), 2 said non and never saw it.
    result = survey_results(answered).questions[3]
    assert (result.shown, result.respondents, result.no_answer, result.not_shown) == (4, 3, 1, 2)


def test_conditional_question_percentages_are_of_those_who_saw_it(answered):
    result = survey_results(answered).questions[3]
    assert _by_label(result)["Argent"].percent == Decimal(2) / Decimal(4)
    assert result.no_answer_share == Decimal(1) / Decimal(4)


def test_question_hidden_by_a_hidden_condition_counts_as_not_shown(answered):
    # A third level: shown after « Argent » at Q4, itself shown after « oui » at Q3.
    from surveys.models import QuestionKind
    from surveys.tests.factories import add_question

    q3, q4 = answered.questions.get(position=3), answered.questions.get(position=4)
    deeper = add_question(answered, QuestionKind.TEXT, "Combien ?", show_if_question=q4, show_if_value="Argent")
    assert q3.pk and deeper.show_if_question_id == q4.pk
    result = survey_results(answered).questions[-1]
    assert (result.shown, result.not_shown, result.no_answer) == (2, 4, 2)


def test_not_shown_and_unanswered_are_counted_within_a_breakdown(survey):
    for _ in range(5):
        respond(survey, {1: "Suffisant", 3: "oui", 4: "Argent"}, order=Order.PRIMARY)
    respond(survey, {1: "Suffisant", 3: "oui"}, order=Order.SECONDARY)
    for _ in range(3):
        respond(survey, {1: "Suffisant", 3: "non"}, order=Order.SECONDARY)
    respond(survey, {1: "Suffisant", 3: "oui", 4: "Congés"}, order=Order.SECONDARY)
    primary = survey_results(survey, Scope(order=Order.PRIMARY)).questions[3]
    secondary = survey_results(survey, Scope(order=Order.SECONDARY)).questions[3]
    assert (primary.shown, primary.not_shown, primary.no_answer) == (5, 0, 0)
    assert (secondary.shown, secondary.not_shown, secondary.no_answer) == (2, 3, 1)
    assert _by_label(secondary)["Congés"].percent == Decimal("0.5")


def test_number_bins_first_match_and_outside(answered):
    result = survey_results(answered).questions[4]
    rows = _by_label(result)
    assert rows["Entre 1 et 5"].count == 2
    assert rows["6 à 10"].count == 1
    assert rows["11 et +"].count == 2
    assert rows["Hors des tranches"].count == 1  # 10.5 falls between 6–10 and 11+
    assert result.minimum == 3 and result.maximum == 40


def test_ranking_first_and_second_place(answered):
    result = survey_results(answered).questions[5]
    rows = _by_label(result)
    assert (rows["Proximité"].count, rows["Proximité"].second) == (2, 0)
    assert (rows["Temps"].count, rows["Temps"].second) == (1, 1)
    assert (rows["Direction"].count, rows["Direction"].second) == (0, 1)
    assert result.no_second == 1


def test_scale_distribution_share_8_to_10_and_nps(answered):
    result = survey_results(answered).questions[6]
    counts = [row.count for row in result.rows]
    assert counts == [0, 0, 1, 0, 0, 1, 0, 1, 1, 1]
    assert result.top_count == 3
    # promoters 9–10: 2, detractors 1–6: 2 → 0
    assert result.nps == 0


def test_whole_survey_withheld_under_five(survey):
    for _ in range(4):
        respond(survey, {1: "Suffisant"})
    results = survey_results(survey)
    assert results.withheld
    assert all(not result.rows for result in results.questions)


def test_order_breakdown_withheld_with_complement(survey):
    primary = f.SchoolFactory(order=Order.PRIMARY)
    secondary = f.SchoolFactory(order=Order.SECONDARY)
    for _ in range(8):
        respond(survey, {1: "Suffisant"}, school=primary)
    for _ in range(3):
        respond(survey, {1: "Insuffisant"}, school=secondary)
    small = survey_results(survey, Scope(order=Order.SECONDARY))
    assert small.withheld
    # Primary alone would give secondary's answers by subtraction from the total.
    big = survey_results(survey, Scope(order=Order.PRIMARY))
    assert big.withheld
    assert not survey_results(survey).withheld


def test_school_breakdown_threshold_and_texts_threshold(survey):
    schools = [f.SchoolFactory() for _ in range(3)]
    for school, n in zip(schools, (12, 6, 7)):
        for _ in range(n):
            respond(survey, {1: "Suffisant", 8: "Un texte"}, school=school)
    shown = survey_results(survey, Scope(school=schools[0]), with_texts=True)
    assert not shown.withheld and shown.texts_allowed
    assert shown.questions[7].texts
    medium = survey_results(survey, Scope(school=schools[1]), with_texts=True)
    assert not medium.withheld
    assert not medium.texts_allowed and not medium.questions[7].texts


def test_suppression_adds_the_next_smallest_group():
    assert suppressed({"a": 3, "b": 6, "c": 20}, 5) == {"a", "b"}
    assert suppressed({"a": 3, "b": 4, "c": 20}, 5) == {"a", "b"}
    assert suppressed({"a": 9, "b": 6}, 5) == set()
    # Respondents without a school are never shown and already hide 7 people.
    assert suppressed({None: 7, "a": 3, "b": 20}, 5) == {None, "a"}


def test_thresholds_are_settings(survey, settings):
    settings.SURVEY_MIN_GROUP = 2
    for _ in range(2):
        respond(survey, {1: "Suffisant"})
    assert not survey_results(survey).withheld


def test_results_do_not_load_answers_into_python(answered, django_assert_max_num_queries):
    # group sizes, questions, choices, totals, who saw the conditional questions, choices, booleans,
    # bins, scales, texts
    with django_assert_max_num_queries(10):
        survey_results(answered, with_texts=True)
