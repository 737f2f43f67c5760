"""E-mails as template pairs: emails/<name>-subject.txt, -body.txt, -body.html."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(name: str, to: str, context: dict, language: str | None = None) -> None:
    """Render and send now (call it after the transaction commits)."""
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_on_commit(name: str, to: str, context: dict, language: str | None = None) -> None:
    """Send once the surrounding transaction has committed, never for a rolled-back write."""
    transaction.on_commit(lambda: send_templated(name, to, context, language))
