from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "schools.plans"
    label = "plans"
    verbose_name = _("Plans de déploiement")
    default_auto_field = "django.db.models.BigAutoField"
