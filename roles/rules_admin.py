"""Access rules of the centre's administration pages (schools and buildings, school years, roles of the year).

Merged into roles.access.RULES. HR and administrators edit; general management and
the PANE (the « services éducatifs ») read; directors see their own schools'
settings read-only through the school pages; nobody else. Granting or ending the
HR or administrator role needs an administrator.
"""

from __future__ import annotations

from roles.models import Role

CENTRE_EDITORS = (Role.HR, Role.ADMIN)
CENTRE_READERS = (Role.HR, Role.ADMIN, Role.MANAGEMENT, Role.PANE)
# Roles whose grant or end needs an administrator: they open these very pages.
ADMIN_ONLY_ROLES = {Role.HR, Role.ADMIN}


def _role_manage(access, role) -> bool:
    """May grant or end this role (a Role value, or a Membership); None asks about roles in general."""
    if not access.has(*CENTRE_EDITORS):
        return False
    role = getattr(role, "role", role)
    return role not in ADMIN_ONLY_ROLES or access.has(Role.ADMIN)


RULES: dict = {
    # The « Administration du centre » menu and the read-only pages.
    "centre.view": lambda a, obj: a.has(*CENTRE_READERS),
    "school.edit": lambda a, obj: a.has(*CENTRE_EDITORS),
    "year.list": lambda a, obj: a.has(*CENTRE_READERS),
    "year.manage": lambda a, obj: a.has(*CENTRE_EDITORS),
    "membership.list": lambda a, obj: a.has(*CENTRE_READERS),
    "membership.manage": _role_manage,
}
