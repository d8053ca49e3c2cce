"""Background tasks (Django tasks API, `django-tasks` backport): each runs one Job and records its progress.

The worker runs them (`python -m django db_worker` with the default database backend; `zc demo` starts
it). Each task takes only the job id, so any backend can serialise it. A job that already finished is
not run again; a failure is recorded on the job with its reason in Chinese, and nothing is left
half-written: imports apply in one transaction, files are saved only when complete.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from zhongchuang.bridge.services import space_facts_data
from zhongchuang.errors import FactsError
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.schema import TABLES
from zhongchuang.spaces.services import SpaceError
from zhongchuang.transfer.models import Job
from zhongchuang.transfer.selectors import import_match, plan_summary, present_tables
from zhongchuang.transfer.services import (
    TransferError,
    import_apply,
    job_failed,
    job_finished,
    job_progress,
    job_started,
)

logger = logging.getLogger(__name__)


# --- the other helpers' contracts, reached through these names so tests can stand in for them -------


def read_workbook(content: bytes, *, filename: str = "") -> Any:
    from zhongchuang.tabular import read_workbook as read

    return read(content, filename=filename)


def write_workbook(target: Any, facts_data: dict[str, Any] | None = None, **options: Any) -> None:
    from zhongchuang.tabular import write_workbook as write

    write(target, facts_data, **options)


def _packet(name: str) -> Callable[..., Any]:
    import importlib

    for module in ("zhongchuang.packet", "zhongchuang.packet.services"):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            found = None
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise TransferError(_("申报材料生成功能尚未安装"))


def packet_source(job: Job) -> Any:
    if job.version is not None:
        return _packet("packet_source_for_version")(job.version)
    return _packet("packet_source_for_draft")(job.application)


def packet_pdf(source: Any, progress: Callable[[int, int], None] | None = None) -> bytes:
    return _packet("packet_pdf")(source, progress=progress)  # type: ignore[no-any-return]


def packet_docx(source: Any) -> bytes:
    return _packet("packet_docx")(source)  # type: ignore[no-any-return]


# --- running a job ---------------------------------------------------------------------------------


def _reason(error: BaseException) -> str | None:
    """The Chinese reason of an error users can act on; None for an unexpected failure."""
    if isinstance(error, TransferError | SpaceError):
        return error.message
    if type(error).__name__ == "WorkbookUnreadable":
        return str(getattr(error, "reason_zh", None) or (error.args[0] if error.args else error))
    if isinstance(error, FactsError):
        first = "；".join(f"{problem.where}：{problem.zh}" for problem in error.problems[:5])
        return _("数据有错误：%(problems)s") % {"problems": first}
    return None


def _run(job_id: int, work: Callable[[Job], None]) -> str:
    job = Job.objects.select_related(
        "space__organisation", "application__space", "version", "created_by"
    ).get(pk=job_id)
    if job.finished:
        return job.status  # delivered twice: the work is done already
    with override("zh-hans"):  # messages are stored, and shown in Chinese first
        job_started(job)
        try:
            work(job)
        except Exception as error:
            reason = _reason(error)
            if reason is not None:
                job_failed(job, reason)
                return Job.Status.FAILED
            job_failed(
                job, _("处理失败（%(kind)s）：%(error)s") % {"kind": type(error).__name__, "error": error}
            )
            logger.exception("transfer job %s failed", job_id)
            raise  # the task backend records the traceback too
    return Job.Status.DONE


def _problem(problem: Any) -> dict[str, Any]:
    return {
        name: getattr(problem, name, "") for name in ("sheet", "row", "column", "header", "value", "zh", "en")
    }


def _check(job: Job) -> None:
    space = job.space
    assert space is not None
    version = space.data_version
    total = len(TABLES) + 2
    job_progress(job, 0, total, _("正在读取工作簿"))
    with job.source.open("rb") as stream:
        content = stream.read()
    reading = read_workbook(content, filename=job.source_name)
    job_progress(job, 1, total, _("正在核对数据"))
    problems = [_problem(problem) for problem in reading.problems]
    counts = dict(getattr(reading, "counts", {}) or {})
    if not problems:
        try:
            facts = parse_facts(reading.data)
        except FactsError as error:
            problems = [
                {"sheet": "", "row": "", "column": "", "header": p.where, "value": "", "zh": p.zh, "en": p.en}
                for p in error.problems
            ]
    if not problems:
        uscc = (reading.data.get("operator") or {}).get("uscc")
        if uscc and uscc != space.organisation.uscc:
            problems = [
                {
                    "sheet": _("认定信息表"),
                    "row": "",
                    "column": "",
                    "header": _("统一社会信用代码"),
                    "value": uscc,
                    "zh": _("与本机构的统一社会信用代码（%(own)s）不一致，请确认上传的是本机构的工作簿")
                    % {"own": space.organisation.uscc},
                    "en": "not this organisation's code",
                }
            ]
    if problems:
        job_finished(
            job,
            stage=Job.Stage.PROBLEMS,
            payload={"problems": problems, "counts": counts},
            message=_("发现 %(n)d 处问题，未导入任何数据") % {"n": len(problems)},
        )
        return
    tables = present_tables(reading.data)
    match = import_match(
        space, facts, tables, progress=lambda n: job_progress(job, 1 + n, total, _("正在比对现有数据"))
    )
    plan = plan_summary(space, match)
    job_finished(
        job,
        stage=Job.Stage.PREVIEW,
        payload={
            "data": reading.data,
            "tables": tables,
            "plan": plan,
            "data_version": version,
            "counts": counts,
        },
        message=_("无变化") if plan["empty"] else _("请核对以下变化，确认后导入"),
    )


def _apply(job: Job) -> None:
    space = job.space
    assert space is not None
    plan = job.payload.get("plan", {})
    total = sum(t["added"] + t["changed"] + t["removed"] for t in plan.get("tables", [])) + len(
        plan.get("profile", [])
    )
    job_progress(job, 0, max(total, 1), _("正在写入数据"))
    summary = import_apply(
        space=space,
        data=job.payload["data"],
        by=job.created_by,
        tables=job.payload.get("tables"),
        expected_version=job.payload.get("data_version"),
    )
    job_finished(
        job,
        stage=Job.Stage.APPLIED,
        message=_(
            "导入完成：新增 %(added)d 行，修改 %(changed)d 行，删除 %(removed)d 行，基本信息修改 %(profile)d 项"
        )
        % {
            "added": summary.added,
            "changed": summary.changed,
            "removed": summary.removed,
            "profile": summary.profile,
        },
    )


def file_name(*parts: str) -> str:
    """A download name from the space's name and the kind of file, without path characters."""
    return re.sub(r'[\\/:*?"<>|\r\n]+', "_", "-".join(part for part in parts if part))[:200]


