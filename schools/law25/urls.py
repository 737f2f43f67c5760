from django.urls import path

from schools.law25 import views

app_name = "law25"
urlpatterns = [
    path("conservation/", views.retention_list, name="retention_list"),
    path("conservation/apercu/", views.retention_dry_run, name="retention_dry_run"),
    path("conservation/<int:pk>/modifier/", views.retention_edit, name="retention_edit"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/nouveau/", views.incident_create, name="incident_create"),
    path("incidents/export.csv", views.incident_export, name="incident_export"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/modifier/", views.incident_edit, name="incident_edit"),
]
