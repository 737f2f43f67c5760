from django.urls import path

from schools.cycle import views

app_name = "cycle"
urlpatterns = [
    # The year's timeline and what the system did (?annee=<id>).
    path("", views.overview, name="overview"),
    # HR's « Lancer maintenant » for one step of the selected year.
    path("<slug:key>/lancer/", views.run, name="run"),
]
