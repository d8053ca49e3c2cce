"""The minutes of a meeting as a document: PDF (WeasyPrint, as the letters) and .docx (python-docx, as the packet)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from zhongchuang.decisions.models import Decision, Meeting
from zhongchuang.decisions.selectors import Clause, clauses_by_id, decided_in, recusals_of

EAST_ASIAN_FONT = "宋体"  # as the packet's Word documents


@dataclass(frozen=True)
class MinutesDecision:
    decision: Decision
    space: str
    clauses: list[Clause]
    deciders: list[str]

    @property
    def votes(self) -> str:
        d = self.decision
        if d.votes_for is None and d.votes_against is None and d.votes_abstain is None:
            return ""
        return f"同意 {d.votes_for or 0}，反对 {d.votes_against or 0}，弃权 {d.votes_abstain or 0}"


def minutes_content(meeting: Meeting) -> dict[str, Any]:
    known = clauses_by_id(meeting.round.policy_id)
    decisions = [
        MinutesDecision(
            decision,
            str(decision.application.space),
            [known[c] for c in decision.cited_clauses if c in known],
            [str(a) for a in decision.deciders.all()],
        )
        for decision in decided_in(meeting)
    ]
    return {
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "recusals": list(recusals_of(meeting)),
        "decisions": decisions,
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    from zhongchuang.certificates.pdf import html_to_pdf

    return html_to_pdf("decisions/minutes_pdf.html", minutes_content(meeting))


def minutes_docx(meeting: Meeting) -> bytes:
    content = minutes_content(meeting)
    document = Document()
    for style_name in ("Normal", "Title", "Heading 1"):
        style = document.styles[style_name]
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)  # type: ignore[attr-defined]
    document.styles["Normal"].font.size = Pt(11)  # type: ignore[attr-defined]
    document.add_heading("集体研究会议纪要", level=0)
    facts = [
        ("申报轮次", meeting.round.name),
        ("会议日期", f"{meeting.held_on:%Y年%m月%d日}"),
        ("会议地点", meeting.place),
        ("主持人", str(meeting.chair.get_full_name() or meeting.chair.username)),
        ("参会人员", "、".join(str(a) for a in content["attendees"])),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    if content["recusals"]:
        document.add_heading("回避情况", level=1)
        for recusal in content["recusals"]:
            document.add_paragraph(
                f"{recusal.attendee} 就“{recusal.application.space}”回避：{recusal.reason}",
                style="List Bullet",
            )
    document.add_heading("研究事项与决定", level=1)
    if not content["decisions"]:
        document.add_paragraph("尚未记录决定。")
    for item in content["decisions"]:
        document.add_paragraph(f"{item.space}：{item.decision.get_outcome_display()}", style="List Number")
        document.add_paragraph(f"理由：{item.decision.reasons}")
        for clause in item.clauses:
            document.add_paragraph(f"依据 {clause.id} {clause.title}：“{clause.text}”（{clause.cite}）")
        document.add_paragraph(
            f"参与表决：{'、'.join(item.deciders)}" + (f"；{item.votes}" if item.votes else "")
        )
    if meeting.minutes:
        document.add_heading("会议记录", level=1)
        for paragraph in meeting.minutes.splitlines():
            if paragraph.strip():
                document.add_paragraph(paragraph.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
