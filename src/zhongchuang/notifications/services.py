"""Sending messages. In-app messages are written in the caller's transaction; e-mails leave only
after it commits, so a refused step never sends anything."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from zhongchuang.notifications.models import Message


def notify(users: Iterable[Any], *, subject: str, body: str, url: str = "", application: Any = None) -> int:
    users = [user for user in users if user.is_active]
    Message.objects.bulk_create(
        Message(recipient=user, application=application, subject=subject, body=body, url=url)
        for user in users
    )
    addresses = [user.email for user in users if user.email]
    if addresses:
        link = f"\n\n{settings.ZC_SITE_URL}{url}" if url else ""
        transaction.on_commit(lambda: send_mail(subject, body + link, None, addresses, fail_silently=True))
    return len(users)


def operator_users(application: Any) -> list[Any]:
    organisation = application.space.organisation
    return [member.user for member in organisation.members.select_related("user")]


def notify_transition(application: Any, step: Any, *, comment: str) -> int:
    """Tell the operator what happened to its application, in the words the operator sees."""
    from zhongchuang.workflow.definition import certification_workflow

    state = certification_workflow().states[step.target]
    subject = f"【{application.round.name}】{application.space}：{state.operator_label}"
    body = f"您的申报状态已变为“{state.operator_label}”（{step.label}）。"
    if comment:
        body += f"\n意见：{comment}"
    url = reverse("applications:application_detail", args=[application.pk])
    return notify(operator_users(application), subject=subject, body=body, url=url, application=application)
