from django.urls import path

from schools.privacy import views

app_name = "privacy"
urlpatterns = [
    path("journal/", views.audit_log, name="audit_log"),
    path("journal/export.csv", views.audit_log_export, name="audit_log_export"),
    path("personnes/<int:pk>/dossier/", views.person_file_page, name="person_file"),
    path("personnes/<int:pk>/dossier.zip", views.person_file_export, name="person_file_export"),
    path("personnes/<int:pk>/corriger/", views.person_correct, name="person_correct"),
    path("personnes/<int:person_pk>/demandes/nouvelle/", views.request_create, name="request_create"),
    path("demandes/", views.request_list, name="request_list"),
    path("demandes/<int:pk>/", views.request_edit, name="request_edit"),
]
