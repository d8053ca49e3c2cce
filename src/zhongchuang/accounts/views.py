"""Account pages: registration, e-mail confirmation, members and invitations, bureau staff.

Views read forms, call one service and turn its result or AccountError into a page or message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongchuang.accounts import selectors, services
from zhongchuang.accounts.forms import AcceptInvitationForm, InvitationForm, RegistrationForm, StaffForm
from zhongchuang.accounts.models import Role
from zhongchuang.accounts.permissions import bureau_required, operator_admin_required, operator_required


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _apply_error(form: Form, error: services.AccountError | ValidationError) -> None:
    """Put a service's refusal next to its field (or at the top) so the page shows it like any other error."""
    if isinstance(error, services.AccountError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        form.add_error(None, error)


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.organisation_register(
                name=data["organisation_name"],
                uscc=data["uscc"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                username=data["username"],
                password=data["password1"],
                site_url=site_url(request),
            )
        except (services.AccountError, ValidationError) as error:
            _apply_error(form, error)
        else:
            request.session["registered_email"] = user.email
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/register_done.html", {"email": request.session.get("registered_email", "")}
    )


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.registration_confirm(token=token)
    except services.AccountError as error:
        return render(request, "accounts/confirm_failed.html", {"message": error.message}, status=400)
    messages.success(request, _("邮箱已确认，账号已启用。请登录。"))
    return redirect("accounts:login")


@operator_required
def members(request: HttpRequest) -> HttpResponse:
    organisation = request.user.membership.organisation  # type: ignore[union-attr]
    is_admin = request.user.membership.role == Role.OPERATOR_ADMIN  # type: ignore[union-attr]
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
            "invitations": selectors.pending_invitations(organisation) if is_admin else [],
            "form": InvitationForm() if is_admin else None,
            "is_admin": is_admin,
        },
    )


@operator_admin_required
def invite(request: HttpRequest) -> HttpResponse:
    organisation = request.user.membership.organisation  # type: ignore[union-attr]
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                site_url=site_url(request),
                by=request.user,
            )
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("已向 %(email)s 发送邀请。") % {"email": invitation.email})
            return redirect("accounts:members")
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
            "invitations": selectors.pending_invitations(organisation),
            "form": form,
            "is_admin": True,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@operator_admin_required
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_for(request.user, invitation_id)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("已撤销对 %(email)s 的邀请。") % {"email": invitation.email})
    return redirect("accounts:members")


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if request.user.is_authenticated:
        messages.error(request, _("请先退出当前账号，再接受邀请。"))
        return redirect("home")
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
        except (services.AccountError, ValidationError) as error:
            _apply_error(form, error)
        else:
            messages.success(
                request, _("您已加入 %(name)s。请登录。") % {"name": invitation.organisation.name}
            )
            return redirect("accounts:login")
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation})


@bureau_required(Role.BUREAU_ADMIN)
def staff(request: HttpRequest) -> HttpResponse:
    bureau = request.user.membership.bureau  # type: ignore[union-attr]
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_create(
                bureau=bureau,
                name=data["name"],
                username=data["username"],
                email=data["email"],
                role=data["role"],
                site_url=site_url(request),
                by=request.user,
            )
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request,
                _("已创建 %(username)s，设置密码的链接已发送到 %(email)s。")
                % {"username": data["username"], "email": data["email"]},
            )
            return redirect("accounts:staff")
    return render(
        request,
        "accounts/staff.html",
        {
            "bureau": bureau,
            "staff": selectors.bureau_staff(bureau),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@bureau_required(Role.BUREAU_ADMIN)
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.staff_member_for(request.user, user_id)
    if request.method == "POST":
        services.staff_resend_link(membership=member, site_url=site_url(request), by=request.user)
        messages.success(request, _("设置密码的链接已重新发送到 %(email)s。") % {"email": member.user.email})
        return redirect("accounts:staff_detail", user_id=user_id)
    return render(request, "accounts/staff_detail.html", {"member": member})


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The e-mailed link for new bureau staff (Django's password-reset token: single use, expiring)."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_set_confirmed(user=form.user)
        messages.success(self.request, _("密码已设置，请登录。"))
        return response
