from django.urls import path

from mentors.views import calendars as views

# Calendars, invitations, attendance, feeds: included by mentors/urls.py under the "mentors" namespace.
urlpatterns: list = [
    path("", views.calendar_mine, name="calendar_mine"),
    path("centre/", views.calendar_centre, name="calendar_centre"),
    path("cohorte/<int:pk>/", views.calendar_cohort, name="calendar_cohort"),
    path("evenements/<int:pk>/", views.event_detail, name="event_detail"),
    path("evenements/<int:pk>/ics/", views.event_ics, name="event_ics"),
    path("evenements/<int:pk>/reponse/", views.event_rsvp, name="event_rsvp"),
    path("evenements/<int:pk>/presences/", views.attendance_record, name="attendance_record"),
    # The answer links of the invitation e-mails: no sign-in, the token is the credential.
    path("reponse/<str:token>/<slug:answer>/", views.rsvp_token, name="rsvp_token"),
    path("presences/", views.attendance_report, name="attendance_report"),
    path("abonnement/", views.feed_manage, name="feed_manage"),
    path("abonnement/personne/<int:pk>/revoquer/", views.feed_revoke_for_person, name="feed_revoke_for_person"),
    # The private feed: no sign-in, the token in the address is the credential.
    path("abonnement/<str:token>.ics", views.feed, name="feed"),
]
