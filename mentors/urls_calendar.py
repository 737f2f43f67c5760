from django.urls import path  # noqa: F401

# Calendars, invitations, attendance, feeds: included by mentors/urls.py under the "mentors" namespace.
urlpatterns: list = []
