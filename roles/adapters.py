"""Sign-in policy: no open sign-up; HR, an administrator or an import creates accounts.

The password-reset e-mail goes through the outbox like every other: the request
answers at once, a worker sends it, and the link (a password token) is made when
it leaves, so the outbox keeps no credential.
"""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

PASSWORD_RESET = "password-reset"
PASSWORD_RESET_TEMPLATE = "account/email/password_reset_key"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def send_password_reset_mail(self, user, email, context):
        from mentorat import outbox

        outbox.enqueue(
            key=f"{PASSWORD_RESET}:{user.pk}:{uuid.uuid4().hex}",  # each request is its own occurrence
            kind=PASSWORD_RESET,
            to=email,
            context={"user": user.pk},
            language=user.language,
            source=PASSWORD_RESET,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Microsoft sign-in only reaches accounts that already exist (matched by e-mail).
        return False


def build_password_reset(row):
    """allauth's own message, with a link made now; nothing if the account is gone."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sites.models import Site
    from django.utils import translation

    from schools.services import password_set_url

    user = get_user_model().objects.filter(pk=row.context.get("user"), is_active=True).first()
    if user is None:
        return None
    context = {
        "user": user,
        "email": row.to,
        "password_reset_url": password_set_url(user),
        "current_site": Site.objects.get_current(),
        "request": None,
    }
    with translation.override(row.language or settings.LANGUAGE_CODE):
        return AccountAdapter(None).render_mail(PASSWORD_RESET_TEMPLATE, row.to, context)
