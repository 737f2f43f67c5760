from celery import shared_task


@shared_task
def purge_stale_imports() -> int:
    """Delete uploaded import files older than a day (they hold personal information)."""
    from schools.imports import purge_stale_uploads

    return purge_stale_uploads()
