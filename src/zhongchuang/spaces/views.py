"""The operator's pages over a space: list, overview, profile (附件1) and one page per table.

Views only turn requests into service calls and results into pages: the writes are the audited
services of `spaces.services` and `evidence.services`. Requests from htmx get table-row fragments,
other requests full pages, so every page also works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongchuang.evidence.models import Document
from zhongchuang.evidence.services import EvidenceError, document_store
from zhongchuang.facts.labels import document_label
from zhongchuang.spaces.forms import (
    PROFILE_SECTIONS,
    SPACE_EVIDENCE_KINDS,
    EvidenceUploadForm,
    SpaceCreateForm,
    profile_form_class,
    profile_values,
)
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import PROFILE_COLUMNS, TABLES, Column, TableSpec
from zhongchuang.spaces.selectors import (
    row_for,
    row_history,
    space_for,
    spaces_for,
    table_counts,
    table_query_from,
    table_rows,
    table_spec,
)
from zhongchuang.spaces.services import (
    SpaceError,
    row_create,
    row_delete,
    row_update,
    space_attach_evidence,
    space_create,
    space_update_profile,
)
from zhongchuang.spaces.tables import (
    ATTACHMENTS,
    PAGE_SIZE,
    RowWarning,
    attachment_group,
    child_tables,
    choice_options,
    column_label,
    display,
    english,
    form_values,
    parent_field,
    row_form_class,
    row_warnings,
    shown_columns,
    table_heading,
    table_label,
)


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Spaces ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def space_list(request: HttpRequest) -> HttpResponse:
    spaces = spaces_for(request.user)
    membership = getattr(request.user, "membership", None)
    can_create = membership is not None and membership.is_operator
    form = SpaceCreateForm(request.POST or None, auto_id="space-%s")
    if request.method == "POST":
        if not can_create:
            raise Http404
        if form.is_valid():
            space = space_create(
                organisation=membership.organisation, name=form.cleaned_data["name"], by=request.user
            )
            messages.success(request, _("已创建众创空间“%(name)s”") % {"name": space})
            return redirect("spaces:space_detail", space_id=space.pk)
    return render(
        request, "spaces/space_list.html", {"spaces": spaces, "form": form, "can_create": can_create}
    )


@login_required
def space_detail(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    counts = table_counts(space)
    groups = []
    for key, zh, en in ATTACHMENTS:
        tables = [
            {"spec": spec, "label": table_label(spec), "count": counts[spec.name]}
            for spec in TABLES
            if attachment_group(spec) == key
        ]
        groups.append(
            {"key": key, "label": en if english() else zh, "tables": tables, "profile": key == "附件1"}
        )
    documents = Document.objects.filter(space=space).count()
    return render(
        request, "spaces/space_detail.html", {"space": space, "groups": groups, "documents": documents}
    )


# --- Profile (附件1) ---------------------------------------------------------------------------


def _profile_sections(form: Any) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "fields": [form[column.name] for column in columns]}
        for key, label, columns in PROFILE_SECTIONS
    ]


def _profile_warnings(space: Space) -> list[RowWarning]:
    """Facts problems of the operator, space and cultivation blocks (rows have their own pages)."""
    from zhongchuang.bridge.services import space_facts
    from zhongchuang.errors import FactsError

    try:
        space_facts(space)
    except FactsError as error:
        by_path = {".".join(column.path): column for column in PROFILE_COLUMNS}
        out = []
        for problem in error.problems:
            if "[" in problem.where or not problem.where.startswith(("operator.", "space.", "cultivation")):
                continue
            column = by_path.get(problem.where)
            label = column_label(column) if column else problem.where
            out.append(RowWarning(label, problem.en if english() else problem.zh))
        return out
    return []


def _profile_page(
    request: HttpRequest,
    space: Space,
    form: Any,
    upload: EvidenceUploadForm | None = None,
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    evidence = space.evidence.order_by("id")
    context = {
        "space": space,
        "form": form,
        "sections": _profile_sections(form),
        "warnings": _profile_warnings(space),
        "saved": saved,
        "evidence": evidence,
        "upload": upload or EvidenceUploadForm(kinds=SPACE_EVIDENCE_KINDS),
        "upload_action": reverse("spaces:profile_upload", args=[space.pk]),
        "history": _history(row_history(space, "profile", space.pk), PROFILE_COLUMNS),
    }
    return render(request, "spaces/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    form_class = profile_form_class(space)
    if request.method == "POST":
        form = form_class(request.POST, instance=Space.objects.get(pk=space.pk), auto_id="profile-%s")
        if form.is_valid():
            space = space_update_profile(space=space, values=profile_values(form), by=request.user)
            messages.success(request, _("草稿已保存"))
            return redirect("spaces:profile", space_id=space.pk)
        return _profile_page(request, space, form)
    return _profile_page(request, space, form_class(instance=space, auto_id="profile-%s"))


@login_required
@require_POST
def profile_upload(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    upload = EvidenceUploadForm(request.POST, request.FILES, kinds=SPACE_EVIDENCE_KINDS)
    document = _store_upload(request, space, upload)
    if document is None:
        form = profile_form_class(space)(instance=space, auto_id="profile-%s")
        return _profile_page(request, space, form, upload)
    space_attach_evidence(space=space, documents=[document], by=request.user)
    messages.success(request, _("已上传“%(title)s”") % {"title": document.title})
    return redirect(reverse("spaces:profile", args=[space.pk]) + "#evidence")


def _store_upload(request: HttpRequest, space: Space, upload: EvidenceUploadForm) -> Document | None:
    """Store a valid upload, or put the reason on the form and return None."""
    if not upload.is_valid():
        return None
    file = upload.cleaned_data["file"]
    # Never read more than one byte past the limit: the store refuses it by its size.
    content = file.read(settings.EVIDENCE_MAX_BYTES + 1)
    try:
        return document_store(
            space=space,
            kind=upload.cleaned_data["kind"],
            title=upload.cleaned_data["title"],
            content=content,
            filename=file.name or "",
            by=request.user,
        )
    except EvidenceError as error:
        upload.add_error("file", error.message)
        return None


# --- Tables ------------------------------------------------------------------------------------


def _heading_context(space: Space, spec: TableSpec) -> dict[str, Any]:
    return {"space": space, "spec": spec, "heading": table_heading(spec), "table_label": table_label(spec)}


def _row_view(spec: TableSpec, row: models.Model, shown: tuple[Column, ...]) -> dict[str, Any]:
    parent = parent_field(spec)
    return {
        "row": row,
        "cells": [display(row, column) for column in shown],
        "parent": getattr(row, parent) if parent else None,
        "evidence_count": len(row.evidence.all()),  # type: ignore[attr-defined]
        "warnings": row_warnings(spec, row),
        "children": [
            (table_label(child), child.name, getattr(row, f"n_{child.name}", None))
            for child in child_tables(spec)
        ],
    }


def _row_context(space: Space, spec: TableSpec) -> dict[str, Any]:
    shown = shown_columns(spec)
    return {
        **_heading_context(space, spec),
        "shown": shown,
        "colspan": len(shown) + 4 + (1 if spec.parent else 0) + (1 if child_tables(spec) else 0),
    }


@login_required
def table(request: HttpRequest, space_id: int, table: str) -> HttpResponse:
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    shown = shown_columns(spec)
    query = table_query_from(spec, request.GET, shown)
    rows = table_rows(space, spec, query)
    for child in child_tables(spec):
        rows = rows.annotate(**{f"n_{child.name}": models.Count(child.name, distinct=True)})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)

    def url_with(**changes: Any) -> str:
        new = params.copy()
        for key, value in changes.items():
            new.pop(key, None)
            if value not in (None, ""):
                new[key] = value
        return "?" + new.urlencode()

    headers = []
    for column in shown:
        state = (
            "ascending"
            if query.sort == column.name
            else "descending"
            if query.sort == f"-{column.name}"
            else ""
        )
        headers.append(
            {
                "label": column_label(column),
                "state": state,
                "url": url_with(sort=f"-{column.name}" if state == "ascending" else column.name),
            }
        )
    filters = [
        {
            "name": f"f_{column.name}",
            "label": column_label(column),
            "value": dict(query.filters).get(column.name, ""),
            "choices": choice_options(column)
            if column.kind == "choice"
            else (("yes", _("是")), ("no", _("否")), ("unknown", _("未填"))),
        }
        for column in shown
        if column.kind in ("choice", "bool")
    ]
    parent_row = None
    if spec.parent and query.parent_id is not None:
        parent_row = ROW_MODELS[spec.parent].objects.filter(space=space, pk=query.parent_id).first()  # type: ignore[attr-defined]
    context = {
        **_row_context(space, spec),
        "page": page,
        "rows": [_row_view(spec, row, shown) for row in page.object_list],
        "headers": headers,
        "filters": filters,
        "q": query.q,
        "sort": query.sort,
        "parent_row": parent_row,
        "parent_label": table_label(table_spec(spec.parent)) if spec.parent else "",
        "children": [(table_label(child), child.name) for child in child_tables(spec)],
        "previous_url": url_with(page=page.previous_page_number()) if page.has_previous() else "",
        "next_url": url_with(page=page.next_page_number()) if page.has_next() else "",
        "new_url": reverse("spaces:row_new", args=[space.pk, spec.name])
        + (f"?parent={query.parent_id}" if parent_row is not None else ""),
    }
    return render(request, "spaces/table.html", context)


def _form_page(
    request: HttpRequest,
    space: Space,
    spec: TableSpec,
    form: Any,
    action: str,
    row: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {**_row_context(space, spec), "form": form, "action": action, "row": row}
    if _htmx(request):
        return render(request, "spaces/_row_form_tr.html", {**context, "inline": True}, status=status)
    return render(request, "spaces/row_form_page.html", {**context, "inline": False}, status=status)


def _saved(request: HttpRequest, space: Space, spec: TableSpec, row: Any, created: bool) -> HttpResponse:
    row = row_for(space, spec, row.pk)
    warnings = row_warnings(spec, row)
    if _htmx(request):
        context = {
            **_row_context(space, spec),
            "item": _row_view(spec, row, shown_columns(spec)),
            "notice": True,
            "notice_warnings": warnings,
        }
        return render(request, "spaces/_row.html", context)
    if warnings:
        messages.warning(
            request, _("草稿已保存；提交申报前需修正：%(items)s") % {"items": "；".join(map(str, warnings))}
        )
    else:
        messages.success(request, _("草稿已保存"))
    return redirect("spaces:row_detail", space_id=space.pk, table=spec.name, row_id=row.pk)


@login_required
@require_http_methods(["GET", "POST"])
def row_new(request: HttpRequest, space_id: int, table: str) -> HttpResponse:
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    if request.GET.get("cancel"):
        return HttpResponse("")
    form_class = row_form_class(spec, space)
    action = reverse("spaces:row_new", args=[space.pk, spec.name])
    if request.method == "POST":
        form = form_class(request.POST, auto_id="new-%s")
        if form.is_valid():
            parent = form.cleaned_data.get(parent_field(spec) or "")
            row = row_create(
                space=space,
                table=spec.name,
                values=form_values(form, spec.columns),
                by=request.user,
                parent=parent,
            )
            return _saved(request, space, spec, row, created=True)
        return _form_page(request, space, spec, form, action)
    initial = {}
    parent = parent_field(spec)
    if parent and request.GET.get("parent", "").isdigit():
        initial[parent] = int(request.GET["parent"])
    return _form_page(request, space, spec, form_class(initial=initial, auto_id="new-%s"), action)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, space_id: int, table: str, row_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    row = row_for(space, spec, row_id)
    form_class = row_form_class(spec, space)
    action = reverse("spaces:row_edit", args=[space.pk, spec.name, row.pk])
    auto_id = f"row{row.pk}-%s"
    if request.method == "POST":
        form = form_class(
            request.POST, instance=ROW_MODELS[spec.name].objects.get(pk=row.pk), auto_id=auto_id
        )  # type: ignore[attr-defined]
        if form.is_valid():
            values = form_values(form, spec.columns)
            parent = parent_field(spec)
            if parent:
                values[parent] = form.cleaned_data[parent]
            row = row_update(row=row, values=values, by=request.user)
            return _saved(request, space, spec, row, created=False)
        return _form_page(request, space, spec, form, action, row)
    return _form_page(request, space, spec, form_class(instance=row, auto_id=auto_id), action, row)


@login_required
def row_show(request: HttpRequest, space_id: int, table: str, row_id: int) -> HttpResponse:
    """One row as a table row (htmx: cancelling an edit)."""
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    row = row_for(space, spec, row_id)
    if not _htmx(request):
        return redirect("spaces:row_detail", space_id=space.pk, table=spec.name, row_id=row.pk)
    return render(
        request,
        "spaces/_row.html",
        {**_row_context(space, spec), "item": _row_view(spec, row, shown_columns(spec))},
    )


@login_required
@require_POST
def row_remove(request: HttpRequest, space_id: int, table: str, row_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    row = row_for(space, spec, row_id)
    ref = row.ref
    try:
        row_delete(row=row, by=request.user)
    except SpaceError as error:
        if _htmx(request):
            context = {
                **_row_context(space, spec),
                "item": _row_view(spec, row_for(space, spec, row_id), shown_columns(spec)),
                "delete_error": error.message,
            }
            return render(request, "spaces/_row.html", context)
        messages.error(request, error.message)
        return redirect("spaces:row_detail", space_id=space.pk, table=spec.name, row_id=row_id)
    message = _("已删除 %(ref)s") % {"ref": ref}
    if _htmx(request):
        return render(request, "spaces/_deleted.html", {**_row_context(space, spec), "message": message})
    messages.success(request, message)
    return redirect("spaces:table", space_id=space.pk, table=spec.name)


def _history(entries: Any, columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    labels = {column.name: column_label(column) for column in columns}
    labels["ref"] = _("编号")
    return [
        {
            "entry": entry,
            "changes": [(labels.get(name, name), before, after) for name, before, after in entry.changes()],
        }
        for entry in entries
    ]


def _row_detail_page(
    request: HttpRequest, space: Space, spec: TableSpec, row: Any, upload: EvidenceUploadForm | None = None
) -> HttpResponse:
    parent = parent_field(spec)
    fields = [(column_label(column), display(row, column)) for column in spec.columns]
    if parent:
        fields.insert(0, (table_label(table_spec(spec.parent or "")), getattr(row, parent).ref))
    attached = list(row.evidence.all())
    slots = [
        {"kind": kind, "label": document_label(kind), "documents": [d for d in attached if d.kind == kind]}
        for kind in spec.evidence_kinds
    ]
    others = [d for d in attached if d.kind not in spec.evidence_kinds]
    context = {
        **_heading_context(space, spec),
        "row": row,
        "fields": fields,
        "warnings": row_warnings(spec, row),
        "slots": slots,
        "others": others,
        "upload": upload or EvidenceUploadForm(kinds=spec.evidence_kinds),
        "upload_action": reverse("spaces:row_upload", args=[space.pk, spec.name, row.pk]),
        "history": _history(
            row_history(space, spec.name, row.pk, tuple(d.pk for d in attached)), spec.columns
        ),
        "children": [(table_label(child), child.name) for child in child_tables(spec)],
    }
    return render(request, "spaces/row_detail.html", context)


@login_required
def row_detail(request: HttpRequest, space_id: int, table: str, row_id: int) -> HttpResponse:
    """Every field of a row, its warnings, its evidence slots and its history."""
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    return _row_detail_page(request, space, spec, row_for(space, spec, row_id))


@login_required
@require_POST
def row_upload(request: HttpRequest, space_id: int, table: str, row_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    row = row_for(space, spec, row_id)
    upload = EvidenceUploadForm(request.POST, request.FILES, kinds=spec.evidence_kinds)
    document = _store_upload(request, space, upload)
    if document is None:
        return _row_detail_page(request, space, spec, row, upload)
    row_update(row=row, values={}, evidence=[*row.evidence.all(), document], by=request.user)
    messages.success(request, _("已上传“%(title)s”") % {"title": document.title})
    return redirect(reverse("spaces:row_detail", args=[space.pk, spec.name, row.pk]) + "#evidence")


@login_required
@require_POST
def row_detach(request: HttpRequest, space_id: int, table: str, row_id: int, doc_id: int) -> HttpResponse:
    """Take a document off a row (the file stays in the space's document list)."""
    space = space_for(request.user, space_id)
    spec = table_spec(table)
    row = row_for(space, spec, row_id)
    remaining = [document for document in row.evidence.all() if document.pk != doc_id]
    if len(remaining) == len(row.evidence.all()):
        raise Http404
    row_update(row=row, values={}, evidence=remaining, by=request.user)
    messages.success(request, _("已从本行移除该材料"))
    return redirect(reverse("spaces:row_detail", args=[space.pk, spec.name, row.pk]) + "#evidence")
