"""Editing the « qui fait quoi » referential (HR and the PANE); mounted under qui-fait-quoi/."""

from django.urls import path

from roles import views_referential as views

urlpatterns = [
    path("modifier/", views.referential_edit, name="referential_edit"),
    path("historique/", views.referential_history, name="referential_history"),
    path("acteurs/<int:pk>/ajouter/", views.responsibility_add, name="responsibility_add"),
    path("responsabilites/<int:pk>/reformuler/", views.responsibility_reword, name="responsibility_reword"),
    path("responsabilites/<int:pk>/deplacer/", views.responsibility_move, name="responsibility_move"),
    path("responsabilites/<int:pk>/retirer/", views.responsibility_retire, name="responsibility_retire"),
]
