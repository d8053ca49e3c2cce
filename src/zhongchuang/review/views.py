"""Staff pages of one application (case, receipt, formal review, corrections, diff) and a round's intake.

Only bureau staff reach them (operators get 404) and only for their bureau's applications (404).
Views turn forms into service calls and errors into messages; the rules live in services and guards.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongchuang.accounts.permissions import bureau_required
from zhongchuang.applications.models import Application
from zhongchuang.applications.selectors import application_for, bureau_round_for, versions_of
from zhongchuang.evidence.models import Document
from zhongchuang.review import selectors, services
from zhongchuang.review.diff import version_diff
from zhongchuang.review.forms import (
    CorrectionDueForm,
    CorrectionItemFormSet,
    ReceiptForm,
    ReviewItemForm,
    VerdictForm,
)
from zhongchuang.review.services import CorrectionEntry, ReviewError
from zhongchuang.spaces.schema import TABLES_BY_NAME
from zhongchuang.workflow.services import workflow_role

STAFF = ("reviewer", "bureau_admin")


def _form_error(form: Form, error: ReviewError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _can_review(user: Any) -> bool:
    return workflow_role(user) in STAFF


# --- case page -------------------------------------------------------------------------------------


@bureau_required()
def case(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    context = {
        "application": application,
        "versions": versions_of(application),
        "receipts": selectors.receipts_of(application),
        "sheet": selectors.review_sheet(application),
        "corrections": selectors.correction_requests_of(application),
    }
    return render(request, "review/case.html", context)


@bureau_required()
def round_intake(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = bureau_round_for(request.user, round_id)
    context = {"round": round_, "applications": selectors.round_intake(round_)}
    return render(request, "review/round_intake.html", context)


# --- intake ----------------------------------------------------------------------------------------


@bureau_required()
def receipt(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.receipt_log(
                application,
                received_at=data["received_at"],
                postmark_date=data["postmark_date"],
                tracking_number=data["tracking_number"],
                carrier=data["carrier"],
                pages=data["pages"],
                note=data["note"],
                by=request.user,
            )
        except ReviewError as error:
            _form_error(form, error)
        else:
            if outcome.receipt.accepted:
                messages.success(request, _("已登记收件并受理"))
            else:
                messages.warning(request, outcome.receipt.refusal_reason)
            for warning in outcome.receipt.warnings:
                messages.warning(request, warning)
            return redirect("review:receipt", application.pk)
    context = {
        "application": application,
        "form": form,
        "receipts": selectors.receipts_of(application),
        "can_log": application.status == Application.Status.SUBMITTED and _can_review(request.user),
    }
    return render(request, "review/receipt.html", context)


# --- formal review ---------------------------------------------------------------------------------


def _review_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    """The review sheet with a form per criterion and per review item: bound (with its errors and what
    was typed) for the one just refused, else pre-filled with the current verdict."""
    sheet = selectors.review_sheet(application)
    if sheet is None:
        raise Http404
    errors: dict[str, Form] = extra.pop("errors", {})
    for row in sheet.rows:
        verdict = row.verdict
        row.form = errors.get(row.criterion.id) or VerdictForm(  # type: ignore[attr-defined]
            prefix=row.criterion.id,
            initial={"verdict": verdict.verdict, "reason": verdict.reason} if verdict else None,
        )
        for item in row.items:
            done = item.resolution
            item.form = errors.get(item.check.id) or ReviewItemForm(  # type: ignore[attr-defined]
                prefix=item.check.id, initial={"outcome": done.outcome, "note": done.note} if done else None
            )
    return {
        "application": application,
        "sheet": sheet,
        "editable": application.status == Application.Status.FORMAL_REVIEW and _can_review(request.user),
        **extra,
    }


@bureau_required()
def formal_review(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    return render(request, "review/formal_review.html", _review_context(request, application))


def _row_response(
    request: HttpRequest, application: Application, anchor: str, errors: dict[str, Any]
) -> HttpResponse:
    """htmx gets the one criterion back; a plain form post the whole page (with the error) or a redirect."""
    context = _review_context(request, application, errors=errors)
    if request.headers.get("HX-Request"):
        row = next(r for r in context["sheet"].rows if r.criterion.id == anchor)
        return render(request, "review/_criterion.html", {**context, "row": row})
    if errors:
        return render(request, "review/formal_review.html", context, status=200)
    return redirect(reverse("review:formal_review", args=[application.pk]) + f"#c-{anchor}")


def _criterion_holding(application: Application, item_id: str) -> str:
    """The criterion `item_id` (a criterion or one of its review checks) belongs to; 404 if none."""
    sheet = selectors.review_sheet(application)
    for row in sheet.rows if sheet else []:
        if row.criterion.id == item_id or any(i.check.id == item_id for i in row.items):
            return row.criterion.id
    raise Http404


@bureau_required(*STAFF)
@require_POST
def criterion_verdict(request: HttpRequest, application_id: int, criterion_id: str) -> HttpResponse:
    application = application_for(request.user, application_id)
    _criterion_holding(application, criterion_id)
    form = VerdictForm(request.POST, prefix=criterion_id)
    if form.is_valid():
        try:
            services.criterion_verdict_give(
                application,
                criterion_id=criterion_id,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ReviewError as error:
            _form_error(form, error)
    return _row_response(request, application, criterion_id, {criterion_id: form} if form.errors else {})


@bureau_required(*STAFF)
@require_POST
def review_item(request: HttpRequest, application_id: int, check_id: str) -> HttpResponse:
    application = application_for(request.user, application_id)
    criterion_id = _criterion_holding(application, check_id)
    form = ReviewItemForm(request.POST, prefix=check_id)
    if form.is_valid():
        try:
            services.review_item_resolve(
                application,
                check_id=check_id,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ReviewError as error:
            _form_error(form, error)
    return _row_response(request, application, criterion_id, {check_id: form} if form.errors else {})


@bureau_required()
def evidence_download(request: HttpRequest, application_id: int, ref: str) -> FileResponse:
    """A document frozen in a version, to the round's bureau: served only if its hash still matches."""
    application = application_for(request.user, application_id)
    entry = selectors.evidence_entry(application, ref)
    if entry is None or not ref.startswith("D") or not ref[1:].isdigit():
        raise Http404
    document = Document.objects.filter(
        pk=int(ref[1:]), space_id=application.space_id, sha256=entry.get("sha256")
    ).first()
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or ref,
        content_type=document.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- corrections -----------------------------------------------------------------------------------


