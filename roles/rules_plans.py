"""Access rules of the deployment plans, the tracking table of new staff and the referential.

Merged into roles.access.RULES (the one access module).

- A director edits the plans and the tracking table of the schools they direct, nothing else.
- HR, the PANE (who play the « services éducatifs » here), general management and
  the administrators read every plan; general management only reads.
- The PANE (and administrators) comment on steps; the school's directors answer.
- The tracking table of new staff: the school's directors (edit) and mentors (read), nobody else.
- HR and the PANE edit the « qui fait quoi » referential.
"""

from __future__ import annotations

from roles.models import Role

PLAN_READERS = (Role.HR, Role.PANE, Role.MANAGEMENT, Role.ADMIN)
COMMENTERS = (Role.PANE, Role.ADMIN)
REFERENTIAL_EDITORS = (Role.HR, Role.PANE, Role.ADMIN)


def _school_id(obj) -> int | None:
    """The school of a School, a DeploymentPlan, a PlanStep, a StepDocument or a Newcomer."""
    if obj is None:
        return None
    for path in ("school_id", "plan.school_id", "step.plan.school_id"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    return getattr(obj, "pk", None)


def _directs(access, obj) -> bool:
    return obj is not None and _school_id(obj) in access.directed_school_ids


def _plan_view(access, obj) -> bool:
    return access.has(*PLAN_READERS) or _directs(access, obj)


def _comment(access, obj) -> bool:
    if obj is None:
        return access.has(*COMMENTERS) or bool(access.directed_school_ids)
    return access.has(*COMMENTERS) or _directs(access, obj)


def _tracking_view(access, obj) -> bool:
    return obj is not None and (_directs(access, obj) or _school_id(obj) in access.school_ids(Role.MENTOR))


RULES: dict = {
    # May open some plan (the menu entry): readers of every plan and directors.
    "plan.list": lambda a, obj: a.has(*PLAN_READERS) or bool(a.directed_school_ids),
    "plan.overview": lambda a, obj: a.has(*PLAN_READERS),
    "plan.view": _plan_view,
    # Editing: the role (without object) and the object (a school they direct).
    "plan.edit_any": lambda a, obj: bool(a.directed_school_ids),
    "plan.edit": _directs,
    "plan.comment": _comment,
    "tracking.list": lambda a, obj: bool(a.directed_school_ids) or bool(a.school_ids(Role.MENTOR)),
    "tracking.view": _tracking_view,
    "tracking.edit": _directs,
    "referential.edit": lambda a, obj: a.has(*REFERENTIAL_EDITORS),
}


def get_plan_for_user(request, pk: int, edit: bool = False):
    """A plan the user may read (or edit): 403 for a role that never may, 404 for another school's plan."""
    from roles.access import _get_for_user
    from schools.plans.models import DeploymentPlan

    queryset = DeploymentPlan.objects.select_related("school", "year", "template", "changed_by__person")
    if edit:
        return _get_for_user(request, queryset, pk, "plan.edit_any", "plan.edit")
    return _get_for_user(request, queryset, pk, "plan.list", "plan.view")


def get_step_for_user(request, pk: int, action: str = "plan.view"):
    """A step of a plan; action is plan.view, plan.edit or plan.comment."""
    from roles.access import _get_for_user
    from schools.plans.models import PlanStep

    queryset = PlanStep.objects.select_related("plan__school", "plan__year", "updated_by__person")
    list_action = {"plan.view": "plan.list", "plan.edit": "plan.edit_any", "plan.comment": "plan.comment"}[action]
    return _get_for_user(request, queryset, pk, list_action, action)


def get_document_for_user(request, pk: int, edit: bool = False):
    from roles.access import _get_for_user
    from schools.plans.models import StepDocument

    queryset = StepDocument.objects.select_related("step__plan__school")
    if edit:
        return _get_for_user(request, queryset, pk, "plan.edit_any", "plan.edit")
    return _get_for_user(request, queryset, pk, "plan.list", "plan.view")


def get_newcomer_for_user(request, pk: int, edit: bool = False):
    """A row of a tracking table: its school's directors (and mentors, to read) only."""
    from roles.access import _get_for_user
    from schools.plans.models import Newcomer

    queryset = Newcomer.objects.select_related("person", "school", "year", "followed_by")
    if edit:
        return _get_for_user(request, queryset, pk, "plan.edit_any", "tracking.edit")
    return _get_for_user(request, queryset, pk, "tracking.list", "tracking.view")


def get_school_for_plans(request, pk: int, action: str):
    """The school of a plan or tracking page; action is plan.view, plan.edit, tracking.view or tracking.edit."""
    from roles.access import _get_for_user
    from schools.models import School

    list_action = {
        "plan.view": "plan.list",
        "plan.edit": "plan.edit_any",
        "tracking.view": "tracking.list",
        "tracking.edit": "plan.edit_any",
    }[action]
    return _get_for_user(request, School.objects.all(), pk, list_action, action)
