"""The packet's typesetter: lines wrapped at the width, tables across pages, the contents' page numbers.

A fixed measure (Latin 0.5 em, everything else 1 em) makes the boundaries exact; the real fonts are
exercised by tests/web/test_packet.py, which reads the printed packet back.
"""

from __future__ import annotations

from zhongchuang.packet.content import Fields, Section, Table, Text
from zhongchuang.packet.glyphs import _cids, _to_unicode, _widths
from zhongchuang.packet.typeset import PT, Flow, Page, Style, characters, typeset, wrap

STYLE = Style("regular", 10, 1.5)
EM = 10 * PT  # one em of STYLE in millimetres


class Fixed:
    def width(self, text: str, face: str) -> float:
        return sum(0.5 if ord(char) < 0x250 else 1.0 for char in text)

    def ascent(self, face: str) -> float:
        return 0.88

    def descent(self, face: str) -> float:
        return 0.12


def texts(page: Page) -> list[str]:
    return [line.text for line in page.lines]


# --- lines ------------------------------------------------------------------------------------------


def test_a_line_exactly_as_wide_as_the_column_stays_whole_and_one_more_character_wraps() -> None:
    assert wrap("一二三四五", 5 * EM, STYLE, Fixed()) == ["一二三四五"]
    assert wrap("一二三四五六", 5 * EM, STYLE, Fixed()) == ["一二三四五", "六"]


def test_closing_punctuation_never_starts_a_line_and_opening_never_ends_one() -> None:
    assert wrap("一二三，四", 3 * EM, STYLE, Fixed()) == ["一二", "三，四"]
    assert wrap("一二（三）", 3 * EM, STYLE, Fixed()) == ["一二", "（三）"]


def test_latin_words_break_at_spaces_and_a_word_longer_than_the_line_anywhere() -> None:
    assert wrap("alpha beta gamma", 5.5 * EM, STYLE, Fixed()) == ["alpha beta", "gamma"]
    digest = "0123456789abcdef" * 4
    lines = wrap(digest, 10 * EM, STYLE, Fixed())
    assert "".join(lines) == digest and all(len(line) <= 20 for line in lines) and len(lines) == 4


def test_an_ideographic_space_at_the_start_is_kept_as_the_indent_of_a_sub_item() -> None:
    assert wrap("　XM25-C-1a 独立法人", 20 * EM, STYLE, Fixed()) == ["　XM25-C-1a 独立法人"]


def test_the_first_line_of_an_indented_paragraph_is_shorter() -> None:
    assert wrap("一二三四五六", 4 * EM, STYLE, Fixed(), indent=2 * EM) == ["一二", "三四五六"]


def test_line_breaks_in_the_text_are_kept_and_other_whitespace_is_a_space() -> None:
    assert wrap("第一行\n第二行\t末尾  了", 20 * EM, STYLE, Fixed()) == ["第一行", "第二行 末尾 了"]


# --- tables and pages -----------------------------------------------------------------------------


def table_section(rows: int, *, text: str = "团队") -> Section:
    body = [[f"I{index:03d}", f"{text}{index}", "2025-03-01"] for index in range(rows)]
    return Section(
        "s-a4", "5", "在孵创业团队和企业汇总表（附件4）", [Table("在孵企业", ["编号", "名称", "日期"], body)]
    )


def test_a_long_table_repeats_its_header_on_every_page_and_never_splits_a_row() -> None:
    # Each name fills its column's first line (22 characters at 7.5 pt) and wraps: "乙007" is row 7's second line.
    section = table_section(200)
    table = section.blocks[0]
    assert isinstance(table, Table)
    for index, row in enumerate(table.rows):
        row[1] = "甲" * 22 + f"乙{index:03d}"
    result = typeset([section], Fixed(), space_name="鹭创众创空间", first_number=2)
    pages = result.pages[1:]  # after the contents
    assert len(pages) > 3
    ids = [text for page in pages for text in texts(page) if text.startswith("I")]
    assert ids == [f"I{index:03d}" for index in range(200)]  # every row once, in order
    for page in pages:
        assert texts(page).count("编号") == 1  # the header row on each page
        assert "鹭创众创空间" in texts(page)  # the running header
        assert all(line.y <= page.bottom for line in page.lines if line.text != "鹭创众创空间")
        first_lines = {text[1:] for text in texts(page) if text.startswith("I")}
        second_lines = {text[1:] for text in texts(page) if text.startswith("乙")}
        assert first_lines == second_lines  # both lines of every row on the same page
    assert sum(text.startswith("在孵企业（200 条）") for page in pages for text in texts(page)) == 1


def test_a_row_taller_than_a_page_goes_on_over_the_next_page_without_losing_a_line() -> None:
    tall = "一" * 3000  # ~22 characters a line in the name column at 7.5 pt: ~140 lines, two pages and more
    result = typeset([table_section(1, text=tall)], Fixed(), space_name="空间", first_number=2)
    printed = "".join(text for page in result.pages[1:] for text in texts(page) if set(text) <= {"一", "0"})
    assert printed.count("一") == len(tall)
    assert len(result.pages) >= 3


