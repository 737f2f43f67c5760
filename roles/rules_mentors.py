"""Access rules of the mentors area, merged into roles.access.RULES (the one access module).

Also the getters that fetch one object of the area for a user, in the style of
roles.access._get_for_user: 403 for a role never allowed, 404 for an object
outside the user's scope (a director asking for another school's candidacy).
"""

from __future__ import annotations

from roles.models import Role

NOMINATION_MANAGERS = (Role.HR, Role.ADMIN)
PAIRING_MANAGERS = (Role.HR, Role.PANE, Role.ADMIN)


def _is_own(access, person_id) -> bool:
    return access.person is not None and person_id == access.person.pk


def _candidacy_view(access, candidacy) -> bool:
    if access.has(*NOMINATION_MANAGERS):
        return True
    return candidacy is not None and candidacy.school_id in access.directed_school_ids


def _candidacy_opinion(access, candidacy) -> bool:
    if candidacy is None:
        return bool(access.directed_school_ids)
    return candidacy.school_id in access.directed_school_ids


RULES: dict = {
    # HR sets the nomination window and the year's rates.
    "nomination.settings": lambda a, obj: a.has(*NOMINATION_MANAGERS),
    # Any staff member with a record may fill the reflective tool and apply.
    "candidacy.apply": lambda a, obj: a.person is not None,
    # Directors see their schools' candidacies; HR sees them all.
    "candidacy.review": lambda a, obj: a.has(*NOMINATION_MANAGERS) or bool(a.directed_school_ids),
    "candidacy.view": _candidacy_view,
    "candidacy.opinion": _candidacy_opinion,
    "candidacy.board": lambda a, obj: a.has(*NOMINATION_MANAGERS),
    "candidacy.decide": lambda a, obj: a.has(*NOMINATION_MANAGERS),
    "budget.view": lambda a, obj: a.has(*NOMINATION_MANAGERS, Role.MANAGEMENT),
    "pairing.manage": lambda a, obj: a.has(*PAIRING_MANAGERS),
    "mentor.mentees": lambda a, obj: a.has(Role.MENTOR),
    # Mentoring is not evaluation: the follow-up log is its author's alone.
    "followup.log": lambda a, pairing: pairing is not None and _is_own(a, pairing.mentor_id),
    "followup.stats": lambda a, obj: a.has(*PAIRING_MANAGERS),
    "mentee.mentor": lambda a, obj: a.has(Role.MENTEE),
}


def get_candidacy_for_user(request, pk: int):
    from mentors.models import Candidacy
    from roles.access import _get_for_user

    queryset = Candidacy.objects.select_related(
        "person", "school", "building", "year", "opinion_by__person", "decided_by__person"
    )
    return _get_for_user(request, queryset, pk, "candidacy.review", "candidacy.view")


def get_pairing_for_manager(request, pk: int):
    from mentors.models import Pairing
    from roles.access import _get_for_user

    queryset = Pairing.objects.select_related("mentor", "mentee", "year")
    return _get_for_user(request, queryset, pk, "pairing.manage", "pairing.manage")


def get_pairing_for_mentor(request, pk: int):
    """A pairing of the signed-in mentor; anyone else gets 404, whatever their role."""
    from mentors.models import Pairing
    from roles.access import _get_for_user

    queryset = Pairing.objects.select_related("mentor", "mentee", "year")
    return _get_for_user(request, queryset, pk, "mentor.mentees", "followup.log")
