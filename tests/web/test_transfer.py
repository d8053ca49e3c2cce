"""Import, export and packets as background jobs: problems listed with nothing saved, a preview, an
atomic audited import, "无变化" on re-import, failures that leave nothing behind, progress, and 404s."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhongchuang.accounts.models import Bureau
from zhongchuang.applications.services import application_create, application_submit, round_open
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.bridge.services import space_facts_data
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.models import ROW_MODELS
from zhongchuang.spaces.schema import TABLES, TABLES_BY_NAME
from zhongchuang.spaces.services import row_update, space_create, space_load_facts
from zhongchuang.tabular import read_workbook, sheet_name, write_workbook
from zhongchuang.transfer import services, tasks
from zhongchuang.transfer.models import Job

from .conftest import make_operator

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "xiamen-comprehensive-pass.json"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """Tasks run inline, when the request's transaction commits (as ZC_TASKS_BACKEND would set it)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def operator(db: Any, example: dict[str, Any]) -> Any:
    """An operator whose organisation is the example's (same name and 统一社会信用代码)."""
    return make_operator(example["operator"]["name"], example["operator"]["uscc"][:17], "luchuang")


@pytest.fixture
def space(operator: Any) -> Any:
    return space_create(organisation=operator.membership.organisation, name="鹭创众创空间", by=operator)


@pytest.fixture
def client_in(client: Client, operator: Any) -> Client:
    client.force_login(operator)
    return client


def sheet_of(table: str) -> str:
    return sheet_name(TABLES_BY_NAME[table])


