"""E-mails as template pairs: emails/<name>-subject.txt, -body.txt, -body.html.

``queue_email`` is the way new code sends: after the transaction commits, a
Celery task renders and sends, and retries when the mail server fails, so no
request waits on SMTP and no rolled-back write sends anything.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# (file name, content, MIME type), e.g. ("invitation.ics", "BEGIN:VCALENDAR…", "text/calendar; method=REQUEST")
Attachment = tuple[str, str, str]


def send_templated(
    name: str, to: str, context: dict, language: str | None = None, attachments: list[Attachment] | None = None
) -> None:
    """Render and send now (call it after the transaction commits)."""
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()


def send_on_commit(name: str, to: str, context: dict, language: str | None = None) -> None:
    """Send once the surrounding transaction has committed, never for a rolled-back write."""
    transaction.on_commit(lambda: send_templated(name, to, context, language))


def queue_email(
    name: str,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: list[Attachment] | None = None,
) -> None:
    """Send through Celery once the transaction commits; the context must be plain JSON data."""
    from mentorat.tasks import send_email

    # Fail here, in the caller's test, rather than in the worker: the broker carries JSON.
    json.dumps([context, attachments or []])
    args = (name, to, context, language, list(attachments or []))
    transaction.on_commit(lambda: send_email.delay(*args))
