"""`python manage.py demo_accounts`: the demo sign-ins that `seed_demo` creates, as a table."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from mentorat.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (courriel, rôle, mot de passe) créés par seed_demo."

    def handle(self, *args, **options):
        headers = ("Courriel", "Rôle", "Mot de passe")
        rows = [(email, label, DEMO_PASSWORD) for email, _role, label in DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        line = "-+-".join("-" * width for width in widths)

        def format_row(row):
            return " | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()

        self.stdout.write(format_row(headers))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write(format_row(row))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rows)} comptes de démonstration ; ouvrez {settings.SITE_URL}/ pour vous connecter."
            )
        )
