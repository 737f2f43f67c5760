from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from roles import views as role_views

admin.site.site_header = _("Mentorat — administration")
admin.site.site_title = _("Mentorat")

urlpatterns = [
    path("", role_views.home, name="home"),
    path("qui-fait-quoi/", role_views.referential, name="referential"),
    path("qui-fait-quoi/", include("roles.urls_referential")),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("ecoles/plans/", include("schools.plans.urls")),
    path("ecoles/", include("schools.urls")),
    path("mentorat/", include("mentors.urls")),
    path("sondages/", include("surveys.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
