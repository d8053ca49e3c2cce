"""Writes for accounts: registration, e-mail confirmation, invitations, bureau staff.

Every service is keyword-only, atomic and audited; e-mails leave only after the transaction
commits. Links need the site's address, which only the request knows, so the view passes
``site_url`` (e.g. ``https://example.org``) rather than the request itself.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from zhongchuang.accounts import selectors
from zhongchuang.accounts.models import (
    BUREAU_ROLES,
    OPERATOR_ROLES,
    Bureau,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record

CONFIRM_SALT = "zhongchuang.accounts.confirm-email"
CONFIRM_MAX_AGE = getattr(settings, "ZC_CONFIRM_MAX_AGE_SECONDS", 3 * 24 * 3600)


class AccountError(Exception):
    """A user error with a message ready to show (already translated)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _send(*, template: str, to: str, context: dict[str, Any]) -> None:
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


def confirmation_token(user: Any) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(user.pk))


@transaction.atomic
def organisation_register(
    *,
    name: str,
    uscc: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    username: str,
    password: str,
    site_url: str,
) -> Any:
    """A new operator and its first admin, inactive until the e-mailed link is opened."""
    if selectors.uscc_registered(uscc):
        raise AccountError(_("该统一社会信用代码已注册。请联系贵单位的管理员邀请您加入。"), field="uscc")
    if selectors.username_taken(username):
        raise AccountError(_("该用户名已被使用，请换一个。"), field="username")
    User = get_user_model()
    user = User(username=username, email=contact_email, first_name=contact_name, is_active=False)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    organisation = Organisation.objects.create(
        name=name,
        uscc=uscc,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.OPERATOR_ADMIN, email_confirmed=False
    )
    audit_record(
        action=Action.MEMBER_JOINED,
        actor=None,
        organisation=organisation,
        summary=f"注册运营机构 {name}（{uscc}），管理员 {username}",
        after={"organisation": name, "uscc": uscc, "username": username, "role": Role.OPERATOR_ADMIN},
    )
    link = site_url.rstrip("/") + reverse("accounts:confirm", args=[confirmation_token(user)])
    _send(
        template="confirm",
        to=contact_email,
        context={"user": user, "organisation": organisation, "link": link, "days": CONFIRM_MAX_AGE // 86400},
    )
    return user


@transaction.atomic
def registration_confirm(*, token: str) -> Any:
    """Activate the user behind a signed, unexpired link; opening it twice is harmless."""
    try:
        user_id = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise AccountError(_("确认链接已过期，请重新注册或联系平台管理员。")) from expired
    except signing.BadSignature as bad:
        raise AccountError(_("确认链接无效。")) from bad
    user = get_user_model().objects.select_related("membership").filter(pk=user_id).first()
    if user is None:
        raise AccountError(_("确认链接无效。"))
    membership = user.membership
    if not membership.email_confirmed or not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        membership.email_confirmed = True
        membership.save(update_fields=["email_confirmed"])
    return user


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, site_url: str, by: Any
) -> Invitation:
    """Invite a colleague by e-mail; the link lets them choose a username and password."""
    if role not in OPERATOR_ROLES:
        raise AccountError(_("角色无效。"), field="role")
    if selectors.email_in_organisation(organisation, email):
        raise AccountError(_("该邮箱已是本单位成员。"), field="email")
    if selectors.email_invited(organisation, email):
        raise AccountError(_("已向该邮箱发出邀请，尚未接受。"), field="email")
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token=secrets.token_urlsafe(32), invited_by=by
    )
    audit_record(
        action=Action.MEMBER_INVITED,
        actor=by,
        organisation=organisation,
        summary=f"邀请 {email}（{Role(role).label}）",
        after={"email": email, "role": role},
    )
    link = site_url.rstrip("/") + reverse("accounts:accept", args=[invitation.token])
    _send(
        template="invitation",
        to=email,
        context={
            "organisation": organisation,
            "by": by,
            "link": link,
            "role": Role(role).label,
            "days": selectors.INVITATION_MAX_AGE.days,
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> None:
    audit_record(
        action=Action.MEMBER_INVITED,
        actor=by,
        organisation=invitation.organisation,
        summary=f"撤销对 {invitation.email} 的邀请",
        before={"email": invitation.email, "role": invitation.role},
    )
    invitation.delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, password: str, name: str = "") -> Any:
    """The invitee joins: an active user whose e-mail is confirmed by the link itself."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise AccountError(_("该邀请已被使用。"))
    if selectors.username_taken(username):
        raise AccountError(_("该用户名已被使用，请换一个。"), field="username")
    User = get_user_model()
    user = User(username=username, email=invitation.email, first_name=name, is_active=True)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role, email_confirmed=True
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        action=Action.MEMBER_JOINED,
        actor=user,
        organisation=invitation.organisation,
        summary=f"{username}（{invitation.email}）接受邀请加入",
        after={"username": username, "email": invitation.email, "role": invitation.role},
    )
    return user


def password_set_link(*, user: Any, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url.rstrip("/") + reverse(
        "accounts:password_set", args=[uid, default_token_generator.make_token(user)]
    )


@transaction.atomic
def staff_create(
    *, bureau: Bureau, name: str, username: str, email: str, role: str, site_url: str, by: Any
) -> Any:
    """A staff account of the admin's own bureau; the new user sets a password from the e-mailed link."""
    admin = getattr(by, "membership", None)
    if admin is None or admin.role != Role.BUREAU_ADMIN or admin.bureau_id != bureau.pk:
        raise AccountError(_("只能为本部门创建工作人员账号。"))
    if role not in BUREAU_ROLES:
        raise AccountError(_("角色无效。"), field="role")
    if selectors.username_taken(username):
        raise AccountError(_("该用户名已被使用，请换一个。"), field="username")
    User = get_user_model()
    user = User(username=username, email=email, first_name=name, is_active=True)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, bureau=bureau, role=role, email_confirmed=False)
    # The audit entry has no bureau column; the summary names it.
    audit_record(
        action=Action.MEMBER_INVITED,
        actor=by,
        summary=f"{bureau.name} 创建工作人员 {username}（{Role(role).label}）",
        after={"bureau": bureau.name, "username": username, "email": email, "role": role},
    )
    _staff_mail(user=user, bureau=bureau, site_url=site_url)
    return user


def _staff_mail(*, user: Any, bureau: Bureau, site_url: str) -> None:
    _send(
        template="staff",
        to=user.email,
        context={"user": user, "bureau": bureau, "link": password_set_link(user=user, site_url=site_url)},
    )


@transaction.atomic
def staff_resend_link(*, membership: Membership, site_url: str, by: Any) -> None:
    """Send a fresh password-set link (earlier links stop working once a password is set)."""
    _staff_mail(user=membership.user, bureau=membership.bureau, site_url=site_url)  # type: ignore[arg-type]


@transaction.atomic
def password_set_confirmed(*, user: Any) -> None:
    """Opening the e-mailed link and setting a password proves the address."""
    Membership.objects.filter(user=user, email_confirmed=False).update(email_confirmed=True)
