"""The staff invitation in the outbox: the password link is made when the message leaves."""

from __future__ import annotations

from mentorat import outbox
from mentorat.emails import build_templated
from mentorat.models import OutboundEmail

STAFF_INVITATION = "staff-invitation"


def build(row: OutboundEmail):
    """Nothing once the person has chosen a password (or lost their account): the link would be useless."""
    from schools.models import Person
    from schools.services import password_set_url

    person = Person.objects.select_related("user").filter(pk=row.context.get("person")).first()
    if person is None or person.user is None or person.user.has_usable_password():
        return None
    context = {"person": person, "url": password_set_url(person.user), "invited_by": row.context.get("invited_by")}
    return build_templated("invitation", row.to, context, row.language or None)


def register() -> None:
    outbox.register(STAFF_INVITATION, build)
