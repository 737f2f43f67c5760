from django.db import migrations


def rebuild(apps, schema_editor):
    """Write the raw CSV line of the responses stored before lines were kept.

    Uses the application's code (surveys.rawlines), like 0005: should it one day
    stop matching this schema, make this a no-op and run
    ``manage.py rebuild_survey_aggregates`` after migrating instead (until
    then, the export reads those responses' answers: the same file, slower).
    """
    from surveys.models import Survey
    from surveys.rawlines import raw_lines_rebuild

    for survey in Survey.objects.filter(responses__isnull=False).distinct():
        raw_lines_rebuild(survey=survey)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_response_raw_line")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
