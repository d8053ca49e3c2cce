"""The template as an operator opens it: Chinese headers, notes, frozen panes, dropdowns, an example row."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from zhongchuang.tabular import PROFILE_SHEET, write_workbook
from zhongchuang.tabular.layout import SHEETS, SHEETS_BY_TABLE

ROOT = Path(__file__).resolve().parents[1]
INCUBATEES = "附件4 在孵创业团队和企业"


@pytest.fixture(scope="module")
def template() -> Workbook:
    buffer = io.BytesIO()
    write_workbook(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_one_sheet_per_attachment_table_named_by_its_attachment(template: Workbook) -> None:
    names = template.sheetnames
    assert names[0] == "填写说明" and names[1] == PROFILE_SHEET
    assert names[2:] == [sheet.name for sheet in SHEETS if not sheet.is_form]
    assert INCUBATEES in names and "附件6、7 合作机构" in names and "上海 媒体报道" in names


def test_headers_are_the_chinese_labels_with_the_id_first(template: Workbook) -> None:
    sheet = template[INCUBATEES]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["编号", "团队或企业名称", "当前类型", "入孵日期"]
    assert sheet["A1"].font.b
    assert [cell.value for cell in template["附件2 租赁合同"][1]][:2] == ["场地编号", "租赁合同编号"]


def test_the_notes_row_gives_the_english_label_the_unit_and_whether_required(template: Workbook) -> None:
    notes = {cell.column_letter: cell.value for cell in template["附件2 孵化场地"][2]}
    headers = {cell.value: cell.column_letter for cell in template["附件2 孵化场地"][1]}
    assert notes[headers["总面积（㎡）"]] == "total area (m²)\n㎡\n选填 / optional"
    assert "元/㎡/月" in notes[headers["向在孵企业收取的租金（元/㎡/月）"]]
    incubatee_notes = [cell.value for cell in template[INCUBATEES][2]]
    assert "必填 / required" in incubatee_notes[1] and "YYYY-MM-DD" in incubatee_notes[3]
    assert "可选：团队 / 企业" in incubatee_notes[2]


def test_panes_are_frozen_below_the_notes(template: Workbook) -> None:
    assert template[INCUBATEES].freeze_panes == "B3"
    assert template[PROFILE_SHEET].freeze_panes == "A2"


def test_the_example_row_is_grey_italic_and_marked(template: Workbook) -> None:
    row = template[INCUBATEES][3]
    assert row[0].value == "示例"
    assert all(cell.font.i for cell in row if cell.value is not None)
    assert row[0].font.color.rgb.endswith("808080")
    assert template["附件2 租赁合同"]["A3"].value == "示例"


def test_dropdowns_for_choices_and_yes_no_and_checks_for_dates_and_numbers(template: Workbook) -> None:
    rules = template[INCUBATEES].data_validations.dataValidation
    by_column = {str(rule.sqref).split(":")[0].rstrip("0123456789"): rule for rule in rules}
    headers = {cell.value: cell.column_letter for cell in template[INCUBATEES][1]}
    kind = by_column[headers["当前类型"]]
    assert kind.type == "list" and kind.formula1 == '"团队,企业"'
    assert by_column[headers["是否属于聚焦的产业细分领域"]].formula1 == '"是,否"'
    assert by_column[headers["入孵日期"]].type == "date"
    site_rules = template["附件2 孵化场地"].data_validations.dataValidation
    area = next(r for r in site_rules if str(r.sqref).startswith("F"))
    assert (area.type, area.operator, area.formula1) == ("decimal", "greaterThanOrEqual", "0")


def test_column_widths_fit_their_headers(template: Workbook) -> None:
    sheet = template[INCUBATEES]
    assert 8 <= sheet.column_dimensions["A"].width <= 40
    assert sheet.column_dimensions["B"].width >= 28


def test_the_form_sheet_lists_each_field_with_its_value_and_notes() -> None:
    data = json.loads((ROOT / "examples" / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    form = load_workbook(io.BytesIO(buffer.getvalue()))[PROFILE_SHEET]
    values = {row[0].value: row[1].value for row in form.iter_rows(min_row=2) if row[0].value}
    assert values["运营机构名称"] == "厦门鹭创科技服务有限公司"
    assert values["众创空间名称"] == "鹭创众创空间"
    assert "运营机构" in values and "众创空间" in values  # section rows


def test_prefilled_rows_write_links_as_ids_dates_as_dates_and_choices_as_labels() -> None:
    data = json.loads((ROOT / "examples" / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    incubatees = book[INCUBATEES]
    assert incubatees["A4"].value == data["incubatees"][0]["id"]
    assert incubatees["C4"].value == "企业"
    assert incubatees["D4"].is_date and incubatees["D4"].number_format == "yyyy-mm-dd"
    financing = book["附件7 融资事件"]
    assert financing["B4"].value == data["financing"][0]["incubatee_id"]
    leases = book["附件2 租赁合同"]
    assert leases["A4"].value == data["sites"][0]["id"]


def test_formula_like_text_is_written_with_a_leading_apostrophe() -> None:
    data = json.loads((ROOT / "examples" / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8"))
    data["incubatees"][0]["name"] = "=1+1"
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    cell = load_workbook(io.BytesIO(buffer.getvalue()))[INCUBATEES]["B4"]
    assert cell.data_type == "s" and cell.value == "'=1+1"


def test_every_list_sheet_field_has_a_header_and_a_note() -> None:
    for sheet in SHEETS_BY_TABLE.values():
        for field in sheet.fields:
            assert field.label_zh and field.note
