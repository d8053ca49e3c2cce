"""One cell's value as the facts format wants it, from whatever a spreadsheet holds.

Real workbooks carry dates as serials or text in several spellings, numbers with units and
thousands separators (1,200㎡, 35万元), full-width digits, 是/否 or √/×, and choices by label or
code. Each converter returns the facts value, `BLANK`, or raises `CellError` with the reason in
Chinese and English. Text that a spreadsheet would run as a formula is refused unless quoted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from zhongchuang.tabular.layout import Field, normalise_label


class CellError(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class _Blank:
    def __repr__(self) -> str:
        return "BLANK"


BLANK: Any = _Blank()
Converter = Callable[[Any], Any]

FORMULA_CHARS = ("=", "+", "-", "@")
# Cells meaning "nothing here" in hand-made tables.
PLACEHOLDERS = {"-", "--", "—", "——", "－", "/", "N/A", "n/a"}
EXCEL_EPOCH = date(1899, 12, 30)

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
# Units and currency marks removed before a number is read (after NFKC: ㎡ → m2, ￥ → ¥).
_UNITS = (
    "平方米",
    "平米",
    "m2",
    "元/m2/月",
    "元",
    "¥",
    "$",
    "rmb",
    "cny",
    "人次",
    "人",
    "个",
    "台",
    "套",
    "件",
    "家",
    "项",
    "次",
    "年",
)
_UNITS_SORTED = sorted(_UNITS, key=len, reverse=True)
_SCALES = (("亿", Decimal(100_000_000)), ("万", Decimal(10_000)))
TRUE_WORDS = {"是", "y", "yes", "true", "t", "√", "✓", "✔", "1", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "f", "×", "✗", "✘", "x", "0", "错"}
_LIST_SPLIT = re.compile(r"[,，、;；\n]+")


def cell_text(raw: Any) -> str:
    """The value as a person reads it, for problem reports."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def screen_text(text: str) -> str:
    """Refuse text a spreadsheet would run as a formula; a leading apostrophe quotes it."""
    if text[:1] == "'" and text[1:2] in FORMULA_CHARS:
        return text[1:]
    if text[:1] in FORMULA_CHARS and not _NUMBER.match(unicodedata.normalize("NFKC", text).replace(",", "")):
        raise CellError(
            "疑似公式注入：以 = + - @ 开头的文字须在前面加英文单引号（'）",
            "looks like formula injection: quote text starting with = + - @ with a leading apostrophe (')",
        )
    return text


def _clean(raw: Any) -> Any:
    """Strip text (full-width spaces too); blanks and placeholders become BLANK."""
    if raw is None:
        return BLANK
    if isinstance(raw, str):
        text = raw.strip().strip("\u3000").strip()
        if not text or text in PLACEHOLDERS:
            return BLANK
        return screen_text(text)
    return raw


def to_decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("应为数字", "expected a number")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(format(raw, ".15g"))  # drops binary noise: 0.1 + 0.2 → 0.3
    if isinstance(raw, date | timedelta):
        raise CellError("应为数字", "expected a number")
    text = unicodedata.normalize("NFKC", str(raw)).lower()
    text = "".join(text.split()).replace(",", "")
    for unit in _UNITS_SORTED:
        if text.endswith(unit):
            text = text[: -len(unit)]
    if text.startswith(("¥", "$")):
        text = text[1:]
    scale = Decimal(1)
    for word, factor in _SCALES:
        if text.endswith(word):
            text, scale = text[: -len(word)], factor
            break
    if not _NUMBER.match(text):
        raise CellError(f"应为数字（“{raw}”）", f"expected a number (got {raw!r})")
    try:
        value = Decimal(text) * scale
    except InvalidOperation:
        raise CellError(f"应为数字（“{raw}”）", f"expected a number (got {raw!r})") from None
    return value.normalize()


def to_int(raw: Any) -> int:
    value = to_decimal(raw)
    if value != value.to_integral_value():
        raise CellError(f"应为整数（“{cell_text(raw)}”）", f"expected a whole number (got {cell_text(raw)})")
    return int(value)


def to_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise CellError("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD")
    if isinstance(raw, int | float):
        if 1 <= raw < 2958466:  # Excel serial numbers up to 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(raw))
        raise CellError(
            f"应为日期 YYYY-MM-DD（“{cell_text(raw)}”）", f"expected a date YYYY-MM-DD (got {cell_text(raw)})"
        )
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise CellError(f"应为日期 YYYY-MM-DD（“{raw}”）", f"expected a date YYYY-MM-DD (got {raw!r})")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(f"日期不存在（“{raw}”）", f"no such date (got {raw!r})") from None


def to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = unicodedata.normalize("NFKC", str(raw)).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        f"应为“是”或“否”（“{cell_text(raw)}”）", f"expected 是 (yes) or 否 (no) (got {cell_text(raw)})"
    )


def to_text(raw: Any, code: bool = False) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else format(raw, ".15g")
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw)
    if code:
        text = "".join(unicodedata.normalize("NFKC", text).split())
    return text


