"""Load the seed's two example plans as plan templates.

Texts are copied from the seed (mentorat-cssps.txt, « Exemple d'un plan de
déploiement d'une école primaire » and « … d'une école secondaire »). The PDF
extraction jumbles its columns; each step below puts back together its
étape détaillée, intentions, responsable, personnes impliquées, quand and
commentaires. Only line-wrap artefacts are fixed; the "D" printed before each
date in the PDF's « Quand » column is a layout mark and is dropped. The
primary example's « Catégorie » and « Étape du cycle » come from its
Commentaires column (« Programme de mentorat (pratiques) / Étape 3 du cycle
de l'action »); the secondary example has no category.
This is French data, not interface text: it is not translated.
"""

from django.db import migrations

FOLLOW_UP = [
    "Assurer un suivi quant au programme de mentorat",
    "Se réguler",
    "Nommer les besoins et les enjeux",
    "Proposer des pistes de solution ou d’actions",
    "Échanger sur les pratiques mentorales mises en place",
]

PRIMARY_NOTES = """Les rôles de chacun ont été respectés :
• La direction a mis en place une structure de communication avec les mentores de son école pour être à l’écoute des besoins et des enjeux, a participé à la recherche de solutions et d’actions, a convoqué les enseignants concernés aux rencontres d’équipe, a clarifié les intentions et les attentes lors de ses rencontres
• Les mentores ont ressorti des enjeux et des besoins de leurs accompagnements, ont partagé l’information à la direction, ont participé à la recherche de solutions et d’actions, ont planifié les rencontres d’équipe en collaboration avec les ressources (PANE) dans l’intention de répondre aux besoins d’insertion professionnelle et d’intégration dans le milieu des nouveaux enseignants de leur école, ont soutenu leurs collègues enseignants par rapport aux pratiques favorisant l’insertion professionnelle dans leur milieu
• La PANE a accompagné les mentores en fonction de leurs besoins
• Les membres de l’équipe-école concernés ont été attentifs aux messages véhiculés, ont proposé des pistes de solutions ou d’actions, ont mis en place des moyens ou des pratiques pouvant faciliter l’insertion professionnelle et l’intégration dans le milieu de leurs collègues (responsabilité partagée)

Autres outils développés pour :
• Favoriser la communication entre les nouveaux enseignants et les enseignants titulaires : Aide-mémoire
• Favoriser l’insertion professionnelle dans le milieu

Liens du document source (documents utilisés et outils présentés) :
https://docs.google.com/presentation/d/1SCNpDBQ5qu6esfNEwRXnQwU1oQgIkMBOr1QgbM0bwS8/template/preview
https://docs.google.com/presentation/d/19hoYMoMZRMNRkT8ztJ6mjq6nOXD322CjzDJqkFNHdvA/template/preview
https://docs.google.com/presentation/d/1WSSKjDTYA3E-2Sbm9OxhtuaHiRJ1f_XQCsLMT45yRXs/template/preview
https://docs.google.com/document/d/1MkqKayaaVys8BteA7igRGQxMpQxIBgp7uWjwEfHD_zc/template/preview
https://docs.google.com/presentation/d/1s8_mzNnZ6ivmC0E3v_aDMAmxpzBMgRvArttfJoVxTl0/template/preview"""