def workbook_of(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    return buffer.getvalue()


def with_cells(content: bytes, table: str, changes: dict[str, Any], row: int = 4) -> bytes:
    """The workbook with cells of one data row replaced, found by their Chinese header (as a user would)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[sheet_of(table)]
    headers = {str(cell.value).split("\n")[0].strip(): cell.column for cell in sheet[1] if cell.value}
    for header, value in changes.items():
        column = next(number for text, number in headers.items() if text.startswith(header))
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, space: Any, content: bytes, name: str = "填报.xlsx", *, capture: Any) -> Job:
    with capture(execute=True):
        response = client.post(
            reverse("transfer:import_upload", args=[space.pk]),
            {"workbook": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def confirm(client: Client, job: Job, *, capture: Any) -> Job:
    with capture(execute=True):
        response = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def row_counts(space: Any) -> dict[str, int]:
    return {spec.name: ROW_MODELS[spec.name].objects.filter(space=space).count() for spec in TABLES}


# --- import ----------------------------------------------------------------------------------------


def test_upload_with_bad_cells_lists_every_problem_and_saves_nothing(
    client_in: Client, space: Any, example: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    content = with_cells(
        workbook_of(example), "incubatees", {"入孵日期": "2024年13月45日", "当前类型": "公司吧"}
    )
    job = upload(client_in, space, content, capture=django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.stage == Job.Stage.PROBLEMS
    problems = job.payload["problems"]
    assert len(problems) >= 2
    assert {(p["sheet"], p["row"]) for p in problems} == {(sheet_of("incubatees"), 4)}
    assert all(p["column"] and p["zh"] for p in problems)
    page = client_in.get(reverse("transfer:job_detail", args=[job.pk])).content.decode()
    assert "未导入任何数据" in page and "2024年13月45日" in page and sheet_of("incubatees") in page
    assert "确认导入" not in page
    assert sum(row_counts(space).values()) == 0
    assert not AuditEntry.objects.filter(space=space, action=Action.ROW_CREATED).exists()


def test_clean_upload_shows_a_preview_then_confirm_saves_every_row_audited(
    client_in: Client, space: Any, example: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    job = upload(client_in, space, workbook_of(example), capture=django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.stage == Job.Stage.PREVIEW
    plan = job.payload["plan"]
    added = {table["name"]: table["added"] for table in plan["tables"]}
    assert added["incubatees"] == len(example["incubatees"]) and added["activities"] == len(
        example["activities"]
    )
    page = client_in.get(reverse("transfer:job_detail", args=[job.pk])).content.decode()
    assert "确认导入" in page and "在孵创业团队和企业" in page
    assert sum(row_counts(space).values()) == 0  # nothing before the user confirms

    job = confirm(client_in, job, capture=django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.stage == Job.Stage.APPLIED, job.error
    counts = row_counts(space)
    assert counts["incubatees"] == len(example["incubatees"])
    assert counts["leases"] == sum(len(site.get("leases", [])) for site in example["sites"])
    created = AuditEntry.objects.filter(space=space, action=Action.ROW_CREATED)
    assert (
        created.count() == sum(counts.values())
        and created.filter(actor=job.created_by).count() == created.count()
    )
    refs = set(ROW_MODELS["incubatees"].objects.filter(space=space).values_list("ref", flat=True))
    assert refs == {item["id"] for item in example["incubatees"]}
    space.refresh_from_db()
    assert space.space_name == example["space"]["name"]
    # the links survive: every financing event points at the incubatee the workbook named
    financing = ROW_MODELS["financing"].objects.filter(space=space).select_related("incubatee")
    assert {(f.ref, f.incubatee.ref) for f in financing} == {
        (f["id"], f["incubatee_id"]) for f in example["financing"]
    }


def test_reimporting_the_same_file_shows_no_change_and_changes_nothing(
    client_in: Client, space: Any, example: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    content = workbook_of(example)
    confirm(
        client_in,
        upload(client_in, space, content, capture=django_capture_on_commit_callbacks),
        capture=django_capture_on_commit_callbacks,
    )
    space.refresh_from_db()
    version, entries = space.data_version, AuditEntry.objects.count()

    again = upload(client_in, space, content, capture=django_capture_on_commit_callbacks)
    assert again.stage == Job.Stage.PREVIEW and again.payload["plan"]["empty"]
    page = client_in.get(reverse("transfer:job_detail", args=[again.pk])).content.decode()
    assert "无变化" in page and "确认导入" not in page
    response = client_in.post(reverse("transfer:import_confirm", args=[again.pk]), follow=True)
    assert "无需导入" in response.content.decode()
    space.refresh_from_db()
    assert space.data_version == version and AuditEntry.objects.count() == entries


def test_rows_without_ref_match_by_natural_key_and_only_real_changes_are_applied(
    client_in: Client,
    space: Any,
    operator: Any,
    example: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    space_load_facts(space=space, facts=parse_facts(example), by=operator)
    data = space_facts_data(space)
    first = data["incubatees"][0]
    first["sector"] = "新的细分领域"
    removed = data["activities"].pop()
    job = upload(client_in, space, workbook_of(data), capture=django_capture_on_commit_callbacks)
    tables = {table["name"]: table for table in job.payload["plan"]["tables"]}
    assert (
        tables["incubatees"]["changed"],
        tables["incubatees"]["added"],
        tables["incubatees"]["removed"],
    ) == (1, 0, 0)
    assert (tables["activities"]["removed"], tables["activities"]["added"]) == (1, 0)
    assert tables["incubatees"]["rows"]["changed"][0]["fields"][0][2] == "新的细分领域"
    job = confirm(client_in, job, capture=django_capture_on_commit_callbacks)
    assert job.stage == Job.Stage.APPLIED, job.error
    row = ROW_MODELS["incubatees"].objects.get(space=space, ref=first["id"])
    assert row.sector == "新的细分领域"
    assert not ROW_MODELS["activities"].objects.filter(space=space, ref=removed["id"]).exists()
    assert AuditEntry.objects.filter(space=space, action=Action.ROW_UPDATED, table="incubatees").count() == 1


def test_natural_keys_match_rows_whose_ref_differs(
    space: Any, operator: Any, example: dict[str, Any]
) -> None:
    from zhongchuang.transfer.selectors import import_match

    space_load_facts(space=space, facts=parse_facts(example), by=operator)
    data = space_facts_data(space)
    for item in data["activities"]:
        item["id"] = "NEW-" + item["id"]  # typed by hand: other ids, same title and date
    match = import_match(space, parse_facts(data), ["activities"])
    (activities,) = match.tables
    assert (len(activities.added), len(activities.removed), activities.unchanged) == (
        0,
        0,
        len(data["activities"]),
    )


def test_a_task_that_raises_fails_the_job_with_its_reason_and_writes_no_rows(
    client_in: Client,
    space: Any,
    example: dict[str, Any],
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = upload(client_in, space, workbook_of(example), capture=django_capture_on_commit_callbacks)
    calls = {"n": 0}
    real_create = services.row_create

    def create_then_break(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 30:
            raise RuntimeError("磁盘已满")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "row_create", create_then_break)
    job = confirm(client_in, job, capture=django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and "磁盘已满" in job.error
    assert calls["n"] == 30
    assert sum(row_counts(space).values()) == 0
    assert not AuditEntry.objects.filter(space=space, action=Action.ROW_CREATED).exists()
    page = client_in.get(reverse("transfer:job_detail", args=[job.pk])).content.decode()
    assert "磁盘已满" in page and "任务失败" in page


def test_an_unreadable_upload_fails_with_the_reason(
    client_in: Client, space: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = upload(client_in, space, b"PK\x03\x04 not really a zip", capture=django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and job.error
    assert sum(row_counts(space).values()) == 0


def test_a_preview_made_stale_by_an_edit_is_refused_and_nothing_is_written(
    client_in: Client,
    space: Any,
    operator: Any,
    example: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    space_load_facts(space=space, facts=parse_facts(example), by=operator)
    data = space_facts_data(space)
    data["incubatees"][0]["sector"] = "导入的值"
    job = upload(client_in, space, workbook_of(data), capture=django_capture_on_commit_callbacks)
    row = ROW_MODELS["incubatees"].objects.get(space=space, ref=data["incubatees"][0]["id"])
    row_update(row=row, values={"sector": "页面上改的值"}, by=operator)
    job = confirm(client_in, job, capture=django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and "重新上传" in job.error
    row.refresh_from_db()
    assert row.sector == "页面上改的值"


def test_upload_refuses_other_files_next_to_the_field(client_in: Client, space: Any) -> None:
    response = client_in.post(
        reverse("transfer:import_upload", args=[space.pk]),
        {"workbook": SimpleUploadedFile("data.csv", b"name,value\n")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and ".xlsx" in page
    response = client_in.post(
        reverse("transfer:import_upload", args=[space.pk]),
        {"workbook": SimpleUploadedFile("data.xlsx", b"%PDF-1.4 fake")},
    )
    assert response.status_code == 400 and "不是 Excel 工作簿" in response.content.decode()
    assert not Job.objects.exists()


def test_upload_over_the_size_limit_is_refused(client_in: Client, space: Any, settings: Any) -> None:
    settings.TRANSFER_MAX_BYTES = 100
    response = client_in.post(
        reverse("transfer:import_upload", args=[space.pk]),
        {"workbook": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 200)},
    )
    assert response.status_code == 400 and "文件过大" in response.content.decode()


# --- progress --------------------------------------------------------------------------------------


def test_progress_reaches_total_and_the_bar_stops_polling_when_done(
    client_in: Client, space: Any, example: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[tuple[int, int]] = []
    real = services.job_progress

    def record(job: Job, done: int, total: int, message: str = "") -> None:
        seen.append((done, total))
        real(job, done, total, message)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "job_progress", record)
        job = upload(client_in, space, workbook_of(example), capture=django_capture_on_commit_callbacks)
    total = len(TABLES) + 2
    assert seen[0] == (0, total) and seen[-1] == (total - 1, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert (job.done, job.total) == (total, total)
    fragment = client_in.get(reverse("transfer:job_progress", args=[job.pk]))
    assert fragment.status_code == 286 and fragment["HX-Refresh"] == "true"  # htmx stops polling, reloads
    assert f"已完成 {total}/{total}" in fragment.content.decode()
    page = client_in.get(reverse("transfer:job_detail", args=[job.pk])).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' not in page


def test_a_queued_job_page_polls_every_second(client_in: Client, space: Any, operator: Any) -> None:
    job = services.export_start(space=space, by=operator)  # test transaction: never committed, stays queued
    page = client_in.get(reverse("transfer:job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("transfer:job_progress", args=[job.pk]) in page
    assert "<progress" in page and "排队中" in page
    assert client_in.get(reverse("transfer:job_progress", args=[job.pk])).status_code == 200


# --- export ----------------------------------------------------------------------------------------


def _without_evidence(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_evidence(item)
            for key, item in value.items()
            if key not in ("evidence", "documents")
        }
    if isinstance(value, list):
        return [_without_evidence(item) for item in value]
    return value


def test_export_reads_back_as_the_same_facts(
    client_in: Client,
    space: Any,
    operator: Any,
    example: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    space_load_facts(space=space, facts=parse_facts(example), by=operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_in.post(reverse("transfer:export_space", args=[space.pk]))
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.DONE and job.result_name.endswith(".xlsx") and job.done == job.total
    download = client_in.get(reverse("transfer:job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    content = b"".join(download.streaming_content)
    reading = read_workbook(content, filename=job.result_name)
    assert reading.problems == []
    expected = parse_facts(space_facts_data(space)).model_dump(mode="json")
    actual = parse_facts(reading.data).model_dump(mode="json")
    assert _without_evidence(actual) == _without_evidence(expected)


def test_each_table_exports_alone_with_text_kept_as_text(
    client_in: Client, space: Any, operator: Any
) -> None:
    from python_calamine import CalamineWorkbook

    from zhongchuang.spaces.services import row_create

    row_create(
        space=space,
        table="incubatees",
        by=operator,
        values={"name": '=HYPERLINK("http://x")', "kind": "team", "admitted_on": date(2024, 3, 1)},
    )
    response = client_in.get(reverse("transfer:export_table", args=[space.pk, "incubatees"]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheet_names) == 1
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "编号" and "团队或企业名称" in rows[0]
    assert rows[1][rows[0].index("团队或企业名称")] == '=HYPERLINK("http://x")'
    assert rows[1][rows[0].index("当前类型")] == "团队"
    assert client_in.get(reverse("transfer:export_table", args=[space.pk, "nope"])).status_code == 404


def test_the_template_downloads(client_in: Client, space: Any) -> None:
    response = client_in.get(reverse("transfer:template", args=[space.pk]))
    assert response.status_code == 200
    assert read_workbook(b"".join(response.streaming_content), filename="t.xlsx").problems == []


def test_the_transfer_page_offers_template_upload_and_exports(client_in: Client, space: Any) -> None:
    page = client_in.get(reverse("transfer:space_transfer", args=[space.pk])).content.decode()
    assert reverse("transfer:template", args=[space.pk]) in page
    assert reverse("transfer:export_table", args=[space.pk, "incubatees"]) in page
    assert 'type="file"' in page and '<label for="id_workbook">' in page


# --- packets ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(space: Any, operator: Any, example: dict[str, Any]) -> Any:
    space_load_facts(space=space, facts=parse_facts(example), by=operator)
    bureau = Bureau.objects.create(name="厦门市科学技术局", city="厦门市")
    round_ = round_open(
        bureau=bureau,
        name="2099年市级众创空间认定（综合型）",
        policy_id="xiamen-2025-comprehensive",
        notice_date=date(2099, 2, 1),
        deadline=date(2099, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=None,
    )
    application = application_create(space=space, round=round_, by=operator)
    application_submit(application=application, pledge_accepted=True, by=operator)
    return application


@pytest.fixture
def fake_packets(monkeypatch: Any) -> list[Any]:
    """The packet helpers stand-ins: the real ones are tested in test_packet.py (and take seconds)."""
    made: list[Any] = []

    def source(job: Job) -> Any:
        made.append(job.version.number if job.version else "draft")
        return made[-1]

    def pdf(source: Any, progress: Any = None) -> bytes:
        for step in range(1, 4):
            progress(step, 3)
        return b"%PDF-1.7 packet " + str(source).encode()

    monkeypatch.setattr(tasks, "packet_source", source)
    monkeypatch.setattr(tasks, "packet_pdf", pdf)
    monkeypatch.setattr(tasks, "packet_docx", lambda source: b"PK\x03\x04 docx " + str(source).encode())
    return made


def test_packet_buttons_make_jobs_whose_files_download(
    client_in: Client, submitted: Any, fake_packets: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("transfer:application_packets", args=[submitted.pk])
    page = client_in.get(url).content.decode()
    assert "生成申报材料 PDF" in page and "生成 Word" in page and "第1版" in page
    for fmt, version in (("pdf", "1"), ("docx", "1"), ("pdf", "")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_in.post(
                reverse("transfer:packet_create", args=[submitted.pk]), {"format": fmt, "version": version}
            )
        job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert job.status == Job.Status.DONE and job.done == job.total, job.error
        assert job.result_name.endswith("." + fmt) and ("草稿" in job.result_name) == (version == "")
        download = client_in.get(reverse("transfer:job_download", args=[job.pk]))
        assert b"".join(download.streaming_content).startswith(b"%PDF" if fmt == "pdf" else b"PK")
    assert fake_packets == [1, 1, "draft"]


def test_packet_failure_is_reported_on_the_job(
    client_in: Client, submitted: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(
        tasks, "packet_source", lambda job: (_ for _ in ()).throw(services.TransferError("缺少字体"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(
            reverse("transfer:packet_create", args=[submitted.pk]), {"format": "pdf", "version": "1"}
        )
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error == "缺少字体" and not job.result


def test_the_real_packet_helpers_are_reachable() -> None:
    assert callable(tasks._packet("packet_pdf")) and callable(tasks._packet("packet_source_for_draft"))


# --- who may see what ------------------------------------------------------------------------------


def test_another_organisation_gets_404_on_every_transfer_url(
    client: Client,
    space: Any,
    submitted: Any,
    operator: Any,
    other_operator_user: Any,
    example: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    fake_packets: list[Any],
) -> None:
    owner = Client()
    owner.force_login(operator)
    job = upload(owner, space, workbook_of(example), capture=django_capture_on_commit_callbacks)
    export = services.export_start(space=space, by=operator)
    client.force_login(other_operator_user)
    gets = [
        reverse("transfer:space_transfer", args=[space.pk]),
        reverse("transfer:template", args=[space.pk]),
        reverse("transfer:export_table", args=[space.pk, "incubatees"]),
        reverse("transfer:job_detail", args=[job.pk]),
        reverse("transfer:job_progress", args=[job.pk]),
        reverse("transfer:job_download", args=[export.pk]),
        reverse("transfer:application_packets", args=[submitted.pk]),
    ]
    posts = [
        reverse("transfer:import_upload", args=[space.pk]),
        reverse("transfer:export_space", args=[space.pk]),
        reverse("transfer:import_confirm", args=[job.pk]),
        reverse("transfer:packet_create", args=[submitted.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"format": "pdf", "version": "1"}).status_code == 404, url
    assert Job.objects.count() == 2 and sum(row_counts(space).values()) > 0


def test_bureau_staff_get_packets_of_submitted_versions_only(
    client: Client, submitted: Any, fake_packets: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from .test_applications import make_bureau_user

    reviewer = make_bureau_user(submitted.round.bureau, "reviewer")
    client.force_login(reviewer)
    page = client.get(reverse("transfer:application_packets", args=[submitted.pk])).content.decode()
    assert "第1版" in page and "草稿（当前数据）" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("transfer:packet_create", args=[submitted.pk]), {"format": "pdf", "version": "1"}
        )
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert client.get(reverse("transfer:job_download", args=[job.pk])).status_code == 200
    draft = client.post(
        reverse("transfer:packet_create", args=[submitted.pk]), {"format": "pdf", "version": ""}
    )
    assert draft.status_code == 404
    other_bureau = make_bureau_user(Bureau.objects.create(name="上海市科学技术委员会", city="上海市"), "sh")
    client.force_login(other_bureau)
    assert client.get(reverse("transfer:application_packets", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("transfer:job_detail", args=[job.pk])).status_code == 404


# --- the demo's worker -----------------------------------------------------------------------------


def test_the_demo_starts_the_database_worker_and_stops_it_with_the_server(
    settings: Any, monkeypatch: Any, capsys: Any
) -> None:
    import signal

    from zhongchuang.web import demo

    class FakeWorker:
        pid = 4242

        def __init__(self, args: list[str], env: dict[str, str]) -> None:
            self.args, self.env, self.signals, self.code = args, env, [], None

        def poll(self) -> int | None:
            return self.code

        def send_signal(self, number: int) -> None:
            self.signals.append(number)
            self.code = 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(demo.subprocess, "Popen", FakeWorker)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = demo.start_worker()
    assert worker is not None and worker.args[1:4] == ["-m", "django", "db_worker"]
    assert worker.env["DJANGO_SETTINGS_MODULE"] == "zhongchuang.web.settings"
    demo.stop_worker(worker)
    assert worker.signals == [signal.SIGTERM]
    out = capsys.readouterr().out
    assert "db_worker 已启动" in out and "db_worker 已停止" in out
    settings.TASKS = IMMEDIATE
    assert demo.start_worker() is None  # other backends bring their own worker