@bureau_required()
def correction_request(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    sheet = selectors.review_sheet(application)
    criteria = [(c.id, f"{c.id} {c.title_zh}") for c in sheet.result.criteria] if sheet else []
    data = request.POST if request.method == "POST" else None
    due_form = CorrectionDueForm(data)
    formset = CorrectionItemFormSet(data, prefix="items", form_kwargs={"criteria": criteria})
    items_error = ""
    if request.method == "POST" and due_form.is_valid() and formset.is_valid():
        entries = [
            CorrectionEntry(
                f.cleaned_data.get("text", ""),
                f.cleaned_data.get("criterion_id", ""),
                f.cleaned_data.get("table", ""),
            )
            for f in formset
        ]
        try:
            services.correction_request_create(
                application, items=entries, due_date=due_form.cleaned_data["due_date"], by=request.user
            )
        except ReviewError as error:
            if error.field == "items":
                items_error = error.message
            else:
                _form_error(due_form, error)
        else:
            messages.success(request, _("已发出补正通知"))
            return redirect("review:case", application.pk)
    context = {
        "application": application,
        "due_form": due_form,
        "formset": formset,
        "items_error": items_error,
        "editable": application.status == Application.Status.FORMAL_REVIEW and _can_review(request.user),
        "corrections": selectors.correction_requests_of(application),
    }
    return render(request, "review/correction_request.html", context)


@bureau_required()
def diff(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    numbers = list(application.versions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404

    def number(name: str, default: int) -> int:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and int(value) in numbers else default

    new = number("to", numbers[-1])
    old = number("from", numbers[-2] if len(numbers) > 1 and new == numbers[-1] else max(1, new - 1))
    versions = {v.number: v for v in application.versions.filter(number__in=[old, new])}
    result = version_diff(
        *(
            {
                "facts": versions[n].facts,
                "evidence": versions[n].evidence,
                "evaluation": versions[n].evaluation,
            }
            for n in (old, new)
        )
    )
    context = {
        "application": application,
        "numbers": numbers,
        "old": old,
        "new": new,
        "diff": result,
        "table_labels": {name: spec.label_zh for name, spec in TABLES_BY_NAME.items()},
    }
    return render(request, "review/version_diff.html", context)
