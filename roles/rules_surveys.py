"""Access rules of the surveys area, merged into roles.access.RULES (the one access module).

HR and services éducatifs (PANE) build surveys, run campaigns, read free text
and export raw answers; general management reads every aggregate; a director
reads the aggregates of their own school only (under the anonymity threshold).
Respondents need no account: their personal link is the credential.
"""

from __future__ import annotations

from roles.models import Role

BUILDERS = {Role.HR, Role.PANE, Role.ADMIN}
READERS = BUILDERS | {Role.MANAGEMENT}


def _reads_all(access) -> bool:
    return access.has(*READERS)


RULES: dict = {
    "survey.list": lambda a, obj: _reads_all(a) or bool(a.directed_school_ids),
    "survey.results": lambda a, survey: _reads_all(a) or bool(a.directed_school_ids),
    # Results of any order or school; a director is held to their own school(s).
    "survey.results_all": lambda a, survey: _reads_all(a),
    "survey.texts": lambda a, survey: a.has(*BUILDERS),
    "survey.export": lambda a, survey: _reads_all(a),
    "survey.export_raw": lambda a, survey: a.has(*BUILDERS),
    "survey.import": lambda a, survey: a.has(*BUILDERS),
    "survey.edit": lambda a, survey: a.has(*BUILDERS),
    "survey.campaign": lambda a, survey: a.has(*BUILDERS),
}