def caption_page_with_room(room: float) -> tuple[int, int]:
    """Pages (0-based) of a 3-row table's caption and first row, laid out with `room` mm left on the page."""
    flow = Flow(Fixed(), "空间")
    flow.new_page()
    flow.y = flow.page.bottom - room
    flow.block(table_section(3).blocks[0])
    caption = next(
        i for i, page in enumerate(flow.pages) if any(t.startswith("在孵企业") for t in texts(page))
    )
    first = next(i for i, page in enumerate(flow.pages) if "I000" in texts(page))
    return caption, first


def test_the_caption_and_header_are_never_left_alone_at_the_foot_of_a_page() -> None:
    # Caption 4.6 + 2 mm, header and first row 5.0 mm each (7.5 pt, line height 1.3, padding 0.8 mm).
    assert caption_page_with_room(8.0) == (1, 1)  # room for the caption alone: it moves on with its rows
    assert caption_page_with_room(20.0) == (0, 0)  # room for all three: it stays


def test_the_contents_give_each_section_its_printed_page_number() -> None:
    sections = [
        Section("s-info", "1", "市级众创空间认定信息表（附件1）", [Fields("基本情况", [("名称", "鹭创")])]),
        table_section(120),
        Section("s-text", "2", "众创空间简介", [Text("简介")]),
    ]
    result = typeset(sections, Fixed(), space_name="空间", first_number=2)
    contents = result.pages[0]
    for section, start in zip(sections, result.starts, strict=True):
        assert section.heading in texts(result.pages[start])
        number = str(2 + start)
        row = next(line for line in contents.lines if line.text == section.heading)
        assert any(line.text == number and abs(line.y - row.y) < 1e-6 for line in contents.lines)
        assert any(link.page == start for link in contents.links)
    assert result.starts == [1, 2, len(result.pages) - 1]


def test_a_table_with_more_columns_than_a_portrait_page_holds_is_set_landscape() -> None:
    headers = [f"列{index}" for index in range(12)]
    wide = Section("s-w", "6", "宽表", [Table("宽", headers, [["一"] * 12])])
    result = typeset([wide], Fixed(), space_name="空间", first_number=2)
    assert result.pages[1].wide and result.pages[1].size == (297.0, 210.0)


# --- reading WeasyPrint's fonts back ----------------------------------------------------------------


def test_to_unicode_maps_single_codes_and_ranges() -> None:
    cmap = b"""2 beginbfchar
<746d> <7b2c>
<0001> <0020>
endbfchar
1 beginbfrange
<0010> <0012> <0030>
endbfrange"""
    assert _to_unicode(cmap) == {0x746D: "第", 0x0001: " ", 0x10: "0", 0x11: "1", 0x12: "2"}


def test_encoding_and_widths_give_each_code_its_cid_and_advance() -> None:
    assert _cids(
        b"1 begincidchar\n<746d> 29805\nendcidchar\n1 begincidrange\n<0010> <0011> 17\nendcidrange"
    ) == {
        0x746D: 29805,
        0x10: 17,
        0x11: 18,
    }
    assert _widths([0, [483, 224], 17, 19, 555]) == {0: 483, 1: 224, 17: 555, 18: 555, 19: 555}


def test_an_empty_table_says_so_across_its_columns_and_an_empty_sheet_is_only_its_caption() -> None:
    section = Section(
        "s-a6", "8", "专业技术服务情况表（附件6）", [Table("设备", ["名称", "数量"], []), Fields("汇总", [])]
    )
    page = typeset([section], Fixed(), space_name="空间", first_number=2).pages[1]
    empty = next(line for line in page.lines if line.text == "（无）")
    assert empty.style.colour == "#666666" and "设备" in texts(page) and "汇总" in texts(page)
    fill = next(fill for fill in page.fills if fill.colour == "#eceff3")  # the header row is still printed
    assert abs(fill.x - page.left) < 1e-6


def test_every_character_printed_is_among_those_its_face_embeds() -> None:
    sections = [
        Section("s-info", "1", "认定信息表（附件1）", [Fields("基本情况", [("名称", "鹭创 Space")])]),
        table_section(60),
        Section(
            "s-e", "", "佐证材料清单", [Table("佐证", ["编号", "SHA-256"], [["D1", "ab" * 32]], mono=(1,))]
        ),
        Section("s-t", "2", "简介", [Text("　　提供孵化服务。"), Text("（无）", note=True)]),
    ]
    needed = characters(sections, space_name="鹭创众创空间")
    printed = typeset(sections, Fixed(), space_name="鹭创众创空间", first_number=2)
    for page in printed.pages:
        for line in page.lines:
            assert set(line.text) <= needed[line.style.face], line
