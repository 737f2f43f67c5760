"""Access rules of the outbox pages (e-mails waiting or failed, « renvoyer »), merged into roles.access.RULES.

HR and the administrator see every message and send the failed ones again: the
addresses and subjects are those of all the programme's people. Nobody else.
"""

from __future__ import annotations

from roles.models import Role

RULES: dict = {
    "outbox.view": lambda a, obj: a.has(Role.HR, Role.ADMIN),
    "outbox.resend": lambda a, obj: a.has(Role.HR, Role.ADMIN),
}
