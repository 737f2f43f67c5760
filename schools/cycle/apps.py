from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "schools.cycle"
    label = "cycle"
    verbose_name = _("Cycle annuel")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The steps register themselves with the engine.
        from schools.cycle import emails, steps  # noqa: F401

        emails.register()
