"""Ship the February 2023 instruments (mentors, mentees, directors), ready to copy for a new year."""

import datetime

from django.db import migrations

# The instruments are plain data in surveys/instruments_2023.py: change them only with a new migration.
from surveys.instruments_2023 import CLOSES_AT, INTRODUCTION, OPENS_AT, SURVEYS, YEAR


def create(apps, schema_editor):
    SchoolYear = apps.get_model("schools", "SchoolYear")
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    year, _ = SchoolYear.objects.get_or_create(
        label=YEAR["label"],
        defaults={"starts_on": datetime.date.fromisoformat(YEAR["starts_on"]),
                  "ends_on": datetime.date.fromisoformat(YEAR["ends_on"])},
    )
    for spec in SURVEYS:
        if Survey.objects.filter(title=spec["title"], year=year).exists():
            continue
        survey = Survey.objects.create(
            title=spec["title"], introduction=INTRODUCTION, audience=spec["audience"], year=year,
            opens_at=datetime.datetime.fromisoformat(OPENS_AT), closes_at=datetime.datetime.fromisoformat(CLOSES_AT),
        )
        by_position = {}
        for position, q in enumerate(spec["questions"], start=1):
            question = Question.objects.create(
                survey=survey, position=position, kind=q["kind"], text=q["text"], help=q.get("help", ""),
                required=q.get("required", False), allow_other=q.get("allow_other", False), bins=q.get("bins", []),
            )
            by_position[position] = question
            for index, label in enumerate(q.get("options", []), start=1):
                Choice.objects.create(question=question, position=index, label=label)
            if "show_if" in q:
                parent, value = q["show_if"]
                question.show_if_question = by_position[parent]
                question.show_if_value = value
                question.save(update_fields=["show_if_question", "show_if_value"])


def remove(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(title__in=[spec["title"] for spec in SURVEYS], year__label=YEAR["label"]).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("schools", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
