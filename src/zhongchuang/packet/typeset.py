"""The packet's pages after the cover, typeset here: table of contents, headings, label/value sheets,
tables and paragraphs, as positioned lines of text, rules and fills.

WeasyPrint laid these out once; for a space with 200 incubatees it spent ~7 s of a 10 s packet on
the table cells alone (every cell a CSS box). The blocks of `packet.content` are regular enough to
be set directly: fixed column widths, text wrapped line by line with the font's own advance widths,
rows never split unless taller than a page, header rows repeated on every page of a table.

Pure: nothing here knows PDF or Django. Lengths are millimetres from the page's top-left corner,
font sizes points; `Measure` gives advance widths in em per face ("regular", "bold", "mono").
The look follows the former stylesheet (sizes, paddings, colours, A4 margins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

from zhongchuang.packet.content import Block, Fields, Section, Table, Text

PT = 25.4 / 72  # millimetres per point
A4 = (210.0, 297.0)
PORTRAIT_MARGINS = (20.0, 14.0, 18.0, 14.0)  # top, right, bottom, left
WIDE_MARGINS = (16.0, 12.0, 16.0, 12.0)
EPSILON = 1e-6


class Measure(Protocol):
    def width(self, text: str, face: str) -> float:
        """Advance width of `text` in em."""

    def ascent(self, face: str) -> float:
        """Ascent and descent (positive) in em, as the font declares them: they place the baseline."""

    def descent(self, face: str) -> float: ...


@dataclass(frozen=True)
class Style:
    face: str
    size: float  # points
    leading: float  # line height ÷ font size
    colour: str = "#111111"
    spacing: float = 0.0  # letter spacing, points

    @property
    def line(self) -> float:
        """Line height in millimetres."""
        return self.size * self.leading * PT


HEADER = Style("regular", 8, 1.45, "#555555")
TOC_TITLE = Style("bold", 16, 1.45, spacing=8)
TOC_ENTRY = Style("regular", 11, 1.45)
HEADING = Style("bold", 14, 1.45)
CAPTION = Style("bold", 10, 1.45)
FIELD_LABEL = Style("regular", 9.5, 1.45)
FIELD_VALUE = Style("regular", 9.5, 1.45)
TEXT = Style("regular", 10.5, 1.7)
NOTE = Style("regular", 8.5, 1.45, "#444444")
WATERMARK = Style("bold", 120, 1.0, "#cc0000", spacing=30)
BORDER, BORDER_WIDTH = "#777777", 0.4  # points
HEAD_FILL, LABEL_FILL = "#eceff3", "#f5f6f8"
CONTENTS = "目　录"


def data_styles(wide: bool) -> tuple[Style, Style, Style, Style]:
    """Caption, header cell, body cell and fixed-width cell of a data table (smaller on landscape pages)."""
    size = 7.0 if wide else 7.5
    return (
        Style("bold", 10, 1.3),
        Style("bold", size, 1.3),
        Style("regular", size, 1.3),
        Style("mono", 6, 1.3),
    )


# --- what a page holds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of text: x of its start and y of its baseline (mm)."""

    x: float
    y: float
    text: str
    style: Style
    angle: float = 0.0  # degrees, counter-clockwise


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float  # points
    colour: str


@dataclass(frozen=True)
class Fill:
    x: float
    y: float
    w: float
    h: float
    colour: str


@dataclass(frozen=True)
class Link:
    """A clickable area (mm) that goes to a page of the typeset part (0-based)."""

    x: float
    y: float
    w: float
    h: float
    page: int


