"""The February 2023 instruments (mentors, mentees, directors), rebuilt in French from the seed.

Used by the data migration that ships them; kept as plain data so the
migration does not depend on model code that may change. Each question is
(kind, text, options or bins, extras). ``show_if`` is (position, value).
"""

YEAR = {"label": "2022-2023", "starts_on": "2022-07-01", "ends_on": "2023-06-30"}
OPENS_AT = "2023-02-01T08:00:00-05:00"
CLOSES_AT = "2023-02-28T23:59:00-05:00"
INTRODUCTION = (
    "Ce sondage, créé par les services éducatifs et le Service des ressources humaines en collaboration "
    "avec les PANE, dresse un état des lieux de la satisfaction relativement à la mise en œuvre du "
    "dispositif de mentorat au primaire et au secondaire depuis septembre 2022."
)
TIME_SUFFICIENT = ["Insuffisant", "Suffisant", "Supérieur à ce qui est nécessaire"]
SUPPORTED_TEACHERS = (
    "Au sein de votre école, quel est le nombre d'enseignants qui ont bénéficié d'un soutien au niveau "
    "de leur insertion professionnelle ?"
)
MENTOR_CONDITIONS = [
    "La proximité de la personne mentore",
    "L'attitude d'ouverture de la personne mentore",
    "La disponibilité de la personne mentore",
    "La vision positive du service de mentorat au sein de l'école",
]
PRIORITY = (
    "Placez en ordre de priorité les conditions suivantes en fonction de l'impact positif qu'elles ont sur le mentorat."
)

SURVEYS = [
    {
        "title": "Sondage de satisfaction 2023 — personnes mentores",
        "audience": "mentors",
        "questions": [
            {
                "kind": "single",
                "required": True,
                "options": TIME_SUFFICIENT,
                "text": "Le temps alloué pour exercer votre rôle de personne mentore est-il suffisant ?",
            },
            {
                "kind": "number",
                "text": SUPPORTED_TEACHERS,
                "bins": [[1, 5, "Entre 1 et 5"], [6, 10, "Entre 6 et 10"], [11, 13, "Entre 11 et 13"]],
            },
            {
                "kind": "number",
                "text": "Quelle proportion (%) des personnes enseignantes de votre école est en insertion professionnelle ?",
                "help": "Nombre total de personnes enseignantes en insertion professionnelle dans votre école, "
                "en pourcentage du personnel enseignant.",
                "bins": [
                    [10, 20, "10 à 20 %"],
                    [20, 30, "20 à 30 %"],
                    [30, 40, "30 à 40 %"],
                    [40, 50, "40 à 50 %"],
                    [50, 60, "50 à 60 %"],
                    [60, 70, "60 à 70 %"],
                    [100, 100, "100 %"],
                ],
            },
            {
                "kind": "ranking",
                "text": PRIORITY,
                "options": [
                    "Proximité du mentor (1 mentor par milieu)",
                    "Soutien de la direction",
                    "Le temps de libération",
                    "Accompagnement des PANE",
                ],
            },
            {
                "kind": "yes_no",
                "allow_other": True,
                "required": True,
                "text": "Envisagez-vous de poursuivre comme personne mentore l'an prochain ? Pourquoi ?",
            },
            {"kind": "yes_no", "text": "Seriez-vous intéressée ou intéressé à exercer ce rôle dans plus d'une école ?"},
            {
                "kind": "yes_no",
                "text": "Accepteriez-vous d'être mentor si la forme de compensation différait l'an prochain ?",
            },
            {
                "kind": "single",
                "show_if": (7, "oui"),
                "text": "Si oui, quelle forme de compensation serait un incitatif pour vous ?",
                "options": [
                    "Compensation monétaire additionnelle au 1 600 $",
                    "Congés compensatoires",
                    "Libération sous forme hybride",
                ],
            },
            {"kind": "text", "text": "Selon vous, quelles sont les conditions gagnantes du dispositif de mentorat ?"},
        ],
    },
    {
        "title": "Sondage de satisfaction 2023 — personnes mentorées",
        "audience": "mentees",
        "questions": [
            {
                "kind": "yes_no",
                "required": True,
                "text": "Avez-vous bénéficié du soutien d'une personne mentore cette année ?",
            },
            {
                "kind": "single",
                "required": True,
                "show_if": (1, "oui"),
                "text": "Comment qualifiez-vous l'accompagnement reçu de votre personne mentore ?",
                "options": ["Au-delà de mes attentes", "Suffisant", "Insuffisant"],
            },
            {
                "kind": "single",
                "show_if": (1, "oui"),
                "text": "Selon vous, quelles conditions ont facilité le soutien que vous avez reçu de votre mentor ?",
                "options": MENTOR_CONDITIONS + ["Je n'ai pas reçu de soutien"],
            },
            {
                "kind": "yes_no",
                "allow_other": True,
                "show_if": (1, "oui"),
                "text": "Est-ce que le soutien de la personne mentore a contribué à votre bien-être au travail et "
                "à votre maintien dans la profession enseignante ? Pourquoi ?",
            },
            {
                "kind": "scale_10",
                "show_if": (1, "oui"),
                "text": "Sur une échelle de 1 à 10, dans quelle mesure recommanderiez-vous le programme de mentorat "
                "à un nouvel enseignant engagé à notre centre de services ?",
            },
            {
                "kind": "yes_no",
                "allow_other": True,
                "show_if": (1, "oui"),
                "text": "Si votre mentor n'était pas issu de votre milieu, auriez-vous participé au programme de mentorat ?",
            },
            {"kind": "text", "text": "Avez-vous d'autres commentaires sur le programme de mentorat ?"},
        ],
    },
    {
        "title": "Sondage de satisfaction 2023 — directions d'établissement",
        "audience": "directors",
        "questions": [
            {
                "kind": "number",
                "text": SUPPORTED_TEACHERS,
                "bins": [[1, 5, "1 à 5"], [6, 10, "6 à 10"], [11, 15, "11 à 15"], [16, None, "16 et +"]],
            },
            {
                "kind": "single",
                "required": True,
                "options": TIME_SUFFICIENT,
                "text": "Selon vous, le pourcentage de libération pour accomplir le rôle de mentor est :",
            },
            {
                "kind": "yes_no",
                "required": True,
                "text": "Depuis l'implantation du mentorat, observez-vous des retombées positives auprès des "
                "nouveaux enseignants de votre école ?",
            },
            {
                "kind": "ranking",
                "show_if": (3, "oui"),
                "text": "Quelles sont les retombées positives que vous observez auprès du nouvel enseignant ? "
                "Classez-les par ordre d'importance.",
                "options": [
                    "Mieux intégré à l'équipe-école",
                    "Fait preuve de plus d'autonomie",
                    "Collabore plus avec les ressources",
                    "Sollicite moins d'aide de la direction",
                    "Se sent plus soutenu",
                    "Pratiques pédagogiques plus uniformes",
                    "Sentiment d'efficacité personnelle (SEP) plus élevé",
                ],
            },
            {
                "kind": "ranking",
                "text": PRIORITY,
                "options": [
                    "La proximité de la personne mentore",
                    "L'attitude d'ouverture de la personne mentore",
                    "La disponibilité de la personne mentore",
                    "La vision positive du mentorat",
                    "Autre",
                ],
            },
            {
                "kind": "text",
                "text": "Avez-vous des commentaires sur les conditions de mise en œuvre du dispositif de mentorat ?",
            },
        ],
    },
]