def _export(job: Job) -> None:
    space = job.space
    assert space is not None
    job_progress(job, 0, 2, _("正在读取空间数据"))
    data = space_facts_data(space)
    job_progress(job, 1, 2, _("正在生成工作簿"))
    buffer = BytesIO()
    write_workbook(buffer, data)
    today = timezone.localdate().isoformat()
    job_finished(
        job,
        message=_("导出完成"),
        result=buffer.getvalue(),
        result_name=file_name(space.space_name or _("众创空间"), _("全部数据"), today) + ".xlsx",
    )


def _packet_job(job: Job) -> None:
    application = job.application
    assert application is not None
    job_progress(job, 0, 1, _("正在准备申报材料"))
    source = packet_source(job)
    which = _("第%(n)d版") % {"n": job.version.number} if job.version is not None else _("草稿")
    name = file_name(application.space.space_name or _("众创空间"), _("申报材料"), which)
    if job.kind == Job.Kind.PACKET_PDF:
        content = packet_pdf(
            source, progress=lambda done, total: job_progress(job, done, total, _("正在排版"))
        )
        job_finished(job, message=_("申报材料已生成"), result=content, result_name=name + ".pdf")
    else:
        job_progress(job, 0, 1, _("正在生成 Word 文档"))
        content = packet_docx(source)
        job_finished(job, message=_("申报材料已生成"), result=content, result_name=name + ".docx")


@task()
def import_check(job_id: int) -> str:
    """Read an uploaded workbook: every problem, or a preview of what would change."""
    return _run(job_id, _check)


@task()
def import_run(job_id: int) -> str:
    """Apply a previewed import in one transaction."""
    return _run(job_id, _apply)


@task()
def export_run(job_id: int) -> str:
    """The whole space as one workbook."""
    return _run(job_id, _export)


@task()
def packet_run(job_id: int) -> str:
    """The application packet (PDF or Word) of a submitted version or of the current draft."""
    return _run(job_id, _packet_job)
