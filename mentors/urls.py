from django.urls import include, path

from mentors.views import nominations as views

app_name = "mentors"
urlpatterns = [
    # HR: the nomination window and the year's rates
    path("parametres/", views.settings_edit, name="settings_edit"),
    # The teacher
    path("candidature/", views.candidacy_mine, name="candidacy_mine"),
    path("candidature/outil-reflexif/", views.reflective_tool, name="reflective_tool"),
    path("candidature/formulaire/", views.candidacy_edit, name="candidacy_edit"),
    path("candidature/retirer/", views.candidacy_withdraw, name="candidacy_withdraw"),
    path("candidature/renouveler/", views.candidacy_renew, name="candidacy_renew"),
    # The director, then HR
    path("direction/candidatures/", views.director_candidacies, name="director_candidacies"),
    path("candidatures/<int:pk>/", views.candidacy_detail, name="candidacy_detail"),
    path("candidatures/<int:pk>/avis/", views.candidacy_opinion, name="candidacy_opinion"),
    path("candidatures/<int:pk>/decision/", views.candidacy_decide, name="candidacy_decide"),
    path("rh/candidatures/", views.board, name="board"),
    path("rh/candidatures/decision-groupee/", views.board_decide_many, name="board_decide_many"),
    path("rh/budget/", views.budget, name="budget"),
    # HR and PANE: pairings and follow-up counts
    path("jumelages/", views.pairing_board, name="pairing_board"),
    path("jumelages/liste/", views.pairing_list, name="pairing_list"),
    path("jumelages/nouveau/", views.pairing_create, name="pairing_create"),
    path("jumelages/personne/<int:person_pk>/", views.pairing_novice, name="pairing_novice"),
    path("jumelages/<int:pk>/fin/", views.pairing_end, name="pairing_end"),
    path("suivi/", views.followup_stats, name="followup_stats"),
    # The mentor and the mentee
    path("mes-mentores/", views.my_mentees, name="my_mentees"),
    path("mes-mentores/<int:pk>/suivi/", views.followup_log, name="followup_log"),
    path("suivi/<int:pk>/supprimer/", views.followup_delete, name="followup_delete"),
    path("ma-mentore/", views.my_mentor, name="my_mentor"),
    # The accompaniment calendar: cohorts and planning (PANE), then calendars and invitations.
    path("cohortes/", include("mentors.urls_cohorts")),
    path("calendrier/", include("mentors.urls_calendar")),
]
