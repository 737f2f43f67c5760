from django.urls import path

from schools.plans.views import overview, plans, tracking

app_name = "plans"
urlpatterns = [
    path("", plans.index, name="index"),
    path("vue-ensemble/", overview.overview, name="overview"),
    # A school's plan of a year, and starting it
    path("ecole/<int:school_pk>/", plans.school_plan, name="school_plan"),
    path("ecole/<int:school_pk>/creer/", plans.plan_create, name="plan_create"),
    # The plan
    path("<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/imprimer/", plans.plan_print, name="plan_print"),
    path("<int:pk>/historique/", plans.plan_history, name="plan_history"),
    path("<int:pk>/notes/", plans.plan_notes, name="plan_notes"),
    path("<int:pk>/commentaires-lus/", plans.comments_read, name="comments_read"),
    path("<int:pk>/etapes/ajouter/", plans.step_add, name="step_add"),
    # Its steps (htmx fragments, plain pages and redirects without JavaScript)
    path("etapes/<int:pk>/", plans.step_detail, name="step_detail"),
    path("etapes/<int:pk>/modifier/", plans.step_edit, name="step_edit"),
    path("etapes/<int:pk>/statut/", plans.step_status, name="step_status"),
    path("etapes/<int:pk>/deplacer/", plans.step_move, name="step_move"),
    path("etapes/<int:pk>/supprimer/", plans.step_delete, name="step_delete"),
    path("etapes/<int:pk>/commenter/", plans.step_comment, name="step_comment"),
    path("etapes/<int:pk>/documents/", plans.document_add, name="document_add"),
    path("documents/<int:pk>/", plans.document_download, name="document_download"),
    path("documents/<int:pk>/retirer/", plans.document_delete, name="document_delete"),
    # The tracking table of new staff
    path("suivi-des-nouveaux/", tracking.tracking_index, name="tracking_index"),
    path("suivi-des-nouveaux/ecole/<int:school_pk>/", tracking.tracking_table, name="tracking_table"),
    path("suivi-des-nouveaux/<int:pk>/", tracking.newcomer_detail, name="newcomer_detail"),
    path("suivi-des-nouveaux/<int:pk>/modifier/", tracking.newcomer_edit, name="newcomer_edit"),
    path("suivi-des-nouveaux/<int:pk>/suivis/", tracking.newcomer_follow_up, name="newcomer_follow_up"),
]
