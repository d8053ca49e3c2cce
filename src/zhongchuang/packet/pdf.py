"""The packet as one A4 PDF: WeasyPrint lays out the content, pypdf appends the evidence and stamps every page.

Page numbers "第 X 页 共 Y 页" must count the appended evidence, and WeasyPrint's counter(pages)
counts only what it lays out; laying out one placeholder page per evidence page costs several
milliseconds a page, too slow for a space with hundreds of documents. So:

1. WeasyPrint lays out the content (cover … evidence index, and a divider page announcing the
   originals). Its table of contents uses target-counter: the content pages come first, so their
   numbers are final.
2. WeasyPrint lays out one small "stamp sheet": every page's footer, every evidence page's label
   line and, for a draft, the 草稿 watermark, packed many to a page.
3. pypdf appends each evidence page as a form XObject scaled into an A4 page (images are embedded
   as image XObjects, JPEG bytes unchanged), then draws onto every page the clipped stamps it needs.
   Drawing XObjects appends a few bytes to each page instead of re-writing its content.

Every page has its footer; a draft has the watermark on every page (on top of the evidence). OFD
files are listed in the index but cannot be printed here. Text and fonts (Noto Sans CJK SC) are
embedded by WeasyPrint in both documents.
"""

from __future__ import annotations

import gc
import io
import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from zhongchuang.facts.labels import document_label
from zhongchuang.packet.content import EvidenceNote, sections
from zhongchuang.packet.source import EvidenceFile, PacketSource

log = logging.getLogger(__name__)

MM = 72 / 25.4  # PDF points per millimetre
PX = 0.75  # PDF points per CSS pixel (WeasyPrint anchors are in CSS pixels)
A4 = (210.0, 297.0)
# Evidence pages (millimetres): the label line at the top, the footer at the bottom, the document between.
EVIDENCE_SIDE, EVIDENCE_TOP, EVIDENCE_BOTTOM, LABEL = 10.0, 12.0, 16.0, 7.0
FOOTER_Y = 7.0  # bottom edge of the footer line, from the bottom of the page
LINE = 6.0  # height of one stamp line
LINES_PER_SHEET = 45
STEPS = 6
GC_THRESHOLD = 200_000  # allocations between young collections while printing (CPython default: 700)
IMAGE_MIMES = ("image/jpeg", "image/png")


# --- the evidence ---------------------------------------------------------------------------------


@dataclass
class EvidencePlan:
    """One evidence file as the PDF shows it: its pages (PDF pages or one image), or why it is not appended."""

    file: EvidenceFile
    remark: str  # "" when appended
    reader: PdfReader | None = None
    image: dict[str, Any] | None = None  # width, height, colour space, filter, data of an image XObject
    first: int = 0  # 附页 number of its first page (1-based), once numbered

    @property
    def pages(self) -> int:
        if self.reader is not None:
            return len(self.reader.pages)
        return 1 if self.image is not None else 0


