"""The packet as one A4 PDF: WeasyPrint lays out the cover, `typeset` the rest, pypdf appends the evidence.

1. WeasyPrint lays out the cover and, on pages that are then dropped, every character the rest of the
   packet prints, once per face: the PDF it writes carries the fonts (Noto Sans CJK SC subsets) that
   our own pages use (`glyphs`). Laying out hundreds of table rows as CSS boxes took WeasyPrint most
   of a packet's time; `typeset` sets the table of contents and the sections directly.
2. pypdf builds the packet: the cover, the typeset pages (with the contents' links and bookmarks),
   then each evidence page as a form XObject scaled into an A4 page (images as image XObjects, JPEG
   bytes unchanged).
3. Every page gets its footer "第 X 页 共 Y 页" (the total counts the evidence), every evidence page
   its label line, and a draft the 草稿 watermark on top of everything: a few bytes of text drawn onto
   each page.

OFD files are listed in the index but cannot be printed here.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.annotations import Link
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
from zhongchuang.packet.content import EvidenceNote, Section, Text, sections
from zhongchuang.packet.draw import (
    FAINT,
    MM,
    centred_on,
    font_name,
    link_rectangle,
    page_operations,
    text_operations,
)
from zhongchuang.packet.glyphs import FACES, Faces, glyph_text, read_faces
from zhongchuang.packet.source import EvidenceFile, PacketSource
from zhongchuang.packet.typeset import (
    A4,
    PT,
    WATERMARK,
    Line,
    Style,
    baseline,
    characters,
    text_width,
    typeset,
)

log = logging.getLogger(__name__)

# Evidence pages (millimetres): the label line at the top, the footer at the bottom, the document between.
EVIDENCE_SIDE, EVIDENCE_TOP, EVIDENCE_BOTTOM, LABEL_HEIGHT = 10.0, 12.0, 16.0, 7.0
FOOTER_Y = 7.0  # bottom edge of the footer line, from the bottom of the page
STAMP_LINE = 6.0  # height of the footer and label lines
STEPS = 6
IMAGE_MIMES = ("image/jpeg", "image/png")
WATERMARK_TEXT, WATERMARK_ANGLE = "草稿", 35.0
FOOTER = Style("regular", 9, STAMP_LINE / (9 * PT))
LABEL = Style("regular", 8, STAMP_LINE / (8 * PT), "#333333")


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


# --- assembling -----------------------------------------------------------------------------------


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    """No file or network access while printing: the packet's HTML names no external resource."""
    raise ValueError(f"refused: {url}")


class Assembler:
    """Adds pages, streams and images to one PdfWriter, and draws onto its pages (XObjects, text)."""

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

    def draw(self, page: Any, operations: bytes, resources: dict[str, dict[str, Any]]) -> None:
        """Append drawing operations to a page, its own content wrapped in q … Q so our state is clean.

        `resources`: category (/XObject, /Font, /ExtGState) → name → object. WeasyPrint's pages share one
        /Resources dictionary: each page gets its own shallow copy, so the names drawn on one page never
        change what another page shows.
        """
        shared = page.get("/Resources")
        own = DictionaryObject(shared.get_object()) if shared is not None else DictionaryObject()
        for category, named in resources.items():
            table = own.get(category)
            table = DictionaryObject(table.get_object()) if table is not None else DictionaryObject()
            for name, reference in named.items():
                table[NameObject(name)] = reference
            own[NameObject(category)] = table
        page[NameObject("/Resources")] = own
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


def _evidence_page(assembler: Assembler, plan: EvidencePlan, number: int) -> None:
    """Append the `number`-th page of an evidence file as a new A4 page (landscape when the document is wider)."""
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
        (page_h - EVIDENCE_TOP - LABEL_HEIGHT - EVIDENCE_BOTTOM - 1) * MM,
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
    assembler.draw(page, _ops(matrix, "/ZcEvidence"), {"/XObject": {"/ZcEvidence": xobject}})


