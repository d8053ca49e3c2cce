"""The generic action panel's one view: take a step that needs only a comment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongchuang.applications.selectors import application_for
from zhongchuang.workflow.definition import certification_workflow
from zhongchuang.workflow.services import TransitionRefused, transition


@login_required
@require_POST
def take_step(request: HttpRequest, application_id: int, step_id: str) -> HttpResponse:
    application = application_for(request.user, application_id)  # 404 outside the user's scope
    step = certification_workflow().steps.get(step_id)
    if step is None or step.page:
        raise Http404  # steps with their own page are taken there
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    try:
        transition(application, step_id, by=request.user, comment=request.POST.get("comment", ""))
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        request.session["workflow_comment"] = request.POST.get("comment", "")  # nothing typed is lost
        return redirect(back)
    messages.success(request, _("已完成：%(step)s") % {"step": _(step.label)})
    return redirect(back)
