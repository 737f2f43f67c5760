"""Load the "qui fait quoi" referential: each actor's responsibilities, from the seed's last pages.

Texts are copied from the seed (mentorat-cssps.txt, "Pour une insertion
professionnelle réussie"); only line-wrap artefacts and doubled spaces are fixed.
The closing note on complementarity lives in the page template.
"""

from django.db import migrations

INTRO = "joue son rôle…"

REFERENTIAL = [
    (
        "La personne mentore",
        [
            "en accueillant la personne mentorée",
            "en développant une relation de confiance avec la personne mentorée",
            "en la sensibilisant à la culture de son école",
            "en clarifiant les rôles respectifs des acteurs de l’insertion professionnelle",
            "en mettant la personne mentorée en contact avec des personnes ressources selon ses besoins",
            "en partageant son expérience",
            "en donnant un soutien pédagogique",
            "en écoutant la personne mentorée",
            "en questionnant",
            "en donnant des rétroactions",
            "en aidant la personne mentorée à identifier ses forces et ses défis",
            "en aidant la personne mentorée à développer sa pensée réflexive",
            "en étant un modèle",
            "en étant disponible",
            "en se rendant vulnérable",
            "en assurant un suivi régulier",
            "en observant",
            "en soutenant les initiatives",
            "en démontrant de l’ouverture",
            "en collaborant avec la direction",
            "en consultant les ressources nécessaires",
            "en étant à l’écoute des signaux de détresse de la personne mentorée",
        ],
    ),
    (
        "La personne mentorée",
        [
            "en s’engageant dans sa démarche professionnelle",
            "en expérimentant",
            "en prenant des risques",
            "en acceptant de se remettre en question",
            "en se donnant des défis",
            "en acceptant sa vulnérabilité",
            "en communiquant ses besoins",
            "en acceptant l’aide",
            "en reconnaissant ses bons coups",
            "en collaborant avec son équipe",
            "en accordant sa confiance",
            "en posant des questions",
            "en acceptant la rétroaction",
            "en observant",
            "en exprimant son point de vue",
        ],
    ),
    (
        "La direction d’école",
        [
            "en présentant le programme de mentorat à l’équipe-école en début d’année",
            "en rencontrant au préalable la personne mentore",
            "en faisant confiance aux personnes mentorées et mentores",
            "en collaborant avec la personne mentore",
            "en offrant des conditions facilitantes aux personnes mentores et mentorées",
            "en étant sensible à la réalité des nouveaux enseignants",
            "en acceptant la présence de la personne mentore dans son milieu",
            "en facilitant l’intégration de la nouvelle personne dans l’équipe",
            "en présentant la ou les personnes mentores à tout le personnel de l’école",
            "en acceptant la confidentialité de la relation mentor-mentoré",
            "en partageant les informations importantes concernant le fonctionnement de l’école",
            "en s’assurant que les enseignants bénéficient du programme de mentorat",
            "en faisant un suivi auprès des personnes mentorées",
        ],
    ),
    (
        "L’équipe-école",
        [
            "en accueillant les nouveaux enseignants",
            "en coopérant avec les personnes mentores",
            "en explicitant la culture de l’école",
            "en s’intéressant au service de mentorat",
            "en proposant et en partageant des ressources",
            "en offrant de l’aide spontanément",
            "en étant à l’écoute des besoins des personnes mentorées",
            "en collaborant avec les nouveaux enseignants",
            "en intégrant le nouveau personnel aux rencontres de planification",
            "en soutenant le nouveau personnel dans ses pratiques d’encadrement et d’enseignement",
        ],
    ),
    (
        "Le ou la conseillère pédagogique",
        [
            "en présentant les programmes d’études et les référentiels aux nouveaux enseignants",
            "en donnant des formations",
            "en suggérant des outils, des pratiques efficaces",
            "en collaborant avec les personnes mentores",
            "en soutenant la personne mentore lorsque celle-ci a des questionnements",
            "en s’assurant du développement pédagogique de la personne mentorée",
            "en accompagnant la personne mentorée dans la planification et l’évaluation de son enseignement",
            "en soutenant la personne mentorée en classe (animation-modélisation)",
            "en proposant des activités clés en main pour donner des exemples",
            "en référant au service de mentorat",
            "en sensibilisant les directions d’établissement aux défis des nouveaux enseignants",
        ],
    ),
    (
        "Le service des ressources éducatives",
        [
            "en présentant leur engagement dans le programme d’insertion professionnelle",
            "en prévoyant des rencontres d’échange entre les personnes mentores",
            "en facilitant des rencontres d’échange entre personnes mentores et mentorées",
            "en travaillant en complémentarité avec le Service des ressources humaines",
            "en favorisant le déploiement du service de mentorat",
            "en sensibilisant les directions",
            "en collaborant à l’évaluation du programme de mentorat",
            "en s’assurant de l’efficacité du programme",
            "en mettant en place les conditions facilitantes pour la réussite du programme",
            "en collaborant avec le Service des ressources humaines et le syndicat",
            "en offrant des formations à l’intention des personnes mentores",
        ],
    ),
    (
        "Le service des ressources humaines",
        [
            "en structurant la programme de mentorat",
            "en présentant le programme de mentorat au nouveau personnel",
            "en travaillant en complémentarité avec le Service des ressources éducatives",
            "en facilitant les procédures administratives",
            "en sélectionnant les personnes mentores",
            "en collaborant avec les directions",
            "en collaborant avec les universités",
            "en étant à l’écoute des milieux",
            "en répondant aux questions de la personne mentorée",
            "en fournissant la liste des personnes ayant droit au programme de mentorat",
        ],
    ),
    (
        "La direction générale",
        [
            "en validant le programme de mentorat",
            "en favorisant le déploiement du programme de mentorat",
            "en établissant des conditions gagnantes pour l’implantation d’un programme de mentorat",
            "en s’assurant de la complémentarité des services",
            "en assurant une cohérence du programme de mentorat au sein de toutes les écoles",
            "en valorisant, auprès des directions d’école, le programme de mentorat",
            "en faisant une mise à jour du programme en début d’année",
            "en assurant la pérennité du programme du mentorat",
        ],
    ),
]


def load_referential(apps, schema_editor):
    Actor = apps.get_model("roles", "Actor")
    Responsibility = apps.get_model("roles", "Responsibility")
    for position, (name, texts) in enumerate(REFERENTIAL, start=1):
        actor, _ = Actor.objects.update_or_create(name=name, defaults={"position": position, "intro": INTRO})
        actor.responsibilities.all().delete()
        Responsibility.objects.bulk_create(
            Responsibility(actor=actor, position=index, text=text) for index, text in enumerate(texts, start=1)
        )


def unload_referential(apps, schema_editor):
    Actor = apps.get_model("roles", "Actor")
    Actor.objects.filter(name__in=[name for name, _ in REFERENTIAL]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(load_referential, unload_referential),
    ]
