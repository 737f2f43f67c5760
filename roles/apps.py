from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Comptes et rôles")

    def ready(self):
        from auditlog.registry import auditlog

        from mentorat import outbox
        from roles import language  # noqa: F401 (connects the sign-in receiver)
        from roles.adapters import PASSWORD_RESET, build_password_reset
        from roles.models import Membership

        # Who granted or ended which role, when (read by the Law 25 audit trail).
        auditlog.register(Membership)
        # allauth's password reset leaves through the outbox, its link made when it is sent.
        outbox.register(PASSWORD_RESET, build_password_reset)
