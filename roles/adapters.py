"""Sign-in policy: no open sign-up; HR, an administrator or an import creates accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Microsoft sign-in only reaches accounts that already exist (matched by e-mail).
        return False
