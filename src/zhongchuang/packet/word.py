"""The packet's tables as a Word document, for staff who edit: the same sections and tables as the PDF.

Headings use Word's built-in heading styles (so Word's navigation pane and table of contents work),
tables have a header row that repeats across pages, wide tables sit in landscape sections. Chinese
text uses 宋体 (the font every Chinese Word installation has); the evidence files are not embedded.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhongchuang.packet.content import Fields, Section, Table, Text, sections
from zhongchuang.packet.source import PacketSource

EAST_ASIAN_FONT = "宋体"


def _east_asian(style: object) -> None:
    """Chinese text in 宋体: the w:eastAsia font of the style (python-docx sets only the Latin one)."""
    r_pr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_pr.get_or_add_rFonts().set(
        qn("w:eastAsia"), EAST_ASIAN_FONT
    )  # rFonts first in rPr, as the schema wants


def _orient(document: Document, landscape: bool, new: bool) -> None:  # type: ignore[valid-type]
    section = document.add_section(WD_SECTION.NEW_PAGE) if new else document.sections[0]  # type: ignore[attr-defined]
    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    margin = Mm(15) if landscape else Mm(20)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Mm(18)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(document: Document, headers: list[str], rows: list[list[str]], caption: str, size: float) -> None:  # type: ignore[valid-type]
    document.add_paragraph(caption, style="Caption")  # type: ignore[attr-defined]
    table = document.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    header_cells = table.rows[0].cells
    for cell, text in zip(header_cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(text).font.size = Pt(size)


def _block(document: Document, block: Fields | Table | Text) -> None:  # type: ignore[valid-type]
    if isinstance(block, Fields):
        _table(
            document, ["项目", "内容"], [[label, value] for label, value in block.items], block.caption, 10
        )
    elif isinstance(block, Table):
        rows = block.rows or [[block.empty, *[""] * (len(block.headers) - 1)]]
        _table(document, block.headers, rows, block.caption, 7.5 if block.wide else 8.5)
        if block.note:
            document.add_paragraph(block.note)  # type: ignore[attr-defined]
    else:
        document.add_paragraph(block.text)  # type: ignore[attr-defined]


def packet_docx(source: PacketSource) -> bytes:
    """The cover facts and every section's tables as a .docx document (bytes)."""
    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        _east_asian(document.styles[name])
    document.styles["Normal"].font.size = Pt(10.5)
    _orient(document, landscape=False, new=False)
    title = f"{source.application_type} 申报材料" + ("（草稿）" if source.draft else "")
    document.add_heading(title, level=0)
    version = "草稿" if source.draft else f"第{source.version_number}版（已提交）"
    cover = [
        ("申报单位", source.operator_name),
        ("众创空间", source.space_name),
        ("申报类型", source.application_type),
        ("申报轮次", source.round_name),
        ("日期", f"{source.date.year}年{source.date.month}月{source.date.day}日"),
        ("版本", version),
    ]
    if source.reference_date:
        cover.insert(5, ("数据截至（基准日）", source.reference_date.isoformat()))
    _table(document, ["项目", "内容"], [list(item) for item in cover], "封面信息", 10)
    document.add_paragraph("申报单位（盖章）：　　　　　　　　　　　　年　　月　　日")
    landscape = False
    for section in sections(source):
        wide = section.wide
        if wide != landscape:
            _orient(document, landscape=wide, new=True)
        else:
            document.add_page_break()  # type: ignore[no-untyped-call]
        landscape = wide
        _section(document, section)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _section(document: Document, section: Section) -> None:  # type: ignore[valid-type]
    document.add_heading(section.heading, level=1)  # type: ignore[attr-defined]
    for block in section.blocks:
        _block(document, block)
