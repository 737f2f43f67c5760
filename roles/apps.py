from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Comptes et rôles")

    def ready(self):
        from auditlog.registry import auditlog

        from roles import language  # noqa: F401 (connects the sign-in receiver)
        from roles.models import Membership

        # Who granted or ended which role, when (read by the Law 25 audit trail).
        auditlog.register(Membership)
