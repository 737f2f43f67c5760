from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Écoles et personnel")

    def ready(self):
        from auditlog.registry import auditlog

        from schools import emails

        emails.register()  # the outbox renders staff invitations when they leave

        from schools.models import Building, School, SchoolYear

        # The history the Law 25 audit trail reads: who changed which setting, when, before and after.
        auditlog.register(School, exclude_fields=["version"])
        auditlog.register(Building)
        auditlog.register(SchoolYear)

        from schools import counts

        counts.connect()  # the year's staff total follows each assignment saved or deleted

        from schools.privacy import audit

        # Every other model holding personal information or a decision, and the sign-in and refusal events.
        audit.connect()