def _image_xobject(content: bytes, mime: str) -> dict[str, Any]:
    """An image XObject's fields: JPEG bytes kept as they are (DCTDecode), PNG decoded and deflated."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as opened:
        opened.load()
        image: Image.Image = opened
        width, height = image.size
        if mime == "image/jpeg" and image.mode in ("RGB", "L", "CMYK"):
            space = {"RGB": "/DeviceRGB", "L": "/DeviceGray", "CMYK": "/DeviceCMYK"}[image.mode]
            decode = [1, 0, 1, 0, 1, 0, 1, 0] if image.mode == "CMYK" and "adobe" in image.info else None
            return {
                "width": width,
                "height": height,
                "space": space,
                "filter": "/DCTDecode",
                "data": content,
                "decode": decode,
            }
        if image.mode in ("RGBA", "LA", "P", "PA"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        return {
            "width": width,
            "height": height,
            "space": space,
            "filter": "/FlateDecode",
            "data": zlib.compress(image.tobytes(), 6),
            "decode": None,
        }


def _plan(file: EvidenceFile) -> EvidencePlan:
    if file.mime == "application/ofd":
        return EvidencePlan(file, "OFD 格式，本文件未附入，请另附打印件")
    content = file.read()
    if content is None:
        return EvidencePlan(file, "文件缺失或与提交时的校验值不一致，未附入")
    if file.mime == "application/pdf":
        try:
            reader = PdfReader(io.BytesIO(content))
            if reader.is_encrypted and not reader.decrypt(""):
                return EvidencePlan(file, "文件已加密，无法附入")
            if len(reader.pages) == 0:
                return EvidencePlan(file, "文件没有页面，未附入")
        except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
            log.warning("evidence %s unreadable: %s", file.ref, error)
            return EvidencePlan(file, "文件无法读取，未附入")
        return EvidencePlan(file, "", reader=reader)
    if file.mime in IMAGE_MIMES:
        try:
            return EvidencePlan(file, "", image=_image_xobject(content, file.mime))
        except (OSError, ValueError, SyntaxError) as error:
            log.warning("evidence %s unreadable: %s", file.ref, error)
            return EvidencePlan(file, "图片无法读取，未附入")
    return EvidencePlan(file, "不支持的文件类型，未附入")


def _number(plans: list[EvidencePlan]) -> int:
    """Give each appended file its 附页 numbers; the total of evidence pages."""
    count = 0
    for plan in plans:
        if plan.pages:
            plan.first = count + 1
            count += plan.pages
    return count


def _notes(plans: list[EvidencePlan]) -> dict[str, EvidenceNote]:
    notes = {}
    for plan in plans:
        if plan.pages:
            last = plan.first + plan.pages - 1
            where = f"附页 {plan.first}" if plan.pages == 1 else f"附页 {plan.first}–{last}"
            notes[plan.file.ref] = EvidenceNote(plan.pages, f"附后（{where}）")
        else:
            notes[plan.file.ref] = EvidenceNote(None, plan.remark)
    return notes


# --- the stamp sheet ------------------------------------------------------------------------------


@dataclass
class Stamp:
    """A line of the stamp sheet: where it was laid out (sheet page, top and bottom in CSS pixels from the top)."""

    text: str
    centred: bool
    sheet: int = 0
    top: float = 0.0
    bottom: float = 0.0
    form: IndirectObject | None = None  # the line alone, as a form XObject of the packet


@dataclass
class Stamps:
    footers: list[Stamp] = field(default_factory=list)
    labels: list[Stamp] = field(default_factory=list)
    watermark: dict[bool, int] = field(default_factory=dict)  # landscape? → sheet page


def _stamp_sheet(total: int, labels: list[str], draft: bool) -> tuple[bytes, Stamps]:
    """Lay out every stamp line (and the watermark pages) in one WeasyPrint document."""
    import weasyprint

    stamps = Stamps(
        footers=[Stamp(f"第 {page} 页 共 {total} 页", True) for page in range(1, total + 1)],
        labels=[Stamp(text, False) for text in labels],
    )
    lines = stamps.footers + stamps.labels
    starts = range(0, len(lines), LINES_PER_SHEET)
    html = render_to_string(
        "packet/stamps.html",
        {
            "sheets": [
                [
                    (f"l{start + index}", line)
                    for index, line in enumerate(lines[start : start + LINES_PER_SHEET])
                ]
                for start in starts
            ],
            "draft": draft,
        },
    )
    css = render_to_string("packet/stamps.css", {"line": LINE, "side": EVIDENCE_SIDE})
    document = weasyprint.HTML(string=html, url_fetcher=_refuse).render(
        stylesheets=[weasyprint.CSS(string=css, url_fetcher=_refuse)]
    )
    for index, page in enumerate(document.pages):
        for anchor, (_x1, y1, _x2, y2) in page.anchors.items():  # CSS pixels from the top left
            if anchor.startswith("l"):
                line = lines[int(anchor[1:])]
                line.sheet, line.top, line.bottom = index, y1, y2
            elif anchor == "wm":
                stamps.watermark[False] = index
            elif anchor == "wm-wide":
                stamps.watermark[True] = index
    return document.write_pdf(), stamps


TEXT_MATRIX = re.compile(rb"^\S+ \S+ \S+ \S+ \S+ (\S+) Tm$")


def _split_lines(assembler: Assembler, sheet: Any, index: int, lines: list[Stamp]) -> None:
    """Cut one stamp-sheet page into one form XObject per line (its text objects only).

    Drawing the whole sheet clipped to one line would look right, but text extraction and search
    ignore clipping: every page would "contain" all 45 lines. WeasyPrint writes each line as
    `q … re W n … BT … Tm … ET Q` after the page's initial `cm` operators (flip and px → pt); the
    text objects are grouped by the line whose box holds their baseline.
    """
    ours = sorted((line for line in lines if line.sheet == index), key=lambda line: line.top)
    if not ours:
        return
    data = sheet._get_contents_as_bytes() or b""
    prefix: list[bytes] = []
    groups: dict[int, list[bytes]] = {}
    block: list[bytes] = []
    pending: list[bytes] = []  # state operators (gs, colour) since the last clip, kept with the next text
    seen_clip = False
    for raw in data.split(b"\n"):
        op = raw.strip()
        if not seen_clip and op.endswith(b" cm"):
            prefix.append(op)
        if op.endswith(b" re"):
            seen_clip = True
        if block:
            block.append(op)
            if op == b"ET":
                baseline = next(
                    (float(match[1]) for line_op in block if (match := TEXT_MATRIX.match(line_op))), None
                )
                owner = next(
                    (
                        i
                        for i, line in enumerate(ours)
                        if baseline is not None and line.top <= baseline <= line.bottom
                    ),
                    None,
                )
                if owner is not None:
                    groups.setdefault(owner, []).extend([*pending, *block])
                block, pending = [], []
            continue
        if op == b"BT":
            block = [op]
        elif op.endswith((b" gs", b" rg", b" g", b" k")):
            pending.append(op)
        elif op == b"n":
            pending = []
    resources = sheet.get("/Resources")
    shared = resources.get_object().clone(assembler.writer) if resources is not None else None
    box = sheet.cropbox
    for owner, operations in groups.items():
        ours[owner].form = assembler.stream(
            b"\n".join([*prefix, *operations]) + b"\n",
            {
                "/Type": NameObject("/XObject"),
                "/Subtype": NameObject("/Form"),
                "/BBox": ArrayObject(
                    FloatObject(float(v)) for v in (box.left, box.bottom, box.right, box.top)
                ),
                **({"/Resources": shared} if shared is not None else {}),
            },
        )


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    """No file or network access while printing: the packet's HTML names no external resource."""
    raise ValueError(f"refused: {url}")


