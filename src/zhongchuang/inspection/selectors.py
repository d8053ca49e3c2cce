"""Reads of the site inspection, always as a given user may see them.

Who sees what: bureau admins and reviewers of the round's bureau see the inspection read-only
(admins also manage the assignments). Inspectors see only inspections they are assigned to (404
otherwise). Anyone assigned sees nothing of the checklist before declaring no conflict of interest,
and nothing at all after declaring a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from zhongchuang.accounts.models import Role
from zhongchuang.applications.selectors import application_for
from zhongchuang.inspection.models import Assignment, FindingPhoto, Inspection, Item


@dataclass(frozen=True)
class Access:
    inspection: Inspection | None
    assignment: Assignment | None  # the viewer's own, when assigned
    is_admin: bool

    @property
    def must_declare(self) -> bool:
        return self.assignment is not None and self.assignment.status == Assignment.Status.PENDING

    @property
    def recused(self) -> bool:
        return self.assignment is not None and self.assignment.status == Assignment.Status.CONFLICT

    @property
    def can_see(self) -> bool:
        """May see the checklist and findings."""
        return self.inspection is not None and not self.must_declare and not self.recused

    @property
    def can_edit(self) -> bool:
        return (
            self.can_see
            and self.assignment is not None
            and self.assignment.status == Assignment.Status.DECLARED
            and self.inspection is not None
            and self.inspection.application.status == "site_inspection"
            and not self.inspection.frozen
        )


def inspection_of(application: Any) -> Inspection | None:
    return Inspection.objects.filter(application=application).select_related("application__space").first()


def access_for(user: Any, application_id: int) -> tuple[Any, Access]:
    """The application (404 outside the user's bureau) and what the user may do with its inspection."""
    application = application_for(user, application_id)
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_bureau:
        raise Http404
    inspection = inspection_of(application)
    assignment = None
    if inspection is not None:
        assignment = (
            inspection.assignments.filter(inspector=user).exclude(status=Assignment.Status.REMOVED).first()
        )
    if membership.role == Role.INSPECTOR and assignment is None:
        raise Http404  # inspectors reach only their own tasks
    return application, Access(inspection, assignment, membership.role == Role.BUREAU_ADMIN)


def items_of(inspection: Inspection) -> QuerySet[Item]:
    return inspection.items.select_related("updated_by").prefetch_related(
        Prefetch("photos", queryset=FindingPhoto.objects.order_by("uploaded_at", "id"))
    )


def assignments_of(inspection: Inspection) -> QuerySet[Assignment]:
    return inspection.assignments.select_related("inspector").exclude(status=Assignment.Status.REMOVED)


def progress(inspection: Inspection) -> dict[str, int]:
    counts = inspection.items.aggregate(total=Count("id"), done=Count("id", filter=~Q(result="")))
    return {"total": counts["total"], "done": counts["done"]}


def item_for(access: Access, item_id: int) -> Item:
    if not access.can_see or access.inspection is None:
        raise Http404
    item = items_of(access.inspection).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def photo_for(access: Access, photo_id: int) -> FindingPhoto:
    if not access.can_see or access.inspection is None:
        raise Http404
    photo = FindingPhoto.objects.filter(pk=photo_id, item__inspection=access.inspection).first()
    if photo is None:
        raise Http404
    return photo


def inspectors_for(bureau_id: int) -> QuerySet[Any]:
    """The staff an admin may send: inspectors first, then reviewers and admins of the same bureau."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, membership__bureau_id=bureau_id)
        .exclude(membership__role__in=["operator_member", "operator_admin"])
        .select_related("membership")
        .order_by("membership__role", "first_name", "username")
    )


def my_tasks(user: Any) -> QuerySet[Assignment]:
    """The user's assignments that are still open (not removed), newest plan first."""
    return (
        Assignment.objects.filter(inspector=user)
        .exclude(status=Assignment.Status.REMOVED)
        .select_related("inspection__application__space", "inspection__application__round")
        .order_by("-inspection__planned_on", "-id")
    )
