from django.db import migrations


def rebuild(apps, schema_editor):
    """Count the results of the surveys answered before the counts were kept.

    Uses the application's code (surveys.aggregates): should it one day stop
    matching this schema, make this a no-op and run
    ``manage.py rebuild_survey_aggregates`` after migrating instead.
    """
    from surveys.aggregates import survey_rebuild
    from surveys.models import Survey

    for survey in Survey.objects.filter(responses__isnull=False).distinct():
        survey_rebuild(survey=survey)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_result_counts")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
