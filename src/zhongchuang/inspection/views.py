"""Pages of the site inspection; thin: selectors decide who sees what, services do the writes."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongchuang.accounts.models import Role
from zhongchuang.accounts.permissions import bureau_required
from zhongchuang.inspection import selectors, services
from zhongchuang.inspection.forms import AssignForm, DeclarationForm, FindingForm, PhotoForm, SignForm
from zhongchuang.inspection.models import DECLARATION_TEXT, Assignment


def _staff(application: Any) -> Any:
    return selectors.inspectors_for(application.round.bureau_id)


def _page(request: HttpRequest, application: Any, access: selectors.Access, **forms: Any) -> HttpResponse:
    inspection = access.inspection
    context: dict[str, Any] = {
        "application": application,
        "access": access,
        "inspection": inspection,
        "declaration_text": DECLARATION_TEXT,
    }
    if access.is_admin and application.status == "site_inspection" and not (inspection and inspection.frozen):
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            staff=_staff(application),
            initial={"planned_on": inspection.planned_on if inspection else None},
        )
    if inspection is not None:
        context["assignments"] = (
            selectors.assignments_of(inspection) if access.can_see or access.is_admin else []
        )
    if access.must_declare:
        context["declaration_form"] = forms.get("declaration_form") or DeclarationForm()
    if access.can_see and inspection is not None:
        items = list(selectors.items_of(inspection))
        context["sections"] = [
            (label, list(group)) for label, group in groupby(items, key=lambda i: i.section_label)
        ]
        context["progress"] = {"total": len(items), "done": sum(1 for item in items if item.result)}
        mine = access.assignment
        may_sign = mine is not None and mine.status == Assignment.Status.DECLARED and mine.signed_at is None
        if may_sign and application.status == "site_inspection":
            context["signing_problems"] = services.signing_problems(inspection)
            context["sign_form"] = forms.get("sign_form") or SignForm()
    return render(request, "inspection/inspection.html", context)


@bureau_required()
def inspection_page(request: HttpRequest, application_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    return _page(request, application, access)


@require_POST
@bureau_required(Role.BUREAU_ADMIN)
def assign(request: HttpRequest, application_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    form = AssignForm(request.POST, staff=_staff(application))
    if form.is_valid():
        try:
            services.inspection_assign(
                application=application,
                inspectors=list(form.cleaned_data["inspectors"]),
                planned_on=form.cleaned_data["planned_on"],
                by=request.user,
            )
        except services.InspectionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("已指派核查人员，并通知其作利害关系声明"))
            return redirect("inspection:inspection", application.pk)
    return _page(request, application, access, assign_form=form)


@require_POST
@bureau_required(Role.BUREAU_ADMIN)
def unassign(request: HttpRequest, application_id: int, assignment_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    if access.inspection is None:
        raise Http404
    assignment = selectors.assignments_of(access.inspection).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    try:
        services.inspection_unassign(assignment=assignment, by=request.user)
    except services.InspectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已取消指派"))
    return redirect("inspection:inspection", application.pk)


@require_POST
@bureau_required()
def declare(request: HttpRequest, application_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    if access.assignment is None:
        raise Http404
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_declare(
                assignment=access.assignment,
                no_conflict=form.cleaned_data["no_conflict"],
                note=form.cleaned_data["conflict_note"],
                by=request.user,
            )
        except services.InspectionError as error:
            form.add_error(error.field, error.message)
        else:
            if form.cleaned_data["no_conflict"]:
                messages.success(request, _("已声明无利害关系，可以开始现场核查"))
            else:
                messages.success(request, _("已记录利害关系声明，您已回避本次核查"))
            return redirect("inspection:inspection", application.pk)
    return _page(request, application, access, declaration_form=form)


def _item_page(
    request: HttpRequest, application: Any, access: selectors.Access, item: Any, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "inspection/item.html",
        {
            "application": application,
            "access": access,
            "item": item,
            "form": forms.get("form")
            or FindingForm(
                measurable=item.measurable,
                initial={"result": item.result, "note": item.note, "measured": item.measured},
            ),
            "photo_form": forms.get("photo_form") or PhotoForm(),
        },
    )


@bureau_required()
def item_page(request: HttpRequest, application_id: int, item_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    item = selectors.item_for(access, item_id)
    if request.method != "POST":
        return _item_page(request, application, access, item)
    form = FindingForm(request.POST, measurable=item.measurable)
    if form.is_valid():
        try:
            services.finding_record(
                item=item,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                measured=form.cleaned_data.get("measured"),
                by=request.user,
            )
        except services.InspectionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已保存：%(label)s") % {"label": item.label})
            return redirect("inspection:item", application.pk, item.pk)
    return _item_page(request, application, access, item, form=form)


@require_POST
@bureau_required()
def photo_upload(request: HttpRequest, application_id: int, item_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    item = selectors.item_for(access, item_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            services.photo_add(item=item, content=upload.read(), filename=upload.name, by=request.user)
        except services.InspectionError as error:
            form.add_error("photo", error.message)
        else:
            messages.success(request, _("照片已上传"))
            return redirect("inspection:item", application.pk, item.pk)
    return _item_page(request, application, access, item, photo_form=form)


@bureau_required()
def photo(request: HttpRequest, application_id: int, photo_id: int) -> FileResponse:
    """A finding photo, to bureau staff who may see the inspection (never from MEDIA_URL)."""
    _application, access = selectors.access_for(request.user, application_id)
    found = selectors.photo_for(access, photo_id)
    response = FileResponse(found.file.open("rb"), content_type=found.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@bureau_required()
def sign(request: HttpRequest, application_id: int) -> HttpResponse:
    application, access = selectors.access_for(request.user, application_id)
    if not access.can_see or access.inspection is None:
        raise Http404
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            inspection = services.inspection_sign(
                inspection=access.inspection,
                typed_name=form.cleaned_data["typed_name"],
                confirmed=form.cleaned_data["confirmed"],
                by=request.user,
            )
        except services.InspectionError as error:
            form.add_error(error.field, error.message)
        else:
            if inspection.signed_at:
                messages.success(request, _("核查报告已全部签署，报告 PDF 已生成"))
            else:
                messages.success(request, _("已签署，等待其他核查人员签署"))
            return redirect("inspection:inspection", application.pk)
    return _page(request, application, access, sign_form=form)


@bureau_required()
def report(request: HttpRequest, application_id: int) -> FileResponse:
    application, access = selectors.access_for(request.user, application_id)
    inspection = access.inspection
    if not access.can_see or inspection is None or not inspection.report:
        raise Http404
    response = FileResponse(
        inspection.report.open("rb"),
        as_attachment=True,
        filename=f"现场核查报告-{application.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@bureau_required()
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = list(selectors.my_tasks(request.user))
    return render(request, "inspection/my_tasks.html", {"tasks": tasks})
