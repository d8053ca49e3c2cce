"""`zc`: the command line of the whole product.

Bad input (a missing file, invalid JSON, a wrong field, an invalid 统一社会信用代码, an unknown
policy) exits 2 with every problem's path and reason in Chinese and English, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from zhongchuang import __version__
from zhongchuang.errors import Problem, ZhongchuangError

STATUS_LABELS = {
    "pass": ("通过", "pass", "32"),
    "needs_review": ("待审核", "needs review", "33"),
    "missing_data": ("数据不全", "missing data", "35"),
    "fail": ("不符合", "fail", "31"),
}
VERDICT_LABELS = {
    "eligible": ("符合条件", "eligible", "32"),
    "needs_review": ("自动检查通过，待审核", "needs review", "33"),
    "incomplete": ("数据不全", "incomplete", "35"),
    "ineligible": ("不符合条件", "ineligible", "31"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except ZhongchuangError as error:
        print_problems(error.problems)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zc", description="众创：众创空间认定与培育 / makerspace certification and cultivation"
    )
    parser.add_argument("--version", action="version", version=f"zc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    policies = commands.add_parser("policies", help="列出政策及其申报轮次 / list policies and their rounds")
    policies.add_argument("--format", choices=["table", "json"], default="table")
    policies.set_defaults(handler=run_policies)

    evaluate = commands.add_parser(
        "evaluate", help="按政策评估一个众创空间 / evaluate a space against a policy"
    )
    evaluate.add_argument("file", help="facts JSON file")
    evaluate.add_argument("--policy", required=True, help="policy id, see `zc policies`")
    evaluate.add_argument(
        "--as-of", type=parse_date, help="reference date R (YYYY-MM-DD); default: the round's"
    )
    evaluate.add_argument("--year", type=int, help="cultivation year for Shanghai targets (1, 2, 3…)")
    evaluate.add_argument("--format", choices=["table", "json"], default="table")
    evaluate.add_argument("--lang", choices=["zh", "en"], default="zh")
    evaluate.add_argument("--details", action="store_true", help="show every sub-check / 显示全部子项")
    evaluate.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    evaluate.set_defaults(handler=run_evaluate)

    schema = commands.add_parser("schema", help="打印事实格式的 JSON Schema / print the facts JSON Schema")
    schema.set_defaults(handler=run_schema)

    demo = commands.add_parser("demo", help="启动带演示数据的网站 / run the web app with demo data")
    demo.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    demo.set_defaults(handler=run_demo)

    example = commands.add_parser("example", help="写出示例事实文件 / write example facts files")
    example.add_argument("--out", default="zc-examples", help="directory to write to (default: zc-examples)")
    example.add_argument("names", nargs="*", help="example names (default: all)")
    example.set_defaults(handler=run_example)

    template = commands.add_parser(
        "template", help="写出认定申报表格模板（Excel）/ write the Excel workbook of the attachment tables"
    )
    template.add_argument("file", help="the .xlsx file to write")
    template.add_argument(
        "--facts", metavar="JSON", help="预填此事实文件的数据 / pre-fill the data of this facts file"
    )
    template.add_argument("--no-example", action="store_true", help="不写示例行 / leave out the example rows")
    template.set_defaults(handler=run_template)

    check_workbook = commands.add_parser(
        "check-workbook",
        help="离线检查填好的表格（.xlsx/.xls）/ check a filled workbook offline",
        description="列出全部问题（工作表、行、列）；有问题时退出码 1，无法读取时 2 / "
        "lists every problem by sheet, row and column; exit 1 when there are problems, 2 when unreadable",
    )
    check_workbook.add_argument("file", help="the .xlsx or .xls file to check")
    check_workbook.set_defaults(handler=run_check_workbook)

    audit_verify = commands.add_parser(
        "audit-verify",
        help="校验审计日志的哈希链 / verify the hash chain of the audit log",
        description="逐条校验审计日志；完整时退出码 0，发现断裂时报告第一处并退出 1 / "
        "checks every entry; exit 0 when intact, 1 with the first broken link",
    )
    audit_verify.set_defaults(handler=run_audit_verify)

    workflow = commands.add_parser("workflow", help="打印申报审核流程表 / print the review workflow table")
    workflow.add_argument("--format", choices=["table", "json"], default="table")
    workflow.set_defaults(handler=run_workflow)

    workdays = commands.add_parser(
        "workdays",
        help="第 N 个工作日的日期（起始日计为第 1 天）/ the date of the Nth working day, START as day 1",
        description="按法定节假日与调休（chinesecalendar 与管理员录入的工作日历调整）计算；"
        "起始日不是工作日时，从下一个工作日起算；日历未覆盖的年份退出码 2 / "
        "counts statutory working days (chinesecalendar plus the admin overrides); a START that is not "
        "a working day counts from the next one; exit 2 when the calendar does not cover a year",
    )
    workdays.add_argument("start", type=parse_date, help="起始日 START (YYYY-MM-DD)")
    workdays.add_argument("n", type=int, help="工作日数 N (≥ 1)")
    workdays.add_argument("--format", choices=["date", "json"], default="date")
    workdays.set_defaults(handler=run_workdays)
    return parser


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongchuang.web.settings")
    django.setup()


def run_audit_verify(args: argparse.Namespace) -> int:
    setup_django()
    from zhongchuang.audit.chain import verify_chain

    report = verify_chain()
    if report.intact:
        print(
            f"审计日志完整：已校验 {report.checked} 条 / audit log intact: {report.checked} entries verified"
        )
        return 0
    where = f"第一处断裂：条目 #{report.broken_at}" if report.broken_at is not None else "链尾"
    print(f"审计日志被篡改 / audit log broken — {where}：{report.reason}（此前 {report.checked} 条完好）")
    return 1


def run_workdays(args: argparse.Namespace) -> int:
    from zhongchuang.workdays import CalendarNotCovered, working_days_from

    if args.n < 1:
        print(f"错误：N 应不小于 1：{args.n} / error: N must be at least 1: {args.n}", file=sys.stderr)
        return 2
    try:
        days = working_days_from(args.start, args.n, _calendar_overrides())
    except CalendarNotCovered as error:
        print(f"错误：{error.message_zh}\nerror: {error.message_en}", file=sys.stderr)
        return 2
    if args.format == "json":
        data = {
            "start": args.start.isoformat(),
            "n": args.n,
            "date": days[-1].isoformat(),
            "working_days": [day.isoformat() for day in days],
        }
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(days[-1].isoformat())
    return 0


def _calendar_overrides() -> object:
    """The administrators' calendar overrides when the database is there; none otherwise (a fresh
    checkout has no database, and chinesecalendar alone still answers for the years it knows)."""
    from django.db import DatabaseError

    try:
        setup_django()
        from zhongchuang.notice.selectors import calendar_overrides

        return calendar_overrides()
    except (DatabaseError, ImportError):
        return None


def run_workflow(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from zhongchuang.workflow.definition import certification_workflow

    workflow = certification_workflow()
    if args.format == "json":
        data = {
            "id": workflow.id,
            "initial": workflow.initial,
            "states": {k: asdict(v) for k, v in workflow.states.items()},
            "transitions": {k: {**asdict(v), "roles": sorted(v.roles)} for k, v in workflow.steps.items()},
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for step in workflow.steps.values():
        sources = "、".join(workflow.states[s].staff_label for s in step.sources)
        extra = (" 须填意见" if step.comment_required else "") + (
            f" 条件：{', '.join(step.guards)}" if step.guards else ""
        )
        print(
            f"{step.id:22} {step.label}：{sources} → {workflow.states[step.target].staff_label}"
            f"（{', '.join(sorted(step.roles))}）{extra}"
        )
    return 0


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应为 YYYY-MM-DD：{text} / a date must be YYYY-MM-DD: {text}"
        ) from None


def print_problems(problems: list[Problem]) -> None:
    print(f"错误：发现 {len(problems)} 个问题 / error: {len(problems)} problem(s) found", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem.where}：{problem.zh}" if problem.where else f"  - {problem.zh}", file=sys.stderr)
        print(f"    {problem.en}", file=sys.stderr)


# --- commands ---------------------------------------------------------------------------------------


def run_policies(args: argparse.Namespace) -> int:
    from zhongchuang.engine.policy import load_policy, policy_ids

    policies = [load_policy(policy_id) for policy_id in policy_ids()]
    if args.format == "json":
        print(json.dumps([policy_summary(p) for p in policies], ensure_ascii=False, indent=2, default=str))
        return 0
    for policy in policies:
        print(f"{policy.id}  {policy.title.zh}  （{len(policy.criteria)} 项条件，版本 {policy.version}）")
        if policy.round:
            r = policy.round
            rule = "以寄出邮戳为准" if r.deadline_rule == "postmark" else "以收到为准"
            print(
                f"    轮次 {r.id}：通知 {r.notice_date}，截止 {r.deadline}（{rule}），基准日 {r.reference_date}"
            )
        if policy.cultivation:
            c = policy.cultivation
            basis = "培育年度（自建设期起算）" if c.year_basis == "cultivation_year" else "自然年度"
            print(f"    培育期 {c.period_months} 个月，按{basis}考核目标")
        if policy.fallback:
            print(f"    不符合时可按 {policy.fallback} 评估")
    return 0


def policy_summary(policy: object) -> dict[str, object]:
    from zhongchuang.engine.policy import Policy

    assert isinstance(policy, Policy)
    return {
        "id": policy.id,
        "title_zh": policy.title.zh,
        "title_en": policy.title.en,
        "jurisdiction": policy.jurisdiction,
        "version": policy.version,
        "round": policy.round.model_dump(mode="json") if policy.round else None,
        "cultivation": policy.cultivation.model_dump(mode="json") if policy.cultivation else None,
        "fallback": policy.fallback,
        "criteria": [criterion.id for criterion in policy.criteria],
    }


def run_evaluate(args: argparse.Namespace) -> int:
    from zhongchuang.engine.evaluate import evaluate
    from zhongchuang.engine.policy import load_policy
    from zhongchuang.facts import load_facts

    policy = load_policy(args.policy)  # an unknown policy is reported before the file is read
    facts = load_facts(args.file)
    result = evaluate(facts, policy, as_of=args.as_of, year=args.year)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
        return 0
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    print(render_table(result, english=args.lang == "en", details=args.details, color=color))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from zhongchuang.web.demo import run_demo as serve

    serve(port=args.port)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from zhongchuang.facts.models import Facts

    print(json.dumps(Facts.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def examples_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "examples"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "examples"


def run_example(args: argparse.Namespace) -> int:
    available = {path.stem: path for path in sorted(examples_dir().glob("*.json"))}
    unknown = [name for name in args.names if name not in available]
    if unknown:
        raise ZhongchuangError(
            [
                Problem(
                    name,
                    f"没有这个示例，可选：{'、'.join(available)}",
                    f"no such example; available: {', '.join(available)}",
                )
                for name in unknown
            ]
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(available):
        shutil.copyfile(available[name], out / f"{name}.json")
        print(out / f"{name}.json")
    return 0


def run_template(args: argparse.Namespace) -> int:
    from zhongchuang.tabular import write_workbook

    data = None
    if args.facts:
        from zhongchuang.facts import load_facts

        data = load_facts(args.facts).model_dump(mode="json", exclude_none=True)
    try:
        write_workbook(args.file, data, example_rows=not args.no_example)
    except OSError as error:
        raise ZhongchuangError(
            [
                Problem(
                    args.file, f"无法写入文件：{error.strerror}", f"cannot write the file: {error.strerror}"
                )
            ]
        ) from None
    print(args.file)
    return 0


def run_check_workbook(args: argparse.Namespace) -> int:
    from zhongchuang.tabular import read_workbook

    reading = read_workbook(args.file)  # WorkbookUnreadable is a ZhongchuangError: exit 2
    if not reading.problems:
        rows = sum(reading.counts.values())
        print(f"检查通过：{args.file}，共 {rows} 行数据 / the workbook is valid: {rows} row(s)")
        return 0
    count = len(reading.problems)
    print(f"{args.file}：发现 {count} 个问题 / {count} problem(s) found")
    for problem in reading.problems:
        value = f"，值“{problem.value}”" if problem.value else ""
        shown = f" (value {problem.value!r})" if problem.value else ""
        header = f" ({problem.header})" if problem.header else ""
        print(f"  - {problem.where_zh}{value}：{problem.zh}")
        print(f"    {problem.where_en}{header}{shown}: {problem.en}")
    return 1


# --- the table -------------------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def wrap(text: str, columns: int) -> list[str]:
    lines, current = [], ""
    for char in text:
        if width(current + char) > columns:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current or not lines else lines


def paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def render_table(result: object, english: bool = False, details: bool = False, color: bool = False) -> str:
    from zhongchuang.engine.results import EvaluationResult

    assert isinstance(result, EvaluationResult)
    lang = 1 if english else 0
    title = result.policy_title_en if english else result.policy_title_zh
    head = [
        f"{result.space_name} · {title}",
        (
            f"as of {result.as_of} · window ({result.window.start_exclusive}, {result.window.end_inclusive}]"
            if english
            else f"基准日 {result.as_of} · 近一年窗口（{result.window.start_exclusive}，{result.window.end_inclusive}］"
        )
        + (f" · cultivation year {result.cultivation_year}" if english and result.cultivation_year else "")
        + (f" · 培育第{result.cultivation_year}年" if not english and result.cultivation_year else ""),
        f"policy {result.policy_id}@{result.policy_version}"
        if english
        else f"政策 {result.policy_id}，版本 {result.policy_version}",
        "",
    ]
    terminal = shutil.get_terminal_size((120, 24)).columns
    text_columns = max(40, terminal - 34)
    rows = []
    header = ("ID", "Status", "Condition / why") if english else ("编号", "状态", "条件 / 说明")
    rows.append(f"{pad(header[0], 12)} {pad(header[1], 14)} {header[2]}")
    rows.append("─" * min(terminal, 12 + 14 + 2 + text_columns))
    for criterion in result.criteria:
        label = STATUS_LABELS[criterion.status]
        explanation = criterion.explanation_en if english else criterion.explanation_zh
        lines = wrap(explanation, text_columns)
        status = paint(pad(label[lang], 14), label[2], color)
        rows.append(f"{pad(criterion.id, 12)} {status} {lines[0]}")
        rows += [f"{'':12} {'':14} {line}" for line in lines[1:]]
        if details:
            for check in criterion.checks:
                check_label = STATUS_LABELS[check.status]
                text = check.explanation_en if english else check.explanation_zh
                check_lines = wrap(text, text_columns - 2)
                rows.append(
                    f"  {pad(check.id, 10)} {paint(pad(check_label[lang], 14), check_label[2], color)}   {check_lines[0]}"
                )
                rows += [f"{'':12} {'':14}   {line}" for line in check_lines[1:]]
    verdict = VERDICT_LABELS[result.verdict]
    tail = ["", ("Verdict: " if english else "结论：") + paint(verdict[lang], verdict[2], color)]
    counts = result.counts
    tail.append(
        f"sub-checks: {counts.get('pass', 0)} pass, {counts.get('needs_review', 0)} need review, "
        f"{counts.get('missing_data', 0)} missing data, {counts.get('fail', 0)} fail"
        if english
        else f"子项：通过 {counts.get('pass', 0)}，待审核 {counts.get('needs_review', 0)}，"
        f"数据不全 {counts.get('missing_data', 0)}，不符合 {counts.get('fail', 0)}"
    )
    if result.groups:
        names = {"basic": ("基本条件", "basic conditions"), "target": ("培育目标", "cultivation targets")}
        for group, group_verdict in result.groups.items():
            tail.append(
                f"{names[group][lang]}：{VERDICT_LABELS[group_verdict][lang]}"
                if not english
                else f"{names[group][lang]}: {VERDICT_LABELS[group_verdict][lang]}"
            )
    if result.fallback:
        fb = result.fallback
        tail.append(
            f"Fallback {fb.policy_id}: {VERDICT_LABELS[fb.verdict][1]}"
            + (f" (failing: {', '.join(fb.failing)})" if fb.failing else "")
            if english
            else f"按 {fb.policy_id} 评估：{VERDICT_LABELS[fb.verdict][0]}"
            + (f"（不符合：{'、'.join(fb.failing)}）" if fb.failing else "")
        )
    tail += [f"注：{note}" for note in result.notes]
    return "\n".join(head + rows + tail)


if __name__ == "__main__":
    sys.exit(main())