# (title, intentions, responsible, people, when, comments, cycle step, category)
PRIMARY = [
    (
        "Rencontre de mentorat avec les directions et les mentores dans le cadre du plan d’accompagnement "
        "des enseignants mentors",
        [
            "Favoriser la communication entre les mentores et les directions (responsabilité partagée)",
            "Clarifier les rôles",
            "Nommer les besoins et les enjeux",
            "Proposer des pistes de solution ou d’actions",
        ],
        ["PANE"],
        ["Directions", "Mentores", "PANE", "Chercheures Université de Sherbrooke"],
        "2 ou 3 novembre 2022",
        "Programme de mentorat (structure)\nÉtape de la régulation du cycle de l’action (régulation en cours de "
        "route)\nÉtape 1, 2 et 3 du cycle de l’action : enjeux, besoins, pistes d’actions",
        "regulation",
        "structure",
    ),
    (
        "Mise en place d’une structure de communication à l’interne : invitation des enseignantes mentores dans "
        "des rencontres de gestion\n\nEnjeu soulevé : les enseignants ayant un partage de tâche ont du mal à "
        "s’intégrer dans leur milieu en raison de leur contexte professionnel",
        FOLLOW_UP,
        ["Direction"],
        ["Équipe de gestion", "Mentores"],
        "Novembre 2022",
        "Programme de mentorat (structure)\nÉtape 4 du cycle de l’action : mise en place d’un moyen pour favoriser "
        "la communication et la régulation du programme de mentorat\nProgramme de mentorat (pratiques)\n"
        "Étape 1, 2 du cycle de l’action",
        "4",
        "structure",
    ),
    (
        "Plan d’action : planification d’une rencontre avec une équipe d’enseignants",
        [
            "Mobiliser l’équipe dans la recherche de solutions et faire de l’insertion professionnelle une "
            "responsabilité partagée au sein de l’école"
        ],
        ["Direction"],
        ["Direction", "Mentores", "PANE"],
        "Novembre 2022",
        "Programme de mentorat (pratiques)\nÉtape 3 du cycle de l’action",
        "3",
        "pratiques",
    ),
    (
        "Rencontre d’équipe : enseignantes titulaires avec les enseignantes ayant un partage de tâche\n\n"
        "Document utilisé",
        [
            "Partager un enjeu au personnel concerné",
            "Sensibiliser les titulaires quant à la réalité des enseignants ayant un temps partagé",
            "Trouver des pistes de solution en équipe",
        ],
        ["Direction", "Mentores"],
        ["Direction", "Mentores", "Enseignants titulaires concernés", "Enseignants ayant un partage de tâche"],
        "9 décembre 2022",
        "Programme de mentorat (pratiques)\nÉtape 3 du cycle de l’action",
        "3",
        "pratiques",
    ),
    (
        "Mise en place de moyens concrets",
        [
            "Favoriser l’insertion professionnelle et l’intégration dans le milieu des enseignants ayant un "
            "partage de tâche"
        ],
        ["Direction", "Enseignants titulaires"],
        ["Direction", "Mentores", "Enseignants titulaires concernés", "Enseignants ayant un partage de tâche"],
        "Décembre 2022 (et plus)",
        "Programme de mentorat (pratiques)\nÉtape 4 du cycle de l’action",
        "4",
        "pratiques",
    ),
    (
        "Continuité de la structure de communication à l’interne : invitation des enseignantes mentores dans des "
        "rencontres de gestion\n\nPartage de pratique : développement d’un outil de gestion de classe pour soutenir "
        "une nouvelle enseignante spécialiste. L’outil pourrait être partagé pour en augmenter l’efficacité au sein "
        "de l’école (outil école)",
        FOLLOW_UP,
        ["Direction"],
        ["Équipe de gestion", "Mentores"],
        "Décembre 2022",
        "Programme de mentorat (pratiques)\nÉtape de la régulation du cycle de l’action (par rapport à l’enjeu "
        "relatif au partage de tâche)\nÉtape 1, 2 du cycle de l’action (par rapport à l’enjeu relatif à la gestion "
        "de classe)",
        "regulation",
        "pratiques",
    ),
    (
        "Plan d’action : planification d’une présentation de l’outil en assemblée générale",
        [
            "Partager un outil",
            "Favoriser des pratiques communes au sein de l’école pour faciliter l’insertion professionnelle des "
            "nouveaux enseignants (spécialistes et partage de tâche)",
        ],
        ["Direction"],
        ["Direction", "Mentores", "PANE"],
        "Décembre 2022",
        "Programme de mentorat (pratiques)\nÉtape 3 du cycle de l’action",
        "3",
        "pratiques",
    ),
    (
        "Présentation de l’outil de gestion de classe en assemblée générale et partage de celui-ci aux enseignants "
        "intéressés à l’utiliser\n\nOutil présenté - 1er cycle\nOutil présenté - 2e-3e cycle",
        [
            "Partager un outil",
            "Favoriser des pratiques communes et l’utilisation d’outils communs au sein de l’école",
        ],
        ["Direction", "Mentores"],
        ["Direction", "Mentores", "Enseignants (équipe-école)"],
        "9 janvier 2023",
        "Programme de mentorat (pratiques)\nÉtape 4 du cycle de l’action",
        "4",
        "pratiques",
    ),
    (
        "Continuité de la structure de communication à l’interne : invitation des enseignantes mentores dans des "
        "rencontres de gestion",
        FOLLOW_UP,
        ["Direction"],
        ["Équipe de gestion", "Mentores"],
        "Janvier 2023 (et plus)",
        "Programme de mentorat (pratiques)\nÉtape de la régulation du cycle de l’action (par rapport à l’enjeu "
        "relatif au partage de tâche)\nÉtape 1, 2 du cycle de l’action (par rapport à d’autres enjeux)",
        "regulation",
        "pratiques",
    ),
]

COMMITTEE = ["Direction", "Direction adjointe et membres du comité"]

