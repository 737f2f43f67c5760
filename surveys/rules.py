"""The answering rules of a survey, the same on every path (the web form, the raw import, the results).

A question is shown when it has no condition, or when its condition question is
shown and was answered with the condition's value (« oui », « non » or an
option's label). A required question must be answered when it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from surveys.models import Question

HIDDEN = "hidden"  # answered although the respondent could not see it
REQUIRED = "required"  # shown, required and unanswered


def shown_ids(questions: Iterable[Question], selected: dict[int, set[str]]) -> set[int]:
    """Ids of the questions shown for these answers; ``selected`` maps a question id to its chosen values."""
    by_id = {question.pk: question for question in questions}
    shown: dict[int, bool] = {}

    def is_shown(question: Question, seen: frozenset = frozenset()) -> bool:
        if question.pk in shown:
            return shown[question.pk]
        condition = by_id.get(question.show_if_question_id)
        if condition is None or condition.pk in seen:
            result = True  # no condition (or one outside the survey, or a loop): always shown
        else:
            result = is_shown(condition, seen | {question.pk}) and question.show_if_value in selected.get(
                condition.pk, set()
            )
        shown[question.pk] = result
        return result

    return {question.pk for question in by_id.values() if is_shown(question)}


def answer_problems(
    questions: Iterable[Question], selected: dict[int, set[str]], answered: set[int]
) -> list[tuple[Question, str]]:
    """(question, HIDDEN or REQUIRED) for each broken rule, in question order."""
    questions = list(questions)
    shown = shown_ids(questions, selected)
    problems = []
    for question in questions:
        if question.pk not in shown and question.pk in answered:
            problems.append((question, HIDDEN))
        elif question.pk in shown and question.required and question.pk not in answered:
            problems.append((question, REQUIRED))
    return problems
