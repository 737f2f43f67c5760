from allauth.socialaccount.providers.microsoft import views as microsoft
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mentorat import health
from roles import language
from roles import views as role_views

admin.site.site_header = _("Mentorat — administration")
# The admin has no sign-in form of its own: everyone signs in through allauth's rate-limited one.
admin.site.login = role_views.admin_login
admin.site.site_title = _("Mentorat")

urlpatterns = [
    path("", role_views.home, name="home"),
    # The load balancer's probe (database and broker): no sign-in, no personal data.
    path("health/", health.health, name="health"),
    path("qui-fait-quoi/", role_views.referential, name="referential"),
    path("accessibilite/", role_views.accessibility, name="accessibility"),
    # The sign-in e-mail is the one HR recorded (people are matched by it): no self-service change.
    path("comptes/email/", role_views.sign_in_email, name="account_email"),
    path("comptes/rappels/", role_views.nudge_settings, name="nudge_settings"),
    path("qui-fait-quoi/", include("roles.urls_referential")),
    # Ahead of allauth's own: a 404 rather than a 500 while single sign-on is not configured.
    path("comptes/microsoft/login/", role_views.microsoft_sso(microsoft.oauth2_login)),
    path("comptes/microsoft/login/callback/", role_views.microsoft_sso(microsoft.oauth2_callback)),
    path("comptes/", include("allauth.urls")),
    # The language switch also keeps a signed-in person's choice on their account.
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("ecoles/plans/", include("schools.plans.urls")),
    path("ecoles/", include("schools.urls")),
    # Law 25: the audit trail, a person's file, access and rectification requests.
    path("centre/", include("schools.privacy.urls")),
    # Law 25: the retention schedule and the confidentiality incident register.
    path("confidentialite/", include("schools.law25.urls")),
    path("roles/", include("roles.urls")),
    path("mentorat/", include("mentors.urls")),
    path("sondages/", include("surveys.urls")),
    path("cycle/", include("schools.cycle.urls")),
    path("courriels/", include("mentorat.urls_outbox")),
]
# Uploaded files are never served from MEDIA_URL, not even with DEBUG on: imports waiting for
# confirmation are not served at all, plan documents only by their access-checked view.
