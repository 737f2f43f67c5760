"""The nomination window lives in one place: the next year's ProgrammeSettings.

A year's own window dates are moved to the following year's settings when those
have none (8 h 00 → 17 h 00, Toronto), then the two fields are removed.
"""

import datetime
import zoneinfo

from django.db import migrations, models

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def move_window(apps, schema_editor):
    SchoolYear = apps.get_model("schools", "SchoolYear")
    ProgrammeSettings = apps.get_model("mentors", "ProgrammeSettings")
    for year in SchoolYear.objects.exclude(nominations_open_on=None).exclude(nominations_close_on=None):
        serving = SchoolYear.objects.filter(starts_on__gt=year.starts_on).order_by("starts_on").first()
        if serving is None:
            continue
        settings, _created = ProgrammeSettings.objects.get_or_create(year=serving)
        if settings.opens_at is None and year.nominations_open_on < year.nominations_close_on:
            settings.opens_at = datetime.datetime.combine(year.nominations_open_on, datetime.time(8), TORONTO)
            settings.closes_at = datetime.datetime.combine(year.nominations_close_on, datetime.time(17), TORONTO)
            settings.save(update_fields=["opens_at", "closes_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0003_centre_admin"),
        ("mentors", "0006_decisionlog_over_quota_reason"),
    ]

    operations = [
        migrations.RunPython(move_window, migrations.RunPython.noop),
        migrations.RemoveField(model_name="schoolyear", name="nominations_close_on"),
        migrations.RemoveField(model_name="schoolyear", name="nominations_open_on"),
        migrations.AddField(
            model_name="schoolyear",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