@dataclass
class Page:
    wide: bool
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def size(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.wide else A4

    @property
    def margins(self) -> tuple[float, float, float, float]:
        return WIDE_MARGINS if self.wide else PORTRAIT_MARGINS

    @property
    def left(self) -> float:
        return self.margins[3]

    @property
    def right(self) -> float:
        return self.size[0] - self.margins[1]

    @property
    def top(self) -> float:
        return self.margins[0]

    @property
    def bottom(self) -> float:
        return self.size[1] - self.margins[2]


@dataclass
class Typeset:
    pages: list[Page]
    starts: list[int]  # first page (0-based, within `pages`) of each section


# --- lines of text ----------------------------------------------------------------------------------

CLOSING = set("，。、；：？！）》」』】〉”’,.;:?!)]}%")
OPENING = set("（《「『【〈“‘([{")
# A run of Latin letters, digits and ASCII punctuation breaks only at spaces; anything else is a unit of its own.
UNITS = re.compile(r"[\u0021-\u007e\u00a0-\u024f]+| +|.", re.S)
# A line break typed in a cell is kept; ASCII blanks around it go, any other run of them is one space
# (as CSS collapses them). The ideographic space is a character, never collapsed.
WHITESPACE = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v]*|[ \t\r\f\v]+")


def units(text: str) -> list[str]:
    """The pieces a line may break between: closing punctuation stays with what precedes it, opening with what follows."""
    out: list[str] = []
    for unit in UNITS.findall(text):
        if out and out[-1][0] != " " and (unit[0] in CLOSING or out[-1][-1] in OPENING):
            out[-1] += unit
        else:
            out.append(unit)
    return out


def wrap(text: str, width: float, style: Style, measure: Measure, *, indent: float = 0.0) -> list[str]:
    """Lines of `text` no wider than `width` mm (the first `indent` mm narrower); a unit wider than a line
    breaks anywhere (overflow-wrap: anywhere)."""
    em = style.size * PT
    room = (width - indent) / em

    def advance(piece: str) -> float:
        return measure.width(piece, style.face) + len(piece) * style.spacing / style.size

    lines: list[str] = []

    def flush(line: str) -> None:
        nonlocal room
        lines.append(line.rstrip())
        room = width / em

    for paragraph in WHITESPACE.sub(lambda m: "\n" if "\n" in m[0] else " ", text).split("\n"):
        line, used = "", 0.0
        for unit in units(paragraph):
            size = advance(unit)
            if unit[0] == " ":  # a break; the ideographic space (U+3000) is printed like a character
                if line:
                    line, used = line + unit, used + size
                continue
            if line and used + size > room + EPSILON:
                flush(line)
                line, used = "", 0.0
            if size <= room + EPSILON:
                line, used = line + unit, used + size
                continue
            for char in unit:
                size = advance(char)
                if line.strip() and used + size > room + EPSILON:
                    flush(line)
                    line, used = "", 0.0
                line, used = line + char, used + size
        flush(line)
    return lines


def baseline(style: Style, measure: Measure) -> float:
    """Distance (mm) from the top of a line box to the baseline: the font's ascent after half the leading."""
    ascent, descent = measure.ascent(style.face), measure.descent(style.face)
    return (style.line - (ascent + descent) * style.size * PT) / 2 + ascent * style.size * PT


def text_width(text: str, style: Style, measure: Measure) -> float:
    """Width in mm, letter spacing included."""
    return (measure.width(text, style.face) * style.size + len(text) * style.spacing) * PT


# --- the flow of a document --------------------------------------------------------------------------


@dataclass
class Cell:
    lines: list[str]
    style: Style
    align: str = "left"  # or "center"
    fill: str | None = None


@dataclass
class Row:
    cells: list[Cell]
    spans: list[tuple[float, float]]  # x range of each cell (mm)
    padding: tuple[float, float]  # vertical, horizontal (mm)

    @property
    def line(self) -> float:
        return max(cell.style.line for cell in self.cells)

    def height(self) -> float:
        return 2 * self.padding[0] + max(len(cell.lines) for cell in self.cells) * self.line

    def split(self, lines: int) -> tuple[Row, Row]:
        """The first `lines` lines of every cell, and the rest (fills go with both parts)."""
        first = [Cell(c.lines[:lines], c.style, c.align, c.fill) for c in self.cells]
        rest = [Cell(c.lines[lines:], c.style, c.align, c.fill) for c in self.cells]
        return Row(first, self.spans, self.padding), Row(rest, self.spans, self.padding)


