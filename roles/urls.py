from django.urls import path

from roles import views_memberships as views

app_name = "roles"
urlpatterns = [
    path("", views.membership_list, name="membership_list"),
    path("attribuer/", views.membership_grant, name="membership_grant"),
    path("copier/", views.membership_copy, name="membership_copy"),
    path("<int:pk>/terminer/", views.membership_end, name="membership_end"),
]
