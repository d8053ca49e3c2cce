"""Faces over the notice services: the public notice pages (no login) and the staff pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhongchuang.accounts.models import Role
from zhongchuang.accounts.permissions import bureau_required, is_bureau
from zhongchuang.applications.selectors import application_for
from zhongchuang.notice import ratelimit, selectors, services
from zhongchuang.notice.forms import HandleForm, ObjectionForm, PublishForm
from zhongchuang.notice.services import NoticeError, Upload

HANDLERS = (Role.BUREAU_ADMIN, Role.REVIEWER)


def _form_error(form: Form, error: NoticeError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- public ------------------------------------------------------------------------------------------


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    notices = [(notice, selectors.window_state(notice, now)) for notice in selectors.public_notices()]
    return render(request, "notice/notice_list.html", {"notices": notices})


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The proposed list and, while the window is open, the objection form (POST lodges one)."""
    notice = selectors.public_notice(notice_id)
    now = timezone.now()
    form = ObjectionForm(notice)
    if request.method == "POST":
        address = ratelimit.client_address(request)
        if ratelimit.objection_limit_reached(address):
            context = {"notice": notice, "limit": ratelimit.OBJECTIONS_PER_HOUR}
            return render(request, "notice/too_many.html", context, status=429)
        form = ObjectionForm(notice, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = services.objection_lodge(
                    notice=notice,
                    entries=list(data["entries"]),
                    lodger_name=data["lodger_name"],
                    phone=data["phone"],
                    email=data["email"],
                    reasons=data["reasons"],
                    declared=data["declared"],
                    files=[Upload(upload.name, upload.read()) for upload in data["files"]],
                    ip_address=address if address != "unknown" else None,
                    now=now,
                )
            except NoticeError as error:
                _form_error(form, error)
            else:
                ratelimit.count_objection(address)
                return render(
                    request, "notice/objection_receipt.html", {"notice": notice, "objection": objection}
                )
    elif request.method != "GET":
        return HttpResponse(status=405)
    context = {
        "notice": notice,
        "entries": selectors.entries_of(notice),
        "state": selectors.window_state(notice, now),
        "form": form,
    }
    return render(request, "notice/notice_detail.html", context)


# --- staff -------------------------------------------------------------------------------------------


@bureau_required(Role.BUREAU_ADMIN)
def application_notice(request: HttpRequest, application_id: int) -> HttpResponse:
    """The public notice of the application's round: the notices so far, and publishing the proposed list."""
    application = application_for(request.user, application_id)
    round_ = application.round
    proposed = list(selectors.proposed_applications(round_))
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": services.default_title(round_),
            "body": services.default_body(round_),
            "working_days": round_.notice_working_days,
            "start_date": selectors.shanghai_today(timezone.now()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(round=round_, by=request.user, **form.cleaned_data)
        except NoticeError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("公示已发布：%(start)s 至 %(end)s")
                % {"start": notice.start_date.isoformat(), "end": notice.end_date.isoformat()},
            )
            return redirect("notice:notice_staff", notice.pk)
    context = {
        "application": application,
        "round": round_,
        "proposed": [(item, selectors.certified_type(item)) for item in proposed],
        "notices": selectors.round_notices(round_),
        "form": form,
    }
    return render(request, "notice/application_notice.html", context)


@bureau_required()
def notice_staff(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.staff_notice_for(request.user, notice_id)
    context = {
        "notice": notice,
        "state": selectors.window_state(notice, timezone.now()),
        "entries": selectors.entries_of(notice).select_related("application"),
        "objections": selectors.objections_of(notice),
    }
    return render(request, "notice/notice_staff.html", context)


@bureau_required()
def objection_handle(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = selectors.staff_objection_for(request.user, objection_id)
    may_handle = is_bureau(request.user, *HANDLERS)
    initial = {
        "investigation": objection.investigation,
        "outcome": objection.outcome,
        "reply": objection.reply,
    }
    form = HandleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_handle:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.objection_handle(objection=objection, by=request.user, **form.cleaned_data)
            except NoticeError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("异议 #%(id)s 的处理结果已保存") % {"id": objection.pk})
                return redirect("notice:objection_handle", objection.pk)
    context = {"objection": objection, "form": form, "may_handle": may_handle and objection.accepted}
    return render(request, "notice/objection_handle.html", context)


@bureau_required()
def objection_file(request: HttpRequest, objection_id: int, file_id: int) -> FileResponse:
    objection = selectors.staff_objection_for(request.user, objection_id)
    record = objection.files.filter(pk=file_id).first()
    if record is None:
        raise Http404
    response = FileResponse(record.file.open("rb"), content_type=record.mime, filename=record.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
