"""Writes of the transfer app: starting jobs, recording their progress, and applying an import.

A job is created in the request's transaction and its task is enqueued on commit, so a worker never
sees a job that was rolled back. The task records progress with plain UPDATEs outside any transaction
(the job page polls them); an import is applied in one transaction through the row services, so a
failure leaves nothing half-written, and result files are saved only once complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongchuang.evidence.models import Document
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import PROFILE_COLUMNS, TABLES
from zhongchuang.spaces.services import SpaceError, row_create, row_delete, row_update, space_update_profile
from zhongchuang.transfer.models import Job
from zhongchuang.transfer.selectors import import_match

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: Excel 97–2003


class TransferError(Exception):
    """A transfer that cannot be done; `message` (Chinese) is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- jobs ------------------------------------------------------------------------------------------


def _enqueue(task: Any, job: Job) -> None:
    """Hand the job to the task backend once the transaction that created it has committed."""

    def send() -> None:
        try:
            result = task.enqueue(job.pk)
        except Exception as error:  # a misconfigured backend must not leave the job queued forever
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=_("无法启动后台任务：%(error)s") % {"error": error},
                finished_at=timezone.now(),
            )
            raise
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


@transaction.atomic
def import_start(*, space: Space, content: bytes, filename: str, by: Any) -> Job:
    """Store the uploaded workbook privately and queue its check (problems, or a preview)."""
    from zhongchuang.transfer.tasks import import_check

    if not (content.startswith(XLSX_MAGIC) or content.startswith(XLS_MAGIC)):
        raise TransferError(_("文件不是 Excel 工作簿（.xlsx 或 .xls）"))
    job = Job(
        space=space,
        kind=Job.Kind.IMPORT,
        stage=Job.Stage.CHECK,
        created_by=by,
        source_name=filename[:255],
        message=_("等待后台处理"),
    )
    job.source.save(filename, ContentFile(content), save=False)
    job.save()
    _enqueue(import_check, job)
    return job


@transaction.atomic
def import_confirm(*, job: Job, by: Any) -> Job:
    """The user accepted the preview: queue the import itself."""
    from zhongchuang.transfer.tasks import import_run

    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.kind != Job.Kind.IMPORT or job.stage != Job.Stage.PREVIEW or job.status != Job.Status.DONE:
        raise TransferError(_("该导入不在待确认状态"))
    if job.payload.get("plan", {}).get("empty"):
        raise TransferError(_("工作簿与现有数据相同，无需导入"))
    job.stage, job.status = Job.Stage.APPLY, Job.Status.QUEUED
    job.done, job.total, job.message, job.error = 0, 0, _("等待后台处理"), ""
    job.started_at = job.finished_at = None
    job.save()
    _enqueue(import_run, job)
    return job


@transaction.atomic
def export_start(*, space: Space, by: Any) -> Job:
    from zhongchuang.transfer.tasks import export_run

    job = Job.objects.create(space=space, kind=Job.Kind.EXPORT, created_by=by, message=_("等待后台处理"))
    _enqueue(export_run, job)
    return job


@transaction.atomic
def packet_start(*, application: Any, version: Any | None, fmt: str, by: Any) -> Job:
    """Queue a packet: of a submitted version, or (version None) the draft of the current data."""
    from zhongchuang.transfer.tasks import packet_run

    kind = {"pdf": Job.Kind.PACKET_PDF, "docx": Job.Kind.PACKET_DOCX}.get(fmt)
    if kind is None:
        raise TransferError(_("未知的格式"))
    if version is not None and version.application_id != application.pk:
        raise TransferError(_("版本不属于该申报"))
    job = Job.objects.create(
        application=application, version=version, kind=kind, created_by=by, message=_("等待后台处理")
    )
    _enqueue(packet_run, job)
    return job


def job_progress(job: Job, done: int, total: int, message: str = "") -> None:
    """Record progress where the job page can read it (a plain UPDATE, not inside the work's transaction)."""
    job.done, job.total = min(done, total), total
    fields: dict[str, Any] = {"done": job.done, "total": total}
    if message:
        job.message = fields["message"] = message[:200]
    Job.objects.filter(pk=job.pk).update(**fields)


def job_started(job: Job) -> None:
    job.status, job.started_at, job.error = Job.Status.RUNNING, timezone.now(), ""
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at, error="")