def packet_pdf(source: PacketSource, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole packet as one A4 PDF (bytes); `progress(done, total)` is called after each major step."""

    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)

    step(0)
    plans = [_plan(file) for file in source.evidence]
    evidence_pages = _number(plans)
    parts = sections(source, _notes(plans))
    if evidence_pages:
        parts.append(_originals(sum(1 for plan in plans if plan.pages), evidence_pages))
    labels = [
        f"附页 {plan.first + index}　佐证材料 {plan.file.ref}　{document_label(plan.file.kind)}　{plan.file.title}"
        + (f"　（第 {index + 1} 页／共 {plan.pages} 页）" if plan.pages > 1 else "")
        for plan in plans
        for index in range(plan.pages)
    ]
    needed = characters(parts, space_name=source.space_name)
    needed["regular"].update("第页共", *labels)  # the footers and the evidence labels drawn below
    needed["bold"].update(WATERMARK_TEXT if source.draft else "")
    step(1)
    front, faces, cover_pages = _front(source, needed)
    step(2)
    typeset_part = typeset(parts, faces, space_name=source.space_name, first_number=cover_pages + 1)
    step(3)
    writer = PdfWriter()
    for index in range(cover_pages):
        writer.add_page(front.pages[index])
    fonts = {
        font_name(face, index): font.reference.get_object().clone(writer).indirect_reference
        for face, candidates in faces.fonts.items()
        for index, font in enumerate(candidates)
    }
    assembler = Assembler(writer)
    faint = assembler.writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/ExtGState"),
                NameObject("/ca"): FloatObject(0.16),
                NameObject("/CA"): FloatObject(0.16),
            }
        )
    )
    drawing = {"/Font": fonts, "/ExtGState": {FAINT: faint}}
    for page in typeset_part.pages:
        width, height = page.size
        blank = writer.add_blank_page(width * MM, height * MM)
        assembler.draw(blank, page_operations(page, faces), drawing)
    for index, page in enumerate(typeset_part.pages):
        for link in page.links:
            writer.add_annotation(
                cover_pages + index,
                Link(
                    rect=link_rectangle(page, link.x, link.y, link.w, link.h),
                    target_page_index=cover_pages + link.page,
                ),
            )
    for part, start in zip(parts, typeset_part.starts, strict=True):
        writer.add_outline_item(title=part.heading, page_number=cover_pages + start)
    content_pages = len(writer.pages)
    step(4)
    for plan in plans:
        for number in range(1, plan.pages + 1):
            _evidence_page(assembler, plan, number)
    step(5)
    total = len(writer.pages)
    for index, page in enumerate(writer.pages):
        width, height = float(page.mediabox.width) / MM, float(page.mediabox.height) / MM
        stamps = [_footer(index + 1, total, width, height, faces)]
        if index >= content_pages:
            stamps.append(_label(labels[index - content_pages], faces))
        operations = text_operations(stamps, faces, height)
        if source.draft:
            operations += text_operations([_watermark(width, height, faces)], faces, height, faint=True)
        assembler.draw(page, operations, drawing)
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


def _originals(files: int, pages: int) -> Section:
    return Section(
        "s-originals",
        "",
        "附：佐证材料原件",
        [
            Text(f"以下附 {files} 份佐证材料原件，共 {pages} 页，按佐证材料清单的顺序排列。"),
            Text(
                "每页上方标注附页编号、材料编号、类别和名称；清单“说明”一栏注明每份材料所在的附页。"
                "OFD 格式及无法读取的文件未附入，见清单说明。"
            ),
        ],
    )


def _front(source: PacketSource, needed: dict[str, set[str]]) -> tuple[PdfReader, Faces, int]:
    """The cover laid out by WeasyPrint, followed by the glyph pages of each face; the fonts read back."""
    import weasyprint

    with translation.override("zh-hans"):
        html = render_to_string(
            "packet/packet.html",
            {"source": source, "glyphs": [(face, glyph_text(needed[face])) for face in FACES]},
        )
        css = render_to_string("packet/packet.css", {})
    document = weasyprint.HTML(string=html, url_fetcher=_refuse).render(
        stylesheets=[weasyprint.CSS(string=css, url_fetcher=_refuse)]
    )
    first = {
        face: next(index for index, page in enumerate(document.pages) if f"glyphs-{face}" in page.anchors)
        for face in FACES
    }
    ends = [*(first[face] for face in FACES[1:]), len(document.pages)]
    pages = {face: list(range(first[face], end)) for face, end in zip(FACES, ends, strict=True)}
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    return reader, read_faces(reader, pages), first[FACES[0]]


def _footer(number: int, total: int, width: float, height: float, faces: Faces) -> Line:
    text = f"第 {number} 页 共 {total} 页"
    x = (width - text_width(text, FOOTER, faces)) / 2
    return Line(x, height - FOOTER_Y - STAMP_LINE + baseline(FOOTER, faces), text, FOOTER)


def _label(text: str, faces: Faces) -> Line:
    top = EVIDENCE_TOP + LABEL_HEIGHT - STAMP_LINE
    return Line(EVIDENCE_SIDE, top + baseline(LABEL, faces), text, LABEL)


def _watermark(width: float, height: float, faces: Faces) -> Line:
    size = text_width(WATERMARK_TEXT, WATERMARK, faces)
    x, y = centred_on(size, WATERMARK.size, (width / 2, height * 0.45), WATERMARK_ANGLE)
    return Line(x, y, WATERMARK_TEXT, WATERMARK, angle=WATERMARK_ANGLE)
