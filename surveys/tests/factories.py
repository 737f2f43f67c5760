"""Surveys with every question type, and fast anonymous responses, for the surveys tests and the bench."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from surveys import aggregates, rawlines
from surveys.models import (
    Answer,
    Choice,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
)

OPENS = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2026, 12, 15, 23, 0, tzinfo=datetime.UTC)


def make_survey(year, *, title="Sondage test", audience="mentees", opens_at=OPENS, closes_at=CLOSES) -> Survey:
    return Survey.objects.create(title=title, audience=audience, year=year, opens_at=opens_at, closes_at=closes_at)


def add_question(survey, kind, text=None, options=(), **extra) -> Question:
    position = survey.questions.count() + 1
    question = Question.objects.create(
        survey=survey, position=position, kind=kind, text=text or f"Question {position}", **extra
    )
    Choice.objects.bulk_create(
        Choice(question=question, position=i, label=label) for i, label in enumerate(options, start=1)
    )
    if survey.has_responses():
        # The builder refuses this (questions are locked once answered); tests that do it get fresh counts and lines.
        aggregates.survey_rebuild(survey=survey)
        rawlines.raw_lines_rebuild(survey=survey)
    return question


def full_survey(year, **kwargs) -> Survey:
    """One question of each kind; Q4 (which compensation) only after « oui » at Q3."""
    survey = make_survey(year, **kwargs)
    add_question(
        survey,
        QuestionKind.SINGLE,
        "Le temps est-il suffisant ?",
        ["Insuffisant", "Suffisant", "Supérieur"],
        required=True,
        allow_other=True,
    )
    add_question(
        survey, QuestionKind.MULTIPLE, "Ce qui a aidé", ["Proximité", "Ouverture", "Disponibilité"], allow_other=True
    )
    yes_no = add_question(
        survey, QuestionKind.YES_NO, "Accepteriez-vous une autre compensation ?", required=True, allow_other=True
    )
    add_question(
        survey,
        QuestionKind.SINGLE,
        "Laquelle ?",
        ["Argent", "Congés"],
        show_if_question=yes_no,
        show_if_value="oui",
        required=True,
    )
    add_question(
        survey, QuestionKind.NUMBER, "Nombre d'enseignants", bins=[[1, 5, "Entre 1 et 5"], [6, 10, ""], [11, None, ""]]
    )
    add_question(survey, QuestionKind.RANKING, "Classez", ["Proximité", "Direction", "Temps"])
    add_question(survey, QuestionKind.SCALE_10, "Recommanderiez-vous ?")
    add_question(survey, QuestionKind.TEXT, "Commentaires")
    return survey


def questions(survey) -> dict[int, Question]:
    return {q.position: q for q in survey.questions.prefetch_related("choices")}


def respond(survey, values: dict, *, school=None, order="", week=datetime.date(2026, 11, 23)) -> Response:
    """Store one response: values maps position → label / [labels] / number / (ranked labels) / "oui" / text.

    A yes/no or "other" text goes as (value, text).
    """
    by_position = questions(survey)
    response = Response(
        survey=survey, submitted_week=week, school=school, order=order or (school.order if school else "")
    )
    answers = answer_values(by_position, values)
    rawlines.stamp(rawlines.Layout(by_position.values()), response, answers)
    response.save(force_insert=True)
    Answer.objects.bulk_create(Answer(response=response, **answer) for answer in answers)
    aggregates.record(survey, [(response, answers)])
    return response


def answer_values(by_position: dict[int, Question], values: dict) -> list[dict]:
    """The typed answers (as the form gives them to the services) of the values described in ``respond``."""
    answers = []
    for position, value in values.items():
        q = by_position[position]
        labels = {c.label: c for c in q.choices.all()}
        text = None
        if isinstance(value, tuple) and q.kind != QuestionKind.RANKING:
            value, text = value
        if q.kind == QuestionKind.RANKING:
            answers += [{"question": q, "choice": labels[label], "rank": rank} for rank, label in enumerate(value, 1)]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            for label in value if isinstance(value, list) else [value]:
                if label == "autre":
                    answers.append({"question": q, "choice": None, "text": text})
                else:
                    answers.append({"question": q, "choice": labels[label]})
        elif q.kind == QuestionKind.YES_NO:
            answers.append({"question": q, "boolean": value == "oui", "text": text})
        elif q.kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
            answers.append({"question": q, "number": Decimal(value)})
        else:
            answers.append({"question": q, "text": value})
    return answers


def invite(survey, person) -> Invitation:
    return Invitation.objects.create(survey=survey, person=person, sent_at=timezone.now())
