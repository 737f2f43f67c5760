"""The surveys' e-mails in the outbox: rendered when they leave, and the invitation marked sent only then."""

from __future__ import annotations

from django.utils import timezone

from mentorat import outbox
from mentorat.emails import build_templated
from mentorat.models import OutboundEmail
from surveys.models import Invitation

INVITATION = "survey-invitation"
REMINDER = "survey-reminder"


def _invitation(row: OutboundEmail) -> Invitation | None:
    return Invitation.objects.select_related("survey", "person").filter(pk=row.context.get("invitation")).first()


def build(row: OutboundEmail):
    """The personal link as it is now; nothing once the survey closed, or for a reminder already answered."""
    from surveys.services import respond_url

    invitation = _invitation(row)
    if invitation is None or invitation.survey.is_closed():
        return None
    if row.kind == REMINDER and invitation.has_answered:
        return None
    context = {
        "person": invitation.person,
        "survey": invitation.survey,
        "url": respond_url(invitation),
        "closes_at": invitation.survey.closes_at,
    }
    return build_templated(row.kind, row.to, context, row.language or None)


def sent(row: OutboundEmail) -> None:
    """Only a delivered message marks the invitation: a failure leaves it to send again."""
    field = "sent_at" if row.kind == INVITATION else "reminded_at"
    Invitation.objects.filter(pk=row.context.get("invitation")).update(**{field: timezone.now()})


def recently_reminded(since) -> set[int]:
    """The people a survey reminder was queued for since ``since`` (and not skipped or failed)."""
    rows = OutboundEmail.objects.filter(kind=REMINDER, created_at__gt=since).exclude(
        status__in=[OutboundEmail.Status.SKIPPED, OutboundEmail.Status.FAILED]
    )
    return set(rows.values_list("context__person", flat=True))


def register() -> None:
    outbox.register(INVITATION, build, sent)
    outbox.register(REMINDER, build, sent)