def _choice_lookup(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in pairs:
        lookup[normalise_label(label)] = value
        lookup[normalise_label(value)] = value
        lookup[normalise_label(value.replace("_", " "))] = value
    return lookup


def _month(item: Any) -> str:
    if isinstance(item, date):
        return f"{item.year:04d}-{item.month:02d}"
    text = unicodedata.normalize("NFKC", str(item)).strip()
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise CellError(f"月份应为 YYYY-MM（“{item}”）", f"a month must be YYYY-MM (got {item!r})")
    return f"{int(match[1]):04d}-{int(match[2]):02d}"


def converter(field: Field) -> Converter:
    """The function turning one raw cell of this field into its facts value (or BLANK)."""
    kind = field.kind

    if kind == "date":

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            return raw if raw is BLANK else to_date(raw).isoformat()
    elif kind == "decimal":

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            return raw if raw is BLANK else format(to_decimal(raw), "f")
    elif kind == "int":

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            return raw if raw is BLANK else to_int(raw)
    elif kind == "bool":

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            return raw if raw is BLANK else to_bool(raw)
    elif kind == "choice":
        lookup = _choice_lookup(field.choices)
        allowed = " / ".join(label for _, label in field.choices)

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            if raw is BLANK:
                return raw
            value = lookup.get(normalise_label(to_text(raw)))
            if value is None:
                raise CellError(
                    f"取值不在允许范围内，可选：{allowed}（“{cell_text(raw)}”）",
                    f"value not allowed; expected one of {allowed} (got {cell_text(raw)})",
                )
            return value
    elif kind == "list":
        months = field.key.endswith("months")
        lookup = _choice_lookup(field.list_choices) if field.list_choices else {}
        allowed = " / ".join(label for _, label in field.list_choices)

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            if raw is BLANK:
                return raw
            items: list[Any] = (
                [raw]
                if isinstance(raw, date)
                else [item.strip() for item in _LIST_SPLIT.split(to_text(raw)) if item.strip()]
            )
            if months:
                return [_month(item) for item in items]
            if lookup:
                out = []
                for item in items:
                    value = lookup.get(normalise_label(item))
                    if value is None:
                        raise CellError(
                            f"取值不在允许范围内，可选：{allowed}（“{item}”）",
                            f"value not allowed; expected some of {allowed} (got {item})",
                        )
                    out.append(value)
                return out
            return items
    else:  # text, id, parent, link
        code = field.is_code

        def convert(raw: Any) -> Any:
            raw = _clean(raw)
            return raw if raw is BLANK else to_text(raw, code)

    return convert


def export_text(text: str) -> str:
    """Text as written to a workbook: what the reader would refuse as a formula gets a leading apostrophe."""
    try:
        screen_text(text)
    except CellError:
        return "'" + text
    return text


ColumnConverter = Callable[[list[Any]], list[Any]]
_DATE_TYPE, _STR_TYPE, _FLOAT_TYPE, _INT_TYPE = date, str, float, int
_BOOL_WORDS = {"是": True, "否": False}
_NEEDS_CARE = frozenset("=+-@'")


def column_converter(field: Field) -> ColumnConverter:
    """Converts a whole column at once: the common cells take a fast path, the rest go through
    `converter(field)`. Each result is the value, BLANK, or a CellError instance (not raised)."""
    slow = converter(field)
    kind = field.kind

    def careful(raw: Any) -> Any:
        try:
            return slow(raw)
        except CellError as error:
            return error

    def plain_text(raw: Any) -> Any:
        """A string that needs nothing special, else None."""
        text = raw.strip()
        if not text or text in PLACEHOLDERS or text[0] in _NEEDS_CARE:
            return None
        return text

    if kind == "text" and not field.is_code:

        def run(values: list[Any]) -> list[Any]:
            out = []
            for raw in values:
                if raw.__class__ is _STR_TYPE:
                    if raw == "":
                        out.append(BLANK)
                        continue
                    text = plain_text(raw)
                    out.append(text if text is not None else careful(raw))
                else:
                    out.append(BLANK if raw is None else careful(raw))
            return out
    elif kind == "date":

        def run(values: list[Any]) -> list[Any]:
            out = []
            for raw in values:
                if raw.__class__ is _DATE_TYPE:
                    out.append(raw.isoformat())
                elif raw == "":
                    out.append(BLANK)
                else:
                    out.append(careful(raw))
            return out
    elif kind in ("decimal", "int"):

        def run(values: list[Any]) -> list[Any]:
            out = []
            for raw in values:
                cls = raw.__class__
                if cls is _INT_TYPE or (cls is _FLOAT_TYPE and raw.is_integer() and -1e15 < raw < 1e15):
                    out.append(int(raw) if kind == "int" else str(int(raw)))
                elif cls is _FLOAT_TYPE and kind == "decimal" and "e" not in (text := format(raw, ".15g")):
                    out.append(text)
                elif raw == "":
                    out.append(BLANK)
                else:
                    out.append(careful(raw))
            return out
    elif kind == "bool":

        def run(values: list[Any]) -> list[Any]:
            out = []
            for raw in values:
                value = _BOOL_WORDS.get(raw) if raw.__class__ is _STR_TYPE else None
                if value is not None:
                    out.append(value)
                elif raw == "":
                    out.append(BLANK)
                else:
                    out.append(careful(raw))
            return out
    elif kind == "choice":
        direct = {label: value for value, label in field.choices} | {
            value: value for value, _ in field.choices
        }

        def run(values: list[Any]) -> list[Any]:
            out = []
            for raw in values:
                value = direct.get(raw) if raw.__class__ is _STR_TYPE else None
                if value is not None:
                    out.append(value)
                elif raw == "":
                    out.append(BLANK)
                else:
                    out.append(careful(raw))
            return out
    else:  # ids, links and codes: ASCII without inner spaces needs no folding

        def run(values: list[Any]) -> list[Any]:
            out = []
            for raw in values:
                if raw.__class__ is _STR_TYPE and raw.isascii():
                    text = plain_text(raw)
                    if text is not None and " " not in text and "\t" not in text:
                        out.append(text)
                        continue
                out.append(BLANK if raw == "" or raw is None else careful(raw))
            return out

    return run