SECONDARY = [
    (
        "Rencontrer le CPE pour nommer les enjeux en lien avec la pénurie du personnel, l’accueil des nouveaux, la "
        "rétention du personnel et le bien-être à l’école.\n\nNommer que c’est l’une des principales priorités de "
        "l’école actuellement donc des sommes y sera attribuées.",
        [
            "Présenter les données actuelles de l’école",
            "Sortir les enjeux et prioriser",
            "Répondre à la question suivante : Comment bien accompagner le nouveau personnel de l’école peu importe "
            "la fonction ? Tant pour leur bien-être que pour ceux qui les accompagnent.",
        ],
        ["Direction"],
        ["Direction et la direction adjointe", "Membres du CPE", "Équipe-école"],
        "",
        "Ce sont les 2 premières étapes du cycle de l’action.\n\n*Au préalable, faire le point avec les mentors sur "
        "leur accompagnement et nommer que l’on souhaite les supporter car la tâche est grande.",
        "1",
        "",
    ),
    (
        "Création d’un comité insertion professionnelle avec des mandats précis",
        [
            "Présenter les données recueillies",
            "Nommer les enjeux identifiés et questionner le comité",
            "S’assurer de la bonne priorisation en lien avec les besoins nommés, les faits, les enjeux et les leviers",
        ],
        ["Direction"],
        COMMITTEE,
        "",
        "Poursuite de l’étape 2 et début de l’étape 3 du cycle de l’action\n\n*Suggestion pour la composition du "
        "comité : équipe direction, mentors, psychoéducateur, TES, adjointe administrative, GAE",
        "2",
        "",
    ),
    (
        "Préparation du plan d’action du comité",
        [
            "Faire une tempête d’idées afin de répondre à notre cible",
            "Avoir des mandats précis et une structure pour soutenir les idées",
            "Cibler un moment à l’horaire (exemple, tous les jours de 8 à 8h30)",
            "Exemple : Création d’un guide pour les nouveaux : Qui le fera ? Que devons-nous mettre à l’intérieur ? "
            "Qui se chargera de transmettre le guide ?",
            "Exemple : Envoyer un courriel de bienvenue : Qui doit l’envoyer (direction) ? Que doit-il contenir "
            "(exemple : nom de références des personnes, guide, horaire proposé pour les premières journées, etc.)",
            "Exemple : Mettre une structure dans l’école pour s’assurer de la régulation de l’accompagnement : Qui "
            "s’occupe de quels nouveaux personnels ? Comment saurons-nous qu’ils progressent ? (se doter d’un tableau "
            "de suivi avec le portrait des nouveaux) Que ferons-nous avec ceux qui ont besoin de plus de support ?",
            "Exemple : Permettre d’avoir du temps pour se déposer et planifier : octroyer 2 jours de libération dès "
            "leur arrivée",
            "Exemple : Mettre de l’argent disponible pour du soutien à la planification",
            "Exemple : Etc.",
        ],
        ["Direction"],
        COMMITTEE,
        "",
        "Étape 3 du cycle de l’action",
        "3",
        "",
    ),
    (
        "Présenter le plan d’action en CPE et en AG",
        [
            "S’assurer que le CPE soit au courant du plan d’action et des sommes octroyées",
            "Présenter à l’ensemble du personnel notre priorité école et les moyens pris",
        ],
        ["Direction"],
        COMMITTEE,
        "",
        "*présenter le plus tôt possible le plan",
        "4",
        "",
    ),
    (
        "Régulation fréquente du comité",
        [
            "Partir du tableau des nouveaux afin de dresser un portrait actuel : comment vont-ils ? De quoi "
            "auraient-ils besoin ? Il faut s’assurer de laisser des traces de nos suivis.",
        ],
        ["Direction"],
        COMMITTEE,
        "",
        "",
        "regulation",
        "",
    ),
    (
        "Mesurer l’impact",
        [
            "En lien avec les données initiales, les traces recueillies dans le tableau des nouveaux, avons-nous "
            "atteint l’objectif ? Avons-nous un impact sur… ?",
            "Si oui, on poursuit.",
            "Si non, devrions-nous refaire certaines étapes du cycle de l’action pour s’ajuster.",
        ],
        ["Direction"],
        COMMITTEE,
        "",
        "Il serait intéressant de sonder les nouveaux en cours de route",
        "regulation",
        "",
    ),
]

TEMPLATES = [
    ("Exemple d’un plan de déploiement d’une école primaire", "primaire", PRIMARY_NOTES, PRIMARY),
    ("Exemple d’un plan de déploiement d’une école secondaire", "secondaire", "", SECONDARY),
]


def load_templates(apps, schema_editor):
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    TemplateStep = apps.get_model("plans", "TemplateStep")
    for position, (name, order, notes, steps) in enumerate(TEMPLATES, start=1):
        template, _ = PlanTemplate.objects.update_or_create(
            name=name, defaults={"order": order, "notes": notes, "position": position}
        )
        template.steps.all().delete()
        TemplateStep.objects.bulk_create(
            TemplateStep(
                template=template,
                position=index,
                title=title,
                intentions=intentions,
                responsible=responsible,
                people=people,
                when_text=when,
                comments=comments,
                cycle_step=cycle_step,
                category=category,
            )
            for index, (title, intentions, responsible, people, when, comments, cycle_step, category) in enumerate(
                steps, start=1
            )
        )


def unload_templates(apps, schema_editor):
    apps.get_model("plans", "PlanTemplate").objects.filter(name__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load_templates, unload_templates)]
