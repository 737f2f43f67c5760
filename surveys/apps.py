from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Sondages")

    def ready(self):
        from surveys import emails

        emails.register()  # the outbox renders survey e-mails when they leave
