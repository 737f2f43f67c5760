"""Anonymous responses reproducing the February 2023 figures of the seed ("34 sur 41", "103/119"…).

Each survey is described column by column: a question's list holds one value
per respondent (None = no answer), so every count below reads like the seed.
Rankings are tuples of option positions in rank order. Where the seed's charts
are jumbled, the reading chosen is noted beside the column.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from surveys.aggregates import survey_rebuild
from surveys.instruments_2023 import SURVEYS, YEAR
from surveys.models import Answer, QuestionKind, Response, Survey
from surveys.rawlines import raw_lines_rebuild

WEEK = datetime.date(2023, 2, 13)
Y, N = "oui", "non"


def _rep(*pairs) -> list:
    """_rep((value, 3), (other, 2)) → [value, value, value, other, other]."""
    return [value for value, count in pairs for _ in range(count)]


def _mentors() -> dict:
    n = 34
    why = [
        "J'adore l'expérience et surtout le temps que j'ai pour accompagner.",
        "J'adore apporter ma contribution et venir en aide aux nouveaux.",
        "C'est un rôle qui me rejoint beaucoup et j'ai confiance que j'ai fait un bon travail auprès des "
        "personnes mentorées cette année.",
    ]
    conditions = [
        "Relation de proximité",
        "La connaissance du milieu",
        "La concertation et le réseautage",
        "L'accès à des outils dont les plates-formes numériques sur le mentorat",
        "La mise en place de conditions gagnantes pour le rôle de mentor",
        "La reconnaissance de la part de la DÉ et des collègues dans l'école",
    ]
    # First place: proximity 25, release time 7, PANE 2; second: release 17, proximity 8, PANE 7, director 2.
    ranks = _rep(
        ((1, 3, 2, 4), 17),
        ((1, 4, 3, 2), 7),
        ((1, 2, 3, 4), 1),
        ((3, 1, 2, 4), 7),
        ((4, 1, 3, 2), 1),
        ((4, 2, 1, 3), 1),
    )
    return {
        "invited": 41,
        "columns": {
            1: _rep(("Suffisant", 28), ("Supérieur à ce qui est nécessaire", 6)),
            2: _rep((3, 10), (8, 11), (12, 13)),
            3: _rep((15, 9), (25, 11), (35, 6), (45, 3), (55, 3), (65, 1), (100, 1)),
            4: ranks,
            5: _rep((Y, 33), (N, 1)),
            6: _rep((Y, 5), (N, 29)),
            7: _rep((Y, 31), (N, 3)),
            8: _rep(
                ("Compensation monétaire additionnelle au 1 600 $", 12),
                ("Congés compensatoires", 11),
                ("Libération sous forme hybride", 5),
                (None, 6),
            ),
            9: conditions + [None] * (n - len(conditions)),
        },
        "why": {5: why},
        "count": n,
    }


def _mentees() -> dict:
    n, helped = 156, 119
    rest = [None] * (n - helped)
    why = [
        "Cela m'a permis de m'adapter à mon niveau multiple, d'avoir des réponses rapides à mes questions et de "
        "connaître de nouvelles ressources.",
        "Elle m'a écouté quand j'en ressentais le besoin et elle m'a aussi conseillé.",
        "C'est rassurant de savoir qu'il y a quelqu'un qui a des disponibilités pour nos questionnements et pour "
        "nous accompagner.",
    ]
    return {
        "invited": None,
        "columns": {
            1: _rep((Y, helped), (N, n - helped)),
            2: _rep(("Au-delà de mes attentes", 42), ("Suffisant", 74), ("Insuffisant", 3)) + rest,
            3: _rep(
                ("La proximité de la personne mentore", 86),
                ("L'attitude d'ouverture de la personne mentore", 18),
                ("La disponibilité de la personne mentore", 12),
                ("La vision positive du service de mentorat au sein de l'école", 1),
                ("Je n'ai pas reçu de soutien", 2),
            )
            + rest,
            4: _rep((Y, 112), (N, 7)) + rest,
            # 1 to 10: 0 0 0 3 4 2 7 25 15 63.
            5: _rep((4, 3), (5, 4), (6, 2), (7, 7), (8, 25), (9, 15), (10, 63)) + rest,
            6: _rep((Y, 74), (N, 45)) + rest,
            7: [None] * n,
        },
        "why": {4: why, 6: [None] * 74 + ["Une bonne connaissance du milieu de travail est nécessaire."]},
        "count": n,
    }


def _directors() -> dict:
    n = 37
    comments = [
        "Un mentor par bâtisse est essentiel.",
        "La posture adoptée et la collaboration du mentor avec la direction est une variable importante.",
        "Le mentor doit être issu du milieu. Il doit être connu et présent.",
        "Il faut une personne mentore qui partage la vision et les valeurs de l'école. Une personne engagée et "
        "positive.",
    ]
    # Effects, first place: integrated 28, autonomy 3, resources 4, less help 1, supported 1. Second place:
    # autonomy 18, resources 10, less help 4, practices 1, SEP 1, none 1; the seed's two missing
    # second places are read as "better integrated" (2).
    effects = _rep(
        ((1, 2), 18), ((1, 3), 10), ((2, 1), 2), ((2, 4), 1), ((3, 4), 3), ((3, 6), 1), ((4, 7), 1), ((5,), 1)
    )
    # Conditions, first: proximity 20, openness 8, availability 7, vision 1, other 1;
    # second: availability 14, openness 13, proximity 7, vision 3.
    conditions = _rep(
        ((1, 3), 10),
        ((1, 2), 8),
        ((1, 4), 2),
        ((2, 1), 4),
        ((2, 3), 4),
        ((3, 1), 3),
        ((3, 2), 4),
        ((4, 2), 1),
        ((5, 4), 1),
    )
    return {
        "invited": 41,
        "columns": {
            1: _rep((3, 9), (8, 20), (13, 7), (18, 1)),
            2: _rep(("Suffisant", 23), ("Supérieur à ce qui est nécessaire", 13), ("Insuffisant", 1)),
            3: _rep((Y, 37)),
            4: effects,
            5: conditions,
            6: comments + [None] * (n - len(comments)),
        },
        "why": {},
        "count": n,
    }


FIGURES = {"mentors": _mentors, "mentees": _mentees, "directors": _directors}


def _answers(question, value, why) -> list[Answer]:
    kind = question.kind
    if kind == QuestionKind.RANKING:
        choices = list(question.choices.all())
        return [
            Answer(question=question, choice=choices[position - 1], rank=rank)
            for rank, position in enumerate(value, start=1)
        ]
    if kind == QuestionKind.SINGLE:
        choice = next(c for c in question.choices.all() if c.label == value)
        return [Answer(question=question, choice=choice)]
    if kind == QuestionKind.YES_NO:
        return [Answer(question=question, boolean=value == Y, text=why)]
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
        return [Answer(question=question, number=Decimal(value))]
    return [Answer(question=question, text=value)]


@transaction.atomic
def load_2023_results() -> dict[str, int]:
    """Create the seed's responses for the three 2023 instruments (skips a survey that has responses)."""
    created = {}
    for spec in SURVEYS:
        survey = Survey.objects.filter(title=spec["title"], year__label=YEAR["label"]).first()
        if survey is None or survey.has_responses():
            continue
        figures = FIGURES[spec["audience"]]()
        questions = {q.position: q for q in survey.questions.prefetch_related("choices")}
        responses = Response.objects.bulk_create(
            Response(survey=survey, submitted_week=WEEK) for _ in range(figures["count"])
        )
        answers = []
        for index, response in enumerate(responses):
            for position, column in figures["columns"].items():
                value = column[index]
                if value is None:
                    continue
                whys = figures["why"].get(position, [])
                why = whys[index] if index < len(whys) else None
                for answer in _answers(questions[position], value, why):
                    answer.response = response
                    answers.append(answer)
        Answer.objects.bulk_create(answers)
        survey_rebuild(survey=survey)
        raw_lines_rebuild(survey=survey)
        if figures["invited"]:
            Survey.objects.filter(pk=survey.pk).update(invited_count=figures["invited"])
        created[spec["audience"]] = len(responses)
    return created
