"""Access rules of the Law 25 pages: the audit trail, a person's file, access and rectification requests.

Merged into roles.access.RULES. Human resources and administrators only: these
pages gather everything held about people, across every school.
"""

from __future__ import annotations

from roles.models import Role

PRIVACY_OFFICERS = (Role.HR, Role.ADMIN)

RULES: dict = {
    "privacy.audit": lambda a, obj: a.has(*PRIVACY_OFFICERS),
    "privacy.person_file": lambda a, obj: a.has(*PRIVACY_OFFICERS),
    "privacy.requests": lambda a, obj: a.has(*PRIVACY_OFFICERS),
}
