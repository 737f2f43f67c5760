"""Background work of the surveys area: thin tasks that call services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_survey_emails(survey_id: int, reminder: bool = False) -> int:
    """Queue a survey's invitations (or reminders to those who have not answered) in the outbox."""
    from surveys.models import Survey
    from surveys.services import SurveyError, invitations_send

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return 0
    try:
        return invitations_send(survey=survey, reminder=reminder)
    except SurveyError:
        return 0