class Flow:
    """Places blocks down the pages of one document, starting a page whenever the next piece does not fit."""

    def __init__(self, measure: Measure, space_name: str) -> None:
        self.measure = measure
        self.space_name = space_name
        self.pages: list[Page] = []
        self.heading = ""
        self.wide = False
        self.y = 0.0

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        page = Page(self.wide)
        self.pages.append(page)
        self.y = page.top
        if self.heading:  # the running header, centred in the top margin like @top-left / @top-right
            y = (page.top - HEADER.line) / 2 + baseline(HEADER, self.measure)
            page.lines.append(Line(page.left, y, self.space_name, HEADER))
            right = page.right - text_width(self.heading, HEADER, self.measure)
            page.lines.append(Line(right, y, self.heading, HEADER))

    def room(self) -> float:
        return self.page.bottom - self.y

    def width(self) -> float:
        return self.page.right - self.page.left

    # -- text --------------------------------------------------------------------------------------

    def put_lines(
        self, lines: list[str], style: Style, x: float, *, indent: float = 0.0, align: str = "left"
    ) -> None:
        """Lines one under the other from the current position, going on to new pages as needed."""
        rise = baseline(style, self.measure)
        for index, text in enumerate(lines):
            if self.room() < style.line - EPSILON:
                self.new_page()
            offset = indent if index == 0 else 0.0
            if align == "center":
                offset = (self.width() - text_width(text, style, self.measure)) / 2
            self.page.lines.append(Line(x + offset, self.y + rise, text, style))
            self.y += style.line

    def paragraph(self, text: str, style: Style, *, indent: float = 0.0, after: float = 0.0) -> None:
        lines = wrap(text, self.width(), style, self.measure, indent=indent)
        self.put_lines(lines, style, self.page.left, indent=indent)
        self.y += after

    # -- sections ----------------------------------------------------------------------------------

    def section(self, section: Section) -> int:
        """Lay out a section from a new page; returns that page's index."""
        self.wide = section.wide
        self.heading = section.heading
        self.new_page()
        start = len(self.pages) - 1
        self.put_lines(wrap(section.heading, self.width(), HEADING, self.measure), HEADING, self.page.left)
        self.y += 1.5
        self.page.rules.append(Rule(self.page.left, self.y, self.page.right, self.y, 1.0, "#333333"))
        self.y += 4.0
        for block in section.blocks:
            self.block(block)
        return start

    def block(self, block: Block) -> None:
        if isinstance(block, Fields):
            self.fields(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Text):
            if block.note:
                self.paragraph(block.text, NOTE, after=4.0)
            else:
                self.paragraph(block.text, TEXT, indent=2 * TEXT.size * PT, after=3.0)

    def fields(self, block: Fields) -> None:
        left, label_width = self.page.left, 55.0
        spans = [(left, left + label_width), (left + label_width, self.page.right)]
        rows = [
            self.row(
                [(label, FIELD_LABEL, "left", LABEL_FILL), (value, FIELD_VALUE, "left", None)],
                spans,
                (1.0, 1.5),
            )
            for label, value in block.items
        ]
        self.grid(block.caption, CAPTION, None, rows)
        self.y += 5.0

    def table(self, block: Table) -> None:
        caption_style, head_style, body_style, mono_style = data_styles(self.wide)
        left, width = self.page.left, self.width()
        edges = [left]
        for percent in block.widths():
            edges.append(edges[-1] + width * percent / 100)
        edges[-1] = self.page.right
        spans = list(pairwise(edges))
        padding = (0.8, 1.1)
        header = self.row([(text, head_style, "left", HEAD_FILL) for text in block.headers], spans, padding)
        if block.rows:
            rows = [
                self.row(
                    [
                        (value, mono_style if index in block.mono else body_style, "left", None)
                        for index, value in enumerate(row)
                    ],
                    spans,
                    padding,
                )
                for row in block.rows
            ]
        else:
            empty = Style(body_style.face, body_style.size, body_style.leading, "#666666")
            rows = [self.row([(block.empty, empty, "center", None)], [(left, self.page.right)], padding)]
        caption = f"{block.caption}（{len(block.rows)} 条）" if block.rows else block.caption
        self.grid(caption, caption_style, header, rows)
        self.y += 5.0
        if block.note:
            self.paragraph(block.note, NOTE, after=4.0)

    def row(
        self,
        cells: list[tuple[str, Style, str, str | None]],
        spans: list[tuple[float, float]],
        padding: tuple[float, float],
    ) -> Row:
        return Row(
            [
                Cell(wrap(text, right - left - 2 * padding[1], style, self.measure), style, align, fill)
                for (text, style, align, fill), (left, right) in zip(cells, spans, strict=True)
            ],
            spans,
            padding,
        )

    def grid(self, caption: str, caption_style: Style, header: Row | None, rows: list[Row]) -> None:
        """A caption, then rows with ruled cells; the header row again on every page the table goes on to."""
        caption_lines = wrap(caption, self.width(), caption_style, self.measure)
        caption_height = len(caption_lines) * caption_style.line + 2.0
        head = header.height() if header else 0.0
        first = rows[0].height() if rows else 0.0
        if self.room() < caption_height + head + first and self.y > self.page.top + EPSILON:
            self.new_page()  # a caption and header are never left alone at the foot of a page
        self.y += 1.0
        self.put_lines(caption_lines, caption_style, self.page.left)
        self.y += 1.0
        drawn: list[tuple[Row, float, float]] = []  # rows of the current page: row, top, height

        def close_page() -> None:
            self.rule_rows(drawn)
            drawn.clear()

        def start_page() -> None:
            close_page()
            self.new_page()
            if header:
                self.place(header, drawn)

        if header:
            self.place(header, drawn)
        fresh = self.page.bottom - self.page.top - head
        for row in rows:
            while row.height() > self.room() + EPSILON:
                if row.height() <= fresh + EPSILON:
                    start_page()
                    continue
                # Taller than a whole page: as many of its lines as fit here, the rest on the next page.
                fit = int((self.room() - 2 * row.padding[0]) / row.line + EPSILON)
                if len(drawn) <= (1 if header else 0):
                    fit = max(fit, 1)  # a line taller than the page would otherwise never be placed
                if fit >= 1:
                    part, row = row.split(fit)
                    self.place(part, drawn)
                start_page()
            self.place(row, drawn)
        close_page()

    def place(self, row: Row, drawn: list[tuple[Row, float, float]]) -> None:
        height, top = row.height(), self.y
        for cell, (left, right) in zip(row.cells, row.spans, strict=True):
            if cell.fill:
                self.page.fills.append(Fill(left, top, right - left, height, cell.fill))
            rise = baseline(cell.style, self.measure)
            for index, text in enumerate(cell.lines):
                x = left + row.padding[1]
                if cell.align == "center":
                    x = left + (right - left - text_width(text, cell.style, self.measure)) / 2
                y = top + row.padding[0] + index * cell.style.line + rise
                self.page.lines.append(Line(x, y, text, cell.style))
        drawn.append((row, top, height))
        self.y += height

    def rule_rows(self, drawn: list[tuple[Row, float, float]]) -> None:
        """Collapsed borders: one horizontal rule per row edge, vertical rules merged over rows with the same columns."""
        if not drawn:
            return
        page = self.page
        left = min(span[0] for row, _, _ in drawn for span in row.spans)
        right = max(span[1] for row, _, _ in drawn for span in row.spans)
        first_top = drawn[0][1]
        page.rules.append(Rule(left, first_top, right, first_top, BORDER_WIDTH, BORDER))
        for _row, top, height in drawn:
            page.rules.append(Rule(left, top + height, right, top + height, BORDER_WIDTH, BORDER))
        for cuts, top, bottom in _runs(drawn):
            for x in cuts:
                page.rules.append(Rule(x, top, x, bottom, BORDER_WIDTH, BORDER))

    # -- table of contents -------------------------------------------------------------------------

    def contents(self, entries: list[tuple[str, int, int]]) -> None:
        """The 目录 page(s): heading, dotted leader, page number; each entry links to its page."""
        self.wide, self.heading = False, ""
        self.new_page()
        self.put_lines([CONTENTS], TOC_TITLE, self.page.left, align="center")
        self.y += 8.0
        dot = text_width(".", TOC_ENTRY, self.measure)
        for title, number, target in entries:
            if self.room() < TOC_ENTRY.line:
                self.new_page()
            label = str(number)
            label_width = text_width(label, TOC_ENTRY, self.measure)
            title_width = text_width(title, TOC_ENTRY, self.measure)
            dots = max(int((self.width() - title_width - label_width - 2.0) / dot), 0)
            rise = baseline(TOC_ENTRY, self.measure)
            page = self.page
            page.lines.append(Line(page.left, self.y + rise, title, TOC_ENTRY))
            leader = "." * dots
            page.lines.append(
                Line(page.right - label_width - 1.0 - dots * dot, self.y + rise, leader, TOC_ENTRY)
            )
            page.lines.append(Line(page.right - label_width, self.y + rise, label, TOC_ENTRY))
            page.links.append(Link(page.left, self.y, self.width(), TOC_ENTRY.line, target))
            self.y += TOC_ENTRY.line + 3.0


