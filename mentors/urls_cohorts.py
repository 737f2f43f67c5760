from django.urls import path

from mentors.views import cohorts as views

# Cohorts and planning (PANE): included by mentors/urls.py under the "mentors" namespace.
urlpatterns: list = [
    path("", views.cohort_list, name="cohort_list"),
    path("nouvelle/", views.cohort_create, name="cohort_create"),
    path("<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("<int:pk>/modifier/", views.cohort_edit, name="cohort_edit"),
    path("<int:pk>/mentores/", views.cohort_placement, name="cohort_placement"),
    path("<int:pk>/mentores/<int:person_pk>/retirer/", views.cohort_member_remove, name="cohort_member_remove"),
    path("<int:pk>/planifier/", views.cohort_plan, name="cohort_plan"),
    path("<int:pk>/publier/", views.cohort_publish, name="cohort_publish"),
    path("<int:pk>/evenements/nouveau/", views.event_create, name="cohort_event_create"),
    path("evenements/<int:pk>/", views.event_detail, name="cohort_event_detail"),
    path("evenements/<int:pk>/modifier/", views.event_edit, name="cohort_event_edit"),
    path("evenements/<int:pk>/annuler/", views.event_cancel, name="cohort_event_cancel"),
    # The centre's calendar of non-school days (PANE, HR)
    path("calendrier-scolaire/", views.nonschoolday_list, name="nonschoolday_list"),
    path("calendrier-scolaire/<int:pk>/", views.nonschoolday_edit, name="nonschoolday_edit"),
    path("calendrier-scolaire/<int:pk>/supprimer/", views.nonschoolday_delete, name="nonschoolday_delete"),
    path("calendrier-scolaire/importer/", views.nonschoolday_import, name="nonschoolday_import"),
    path(
        "calendrier-scolaire/importer/<str:token>/",
        views.nonschoolday_import_preview,
        name="nonschoolday_import_preview",
    ),
    path("calendrier-scolaire/modele.csv", views.nonschoolday_template, name="nonschoolday_template"),
]
