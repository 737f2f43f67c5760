from django.urls import path  # noqa: F401

# Cohorts and planning (PANE): included by mentors/urls.py under the "mentors" namespace.
urlpatterns: list = []
