from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("personnel/", views.staff_list, name="staff_list"),
    path("personnel/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnel/<int:pk>/inviter/", views.person_invite, name="person_invite"),
    path("personnel/inviter/", views.staff_invite_many, name="staff_invite_many"),
    path("importer/", views.import_start, name="import_start"),
    path("importer/modele/<str:kind>.csv", views.import_template, name="import_template"),
    path("importer/<str:token>/", views.import_preview, name="import_preview"),
]
