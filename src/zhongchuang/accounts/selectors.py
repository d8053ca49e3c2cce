"""Reads for accounts, always scoped to the caller's organisation or bureau (others' ids → 404)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhongchuang.accounts.models import BUREAU_ROLES, Invitation, Membership, Organisation

INVITATION_MAX_AGE = timedelta(days=getattr(settings, "ZC_INVITATION_MAX_AGE_DAYS", 14))


def uscc_registered(uscc: str) -> bool:
    return Organisation.objects.filter(uscc=uscc).exists()


def username_taken(username: str) -> bool:
    return get_user_model().objects.filter(username__iexact=username).exists()


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__username")
    )


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            created_at__gte=timezone.now() - INVITATION_MAX_AGE,
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_for(user: Any, invitation_id: int) -> Invitation:
    """A pending invitation of the user's own organisation, or 404."""
    invitation = pending_invitations(user.membership.organisation).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation:
    """A pending, unexpired invitation, or 404: a used or stale link says nothing about the organisation."""
    invitation = (
        Invitation.objects.filter(
            token=token, accepted_at__isnull=True, created_at__gte=timezone.now() - INVITATION_MAX_AGE
        )
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def email_in_organisation(organisation: Organisation, email: str) -> bool:
    return Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists()


def email_invited(organisation: Organisation, email: str) -> bool:
    return pending_invitations(organisation).filter(email__iexact=email).exists()


def bureau_staff(bureau: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(bureau=bureau, role__in=BUREAU_ROLES)
        .select_related("user")
        .order_by("role", "user__username")
    )


def staff_member_for(user: Any, member_user_id: int) -> Membership:
    """A staff member of the caller's own bureau, or 404 (another bureau's staff are simply not found)."""
    membership = bureau_staff(user.membership.bureau).filter(user_id=member_user_id).first()
    if membership is None:
        raise Http404
    return membership
