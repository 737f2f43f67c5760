from django.core.management.base import BaseCommand

from surveys.seed_2023 import load_2023_results


class Command(BaseCommand):
    help = "Create anonymous responses reproducing the seed's February 2023 survey figures (34 sur 41, 103/119…)."

    def handle(self, *args, **options):
        created = load_2023_results()
        summary = ", ".join(f"{audience}: {n}" for audience, n in created.items()) or "rien à faire"
        self.stdout.write(f"Réponses 2023 créées — {summary}.")
