"""Cells as operators type them: dates, numbers with units, 是/否, choices by label or code, formulas refused."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from zhongchuang.spaces.schema import TABLES_BY_NAME
from zhongchuang.tabular.cells import BLANK, CellError, column_converter, converter, export_text
from zhongchuang.tabular.layout import SHEETS_BY_TABLE, Field


def field(table: str, key: str) -> Field:
    return next(f for f in SHEETS_BY_TABLE[table].fields if f.key == key)


def convert(table: str, key: str, raw: Any) -> Any:
    """The per-cell converter and the column fast path must agree."""
    single = converter(field(table, key))(raw)
    (batch,) = column_converter(field(table, key))([raw])
    assert batch == single
    return single


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01",
        "2024/3/1",
        "2024年3月1日",
        "2024.3.1",
        "２０２４－０３－０１",
        " 2024-03-01 ",
        "20240301",
        "2024-03-01 00:00:00",
        45352,
        45352.0,
        date(2024, 3, 1),
        datetime(2024, 3, 1, 0, 0),
    ],
)
def test_a_date_is_read_from_every_usual_spelling_and_excel_serials(raw: Any) -> None:
    assert convert("incubatees", "admitted_on", raw) == "2024-03-01"


@pytest.mark.parametrize("raw", ["2024-02-30", "明年三月", "2024年3月", "3/1/2024", True])
def test_a_bad_date_is_refused_with_the_reason_in_chinese_and_english(raw: Any) -> None:
    with pytest.raises(CellError) as error:
        converter(field("incubatees", "admitted_on"))(raw)
    assert "日期" in error.value.zh and "date" in error.value.en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,200㎡", "1200"),
        ("1200 平方米", "1200"),
        ("１２００", "1200"),
        ("1200.50", "1200.5"),
        (1200.5, "1200.5"),
        (720, "720"),
        ("1,200.25 m²", "1200.25"),
        ("　800　", "800"),
    ],
)
def test_an_area_is_read_with_units_thousands_separators_and_full_width_digits(
    raw: Any, expected: str
) -> None:
    assert convert("sites", "total_area_m2", raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("35万元", "350000"),
        ("1.5亿元", "150000000"),
        ("￥1,000,000", "1000000"),
        ("¥ 2,500.5 元", "2500.5"),
        ("35万", "350000"),
        (0.1 + 0.2, "0.3"),
    ],
)
def test_money_is_read_in_yuan_from_wan_and_yi(raw: Any, expected: str) -> None:
    assert convert("funds", "size_yuan", raw) == expected


def test_a_negative_number_is_a_number_not_a_formula() -> None:
    assert convert("funds", "size_yuan", "-5") == "-5"  # the facts format then says it must not be negative


@pytest.mark.parametrize(("raw", "expected"), [("96", 96), (96.0, 96), ("９６", 96), ("60人", 60)])
def test_an_integer_is_read_from_text_and_numbers(raw: Any, expected: int) -> None:
    assert convert("sites", "workstation_count", raw) == expected


def test_a_fraction_is_not_an_integer() -> None:
    with pytest.raises(CellError, match="整数"):
        converter(field("sites", "workstation_count"))(9.5)


@pytest.mark.parametrize("raw", ["是", "Y", "y", "yes", "TRUE", "true", "√", "✓", "1", 1, True])
def test_yes_is_read_from_every_usual_mark(raw: Any) -> None:
    assert convert("incubatees", "in_focus", raw) is True


@pytest.mark.parametrize("raw", ["否", "N", "no", "FALSE", "×", "0", 0, False])
def test_no_is_read_from_every_usual_mark(raw: Any) -> None:
    assert convert("incubatees", "in_focus", raw) is False


def test_a_yes_no_cell_with_anything_else_is_refused() -> None:
    with pytest.raises(CellError, match="是"):
        converter(field("incubatees", "in_focus"))("也许")


@pytest.mark.parametrize(
    ("raw", "expected"), [("企业", "company"), ("company", "company"), ("团队", "team"), (" Team ", "team")]
)
def test_a_choice_is_read_by_its_chinese_label_or_its_code(raw: str, expected: str) -> None:
    assert convert("incubatees", "kind", raw) == expected


def test_a_choice_without_labels_in_the_format_uses_the_web_labels() -> None:
    assert convert("financing", "investor_type", "天使投资") == "angel"
    assert convert("incubatees", "exit_type", "毕业") == "graduated"


def test_an_unknown_choice_names_the_allowed_labels() -> None:
    with pytest.raises(CellError) as error:
        converter(field("incubatees", "kind"))("个体户")
    assert "团队 / 企业" in error.value.zh


@pytest.mark.parametrize("raw", ["", "  ", "\u3000", None, "-", "—", "/"])
def test_blank_cells_and_placeholders_are_blank(raw: Any) -> None:
    assert convert("incubatees", "sector", raw) is BLANK


@pytest.mark.parametrize("raw", ["=1+1", "+86 123", "-x", "@SUM(A1)", '=HYPERLINK("http://x")'])
def test_text_starting_like_a_formula_is_refused_as_formula_injection(raw: str) -> None:
    with pytest.raises(CellError) as error:
        converter(field("incubatees", "name"))(raw)
    assert "疑似公式注入" in error.value.zh and "formula injection" in error.value.en
    (batch,) = column_converter(field("incubatees", "name"))([raw])
    assert isinstance(batch, CellError)


def test_quoted_formula_text_is_accepted_without_its_apostrophe() -> None:
    assert convert("incubatees", "name", "'=团队") == "=团队"


def test_export_quotes_exactly_what_import_would_refuse() -> None:
    assert export_text("=1+1") == "'=1+1"
    assert export_text("@团队") == "'@团队"
    assert export_text("-5") == "-5"
    assert export_text("厦门") == "厦门"


def test_codes_are_folded_to_half_width_and_lose_their_spaces() -> None:
    assert (
        convert("incubatees", "company_uscc", "９１３５０２０３ＭＡ２５Ｙ９５７ＣＧ") == "91350203MA25Y957CG"
    )
    assert convert("incubatees", "id", " I 01 ") == "I01"
    assert convert("leases", "contract_no", 2024001.0) == "2024001"


def test_lists_split_on_chinese_and_latin_separators_and_months_are_normalised() -> None:
    assert convert("staff", "social_insurance_months", "2024-01、2024/2，2024年3月") == [
        "2024-01",
        "2024-02",
        "2024-03",
    ]
    assert convert("staff", "social_insurance_months", date(2024, 4, 1)) == ["2024-04"]


def test_platform_features_are_read_by_label() -> None:
    features = next(f for f in SHEETS_BY_TABLE["sites"].fields if f.key == "address")  # any list-free field
    assert features.kind == "text"
    from zhongchuang.tabular.layout import SHEETS

    form = SHEETS[0]
    platform = next(f for f in form.fields if f.key == "space_online_platform_features")
    assert converter(platform)("技术、资本") == ["technology", "capital"]


def test_every_table_has_a_sheet_with_an_id_or_parent_first() -> None:
    for name, sheet in SHEETS_BY_TABLE.items():
        assert len(sheet.name) <= 31 and not set(sheet.name) & set("[]:*?/\\")
        assert sheet.fields[0].kind == ("parent" if TABLES_BY_NAME[name].parent else "id")
        assert sheet.fields[0].label_zh.endswith("编号")
