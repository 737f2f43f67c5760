from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def autofocus(context, kind: str, pk="") -> str:
    """autofocus on the control that had focus before an htmx swap (htmx moves focus to it)."""
    wanted = f"{kind}-{pk}" if pk != "" else kind
    return mark_safe(" autofocus") if context.get("focus") == wanted else ""


@register.simple_tag(takes_context=True)
def director_plans(context) -> list[dict]:
    """The directed schools with this year's plan and its unread comments (home page)."""
    from schools.models import School
    from schools.plans.models import DeploymentPlan
    from schools.plans.services import unread_comments

    access = context.get("access")
    if access is None or not access.directed_school_ids or access.year is None:
        return []
    plans = {
        plan.school_id: plan
        for plan in DeploymentPlan.objects.filter(school_id__in=access.directed_school_ids, year=access.year)
    }
    return [
        {
            "school": school,
            "plan": plans.get(school.pk),
            "unread": unread_comments(plans[school.pk], access.user).count() if school.pk in plans else 0,
        }
        for school in School.objects.filter(id__in=access.directed_school_ids).order_by("name")
    ]


def display_name(user) -> str:
    """A user's name as staff know it: their staff record's name, else the account's name or e-mail."""
    if user is None:
        return ""
    person = getattr(user, "person", None) if _has_person(user) else None
    if person is not None:
        return person.full_name
    return user.get_full_name() or user.email


def _has_person(user) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return user.person is not None
    except ObjectDoesNotExist:
        return False


@register.filter
def who(user) -> str:
    return display_name(user) or "—"
