"""Access rules of the yearly cycle's page (/cycle/).

Merged into roles.access.RULES. HR and administrators see the page and run a due
step by hand; general management and the PANE read it (they follow the programme);
directors, mentors, mentees, teachers and trainers do not see it (their own
milestones are on their home page).
"""

from __future__ import annotations

from roles.models import Role

CYCLE_READERS = (Role.HR, Role.ADMIN, Role.MANAGEMENT, Role.PANE)
CYCLE_RUNNERS = (Role.HR, Role.ADMIN)

RULES: dict = {
    "cycle.view": lambda a, obj: a.has(*CYCLE_READERS),
    "cycle.run": lambda a, obj: a.has(*CYCLE_RUNNERS),
}
