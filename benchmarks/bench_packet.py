"""Packet benchmark: prints figures, asserts nothing (speed is measured here, never in tests).

A space with 200 incubatees (synthetic, from zhongchuang.synth, topped up as in bench_web.py), every
one of its documents stored as a one-page PDF through the evidence service, submitted to a round
through the applications services, in a throwaway SQLite database. Then a fresh child process
loads the frozen version and times `packet_pdf` (seconds, median of the runs) and reports its own
peak memory (VmHWM from /proc/self/status: the child alone, not this parent).

Targets (issue 4): ≤ 5 s and ≤ 500 MB.

Run: .venv/bin/python benchmarks/bench_packet.py [--incubatees N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = """
import json, os, statistics, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "zhongchuang.web.settings"
import django
django.setup()
from zhongchuang.applications.models import ApplicationVersion
from zhongchuang.packet import packet_docx, packet_pdf, packet_source_for_version
from pypdf import PdfReader
import io
runs = int(sys.argv[1])
version = ApplicationVersion.objects.get()
times, steps = [], {}
for _ in range(runs):
    start = time.perf_counter()
    marks = []
    source = packet_source_for_version(version)
    pdf = packet_pdf(source, progress=lambda done, total: marks.append((done, time.perf_counter() - start)))
    times.append(time.perf_counter() - start)
    steps = {done: round(at, 3) for done, at in marks}
start = time.perf_counter()
docx = packet_docx(packet_source_for_version(version))
docx_s = time.perf_counter() - start
pages = len(PdfReader(io.BytesIO(pdf)).pages)
peak_kb = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
print(json.dumps({"median_s": statistics.median(times), "times": times, "steps": steps, "pages": pages,
                  "pdf_mb": len(pdf) / 1e6, "docx_s": docx_s, "docx_mb": len(docx) / 1e6,
                  "evidence": len(version.evidence), "peak_mb": peak_kb / 1024}))
"""


def build(incubatees: int) -> str:
    """The space, its stored documents and a submitted application, through the real services."""
    from django.contrib.auth import get_user_model

    from bench_web import facts_with_incubatees
    from zhongchuang.accounts.models import Bureau, Membership, Organisation, Role
    from zhongchuang.applications.services import application_create, application_submit, round_open
    from zhongchuang.facts import parse_facts
    from zhongchuang.spaces.services import space_create
    from zhongchuang.web.demo import load_facts_with_placeholder_evidence

    facts = parse_facts(facts_with_incubatees(incubatees))
    organisation = Organisation.objects.create(
        name=facts.operator.name,
        uscc=facts.operator.uscc,
        contact_name="基准",
        contact_phone="13800000000",
        contact_email="bench@example.com",
    )
    user = get_user_model().objects.create_user(
        username="bench", email="bench@example.com", password="bench-Pass-1"
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.OPERATOR_ADMIN, email_confirmed=True
    )
    space = space_create(organisation=organisation, name=facts.space.name, by=user)
    load_facts_with_placeholder_evidence(space=space, facts=facts, by=user)
    bureau = Bureau.objects.create(name="厦门市科学技术局", city="厦门市")
    round_ = round_open(
        bureau=bureau,
        name="基准：市级众创空间认定（综合型）",
        policy_id="xiamen-2025-comprehensive",
        notice_date=date(2099, 2, 1),
        deadline=date(2099, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=None,
    )
    application = application_create(space=space, round=round_, by=user)
    version = application_submit(application=application, pledge_accepted=True, by=user)
    return f"{len(version.facts['incubatees'])} incubatees, {len(version.evidence)} evidence files"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--incubatees", type=int, default=200)
    parser.add_argument(
        "--runs", type=int, default=3, help="packets generated in the child (median reported)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zc-bench-packet-") as data_dir:
        from bench_web import setup_django

        setup_django(data_dir)
        start = time.perf_counter()
        described = build(args.incubatees)
        print(f"Space: {described}; built and submitted in {time.perf_counter() - start:.1f} s (SQLite)")
        env = {**os.environ, "ZC_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.runs)], capture_output=True, text=True, env=env, cwd=ROOT
        )
        if child.returncode:
            print(child.stderr)
            return 1
        figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, {date.today().isoformat()}")
    print(
        f"packet_pdf: median {figures['median_s']:.2f} s over {len(figures['times'])} runs "
        f"({', '.join(f'{t:.2f}' for t in figures['times'])}); {figures['pages']} pages "
        f"({figures['evidence']} evidence files), {figures['pdf_mb']:.1f} MB"
    )
    print(f"  steps (s since start, last run): {figures['steps']}")
    print(f"packet_docx: {figures['docx_s']:.2f} s, {figures['docx_mb']:.1f} MB")
    print(f"peak memory of the child process (VmHWM): {figures['peak_mb']:.0f} MB")
    print(
        f"targets: ≤ 5 s → {'met' if figures['median_s'] <= 5 else 'NOT met'}; "
        f"≤ 500 MB → {'met' if figures['peak_mb'] <= 500 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
