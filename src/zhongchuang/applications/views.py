"""Faces over the application services: forms in, service calls, messages out. No business logic here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongchuang.applications import selectors, services
from zhongchuang.applications.forms import ApplicationCreateForm, RoundForm, SubmitForm
from zhongchuang.applications.models import Application
from zhongchuang.applications.services import ApplicationError
from zhongchuang.spaces.selectors import spaces_for
from zhongchuang.workflow.definition import Step, certification_workflow
from zhongchuang.workflow.services import refusals


def _form_error(form: Form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _require(condition: bool) -> None:
    if not condition:
        raise Http404


# --- rounds ----------------------------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.rounds_for(request.user).order_by("-deadline", "name")
    context = {
        "rounds": [(r, services.accepts_submissions(r)) for r in rounds],
        "is_bureau": selectors.is_bureau(request.user),
        "is_admin": selectors.is_bureau_admin(request.user),
        "is_operator": selectors.is_operator(request.user),
    }
    return render(request, "applications/round_list.html", context)


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    _require(selectors.is_bureau_admin(request.user))
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(
                bureau=request.user.membership.bureau,
                by=request.user,  # type: ignore[union-attr]
                **form.cleaned_data,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已开启申报轮次：%(name)s") % {"name": round_.name})
            return redirect("applications:round_detail", round_.pk)
    return render(request, "applications/round_form.html", {"form": form, "round": None})


@login_required
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.bureau_round_for(request.user, round_id)
    _require(selectors.is_bureau_admin(request.user))
    initial = {name: getattr(round_, name) for name in RoundForm.base_fields}
    form = RoundForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round=round_, values=form.cleaned_data, by=request.user)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("applications:round_detail", round_.pk)
    return render(request, "applications/round_form.html", {"form": form, "round": round_})


@login_required
@require_POST
def round_toggle(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.bureau_round_for(request.user, round_id)
    _require(selectors.is_bureau_admin(request.user))
    try:
        services.round_update(round=round_, values={"is_open": not round_.is_open}, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重新开放申报") if round_.is_open else _("已关闭申报"))
    return redirect("applications:round_detail", round_.pk)


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.bureau_round_for(request.user, round_id)
    context = {
        "round": round_,
        "accepts": services.accepts_submissions(round_),
        "applications": selectors.round_applications(round_),
        "history": selectors.round_history(round_),
        "is_admin": selectors.is_bureau_admin(request.user),
    }
    return render(request, "applications/round_detail.html", context)


# --- applications ----------------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    context = {
        "applications": selectors.applications_for(request.user),
        "is_operator": selectors.is_operator(request.user),
    }
    return render(request, "applications/application_list.html", context)


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    _require(selectors.is_operator(request.user))
    rounds = selectors.rounds_for(request.user).order_by("-deadline", "name")
    initial: dict[str, Any] = {}
    if request.GET.get("round", "").isdigit():
        initial["round"] = int(request.GET["round"])
    form = ApplicationCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        spaces=spaces_for(request.user),
        rounds=rounds,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                space=form.cleaned_data["space"], round=form.cleaned_data["round"], by=request.user
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已创建申报，请核对自检结果后提交"))
            return redirect("applications:application_submit", application.pk)
    return render(request, "applications/application_create.html", {"form": form})


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_for(request.user, application_id)
    is_operator = selectors.is_operator(request.user)
    context = {
        "application": application,
        "versions": selectors.versions_of(application),
        "is_operator": is_operator,
        "status_label": application.operator_status_label
        if is_operator
        else application.get_status_display(),
        "submission": submission_step(application, request.user) if is_operator else None,
        "can_withdraw": is_operator and not refusals(application, "withdraw", by=request.user),
    }
    return render(request, "applications/application_detail.html", context)


def submission_step(application: Application, user: Any) -> tuple[Step, list[str]] | None:
    """The submission the operator can make now — first submission or the answer to a correction
    request — with what blocks it, or None when the application's state offers none."""
    step_id = "resubmit" if application.status == Application.Status.CORRECTION_REQUESTED else "submit"
    step = certification_workflow().steps[step_id]
    if application.status not in step.sources:
        return None
    return step, refusals(application, step_id, by=user)


@login_required
def application_submit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.operator_application_for(request.user, application_id)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            version = services.application_submit(
                application=application, pledge_accepted=form.cleaned_data["pledge"], by=request.user
            )
        except ApplicationError as error:
            _form_error(form, error)
            problems = error.problems
        else:
            messages.success(request, _("已提交第%(n)s版申报") % {"n": version.number})
            return redirect("applications:version_detail", application.pk, version.number)
    check = selectors.submission_check(application)
    context = {
        "application": application,
        "round": application.round,
        "space": application.space,
        "form": form,
        "check": check,
        "errors": problems or check.errors,
        "submission": submission_step(application, request.user),
        "pledge_title": services.PLEDGE_TITLE,
        "pledge_text": services.PLEDGE_TEXT,
    }
    return render(request, "applications/application_submit.html", context)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.operator_application_for(request.user, application_id)
    try:
        version = services.application_withdraw(application=application, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回第%(n)s版；修改数据后可重新提交") % {"n": version.number})
    return redirect("applications:application_detail", application.pk)


@login_required
def version_detail(request: HttpRequest, application_id: int, number: int) -> HttpResponse:
    application = selectors.application_for(request.user, application_id)
    version = selectors.version_for(application, number)
    result = selectors.frozen_result(version)
    context = {
        "application": application,
        "version": version,
        "result": result,
        "criteria": [{"criterion": c} for c in result.criteria],
    }
    return render(request, "applications/version_detail.html", context)


@login_required
def application_history(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_for(request.user, application_id)
    context = {"application": application, "entries": selectors.application_history(application)}
    return render(request, "applications/application_history.html", context)
