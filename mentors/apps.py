from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Mentorat")

    def ready(self):
        from mentors.accompaniment import notify

        notify.register()  # the outbox renders calendar messages when they leave
