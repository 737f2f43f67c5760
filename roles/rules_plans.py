"""Access rules of the deployment plans, the tracking table of new staff and the referential.

Merged into roles.access.RULES (the one access module).
"""

from __future__ import annotations

RULES: dict = {}
