from django.conf import settings

from roles.access import access_for


def access(request):
    """Expose the request's Access so menus show only what the user may do."""
    return {"access": access_for(request), "MICROSOFT_SSO_ENABLED": settings.MICROSOFT_SSO_ENABLED}
