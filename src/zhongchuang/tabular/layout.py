"""The workbook's layout: which sheet holds which table, its columns, their notes and examples.

One sheet per attachment table. 附件1 认定信息表 is a form (one row per field: label, value, notes);
every other sheet is a list: row 1 the Chinese headers, row 2 a notes row (English label, unit,
required), row 3 an example marked 示例, then the rows. The first column of a list is its 编号
(the row id, which links point at); leases, which have no id, start with their site's 编号 instead.
The layout is derived from `spaces.schema`, itself derived from the facts format, so a new field
appears in the workbook without touching this module.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from zhongchuang.facts import models as facts
from zhongchuang.facts.labels import VALUE_LABELS_ZH
from zhongchuang.spaces.schema import TABLES, TABLES_BY_NAME, Column, TableSpec, columns_of

PROFILE_SHEET = "附件1 认定信息表"
PROFILE_HEADERS = ("项目", "填写内容", "说明")
EXAMPLE_MARK = "示例"
ID_LABEL = ("编号", "id")


# Text columns whose values are codes: full-width characters are folded to half-width (NFKC).
CODE_SUFFIXES = ("uscc", "_no", "number", "nationality", "country", "url")


def normalise_label(text: str) -> str:
    """Header text as compared: NFKC, no spaces or line breaks, no required mark, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).strip("*＊").lower()


@dataclass(frozen=True)
class Field:
    """One column of a list sheet, or one row of the 附件1 form."""

    key: str  # "id", "parent", or the schema column's name
    label_zh: str
    label_en: str
    kind: str  # the schema kinds, plus "id" and "parent"
    required: bool
    column: Column | None = None  # the schema column, None for id/parent
    choices: tuple[tuple[str, str], ...] = ()  # (value, Chinese label)
    list_choices: tuple[tuple[str, str], ...] = ()  # for lists of choice values
    link_sheet: str = ""  # for links and the parent: the sheet whose 编号 it names

    @property
    def is_code(self) -> bool:
        return self.kind in ("id", "parent", "link") or self.key.endswith(CODE_SUFFIXES)

    @property
    def unit(self) -> str:
        """What the notes row says about the value's form."""
        key = self.key
        if self.kind == "date":
            return "YYYY-MM-DD"
        if self.kind == "bool":
            return "是/否"
        if self.kind == "choice":
            return "可选：" + " / ".join(label for _, label in self.choices)
        if self.kind == "list":
            if key.endswith("months"):
                return "YYYY-MM，多项用顿号或逗号分隔"
            if self.list_choices:
                return "可多选：" + " / ".join(label for _, label in self.list_choices) + "，用顿号分隔"
            return "多项用顿号或逗号分隔"
        if self.kind in ("link", "parent"):
            return f"填写“{self.link_sheet}”中的编号"
        if self.kind == "id":
            return "本表内唯一，其他表以此引用"
        if key.endswith("_yuan_per_m2_month"):
            return "元/㎡/月"
        if key.endswith("_m2"):
            return "㎡"
        if key.endswith("_yuan"):
            return "元（可写“35万元”）"
        if self.kind == "int":
            return "整数"
        if self.kind == "decimal":
            return "数字"
        return ""

    @property
    def note(self) -> str:
        need = "必填 / required" if self.required else "选填 / optional"
        return "\n".join(part for part in (self.label_en, self.unit, need) if part)

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's name (≤ 31 characters, none of []:*?/\)
    table: TableSpec | None  # None for the 附件1 form
    fields: tuple[Field, ...]

    @property
    def is_form(self) -> bool:
        return self.table is None


def _literal_labels(model: type[BaseModel], name: str) -> tuple[tuple[str, str], ...]:
    """(value, label) of a list of literals, labels from the description "…：甲 / 乙" when they line up."""
    field = model.model_fields[name]
    annotation = field.annotation
    if get_origin(annotation) is not list:
        return ()
    (item,) = get_args(annotation)
    if get_origin(item) is not Literal:
        return ()
    values = tuple(str(v) for v in get_args(item))
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    zh = str(extra.get("zh", ""))
    words = [w.strip() for w in zh.split("：", 1)[1].split("/")] if "：" in zh else []
    if len(words) != len(values):
        words = [VALUE_LABELS_ZH.get(v, v) for v in values]
    return tuple(zip(values, words, strict=True))


