"""Forms for accounts: they check what the user typed; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhongchuang.accounts import selectors
from zhongchuang.accounts.models import Role
from zhongchuang.accounts.validators import clean_contact_phone, clean_uscc


class PasswordPairMixin(forms.Form):
    """Two password fields checked with the project's password validators (never re-displayed)."""

    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全为数字，不能过于常见。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def password_user(self) -> Any:
        """A user built from the typed data, so the similarity validator can compare with it."""
        return get_user_model()(
            username=self.cleaned_data.get("username", ""),
            email=self.cleaned_data.get("contact_email") or self.cleaned_data.get("email", ""),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            try:
                password_validation.validate_password(first, self.password_user())
            except ValidationError as problem:
                self.add_error("password1", problem)
        return cleaned


class UsernameMixin(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("用于登录，可用字母、数字和 @ . + - _。"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if selectors.username_taken(username):
            raise ValidationError(_("该用户名已被使用，请换一个。"))
        return username


class RegistrationForm(UsernameMixin, PasswordPairMixin):
    organisation_name = forms.CharField(
        label=_("运营机构名称"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=40, help_text=_("18位，见营业执照或登记证书。")
    )
    contact_name = forms.CharField(
        label=_("联系人"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        help_text=_("手机号码或带区号的固定电话，如 0592-2031315。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("联系邮箱"),
        help_text=_("确认邮件将发送到此邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = (
        "organisation_name",
        "uscc",
        "contact_name",
        "contact_phone",
        "contact_email",
        "username",
        "password1",
        "password2",
    )

    def clean_uscc(self) -> str:
        code = clean_uscc(self.cleaned_data["uscc"])
        if selectors.uscc_registered(code):
            raise ValidationError(_("该统一社会信用代码已注册。请联系贵单位的管理员邀请您加入。"))
        return code

    def clean_contact_phone(self) -> str:
        return clean_contact_phone(self.cleaned_data["contact_phone"])


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("同事的邮箱"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[
            (Role.OPERATOR_MEMBER, Role.OPERATOR_MEMBER.label),
            (Role.OPERATOR_ADMIN, Role.OPERATOR_ADMIN.label),
        ],
        initial=Role.OPERATOR_MEMBER,
    )


class AcceptInvitationForm(UsernameMixin, PasswordPairMixin):
    name = forms.CharField(
        label=_("姓名"), max_length=50, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ("name", "username", "password1", "password2")

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def password_user(self) -> Any:
        return get_user_model()(
            username=self.cleaned_data.get("username", ""),
            email=self.email,
            first_name=self.cleaned_data.get("name", ""),
        )


class StaffForm(UsernameMixin):
    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("邮箱"),
        help_text=_("设置密码的链接将发送到此邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[
            (Role.REVIEWER, Role.REVIEWER.label),
            (Role.INSPECTOR, Role.INSPECTOR.label),
            (Role.BUREAU_ADMIN, Role.BUREAU_ADMIN.label),
        ],
        initial=Role.REVIEWER,
    )
    field_order = ("name", "username", "email", "role")
