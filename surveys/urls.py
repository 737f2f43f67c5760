from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("nouveau/", views.survey_create, name="survey_create"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/modifier/", views.survey_edit, name="survey_edit"),
    path("<int:pk>/copier/", views.survey_copy, name="survey_copy"),
    path("<int:pk>/questions/nouvelle/", views.question_create, name="question_create"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/supprimer/", views.question_delete, name="question_delete"),
    path("<int:pk>/questions/<int:question_pk>/deplacer/", views.question_move, name="question_move"),
    path("<int:pk>/invitations/generer/", views.campaign_generate, name="campaign_generate"),
    path("<int:pk>/invitations/envoyer/", views.campaign_send, name="campaign_send"),
    path("<int:pk>/resultats/", views.survey_results_view, name="results"),
    path("<int:pk>/resultats.csv", views.export_results_csv, name="export_results_csv"),
    path("<int:pk>/resultats.xlsx", views.export_results_xlsx, name="export_results_xlsx"),
    path("<int:pk>/reponses.csv", views.export_responses_csv, name="export_responses_csv"),
    path("<int:pk>/importer/", views.import_responses, name="import_responses"),
    # Public pages: the personal token is the credential, no sign-in.
    path("r/<str:token>/", views.respond, name="respond"),
    path("r/<str:token>/merci/", views.thanks, name="thanks"),
]
