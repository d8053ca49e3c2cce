"""Who may open a page: small decorators shared by every app's views.

A user who reaches the wrong *kind* of page (bureau staff on an operator page, or the reverse)
gets 404, so the other side's URLs reveal nothing. A user of the right kind without the right
role (a member trying to invite) gets 403. Scoping objects to the user's own organisation or
bureau is the selectors' job (e.g. ``spaces.selectors.space_for``), also with 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from zhongchuang.accounts.models import BUREAU_ROLES, Membership, Role

View = Callable[..., HttpResponse]


def membership_of(user: Any) -> Membership | None:
    """The user's membership, or None for anonymous users and platform superusers without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def is_operator(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.is_operator and membership.email_confirmed


def is_operator_admin(user: Any) -> bool:
    return is_operator(user) and user.membership.role == Role.OPERATOR_ADMIN


def is_bureau(user: Any, *roles: str) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.is_bureau and membership.role in (roles or BUREAU_ROLES)


def operator_required(view: View) -> View:
    """Signed in, e-mail confirmed, member of an operator organisation; bureau staff get 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = membership_of(request.user)
        if membership is None or not membership.is_operator:
            raise Http404
        if not membership.email_confirmed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def operator_admin_required(view: View) -> View:
    """An operator admin; other operator members get 403, everyone else 404."""

    @operator_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.membership.role != Role.OPERATOR_ADMIN:  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def bureau_required(*roles: str) -> Callable[[View], View]:
    """Bureau staff (any role, or only ``roles``): operators get 404, staff of another role 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_of(request.user)
            if membership is None or not membership.is_bureau:
                raise Http404
            if roles and membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
