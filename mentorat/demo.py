"""The demo accounts that `seed_demo` creates and `make run` prints (one per role)."""

DEMO_PASSWORD = "Mentorat-demo-2026"

# (e-mail, role, what the account shows)
DEMO_ACCOUNTS = [
    ("rh@demo.mentorat.ca", "hr", "Ressources humaines"),
    ("direction@demo.mentorat.ca", "director", "Direction d'établissement (une école primaire)"),
    ("pane@demo.mentorat.ca", "pane", "PANE (cohortes de personnes mentores)"),
    ("formatrice@demo.mentorat.ca", "trainer", "Formatrice UdeS"),
    ("mentor@demo.mentorat.ca", "mentor", "Personne mentore"),
    ("mentore@demo.mentorat.ca", "mentee", "Personne mentorée (PE en IP)"),
    ("enseignant@demo.mentorat.ca", "teacher", "Personne enseignante"),
    ("dg@demo.mentorat.ca", "management", "Direction générale"),
    ("admin@demo.mentorat.ca", "admin", "Administration (accès à l'admin Django)"),
]
