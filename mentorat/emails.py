"""E-mails as template pairs: emails/<name>-subject.txt, -body.txt, -body.html.

``queue_email`` is the way code sends: it writes a row in the outbox
(mentorat/outbox.py) in the caller's transaction; after commit a Celery task
renders and sends it, and retries when the mail server fails, so no request
waits on SMTP and no rolled-back write sends anything.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

# (file name, content, MIME type), e.g. ("invitation.ics", "BEGIN:VCALENDAR…", "text/calendar; method=REQUEST")
Attachment = tuple[str, str, str]


def build_templated(
    name: str, to: str, context: dict, language: str | None = None, attachments: list[Attachment] | None = None
) -> EmailMultiAlternatives:
    """Render a template pair into a message, in ``language`` (French by default)."""
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


def queue_email(
    name: str,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: list[Attachment] | None = None,
    *,
    key: str | None = None,
    source: str = "",
) -> None:
    """Queue a template pair in the outbox (sent by a worker after commit); the context must be JSON.

    Give ``key`` (what, to whom, which occurrence) whenever the same cause could
    queue it twice: the outbox then keeps one message.
    """
    from mentorat.outbox import enqueue

    enqueue(
        key=key or f"{name}:{uuid.uuid4().hex}",
        kind=name,
        to=to,
        context=context,
        language=language,
        attachments=attachments,
        source=source,
    )
