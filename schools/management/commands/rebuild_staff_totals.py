from django.core.management.base import BaseCommand
from django.db import transaction

from schools.counts import recount_year_staff
from schools.models import SchoolYear


class Command(BaseCommand):
    help = "Recount each year's staff (each person once) from the assignments: after writes that bypass the models."

    def handle(self, *args, **options):
        with transaction.atomic():
            totals = {year.label: recount_year_staff(year.pk) for year in SchoolYear.objects.order_by("starts_on")}
        self.stdout.write(f"rebuild_staff_totals: {len(totals)} years recounted, {sum(totals.values())} staff in all.")
