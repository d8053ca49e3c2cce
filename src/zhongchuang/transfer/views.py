"""Import / export pages, the application packet buttons, and the job page with its progress bar.

Every URL resolves its space, application or job through a selector scoped to the user, so another
organisation's ids answer 404. The work itself runs in background tasks (`tasks.py`).
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhongchuang.applications.selectors import (
    application_for,
    is_operator,
    operator_application_for,
    versions_of,
)
from zhongchuang.spaces.schema import TABLES
from zhongchuang.spaces.selectors import space_for, table_spec
from zhongchuang.transfer import services, tasks
from zhongchuang.transfer.exports import table_workbook
from zhongchuang.transfer.forms import ImportForm
from zhongchuang.transfer.models import Job
from zhongchuang.transfer.selectors import application_jobs, job_for, space_jobs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {
    ".xlsx": XLSX,
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _attachment(content: bytes, name: str) -> FileResponse:
    suffix = "." + name.rsplit(".", 1)[-1]
    response = FileResponse(
        BytesIO(content),
        as_attachment=True,
        filename=name,
        content_type=MIME.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- a space: template, import, export -------------------------------------------------------------


def _space_page(request: HttpRequest, space: object, form: ImportForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "transfer/space_transfer.html",
        {"space": space, "form": form, "tables": TABLES, "jobs": space_jobs(space)},  # type: ignore[arg-type]
        status=status,
    )


@login_required
@require_GET
def space_transfer(request: HttpRequest, space_id: int) -> HttpResponse:
    return _space_page(request, space_for(request.user, space_id), ImportForm())


@login_required
@require_GET
def template_download(request: HttpRequest, space_id: int) -> FileResponse:
    space_for(request.user, space_id)
    buffer = BytesIO()
    tasks.write_workbook(buffer, None)
    return _attachment(buffer.getvalue(), _("众创空间认定填报模板") + ".xlsx")


@login_required
@require_POST
def import_upload(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["workbook"]
        try:
            job = services.import_start(
                space=space, content=upload.read(), filename=upload.name, by=request.user
            )
        except services.TransferError as error:
            form.add_error("workbook", error.message)
        else:
            return redirect("transfer:job_detail", job.pk)
    return _space_page(request, space, form, status=400)


@login_required
@require_POST
def export_space(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    job = services.export_start(space=space, by=request.user)
    return redirect("transfer:job_detail", job.pk)


@login_required
@require_GET
def export_table(request: HttpRequest, space_id: int, table: str) -> FileResponse:
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    name = tasks.file_name(space.space_name or _("众创空间"), spec.label_zh) + ".xlsx"
    return _attachment(table_workbook(space, spec), name)


# --- jobs ------------------------------------------------------------------------------------------


def _job_context(job: Job) -> dict[str, object]:
    payload = job.payload or {}
    return {
        "job": job,
        "problems": payload.get("problems", []),
        "plan": payload.get("plan"),
        "poll": not job.finished,
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for(request.user, job_id)
    return render(request, "transfer/job_detail.html", _job_context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The polled fragment; once the job has finished, htmx stops polling (286) and reloads the page."""
    job = job_for(request.user, job_id)
    response = render(request, "transfer/_progress.html", _job_context(job))
    if job.finished:
        response.status_code = 286
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = job_for(request.user, job_id)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404
    name = job.result_name or f"job-{job.pk}"
    response = FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=MIME.get("." + name.rsplit(".", 1)[-1], "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for(request.user, job_id)
    if job.space is None:
        raise Http404
    space_for(request.user, job.space.pk)  # operators of the space only
    try:
        services.import_confirm(job=job, by=request.user)
    except services.TransferError as error:
        messages.error(request, error.message)
    return redirect("transfer:job_detail", job.pk)


# --- application packets ---------------------------------------------------------------------------


@login_required
@require_GET
def application_packets(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    return render(
        request,
        "transfer/application_packets.html",
        {
            "application": application,
            "versions": versions_of(application),
            "is_operator": is_operator(request.user),
            "jobs": application_jobs(request.user, application),
        },
    )


@login_required
@require_POST
def packet_create(request: HttpRequest, application_id: int) -> HttpResponse:
    """`format` pdf or docx; `version` a submitted version's number, or empty for the draft (operators only)."""
    application = application_for(request.user, application_id)
    number = request.POST.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        version = versions_of(application).filter(number=int(number)).first()
        if version is None:
            raise Http404
    else:
        application = operator_application_for(request.user, application_id)
        version = None
    try:
        job = services.packet_start(
            application=application, version=version, fmt=request.POST.get("format", ""), by=request.user
        )
    except services.TransferError as error:
        messages.error(request, error.message)
        return redirect(reverse("transfer:application_packets", args=[application.pk]))
    return redirect("transfer:job_detail", job.pk)
