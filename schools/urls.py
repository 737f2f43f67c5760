from django.urls import path

from schools import views, views_admin

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("suggestions/", views.school_suggestions, name="school_suggestions"),
    path("personnel/", views.staff_list, name="staff_list"),
    path("personnel/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnel/<int:pk>/inviter/", views.person_invite, name="person_invite"),
    path("personnel/inviter/", views.staff_invite_many, name="staff_invite_many"),
    path("importer/", views.import_start, name="import_start"),
    path("importer/modele/<str:kind>.csv", views.import_template, name="import_template"),
    path("importer/<str:token>/", views.import_preview, name="import_preview"),
    # The centre's administration: schools and buildings, school years.
    path("nouvelle/", views_admin.school_create, name="school_create"),
    path("<int:pk>/modifier/", views_admin.school_edit, name="school_edit"),
    path("<int:pk>/batiments/ajouter/", views_admin.building_create, name="building_create"),
    path("batiments/<int:pk>/modifier/", views_admin.building_edit, name="building_edit"),
    path("batiments/<int:pk>/supprimer/", views_admin.building_delete, name="building_delete"),
    path("annees/", views_admin.year_list, name="year_list"),
    path("annees/creer-suivante/", views_admin.year_create_next, name="year_create_next"),
    path("annees/courante/", views_admin.year_mark_current, name="year_mark_current"),
    path("annees/<int:pk>/supprimer/", views_admin.year_delete, name="year_delete"),
    path("annees/<int:pk>/dates/", views_admin.year_edit, name="year_edit"),
]
