"""Access rules of the calendars (events, invitations, feeds), merged into roles.access.RULES.

Who sees an event is one queryset (mentors.accompaniment.visibility); the rules
here ask it rather than repeat it. « Mon calendrier », « Calendrier du centre »
and the attendance rules live in roles/rules_accompaniment.py.
"""

from __future__ import annotations

from roles.models import Role


def _event_view(access, event) -> bool:
    from mentors.accompaniment.visibility import visible_events

    return event is not None and visible_events(access).filter(pk=event.pk).exists()


RULES: dict = {
    "event.view": _event_view,
    # Revoke someone's calendar feed (without seeing its address): HR and the administrator.
    "feed.revoke_for": lambda a, obj: a.has(Role.HR, Role.ADMIN),
}
