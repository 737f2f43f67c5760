"""Access rules of the Law 25 pages (retention schedule, incident register), merged into roles.access.RULES.

HR and the administrator keep the incident register and see what the retention
schedule will remove next; only the administrator changes the schedule's
periods (the centre's *calendrier de conservation* is approved by its archivist
and secretary general, not by the programme). Nobody else sees these pages.
"""

from __future__ import annotations

from roles.models import Role

KEEPERS = (Role.HR, Role.ADMIN)

RULES: dict = {
    "retention.view": lambda a, obj: a.has(*KEEPERS),
    "retention.edit": lambda a, obj: a.has(Role.ADMIN),
    "incident.list": lambda a, obj: a.has(*KEEPERS),
    "incident.manage": lambda a, obj: a.has(*KEEPERS),
}
