"""`zc demo`: migrate, load realistic demo data once, print the address and logins, serve.

The demo data goes through the same services users call (space_load_facts, document_store,
application services), so the demo shows what the product really does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "zhongchuang-demo"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
if not EXAMPLES.is_dir():
    EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

# (login, example facts file of its organisation, role)
OPERATORS = [
    ("luchuang", "xiamen-comprehensive-pass", "operator_admin"),
    ("luchuang_staff", "xiamen-comprehensive-pass", "operator_member"),
    ("xinhuo", "xiamen-specialized-fallback", "operator_admin"),
    ("kangchuang", "xiamen-specialized-pass", "operator_admin"),
    ("shanghai_pro", "shanghai-specialized", "operator_admin"),
    ("shanghai_brand", "shanghai-branded", "operator_admin"),
    ("shanghai_intl", "shanghai-international", "operator_admin"),
]
BUREAU_STAFF = [
    ("xm_admin", "厦门市科学技术局", "bureau_admin"),
    ("xm_reviewer", "厦门市科学技术局", "reviewer"),
    ("xm_inspector", "厦门市科学技术局", "inspector"),
    ("sh_admin", "上海市科学技术委员会", "bureau_admin"),
]


def placeholder_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a scanned document (the demo ships no real scans)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def load_facts_with_placeholder_evidence(*, space: Any, facts: Any, by: Any) -> dict[str, Any]:
    """Load `facts` into `space`, storing a placeholder PDF for each of its documents; return them by facts id.

    The demo, the tests and the benchmarks set data up this way: through the real evidence and
    space services, so the evidence is hashed, attached and audited as an upload would be.
    """
    from zhongchuang.evidence.services import document_store
    from zhongchuang.spaces.services import space_load_facts

    documents = {
        document.id: document_store(
            space=space,
            kind=document.kind,
            title=document.title,
            content=placeholder_pdf(document.title),
            filename=f"{document.id}.pdf",
            by=by,
        )
        for document in facts.documents
    }
    space_load_facts(space=space, facts=facts, by=by, documents=documents)
    return documents


def load_demo_data() -> bool:
    """Create the demo bureaus, operators, spaces, rounds and one submitted application; False if already there."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from zhongchuang.accounts.models import Bureau, Membership, Organisation
    from zhongchuang.applications.models import Round
    from zhongchuang.facts import parse_facts
    from zhongchuang.spaces.models import Space
    from zhongchuang.spaces.services import space_create

    User = get_user_model()
    if User.objects.filter(username="xm_admin").exists():
        return False
    with transaction.atomic():
        bureaus = {
            name: Bureau.objects.create(name=name, city=city)
            for name, city in (("厦门市科学技术局", "厦门市"), ("上海市科学技术委员会", "上海市"))
        }
        for login, bureau, role in BUREAU_STAFF:
            user = User.objects.create_user(login, f"{login}@example.gov.cn", DEMO_PASSWORD)
            Membership.objects.create(user=user, bureau=bureaus[bureau], role=role, email_confirmed=True)
        xiamen = bureaus["厦门市科学技术局"]
        Round.objects.create(
            bureau=xiamen,
            name="2025年市级众创空间认定（综合型）",
            policy_id="xiamen-2025-comprehensive",
            notice_date=date(2025, 2, 25),
            deadline=date(2025, 3, 21),
            reference_date=date(2025, 3, 21),
            is_open=True,
        )
        for policy_id, kind in (
            ("xiamen-2025-comprehensive", "综合型"),
            ("xiamen-2025-specialized", "专业化"),
        ):
            # An open round for the demo: the 2025 rules and reference date, a deadline still ahead.
            Round.objects.create(
                bureau=xiamen,
                name=f"演示轮次：市级众创空间认定（{kind}，基准日沿用2025-03-21）",
                policy_id=policy_id,
                notice_date=date(2026, 11, 1),
                deadline=date(2027, 3, 31),
                reference_date=date(2025, 3, 21),
            )
        spaces: dict[str, Space] = {}
        for login, example, role in OPERATORS:
            facts = parse_facts(json.loads((EXAMPLES / f"{example}.json").read_text(encoding="utf-8")))
            organisation, created = Organisation.objects.get_or_create(
                uscc=facts.operator.uscc,
                defaults={
                    "name": facts.operator.name,
                    "contact_name": facts.operator.legal_representative or "联系人",
                    "contact_phone": "0592-5555555",
                    "contact_email": f"{login}@example.com",
                },
            )
            user = User.objects.create_user(login, f"{login}@example.com", DEMO_PASSWORD)
            Membership.objects.create(user=user, organisation=organisation, role=role, email_confirmed=True)
            if not created:
                continue
            space = space_create(organisation=organisation, name=facts.space.name, by=user)
            load_facts_with_placeholder_evidence(space=space, facts=facts, by=user)
            spaces[login] = space
        newcomer = Organisation.objects.create(
            name="厦门新芽孵化器有限公司",
            uscc=_uscc("91350203MA8X7K2A1"),
            contact_name="林晓",
            contact_phone="13905920000",
            contact_email="newcomer@example.com",
        )
        user = User.objects.create_user("newcomer", "newcomer@example.com", DEMO_PASSWORD)
        Membership.objects.create(
            user=user, organisation=newcomer, role="operator_admin", email_confirmed=True
        )
        space_create(organisation=newcomer, name="新芽众创空间", by=user)
    _submit_demo_application(spaces.get("luchuang"))
    from zhongchuang.web.demo_round import walk_demo_rounds

    walk_demo_rounds(spaces)
    return True


