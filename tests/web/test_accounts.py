"""Accounts: registration with e-mail confirmation, invitations, bureau staff, roles and language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from tests.web.conftest import make_operator

from zhongchuang.accounts import services
from zhongchuang.accounts.models import Bureau, Invitation, Membership, Organisation, Role
from zhongchuang.accounts.validators import clean_contact_phone
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.identifiers import make_uscc

pytestmark = pytest.mark.django_db
User = get_user_model()
VALID_USCC = make_uscc("91350200MA2Y99991")


def registration(**changes: str) -> dict[str, str]:
    data = {
        "organisation_name": "厦门新创科技有限公司",
        "uscc": VALID_USCC,
        "contact_name": "王五",
        "contact_phone": "+86 139-0592-0000",
        "contact_email": "wangwu@example.com",
        "username": "wangwu",
        "password1": "Xin-chuang-2025",
        "password2": "Xin-chuang-2025",
    }
    data.update(changes)
    return data


def link_in(message: Any) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)  # type: ignore[union-attr]


def make_bureau_user(bureau: Bureau, username: str, role: str = Role.BUREAU_ADMIN) -> Any:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.gov.cn", password="pass-Word-123"
    )
    Membership.objects.create(user=user, bureau=bureau, role=role, email_confirmed=True)
    return user


@pytest.fixture
def bureaus(db: Any) -> tuple[Bureau, Bureau]:
    return Bureau.objects.create(name="厦门市科学技术局", city="厦门市"), Bureau.objects.create(
        name="上海市科学技术委员会", city="上海市"
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13800000000", "13800000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("0086-138-0000-0000", "13800000000"),
        ("8613800000000", "13800000000"),
        ("0592-2031315", "0592-2031315"),
        ("021-12345678-123", "021-12345678-123"),
    ],
)
def test_contact_phone_accepts_mobiles_and_landlines_with_area_code(raw: str, expected: str) -> None:
    assert clean_contact_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12800000000", "1380000000", "2031315", "phone", "+1 415 555 0100"])
def test_contact_phone_refuses_what_is_neither(raw: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        clean_contact_phone(raw)


def test_registration_with_a_wrong_check_character_shows_the_reason_and_keeps_what_was_typed(
    client: Any,
) -> None:
    wrong = VALID_USCC[:17] + ("0" if VALID_USCC[17] != "0" else "1")
    response = client.post(reverse("accounts:register"), registration(uscc=wrong))
    assert response.status_code == 200
    page = response.content.decode()
    assert "校验位错误" in page
    assert 'href="#id_uscc"' in page  # listed in the error summary, linked to the field
    for typed in ("厦门新创科技有限公司", "王五", "wangwu@example.com", wrong):
        assert typed in page
    assert "Xin-chuang-2025" not in page  # passwords are never sent back
    assert not Organisation.objects.exists() and not mail.outbox


def test_registration_with_an_invalid_phone_is_refused(client: Any) -> None:
    response = client.post(reverse("accounts:register"), registration(contact_phone="2031315"))
    assert response.status_code == 200
    assert "固定电话请加区号" in response.content.decode()
    assert not User.objects.filter(username="wangwu").exists()


def test_registration_creates_an_inactive_admin_and_the_emailed_link_activates_it(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration())
    assert response.status_code == 302 and response.url == reverse("accounts:register_done")
    assert "wangwu@example.com" in client.get(response.url).content.decode()
    user = User.objects.get(username="wangwu")
    assert not user.is_active
    membership = user.membership
    assert membership.role == Role.OPERATOR_ADMIN and not membership.email_confirmed
    assert (
        membership.organisation.uscc == VALID_USCC and membership.organisation.contact_phone == "13905920000"
    )
    assert not client.login(username="wangwu", password="Xin-chuang-2025")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wangwu@example.com"]

    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active and user.membership.email_confirmed
    assert client.login(username="wangwu", password="Xin-chuang-2025")


def test_a_tampered_or_expired_confirmation_link_is_refused(client: Any, monkeypatch: Any) -> None:
    client.post(reverse("accounts:register"), registration())
    token = services.confirmation_token(User.objects.get(username="wangwu"))
    assert client.get(reverse("accounts:confirm", args=[token + "x"])).status_code == 400
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    response = client.get(reverse("accounts:confirm", args=[token]))
    assert response.status_code == 400 and "过期" in response.content.decode()
    assert not User.objects.get(username="wangwu").is_active


def test_an_already_registered_uscc_is_refused_with_a_hint_to_ask_for_an_invitation(
    client: Any, operator_user: Any
) -> None:
    taken = operator_user.membership.organisation.uscc
    response = client.post(reverse("accounts:register"), registration(uscc=taken.lower()))
    page = response.content.decode()
    assert response.status_code == 200 and "已注册" in page and "邀请" in page
    assert Organisation.objects.count() == 1


def test_invitation_flow_end_to_end(
    client: Any, operator_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(operator_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"), {"email": "colleague@example.com", "role": Role.OPERATOR_MEMBER}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert "colleague@example.com" in client.get(reverse("accounts:members")).content.decode()
    assert AuditEntry.objects.filter(action=Action.MEMBER_INVITED, actor=operator_user).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["colleague@example.com"]
    link = link_in(mail.outbox[0])
    assert link == reverse("accounts:accept", args=[invitation.token])

    client.logout()
    assert "厦门鹭创科技有限公司" in client.get(link).content.decode()
    response = client.post(
        link, {"name": "李四", "username": "lisi", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200 and 'value="lisi"' in response.content.decode()
    response = client.post(
        link, {"name": "李四", "username": "lisi", "password1": "Li-si-2025-ok", "password2": "Li-si-2025-ok"}
    )
    assert response.status_code == 302
    colleague = User.objects.get(username="lisi")
    assert colleague.email == "colleague@example.com" and colleague.is_active
    assert colleague.membership.organisation == operator_user.membership.organisation
    assert colleague.membership.role == Role.OPERATOR_MEMBER and colleague.membership.email_confirmed
    assert AuditEntry.objects.filter(action=Action.MEMBER_JOINED, actor=colleague).exists()
    assert client.get(link).status_code == 404  # single use
    assert client.login(username="lisi", password="Li-si-2025-ok")


def test_a_member_who_is_not_admin_cannot_invite(client: Any, operator_user: Any) -> None:
    member = make_operator("x", "91350200MA2Y00009", "member", role=Role.OPERATOR_MEMBER)
    member.membership.organisation = operator_user.membership.organisation
    member.membership.save()
    client.force_login(member)
    assert (
        client.post(
            reverse("accounts:invite"), {"email": "a@example.com", "role": Role.OPERATOR_ADMIN}
        ).status_code
        == 403
    )
    assert client.get(reverse("accounts:members")).status_code == 200
    assert not Invitation.objects.exists()


def test_an_admin_cannot_revoke_another_organisations_invitation(
    client: Any, operator_user: Any, other_operator_user: Any
) -> None:
    theirs = Invitation.objects.create(
        organisation=other_operator_user.membership.organisation,
        email="x@example.com",
        role=Role.OPERATOR_MEMBER,
        token="t" * 40,
        invited_by=other_operator_user,
    )
    client.force_login(operator_user)
    assert client.post(reverse("accounts:invitation_revoke", args=[theirs.pk])).status_code == 404
    assert Invitation.objects.filter(pk=theirs.pk).exists()


def test_a_bureau_admin_creates_a_reviewer_in_their_own_bureau_who_sets_a_password(
    client: Any, bureaus: tuple[Bureau, Bureau], django_capture_on_commit_callbacks: Any
) -> None:
    xiamen, shanghai = bureaus
    admin = make_bureau_user(xiamen, "xm_admin")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:staff"),
            {
                "name": "赵六",
                "username": "xm_reviewer2",
                "email": "zhao@example.gov.cn",
                "role": Role.REVIEWER,
                "bureau": shanghai.pk,  # ignored: staff are always created in the admin's own bureau
            },
        )
    assert response.status_code == 302
    reviewer = User.objects.get(username="xm_reviewer2")
    assert reviewer.membership.bureau == xiamen and reviewer.membership.role == Role.REVIEWER
    assert not reviewer.has_usable_password()
    assert "xm_reviewer2" in client.get(reverse("accounts:staff")).content.decode()

    client.logout()
    link = link_in(mail.outbox[0])
    response = client.get(link, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Zhao-liu-2025", "new_password2": "Zhao-liu-2025"}
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.membership.email_confirmed
    assert client.login(username="xm_reviewer2", password="Zhao-liu-2025")


def test_bureau_staff_see_only_their_own_bureau_and_operators_pages_are_404_for_them(
    client: Any, bureaus: tuple[Bureau, Bureau], operator_user: Any
) -> None:
    xiamen, shanghai = bureaus
    xm_admin = make_bureau_user(xiamen, "xm_admin")
    sh_reviewer = make_bureau_user(shanghai, "sh_reviewer", Role.REVIEWER)
    make_bureau_user(shanghai, "sh_admin")
    client.force_login(xm_admin)
    assert client.get(reverse("accounts:staff_detail", args=[sh_reviewer.pk])).status_code == 404
    assert client.post(reverse("accounts:staff_detail", args=[sh_reviewer.pk])).status_code == 404
    assert client.get(reverse("accounts:staff_detail", args=[operator_user.pk])).status_code == 404
    page = client.get(reverse("accounts:staff")).content.decode()
    assert "xm_admin" in page and "sh_reviewer" not in page and "sh_admin" not in page
    assert client.get(reverse("accounts:members")).status_code == 404
    assert (
        client.post(
            reverse("accounts:invite"), {"email": "a@example.com", "role": "operator_member"}
        ).status_code
        == 404
    )

    client.force_login(sh_reviewer)  # a reviewer is not a bureau admin
    assert client.get(reverse("accounts:staff")).status_code == 403
    client.force_login(operator_user)
    assert client.get(reverse("accounts:staff")).status_code == 404
    assert client.get(reverse("accounts:staff_detail", args=[xm_admin.pk])).status_code == 404


def test_switching_to_english_shows_english_labels(client: Any) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<h1>登录</h1>" in page
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<h1>Log in</h1>" in page and 'lang="en"' in page
    assert "Register an operator" in page
    page = client.get(reverse("accounts:register")).content.decode()
    assert "Unified social credit code" in page


def test_the_uscc_reason_follows_the_page_language(client: Any) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    wrong = VALID_USCC[:17] + ("0" if VALID_USCC[17] != "0" else "1")
    page = client.post(reverse("accounts:register"), registration(uscc=wrong)).content.decode()
    assert "wrong check character" in page and "Please correct the following" in page


def test_an_english_browser_still_sees_chinese_until_english_is_chosen(client: Any) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "登录" not in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