def _model_at(root: type[BaseModel], path: tuple[str, ...]) -> type[BaseModel]:
    """The model holding the last key of a column's path."""
    model = root
    for key in path[:-1]:
        annotation = model.model_fields[key].annotation
        for arg in (annotation, *get_args(annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                model = arg
                break
    return model


def _field(column: Column, root: type[BaseModel], skip: int = 0) -> Field:
    choices: tuple[tuple[str, str], ...] = ()
    if column.kind == "choice":
        choices = column.choices
    list_choices: tuple[tuple[str, str], ...] = ()
    if column.kind == "list":
        list_choices = _literal_labels(_model_at(root, column.path[skip:]), column.path[-1])
    link_sheet = sheet_name(TABLES_BY_NAME[column.link]) if column.link else ""
    # A field of a nested object is required only when its object is there: the notes say so.
    required = column.required and len(column.path) - skip == 1
    return Field(
        column.name,
        column.label_zh,
        column.label_en,
        column.kind,
        required,
        column,
        choices,
        list_choices,
        link_sheet,
    )


def sheet_name(table: TableSpec) -> str:
    """ "附件4 在孵创业团队和企业"; "附件6/7" becomes "附件6、7" (a sheet name cannot hold "/")."""
    name = f"{table.attachment.replace('/', '、')} {table.label_zh}"
    for bad in "[]:*?/\\":
        name = name.replace(bad, "、")
    return name[:31]


def _list_sheet(table: TableSpec) -> Sheet:
    first: Field
    if table.parent:
        parent = TABLES_BY_NAME[table.parent]
        first = Field(
            "parent",
            f"{parent.label_zh.removeprefix('孵化')}编号",
            f"{parent.label_en.lower()} id",
            "parent",
            True,
            link_sheet=sheet_name(parent),
        )
    else:
        first = Field("id", *ID_LABEL, "id", True)
    return Sheet(sheet_name(table), table, (first, *(_field(c, table.item) for c in table.columns)))


PROFILE_MODELS: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("operator", facts.Operator, "运营机构"),
    ("space", facts.Space, "众创空间"),
    ("cultivation", facts.Cultivation, "上海培育项目（仅上海申报填写）"),
)


def _profile_sheet() -> Sheet:
    fields: list[Field] = []
    for key, model, _section in PROFILE_MODELS:
        fields += [_field(column, model, 1) for column in columns_of(model, (key,), "附件1")]
    return Sheet(PROFILE_SHEET, None, tuple(fields))


def section_of(field: Field) -> str:
    assert field.column is not None
    return field.column.path[0]


SHEETS: tuple[Sheet, ...] = (_profile_sheet(), *(_list_sheet(table) for table in TABLES))
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
SHEETS_BY_TABLE = {sheet.table.name: sheet for sheet in SHEETS if sheet.table is not None}


def find_sheet(name: str) -> Sheet | None:
    """Our sheet by its name, tolerant of spaces, full-width forms and a missing 附件 prefix."""
    wanted = normalise_label(name)
    for sheet in SHEETS:
        if normalise_label(sheet.name) == wanted:
            return sheet
    for sheet in SHEETS:
        label = sheet.table.label_zh if sheet.table else "认定信息表"
        if normalise_label(label) == wanted or normalise_label(sheet.name.split(" ", 1)[-1]) == wanted:
            return sheet
    return None


EXAMPLE_TEXT = {
    "name": "厦门示例科技有限公司",
    "uscc": "91350200MA2Y0XXX0X",
    "address": "厦门市思明区软件园二期观日路 1 号 3 层",
    "contract_no": "ZL-2024-001",
    "title": "创业沙龙：如何写好商业计划书",
    "provider": "厦门示例财务顾问有限公司",
    "partner": "厦门示例检测中心",
    "outlet": "厦门日报",
    "city": "厦门市",
    "country": "CN",
    "nationality": "CN",
    "url": "https://example.com",
    "lessor": "厦门示例置业有限公司",
    "investor": "厦门示例创投基金",
    "sector": "人工智能",
    "topic": "融资路演辅导",
}


def example_value(field: Field) -> Any:
    """A plausible value for the example row (never imported)."""
    from datetime import date
    from decimal import Decimal

    kind, last = field.kind, field.key.rsplit("_", 1)[-1]
    if kind in ("id", "parent"):  # the first cell marks the row: the reader skips it
        return EXAMPLE_MARK
    if kind in ("parent", "link"):
        return "（对应编号）"
    if kind == "date":
        return date(2024, 3, 1)
    if kind == "bool":
        return True
    if kind == "choice":
        return field.choices[0][0] if field.choices else ""
    if kind == "int":
        return 10
    if kind == "decimal":
        return Decimal("350000") if field.key.endswith("_yuan") else Decimal("1200")
    if kind == "list":
        if field.key.endswith("months"):
            return ["2024-01", "2024-02"]
        return [value for value, _ in field.list_choices[:2]] or ["示例一", "示例二"]
    for suffix, text in EXAMPLE_TEXT.items():
        if field.key.endswith(suffix):
            return text
    if last == "uscc":
        return EXAMPLE_TEXT["uscc"]
    return f"（{field.label_zh.split('（')[0]}）"
