"""Reads that cross relations: what a staff member may see."""

from django.db.models import Exists, OuterRef, QuerySet

from knowledge.models import Department

from .models import CitizenRequest, DepartmentTeam, RequestEvent


def department_keys_for(user) -> set:
    """Translation keys of the departments whose teams the user belongs to."""
    if not user.is_authenticated:
        return set()
    teams = DepartmentTeam.objects.filter(group__in=user.groups.all()).select_related("department")
    return {team.department.translation_key for team in teams}


def departments_for(user) -> QuerySet:
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(translation_key__in=department_keys_for(user))


def requests_visible_to(user) -> QuerySet:
    queryset = CitizenRequest.objects.select_related("request_type", "department", "assignee")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(department__translation_key__in=department_keys_for(user)) | queryset.filter(
        assignee=user
    )


def requests_deletable_by(user) -> QuerySet:
    """What the user may delete, within what they see: a request of their own department (not
    one merely assigned to them) that nobody has handled yet, e.g. a duplicate or a test. Once
    a handler acted on it (status, note, routing) it is a record: it is kept and its personal
    data destroyed on the retention schedule (retention.py), for superusers too."""
    handled = RequestEvent.objects.filter(request=OuterRef("pk")).exclude(kind=RequestEvent.Kind.CREATED)
    queryset = requests_visible_to(user).filter(~Exists(handled))
    if user.is_superuser:
        return queryset
    return queryset.filter(department__translation_key__in=department_keys_for(user))


def can_see_personal_data(user, citizen_request: CitizenRequest) -> bool:
    """Personal data is for those who handle the request: its assignee or its department's handlers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or citizen_request.assignee_id == user.pk:
        return True
    return user.has_perm(
        "requests.view_personal_data"
    ) and citizen_request.department.translation_key in department_keys_for(user)
