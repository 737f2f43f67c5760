"""The retention schedule's first lines: sensible defaults the administrator adjusts in the browser."""

from django.db import migrations

# kind, period, unit, counted from, action, notes
DEFAULTS = [
    (
        "import_uploads",
        1,
        "days",
        "le dépôt du fichier",
        "destroy",
        "Fichier gardé seulement le temps de l'aperçu et de la confirmation de l'importation.",
    ),
    (
        "survey_drafts",
        0,
        "days",
        "la fermeture du sondage",
        "anonymise",
        "Un brouillon jamais soumis est détaché de l'invitation (donc de la personne) dès la fermeture.",
    ),
    (
        "survey_invitations",
        12,
        "months",
        "la fermeture du sondage",
        "destroy",
        "Le lien personnel et « a répondu » ne servent qu'aux rappels de la campagne.",
    ),
    (
        "survey_responses",
        24,
        "months",
        "la fermeture du sondage",
        "anonymise",
        "Les réponses sont gardées pour les tendances, sans l'école du répondant ; jamais supprimées.",
    ),
    (
        "event_invitations",
        36,
        "months",
        "la date de l'activité",
        "destroy",
        "Invitations, réponses et présences aux activités d'accompagnement.",
    ),
    (
        "candidacies_not_retained",
        12,
        "months",
        "la fin de l'année scolaire",
        "destroy",
        "Candidatures retirées, en liste d'attente ou non retenues, avec leurs avis et décisions.",
    ),
    (
        "tracking_table",
        36,
        "months",
        "la fin de l'année scolaire",
        "destroy",
        "Lignes du tableau de suivi du nouveau personnel et leurs suivis.",
    ),
    (
        "staff_records",
        84,
        "months",
        "la fin de la dernière affectation",
        "anonymise",
        "Dossier d'une personne partie : nom, matricule et courriel remplacés, compte désactivé.",
    ),
    (
        "audit_entries",
        84,
        "months",
        "la date de l'entrée",
        "destroy",
        "Journal d'audit : gardé le temps de la prescription des recours.",
    ),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("schools", "RetentionRule")
    for kind, period, unit, starts_from, action, notes in DEFAULTS:
        RetentionRule.objects.get_or_create(
            kind=kind,
            defaults={"period": period, "unit": unit, "starts_from": starts_from, "action": action, "notes": notes},
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_law25_retention_incidents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