def _runs(drawn: list[tuple[Row, float, float]]) -> Iterator[tuple[list[float], float, float]]:
    """Consecutive rows with the same column edges, as (inner and outer edges, top, bottom)."""
    current: list[float] | None = None
    top = bottom = 0.0
    for row, row_top, height in drawn:
        cuts = sorted({row.spans[0][0], *(span[1] for span in row.spans)})
        if cuts != current:
            if current is not None:
                yield current, top, bottom
            current, top = cuts, row_top
        bottom = row_top + height
    if current is not None:
        yield current, top, bottom


def typeset(sections: list[Section], measure: Measure, *, space_name: str, first_number: int) -> Typeset:
    """The table of contents and every section; `first_number` is the printed number of the contents page."""
    body = Flow(measure, space_name)
    starts = [body.section(section) for section in sections]
    contents_pages = 1
    while True:  # the contents usually fit one page; if not, the sections' numbers move by the extra pages
        toc = Flow(measure, space_name)
        toc.contents(
            [
                (section.heading, first_number + contents_pages + start, contents_pages + start)
                for section, start in zip(sections, starts, strict=True)
            ]
        )
        if len(toc.pages) == contents_pages:
            break
        contents_pages = len(toc.pages)
    return Typeset(toc.pages + body.pages, [contents_pages + start for start in starts])


def characters(sections: Iterable[Section], *, space_name: str) -> dict[str, set[str]]:
    """Every character each face will print (the fonts are embedded for exactly these)."""
    # Digits in every face: page numbers and counts, and no face is ever left without a font.
    found: dict[str, set[str]] = {
        "regular": set("0123456789. " + space_name),  # the space's name heads every page
        "bold": set(CONTENTS + "0123456789"),
        "mono": set("0123456789"),
    }
    for section in sections:
        found["bold"].update(section.heading)
        found["regular"].update(section.heading)  # the running header and the contents
        for block in section.blocks:
            if isinstance(block, Fields):
                found["bold"].update(block.caption)
                for label, value in block.items:
                    found["regular"].update(label + value)
            elif isinstance(block, Table):
                found["bold"].update(block.caption + "（条）0123456789 " + "".join(block.headers))
                found["regular"].update(block.empty + block.note)
                for row in block.rows:
                    for index, value in enumerate(row):
                        found["mono" if index in block.mono else "regular"].update(value)
            elif isinstance(block, Text):
                found["regular"].update(block.text)
    return found
