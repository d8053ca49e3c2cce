"""The application packet: one A4 PDF in the official order, with page numbers, the draft watermark and the
evidence appended; and the same tables as a Word document.

Set up through the real services (a facts example loaded with stored evidence, a round, a submission).
The PDF is read back with poppler (pdftotext, pdftoppm, pdffonts) and pypdf.
Set ZC_PACKET_KEEP=/some/dir to keep the generated files for looking at them.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordDocument
from PIL import Image, ImageStat
from pypdf import PdfReader

from zhongchuang.accounts.models import Bureau
from zhongchuang.applications.models import Application, ApplicationVersion
from zhongchuang.applications.services import application_create, application_submit, round_open
from zhongchuang.evidence.services import document_store
from zhongchuang.facts import parse_facts
from zhongchuang.packet import packet_docx, packet_pdf, packet_source_for_draft, packet_source_for_version
from zhongchuang.spaces.models import Space
from zhongchuang.spaces.services import space_create, space_load_facts
from zhongchuang.web.demo import placeholder_pdf

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts"))
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftotext, pdftoppm, pdffonts) not installed"
)


def multipage_pdf(pages: int, text: str) -> bytes:
    """A valid PDF with `pages` pages, each saying `text` and its number (ASCII, Helvetica)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for number in range(1, pages + 1):
        page = PdfReader(io.BytesIO(placeholder_pdf(f"{text} page {number}"))).pages[0]
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_photo() -> bytes:
    image = Image.new("RGB", (400, 260), (40, 120, 200))
    for x in range(0, 400, 20):
        for y in range(260):
            image.putpixel((x, y), (250, 250, 250))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def xiamen_round(db: Any) -> Any:
    bureau = Bureau.objects.create(name="厦门市科学技术局", city="厦门市")
    return round_open(
        bureau=bureau,
        name="2099年市级众创空间认定（综合型）",
        policy_id="xiamen-2025-comprehensive",
        notice_date=date(2099, 2, 1),
        deadline=date(2099, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=None,
    )


def load_space(user: Any) -> Space:
    """The comprehensive example with every document stored: a 3-page lease, a PNG photo, the rest one page."""
    facts = parse_facts(json.loads((EXAMPLES / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8")))
    space = space_create(organisation=user.membership.organisation, name=facts.space.name, by=user)
    documents = {}
    for document in facts.documents:
        if document.id == "lease-GR-2025-0107":
            content, name = multipage_pdf(3, "LEASE-GR-2025-0107"), "lease.pdf"
        elif document.kind == "photo" and not any(d.mime.startswith("image/") for d in documents.values()):
            content, name = png_photo(), "photo.png"
        else:
            content, name = placeholder_pdf(document.id), f"{document.id}.pdf"
        documents[document.id] = document_store(
            space=space, kind=document.kind, title=document.title, content=content, filename=name, by=user
        )
    return space_load_facts(space=space, facts=facts, by=user, documents=documents)


@pytest.fixture
def application(operator_user: Any, xiamen_round: Any) -> Application:
    space = load_space(operator_user)
    return application_create(space=space, round=xiamen_round, by=operator_user)


@pytest.fixture
def version(application: Application, operator_user: Any) -> ApplicationVersion:
    return application_submit(application=application, pledge_accepted=True, by=operator_user)


def keep(name: str, content: bytes) -> None:
    folder = os.environ.get("ZC_PACKET_KEEP")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(content)


def page_texts(pdf: bytes, tmp_path: Path, mode: str = "-layout") -> list[str]:
    path = tmp_path / "packet.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[: len(PdfReader(io.BytesIO(pdf)).pages)]


def first_page_with(texts: list[str], pattern: str, after: int = 0) -> int:
    return next(index for index, text in enumerate(texts) if index >= after and re.search(pattern, text))


@pytest.fixture
def submitted_pdf(version: ApplicationVersion) -> bytes:
    steps: list[tuple[int, int]] = []
    pdf = packet_pdf(
        packet_source_for_version(version), progress=lambda done, total: steps.append((done, total))
    )
    keep("submitted.pdf", pdf)
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1] and len(steps) >= 4
    return pdf


# --- the source -----------------------------------------------------------------------------------


def test_source_of_a_version_is_the_frozen_submission(version: ApplicationVersion) -> None:
    source = packet_source_for_version(version)
    assert source.draft is False and source.version_number == 1
    assert (
        source.space_name == "鹭创众创空间" and source.operator_name == "厦门鹭创科技有限公司"
    )  # the organisation
    assert source.application_type == "厦门市2025年市级众创空间认定（综合型）"
    assert source.round_name == "2099年市级众创空间认定（综合型）"
    assert source.reference_date == date(2025, 3, 21)
    assert source.evaluation == version.evaluation
    assert [file.ref for file in source.evidence] == [item["ref"] for item in version.evidence]
    assert all(file.read() is not None for file in source.evidence)


def test_source_of_a_draft_evaluates_now_at_the_reference_date(application: Application) -> None:
    source = packet_source_for_draft(application)
    assert source.draft is True and source.version_number is None
    assert source.evaluation is not None and source.evaluation["as_of"] == "2025-03-21"
    assert source.facts["as_of"] == "2025-03-21"
    assert len(source.evidence) > 100


def test_evidence_changed_after_submission_is_not_appended(version: ApplicationVersion) -> None:
    source = packet_source_for_version(version)
    tampered = source.evidence[0]
    tampered.document.file.save("tampered", io.BytesIO(b"%PDF-1.4 changed"), save=True)  # type: ignore[union-attr]
    assert tampered.read() is None


# --- the PDF --------------------------------------------------------------------------------------


@needs_poppler
def test_packet_is_a4_with_the_chinese_sections_in_the_official_order(
    submitted_pdf: bytes, tmp_path: Path
) -> None:
    reader = PdfReader(io.BytesIO(submitted_pdf))
    for page in reader.pages:
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert (round(width), round(height)) == (595, 842)  # A4, portrait or landscape
    texts = page_texts(submitted_pdf, tmp_path)
    cover = texts[0]
    for words in (
        "申报单位",
        "厦门鹭创科技有限公司",
        "众创空间",
        "鹭创众创空间",
        "申报类型",
        "厦门市2025年市级众创空间认定（综合型）",
        "申报轮次",
        "2099年市级众创空间认定（综合型）",
        "日期",
        "盖章",
    ):
        assert words in cover
    assert "目" in texts[1] and "录" in texts[1]
    headings = [
        "1. 市级众创空间认定信息表（附件1）",
        "2. 众创空间简介",
        "3. 孵化场地情况表（附件2）",
        "4. 专职管理人员情况表（附件3）",
        "5. 在孵创业团队和企业汇总表（附件4）",
        "6. 近一年开展活动情况表（附件5）",
        "7. 众创空间运营管理制度材料",
        "8. 专业技术服务情况表（附件6）",
        "9. 投融资服务情况表（附件7）",
        "10. 孵化绩效情况表（附件8）",
        "11. 创业导师情况表（附件9）",
        "评估结果（平台自动检查）",
        "佐证材料清单",
        "附：佐证材料原件",
    ]
    # A heading is a line of its own (the running header repeats the title after the space's name).
    pages = [first_page_with(texts, rf"(?m)^\s*{re.escape(heading)}\s*$", after=2) for heading in headings]
    assert pages == sorted(pages) and pages[0] == 2
    assert "附页 1" in texts[pages[-1] + 1]  # the first original follows the divider page


@needs_poppler
def test_table_of_contents_gives_the_pages_of_the_sections(submitted_pdf: bytes, tmp_path: Path) -> None:
    texts = page_texts(submitted_pdf, tmp_path)
    toc = texts[1]
    for heading in ("认定信息表（附件1）", "在孵创业团队和企业汇总表（附件4）", "佐证材料清单"):
        number = int(re.search(re.escape(heading) + r"[ .…]*(\d+)", toc)[1])  # type: ignore[index]
        assert heading in texts[number - 1]


@needs_poppler
def test_every_page_is_numbered_out_of_the_real_total_evidence_included(
    submitted_pdf: bytes, version: ApplicationVersion, tmp_path: Path
) -> None:
    total = len(PdfReader(io.BytesIO(submitted_pdf)).pages)
    texts = page_texts(submitted_pdf, tmp_path)
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text) == [(str(number), str(total))]
    # 148 one-page documents, a 3-page lease and a PNG photo: every evidence page is counted in the total.
    originals = first_page_with(texts, r"(?m)^\s*附：佐证材料原件\s*$", after=2) + 1
    assert total - originals == len(version.evidence) + 2
    lease = [index for index, text in enumerate(texts) if "LEASE-GR-2025-0107" in text]
    assert len(lease) == 3 and "第 1 页／共 3 页" in texts[lease[0]]


@needs_poppler
def test_the_space_the_figures_and_the_evidence_hashes_are_in_the_text(
    submitted_pdf: bytes, version: ApplicationVersion, tmp_path: Path
) -> None:
    text = "\n".join(page_texts(submitted_pdf, tmp_path))
    assert "鹭创众创空间" in text and version.facts["operator"]["uscc"] in text
    assert "厦门市思明区观日路34号4层401-408单元" in text  # a site of 附件2
    assert "XM25-C-4" in text and "待审核" in text  # the evaluation summary, status in Chinese
    flat = re.sub(r"\s+", "", text)
    for item in version.evidence:
        assert item["sha256"] in flat


@needs_poppler
def test_cjk_font_is_embedded(submitted_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "packet.pdf"
    path.write_bytes(submitted_pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert noto and all(line.split()[-5] == "yes" for line in noto)  # the "emb" column


@needs_poppler
def test_draft_is_watermarked_on_every_page_and_the_submission_is_not(
    application: Application, submitted_pdf: bytes, tmp_path: Path
) -> None:
    draft = packet_pdf(packet_source_for_draft(application))
    keep("draft.pdf", draft)
    # The watermark is rotated: pdftotext gives its two characters on separate lines, in reading order.
    assert all(re.search(r"草\s*稿", text) for text in page_texts(draft, tmp_path, "-raw"))
    assert not any(re.search(r"草\s*稿", text) for text in page_texts(submitted_pdf, tmp_path, "-raw"))


def rendered(pdf: bytes, page: int, tmp_path: Path) -> Image.Image:
    path = tmp_path / "packet.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            str(path),
            str(tmp_path / f"page{page}"),
        ],
        check=True,
    )
    (image_path,) = tmp_path.glob(f"page{page}*.png")
    keep(image_path.name, image_path.read_bytes())
    return Image.open(image_path).convert("L")


@needs_poppler
def test_rendered_pages_are_not_blank(submitted_pdf: bytes, tmp_path: Path) -> None:
    texts = page_texts(submitted_pdf, tmp_path)
    table_page = first_page_with(texts, "在孵创业团队和企业汇总表", after=2) + 1
    photo_page = next(index for index, text in enumerate(texts) if "照片" in text and "附页" in text) + 1
    for page in (1, table_page, photo_page):
        image = rendered(submitted_pdf, page, tmp_path)
        assert ImageStat.Stat(image).stddev[0] > 10, f"page {page} looks blank"


def test_word_document_has_the_headings_and_tables(version: ApplicationVersion) -> None:
    content = packet_docx(packet_source_for_version(version))
    keep("packet.docx", content)
    document = WordDocument(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [
        "1. 市级众创空间认定信息表（附件1）",
        "2. 众创空间简介",
        "3. 孵化场地情况表（附件2）",
    ]
    assert "佐证材料清单" in headings
    assert len(document.tables) > 20
    incubatees = next(t for t in document.tables if "团队或企业名称" in [c.text for c in t.rows[0].cells])
    assert len(incubatees.rows) == 1 + 20
    assert any(
        "厦门鹭创科技有限公司" in cell.text
        for table in document.tables[:2]
        for row in table.rows
        for cell in row.cells
    )
    index = next(t for t in document.tables if "SHA-256" in [c.text for c in t.rows[0].cells])
    assert len(index.rows) == 1 + len(version.evidence)