def _uscc(first17: str) -> str:
    from zhongchuang.identifiers import make_uscc

    return make_uscc(first17)


def _submit_demo_application(space: Any) -> None:
    """One application already submitted, if the applications services are there."""
    if space is None:
        return
    try:
        from zhongchuang.applications import services
    except ImportError:
        return
    submit = getattr(services, "application_submit", None)
    create = getattr(services, "application_create", None)
    if submit is None or create is None:
        return
    from django.contrib.auth import get_user_model

    from zhongchuang.applications.models import Round

    user = get_user_model().objects.get(username="luchuang")
    round_ = Round.objects.filter(
        policy_id="xiamen-2025-comprehensive", deadline__gt=date(2026, 1, 1)
    ).first()
    if round_ is None:
        return
    application = create(space=space, round=round_, by=user)
    submit(application=application, pledge_accepted=True, by=user)


def run_demo(port: int = 8000) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongchuang.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    created = load_demo_data()
    address = f"http://127.0.0.1:{port}/"
    print("众创 zhongchuang 演示 / demo")
    print(f"  地址 / address: {address}")
    print(f"  数据 / data:    {settings.DATA_DIR} ({'新建 / created' if created else '已存在 / existing'})")
    print(f"  密码 / password (all logins): {DEMO_PASSWORD}")
    print(
        "  运营机构 / operators: "
        + ", ".join(login for login, _, _ in OPERATORS)
        + ", newcomer (empty space)"
    )
    print("  主管部门 / bureau:    " + ", ".join(login for login, _, _ in BUREAU_STAFF))
    print("  审核演示 / review:    2025年综合型轮次已走完全流程（证书可在 /certificates/register/ 查验）；")
    print("                       演示轮次中有待收件、形式审核中、待补正的申报（xm_reviewer 的工作台）")
    worker = start_worker()
    # A terminated demo (not only Ctrl+C) must take its worker along: turn SIGTERM into a normal exit.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure=True)
    finally:
        stop_worker(worker)


def start_worker() -> subprocess.Popen[bytes] | None:
    """The background-task worker (imports, exports, packets) of the database backend, next to the server.

    In production run it as its own service: `python -m django db_worker` (DJANGO_SETTINGS_MODULE=
    zhongchuang.web.settings, the same environment as the web process). Another backend brings its own
    worker (django-tasks-rq: `rqworker`), so none is started here.
    """
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhongchuang.web.settings",
        "ZC_DATA_DIR": str(settings.DATA_DIR),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "1", "--no-reload"], env=env
    )
    print(
        f"  后台任务 / worker:   db_worker 已启动（进程 {worker.pid}），随网站一同停止 / started, stops with the server"
    )
    return worker


def stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Ask the worker to finish its current task, then make sure it is gone."""
    if worker is None or worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    print("  后台任务 / worker:   db_worker 已停止 / stopped")
