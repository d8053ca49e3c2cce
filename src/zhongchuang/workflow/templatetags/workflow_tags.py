from __future__ import annotations

from typing import Any

from django import template

from zhongchuang.workflow.services import steps_for

register = template.Library()


@register.inclusion_tag("workflow/_actions.html", takes_context=True)
def workflow_actions(context: dict[str, Any], application: Any) -> dict[str, Any]:
    """The steps the signed-in user may take on `application` now, each with what blocks it."""
    request = context["request"]
    return {
        "application": application,
        "steps": steps_for(application, request.user),
        "next": request.get_full_path(),
        "comment": request.session.pop("workflow_comment", ""),
        "csrf_token": context.get("csrf_token"),
    }
