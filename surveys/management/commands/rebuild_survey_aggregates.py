from django.core.management.base import BaseCommand, CommandError

from surveys.aggregates import survey_rebuild
from surveys.models import Survey
from surveys.rawlines import raw_lines_rebuild


class Command(BaseCommand):
    help = (
        "Recount the kept results of every survey (or of one with --survey) and rewrite its responses' raw CSV "
        "lines from the answers: after a deployment, or after responses were changed outside the application."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, help="id of the survey to rebuild (default: all)")

    def handle(self, *args, **options):
        surveys = Survey.objects.order_by("pk")
        if options["survey"] is not None:
            surveys = surveys.filter(pk=options["survey"])
            if not surveys.exists():
                raise CommandError(f"Survey {options['survey']} does not exist.")
        rows = lines = done = 0
        for survey in surveys:
            rows += survey_rebuild(survey=survey)
            lines += raw_lines_rebuild(survey=survey)
            done += 1
        self.stdout.write(f"Rebuilt the results of {done} survey(s): {rows} count rows, {lines} raw lines.")