def job_finished(
    job: Job,
    *,
    message: str,
    result: bytes | None = None,
    result_name: str = "",
    stage: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Mark the job done; the result file is written here, whole, or not at all."""
    job.status, job.finished_at, job.message = Job.Status.DONE, timezone.now(), message[:200]
    job.done = job.total = max(job.total, 1)
    if stage is not None:
        job.stage = stage
    if payload is not None:
        job.payload = payload
    if result is not None:
        job.result_name = result_name[:255]
        job.result.save(result_name, ContentFile(result), save=False)
    job.save()


def job_failed(job: Job, reason: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, error=reason, finished_at=timezone.now(), message=_("失败")
    )


# --- applying an import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    added: int
    changed: int
    removed: int
    profile: int  # profile fields changed

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.profile)


def _db_value(column: Any, value: Any) -> Any:
    if value is None:
        return [] if column.kind == "list" else "" if column.kind in ("text", "choice") else None
    return value


@transaction.atomic
def import_apply(
    *,
    space: Space,
    data: dict[str, Any],
    by: Any,
    tables: list[str] | None = None,
    expected_version: int | None = None,
) -> ImportSummary:
    """Make the space's data equal to the workbook's (valid facts data), in one audited transaction.

    Rows are matched as the preview showed (`selectors.import_match`); matched rows that differ are
    updated, new ones created, missing ones deleted (children before parents), all through the row
    services so each change is audited and bumps the data version. `tables` limits the import to the
    tables the workbook carries; the others are left as they are. Evidence links of existing rows are
    kept; new rows get the documents of this space the workbook names. With `expected_version`, the
    import is refused when the space changed since the preview was computed.
    """
    facts = parse_facts(data)
    space = Space.objects.select_for_update().select_related("organisation").get(pk=space.pk)
    if expected_version is not None and space.data_version != expected_version:
        raise TransferError(_("预览生成之后，空间数据已被修改；请重新上传工作簿，查看最新的变化后再确认"))
    match = import_match(space, facts, tables)
    if match.profile:
        columns = {column.name: column for column in PROFILE_COLUMNS}
        space_update_profile(
            space=space,
            values={name: _db_value(columns[name], value) for name, value in match.profile.items()},
            by=by,
        )
    documents = {document.ref: document for document in Document.objects.filter(space=space)}
    # Rows reachable by final ref, to fill link columns and the lease's site.
    instances: dict[str, dict[str, models.Model]] = {}
    targets = {column.link for spec in TABLES for column in spec.columns if column.link} | {
        spec.parent for spec in TABLES if spec.parent
    }
    for spec in TABLES:
        if spec.name in targets:
            instances[spec.name] = {
                row.ref or f"{spec.name}-{row.pk}": row  # type: ignore[attr-defined]
                for row in ROW_MODELS[spec.name].objects.filter(space=space)  # type: ignore[attr-defined]
            }
    for table in match.tables:  # parents and link targets come first in TABLES
        spec = table.spec

        def values_of(op: Any, names: list[str]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for column in spec.columns:  # noqa: B023 - used within this iteration only
                if column.name not in names:
                    continue
                value = op.values[column.name]
                if column.kind == "link":
                    out[column.name] = instances.get(column.link or "", {}).get(value) if value else None
                else:
                    out[column.name] = _db_value(column, _raw(op.item, column.path))
            return out

        for op in table.changed:
            row_update(row=op.row, values=values_of(op, op.changed), by=by)
        for op in table.added:
            values = values_of(op, [column.name for column in spec.columns])
            if op.wb_id and not spec.parent:
                values["ref"] = op.wb_id
            parent = instances["sites"].get(op.parent) if spec.parent else None
            evidence = [documents[ref] for ref in (op.item or {}).get("evidence", []) if ref in documents]
            row = row_create(
                space=space, table=spec.name, values=values, evidence=evidence, by=by, parent=parent
            )
            if spec.name in instances:
                instances[spec.name][row.ref] = row  # type: ignore[attr-defined]
    for table in reversed(match.tables):  # children before the rows they point at
        for op in table.removed:
            row_delete(row=op.row, by=by)  # type: ignore[arg-type]
    return ImportSummary(
        added=sum(len(table.added) for table in match.tables),
        changed=sum(len(table.changed) for table in match.tables),
        removed=sum(len(table.removed) for table in match.tables),
        profile=len(match.profile),
    )


def _raw(item: dict[str, Any] | None, path: tuple[str, ...]) -> Any:
    value: Any = item
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


__all__ = [
    "ImportSummary",
    "SpaceError",
    "TransferError",
    "export_start",
    "import_apply",
    "import_confirm",
    "import_start",
    "job_failed",
    "job_finished",
    "job_progress",
    "job_started",
    "packet_start",
]
