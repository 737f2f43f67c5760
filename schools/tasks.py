from celery import shared_task


@shared_task
def purge_stale_imports() -> int:
    """Delete uploaded import files past the schedule's period (they hold personal information)."""
    from schools.imports import purge_stale_uploads

    return purge_stale_uploads()


@shared_task
def remind_access_requests() -> int:
    """Remind HR of the access requests whose legal delay runs out soon (once per request)."""
    from schools.privacy.services import access_requests_remind

    return access_requests_remind()


@shared_task
def apply_retention_schedule() -> dict:
    """Destroy or anonymise what the retention schedule says is past its period."""
    from schools.law25.retention import apply_schedule

    return apply_schedule()
