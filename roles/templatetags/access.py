from django import template

register = template.Library()


@register.filter
def can(access, action):
    """{% if access|can:"staff.import" %} — an action without an object."""
    return access.can(action)


@register.simple_tag(takes_context=True)
def can_on(context, action, obj):
    """{% can_on "school.view" school as allowed %} — an action on one object."""
    return context["access"].can(action, obj)
