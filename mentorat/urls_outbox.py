from django.urls import path

from mentorat import views_outbox as views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("<int:pk>/renvoyer/", views.outbox_resend, name="resend"),
    path("renvoyer-tout/", views.outbox_resend_all, name="resend_all"),
]