# --- assembling -----------------------------------------------------------------------------------


class Assembler:
    """Adds pages and draws form XObjects onto pages of one PdfWriter."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.save = self.stream(b"q\n")
        self.restore = self.stream(b"Q\n")

    def stream(self, data: bytes, fields: dict[str, Any] | None = None) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        if len(data) > 512:
            stream = stream.flate_encode()  # type: ignore[assignment]
        for key, value in (fields or {}).items():
            stream[NameObject(key)] = value
        return self.writer._add_object(stream)  # pypdf offers no public way to add a bare object

    def form(self, page: Any) -> IndirectObject:
        """A page of another document as a form XObject of this one (its resources copied once)."""
        box = page.cropbox
        fields: dict[str, Any] = {
            "/Type": NameObject("/XObject"),
            "/Subtype": NameObject("/Form"),
            "/BBox": ArrayObject(FloatObject(float(v)) for v in (box.left, box.bottom, box.right, box.top)),
        }
        resources = page.get("/Resources")
        if resources is not None:
            fields["/Resources"] = resources.get_object().clone(self.writer)
        return self.stream(page._get_contents_as_bytes() or b"", fields)

    def image(self, image: dict[str, Any]) -> IndirectObject:
        fields: dict[str, Any] = {
            "/Type": NameObject("/XObject"),
            "/Subtype": NameObject("/Image"),
            "/Width": NumberObject(image["width"]),
            "/Height": NumberObject(image["height"]),
            "/ColorSpace": NameObject(image["space"]),
            "/BitsPerComponent": NumberObject(8),
            "/Filter": NameObject(image["filter"]),
        }
        if image["decode"]:
            fields["/Decode"] = ArrayObject(NumberObject(v) for v in image["decode"])
        stream = DecodedStreamObject()
        stream.set_data(image["data"])  # already encoded by the named filter
        for key, value in fields.items():
            stream[NameObject(key)] = value
        return self.writer._add_object(stream)

    def draw(self, page: Any, operations: bytes, xobjects: dict[str, IndirectObject]) -> None:
        """Append drawing operations to a page, its own content wrapped in q … Q so our state is clean.

        WeasyPrint's pages share one /Resources dictionary: each page gets its own shallow copy, so the
        names drawn on one page never change what another page shows.
        """
        shared = page.get("/Resources")
        resources = DictionaryObject(shared.get_object()) if shared is not None else DictionaryObject()
        table = resources.get("/XObject")
        table = DictionaryObject(table.get_object()) if table is not None else DictionaryObject()
        for name, reference in xobjects.items():
            table[NameObject(name)] = reference
        resources[NameObject("/XObject")] = table
        page[NameObject("/Resources")] = resources
        existing = page.get("/Contents")
        if existing is None:
            parts: list[Any] = []
        else:
            resolved = existing.get_object()
            parts = list(resolved) if isinstance(resolved, ArrayObject) else [existing]
        wrapped = [self.save, *parts, self.restore] if parts else []
        page[NameObject("/Contents")] = ArrayObject([*wrapped, self.stream(operations)])


def _fit(width: float, height: float, box: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """Scale and offset that fit a width × height item into box (x, y, w, h), centred."""
    x, y, w, h = box
    scale = min(w / width, h / height)
    return scale, x + (w - width * scale) / 2, y + (h - height * scale) / 2


def _rotation(rotate: int, width: float, height: float) -> Transformation:
    """The matrix that shows content rotated clockwise by /Rotate, moved back into the first quadrant."""
    matrices = {
        90: (0, -1, 1, 0, 0, width),
        180: (-1, 0, 0, -1, width, height),
        270: (0, 1, -1, 0, height, 0),
    }
    return Transformation(matrices[rotate]) if rotate in matrices else Transformation()


def _ops(
    matrix: tuple[float, ...], name: str, clip: tuple[float, float, float, float] | None = None
) -> bytes:
    numbers = " ".join(f"{value:.4f}" for value in matrix)
    clipping = f"{clip[0]:.3f} {clip[1]:.3f} {clip[2]:.3f} {clip[3]:.3f} re W n " if clip else ""
    return f"q {clipping}{numbers} cm {name} Do Q\n".encode()


def _stamp(
    line: Stamp, name: str, at: tuple[float, float], operations: list[bytes], used: dict[str, IndirectObject]
) -> None:
    """Draw a stamp line with its bottom-left corner at `at` (points)."""
    if line.form is None:
        return
    used[name] = line.form
    bottom = A4[1] * MM - line.bottom * PX  # the line's bottom on the sheet, in PDF coordinates
    operations.append(_ops((1, 0, 0, 1, at[0], at[1] - bottom), name))


def _evidence_page(assembler: Assembler, plan: EvidencePlan, number: int) -> tuple[Any, bool]:
    """Append the `number`-th page of an evidence file as a new A4 page; returns the page and whether it is landscape."""
    writer = assembler.writer
    if plan.image is not None:
        width, height, rotate = float(plan.image["width"]), float(plan.image["height"]), 0
        xobject = assembler.image(plan.image)
    else:
        assert plan.reader is not None
        source = plan.reader.pages[number - 1]
        crop = source.cropbox
        width, height = float(crop.width), float(crop.height)
        rotate = (source.rotation or 0) % 360
        xobject = assembler.form(source)
    shown_w, shown_h = (height, width) if rotate in (90, 270) else (width, height)
    wide = shown_w > shown_h * 1.05
    page_w, page_h = (A4[1], A4[0]) if wide else A4
    page = writer.add_blank_page(page_w * MM, page_h * MM)
    box = (
        EVIDENCE_SIDE * MM,
        EVIDENCE_BOTTOM * MM,
        (page_w - 2 * EVIDENCE_SIDE) * MM,
        (page_h - EVIDENCE_TOP - LABEL - EVIDENCE_BOTTOM - 1) * MM,
    )
    scale, x, y = _fit(shown_w, shown_h, box)
    if plan.image is not None:
        matrix: tuple[float, ...] = (width * scale, 0.0, 0.0, height * scale, x, y)
    else:
        crop = plan.reader.pages[number - 1].cropbox  # type: ignore[union-attr]
        transform = (
            Transformation()
            .translate(-float(crop.left), -float(crop.bottom))
            .transform(_rotation(rotate, width, height))
            .scale(scale, scale)
            .translate(x, y)
        )
        matrix = transform.ctm
    assembler.draw(page, _ops(matrix, "/ZcEvidence"), {"/ZcEvidence": xobject})
    return page, wide


def packet_pdf(source: PacketSource, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole packet as one A4 PDF (bytes); `progress(done, total)` is called after each major step."""
    # WeasyPrint creates millions of objects, many in reference cycles (boxes know their parents); with
    # the default thresholds the cyclic collector scans them over and over, a third of the time. Collect
    # rarely while printing, and leave the rest to the collector's usual schedule afterwards.
    thresholds = gc.get_threshold()
    gc.freeze()  # what existed before (Django, the policy, the facts) is not rescanned while printing
    gc.set_threshold(GC_THRESHOLD, thresholds[1], thresholds[2])
    try:
        return _packet_pdf(source, progress)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _packet_pdf(source: PacketSource, progress: Callable[[int, int], None] | None) -> bytes:
    import weasyprint

    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)

    step(0)
    plans = [_plan(file) for file in source.evidence]
    evidence_pages = _number(plans)
    step(1)
    with translation.override("zh-hans"):
        html = render_to_string(
            "packet/packet.html",
            {
                "source": source,
                "sections": sections(source, _notes(plans)),
                "evidence_pages": evidence_pages,
                "appended": sum(1 for plan in plans if plan.pages),
            },
        )
        css = render_to_string("packet/packet.css", {})
    content = weasyprint.HTML(string=html, url_fetcher=_refuse).render(
        stylesheets=[weasyprint.CSS(string=css, url_fetcher=_refuse)]
    )
    step(2)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content.write_pdf())))
    content_pages = len(writer.pages)
    step(3)
    labels = [
        f"附页 {plan.first + index}　佐证材料 {plan.file.ref}　{document_label(plan.file.kind)}　{plan.file.title}"
        + (f"　（第 {index + 1} 页／共 {plan.pages} 页）" if plan.pages > 1 else "")
        for plan in plans
        for index in range(plan.pages)
    ]
    with translation.override("zh-hans"):
        sheet_pdf, stamps = _stamp_sheet(content_pages + evidence_pages, labels, source.draft)
    sheet = PdfReader(io.BytesIO(sheet_pdf))
    step(4)
    assembler = Assembler(writer)
    for index, page in enumerate(sheet.pages):
        _split_lines(assembler, page, index, stamps.footers + stamps.labels)
    watermarks = {wide: assembler.form(sheet.pages[index]) for wide, index in stamps.watermark.items()}
    wide_pages: list[bool] = [
        float(page.mediabox.width) > float(page.mediabox.height) for page in writer.pages
    ]
    for plan in plans:
        for number in range(1, plan.pages + 1):
            _page, wide = _evidence_page(assembler, plan, number)
            wide_pages.append(wide)
    step(5)
    label_index = 0
    for index, page in enumerate(writer.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        operations: list[bytes] = []
        used: dict[str, IndirectObject] = {}
        if source.draft:
            used["/ZcDraft"] = watermarks[wide_pages[index]]
            operations.append(_ops((1, 0, 0, 1, 0, 0), "/ZcDraft"))
        if index >= content_pages:
            _stamp(
                stamps.labels[label_index],
                "/ZcLabel",
                (0, height - (EVIDENCE_TOP + LABEL) * MM),
                operations,
                used,
            )
            label_index += 1
        _stamp(
            stamps.footers[index], "/ZcFooter", ((width - A4[0] * MM) / 2, FOOTER_Y * MM), operations, used
        )
        assembler.draw(page, b"".join(operations), used)
    writer.add_metadata(
        {
            "/Title": f"{source.space_name} {source.application_type} 申报材料",
            "/Author": source.operator_name,
            "/Creator": "zhongchuang",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    step(6)
    return out.getvalue()
