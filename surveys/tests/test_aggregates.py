"""Kept result counts agree with a recount from the answers, whatever the responses and the path they came by."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from mentorat import factories as f
from schools.models import Order
from surveys import aggregates, exports
from surveys.models import Response, ResultCount
from surveys.results import Scope, attach_previous, survey_results
from surveys.services import response_submit, survey_copy
from surveys.tests.factories import (
    OPENS,
    add_question,
    answer_values,
    full_survey,
    invite,
    questions,
    respond,
)


def random_values(rng: random.Random) -> dict:
    """One valid set of answers to ``full_survey`` plus Q9 (shown only after « Argent » at Q4)."""
    values = {1: rng.choice(["Insuffisant", "Suffisant", "Supérieur", ("autre", rng.choice(["Variable", "=1+1"]))])}
    if rng.random() < 0.7:
        picked = rng.sample(["Proximité", "Ouverture", "Disponibilité", "autre"], rng.randint(1, 3))
        values[2] = (picked, rng.choice([None, "Ailleurs"])) if "autre" in picked else picked
    yes = rng.random() < 0.6
    values[3] = ("oui" if yes else "non", rng.choice([None, "Parce que"]))
    if yes:
        values[4] = rng.choice(["Argent", "Congés"])
        if values[4] == "Argent" and rng.random() < 0.7:
            values[9] = f"Combien {rng.randint(1, 5)}"
    if rng.random() < 0.8:
        values[5] = rng.choice([0, 1, 3, 5, 6, 10, 11, 40, Decimal("5.5"), Decimal("10.25")])
    if rng.random() < 0.7:
        values[6] = tuple(rng.sample(["Proximité", "Direction", "Temps"], rng.randint(1, 3)))
    if rng.random() < 0.9:
        values[7] = rng.randint(1, 10)
    if rng.random() < 0.3:
        values[8] = rng.choice(["Très bien", "Trop court", "=SOMME(A1)"])
    return values


def make_random_survey(year, schools, rng: random.Random, n: int):
    survey = full_survey(year)
    q = questions(survey)
    add_question(survey, "text", "Combien ?", show_if_question=q[4], show_if_value="Argent")
    by_position = questions(survey)
    for _ in range(n):
        values = random_values(rng)
        school = rng.choice([*schools, None])
        path = rng.random()
        if path < 0.3 and school is not None:
            person = f.PersonFactory()
            f.StaffAssignmentFactory(person=person, school=school, year=year)
            response_submit(invitation=invite(survey, person), answers=answer_values(by_position, values), now=OPENS)
        else:
            order = "" if school else rng.choice(["", Order.PRIMARY, Order.SECONDARY])
            respond(survey, values, school=school, order=order)
    return survey


def signature(results) -> list:
    """Every figure a user sees on the results page or in the aggregated exports."""
    figures = [results.respondents, results.total, results.withheld, results.withheld_orders, results.withheld_schools]
    for r in results.questions:
        average = None if r.average is None else round(Decimal(r.average), 6)
        figures.append(
            (
                r.question.pk,
                r.respondents,
                r.shown,
                r.not_shown,
                r.no_answer,
                r.text_count,
                average,
                r.minimum,
                r.maximum,
                r.top_count,
                r.nps,
                r.no_second,
                [(row.label, row.count, row.percent, row.second, row.second_percent) for row in r.rows],
                r.texts,
            )
        )
    figures.append(list(exports.aggregate_rows(results)))
    return figures


def scopes(schools) -> list[Scope]:
    return [Scope(), Scope(order=Order.PRIMARY), Scope(order=Order.SECONDARY)] + [Scope(school=s) for s in schools]


def assert_same_as_recount(survey, schools):
    assert aggregates.stored_counts(survey) == aggregates.count_stored(survey)
    for scope in scopes(schools):
        kept = survey_results(survey, scope, with_texts=True)
        recounted = survey_results(survey, scope, with_texts=True, recount=True)
        assert signature(kept) == signature(recounted), scope.label()


@pytest.fixture
def schools(db):
    return [
        f.SchoolFactory(code=f"S{i}", name=f"École {i}", order=Order.PRIMARY if i < 3 else Order.SECONDARY)
        for i in range(5)
    ]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("min_group", [1, 5])
def test_kept_counts_equal_a_recount_on_random_responses(year, schools, settings, seed, min_group):
    settings.SURVEY_MIN_GROUP, settings.SURVEY_MIN_GROUP_TEXT = min_group, min_group * 2
    rng = random.Random(seed)
    survey = make_random_survey(year, schools, rng, n=rng.randint(15, 50))
    assert_same_as_recount(survey, schools)


def test_rebuilt_counts_equal_the_incremental_ones(year, schools):
    survey = make_random_survey(year, schools, random.Random(7), n=60)
    incremental = aggregates.stored_counts(survey)
    ResultCount.objects.filter(survey=survey).update(count=999)  # damaged counts are replaced, not added to
    out = io.StringIO()
    call_command("rebuild_survey_aggregates", survey=survey.pk, stdout=out)
    assert aggregates.stored_counts(survey) == incremental
    assert out.getvalue().startswith("Rebuilt the results of 1 survey(s)")


def test_imported_responses_are_counted_like_submitted_ones(year, schools):
    survey = make_random_survey(year, schools, random.Random(11), n=50)
    copy = survey_copy(survey=survey, year=year, title="Copie", opens_at=survey.opens_at, closes_at=survey.closes_at)
    raw = "".join(exports.raw_csv_stream(survey)).encode()
    assert exports.raw_import(survey=copy, file=io.BytesIO(raw)) == 50
    assert aggregates.stored_counts(copy) == aggregates.count_stored(copy)
    for scope in [Scope(), Scope(order=Order.PRIMARY), Scope(order=Order.SECONDARY)]:
        kept, recounted = survey_results(copy, scope), survey_results(copy, scope, recount=True)
        assert signature(kept) == signature(recounted)
        # The same answers by another path give the same figures (imports keep the order, not the school).
        assert [q.rows for q in kept.questions] == [q.rows for q in survey_results(survey, scope).questions]


def test_deleting_responses_takes_them_out_of_the_counts(year, schools):
    survey = make_random_survey(year, schools, random.Random(3), n=60)
    gone = Response.objects.filter(survey=survey, school=schools[0])
    n = gone.count()
    assert aggregates.responses_delete(survey=survey, responses=gone) == n
    assert Response.objects.filter(survey=survey).count() == 60 - n
    assert_same_as_recount(survey, schools)


def test_year_comparison_reads_both_years_from_the_counts(year, schools, hr, django_assert_max_num_queries):
    rng = random.Random(5)
    previous = make_random_survey(year, schools, rng, n=40)
    current = survey_copy(
        survey=previous, year=year, title="Suite", opens_at=previous.opens_at, closes_at=previous.closes_at
    )
    for _ in range(30):
        respond(current, random_values(rng), school=rng.choice(schools))
    for scope in [Scope(), Scope(order=Order.SECONDARY)]:
        kept, recounted = survey_results(current, scope), survey_results(current, scope, recount=True)
        attach_previous(kept, survey_results(previous, scope))
        attach_previous(recounted, survey_results(previous, scope, recount=True))
        compared = [[(row.label, row.previous_percent) for row in r.rows] for r in kept.questions]
        assert compared == [[(row.label, row.previous_percent) for row in r.rows] for r in recounted.questions]
        assert any(row.previous_percent for r in kept.questions for row in r.rows)
    client = Client()
    client.force_login(hr)
    client.get(reverse("surveys:results", args=[current.pk]))  # the session's last-seen stamp, if a minute passed
    # Queries: session and user (2), access (3), survey; both years' questions and choices (2) and their group
    # sizes and figures from the kept counts (1); free texts, invitations; the school filter's options.
    with django_assert_max_num_queries(12):
        page = client.get(reverse("surveys:results", args=[current.pk]))
    assert page.status_code == 200
