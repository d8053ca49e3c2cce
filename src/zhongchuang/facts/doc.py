"""The reference part of `docs/facts-format.md`, generated from the facts models.

The models are the source of the format; this module walks `Facts` and every model nested in
it (through `model_fields`) and writes one table per model: field, readable type, Chinese,
English and the application attachment (附件) the field comes from. The output depends only on
the models, so it is deterministic and a test can compare it with the committed document.

Regenerate the document after changing a model:

    PYTHONPATH=src python -m zhongchuang.facts.doc docs/facts-format.md
"""

from __future__ import annotations

import json
import sys
import types
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from zhongchuang.facts import models

BEGIN_MARKER = "<!-- BEGIN GENERATED -->"
END_MARKER = "<!-- END GENERATED -->"
DEFAULT_DOC_PATH = Path("docs/facts-format.md")
REGENERATE_COMMAND = "PYTHONPATH=src python -m zhongchuang.facts.doc docs/facts-format.md"

# Named types of the format, shown by meaning rather than by their constraints.
_ALIASES: tuple[tuple[Any, str], ...] = (
    (models.USCC, "USCC (18 characters, check character verified)"),
    (models.MonthKey, "month `YYYY-MM`"),
    (models.RowId, "id (text, 1–64 characters)"),
)

# Fields that carry no description in the models (the two required objects of `Facts`).
_UNDESCRIBED: dict[tuple[str, str], tuple[str, str]] = {
    ("Facts", "operator"): ("运营机构", "the operating organisation"),
    ("Facts", "space"): ("众创空间", "the makerspace"),
}


def facts_format_markdown() -> str:
    """Markdown reference of the facts format: one section per model, `Facts` first."""
    parts = [
        "## 字段参考 / Field reference\n",
        f"Format version `{models.FORMAT_VERSION}`. Generated from `zhongchuang.facts.models` by "
        "`zhongchuang.facts.doc`; do not edit by hand.\n",
        "由 `zhongchuang.facts.doc` 根据数据模型自动生成，请勿手工修改。\n",
    ]
    for model, path in _models_in_order(models.Facts):
        parts.append(_model_section(model, path))
    return "\n".join(parts)


def generated_section(text: str) -> str:
    """What stands between the markers of a document, without the blank lines that frame it."""
    start, end = _marker_positions(text)
    return text[start:end].removeprefix("\n\n").removesuffix("\n")


def write_facts_format_doc(path: str | Path = DEFAULT_DOC_PATH) -> bool:
    """Rewrite the generated section of the document at `path`; True if the file changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        start, end = _marker_positions(text)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    # Blank lines around the section keep the markers out of the first heading and the last table.
    updated = text[:start] + "\n\n" + facts_format_markdown() + "\n" + text[end:]
    if updated == text:
        return False
    path.write_text(updated, encoding="utf-8")
    return True


def _marker_positions(text: str) -> tuple[int, int]:
    """(first character after the begin marker, first character of the end marker)."""
    start, end = text.find(BEGIN_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"the document must contain {BEGIN_MARKER} followed by {END_MARKER}")
    return start + len(BEGIN_MARKER), end


def _models_in_order(root: type[BaseModel]) -> list[tuple[type[BaseModel], str]]:
    """Every model reachable from `root`, depth first in field order, with the first path to it."""
    found: list[tuple[type[BaseModel], str]] = []
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel], path: str) -> None:
        if model in seen:
            return
        seen.add(model)
        found.append((model, path))
        for name, field in model.model_fields.items():
            for child, is_list in _nested_models(field.annotation):
                child_path = f"{path}.{name}" if path else name
                visit(child, child_path + ("[]" if is_list else ""))

    visit(root, "")
    return found


def _nested_models(annotation: Any, in_list: bool = False) -> list[tuple[type[BaseModel], bool]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, in_list)]
    origin = typing.get_origin(annotation)
    nested: list[tuple[type[BaseModel], bool]] = []
    for argument in typing.get_args(annotation):
        nested += _nested_models(argument, in_list or origin is list)
    return nested


def _model_section(model: type[BaseModel], path: str) -> str:
    lines = [f"### {model.__name__}", ""]
    lines.append(f"Path: `{path}`" if path else "The top-level object of a facts file.")
    own_doc = model.__dict__.get("__doc__")
    if own_doc:
        lines.append("")
        lines.append(" ".join(own_doc.split()))
    lines += ["", "| field | type | 中文 | English | 附件 |", "|---|---|---|---|---|"]
    for name, field in model.model_fields.items():
        zh, en, attachment = _descriptions(model, name, field)
        cells = [f"`{name}`", _field_type(name, field), zh, en, attachment]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _descriptions(model: type[BaseModel], name: str, field: FieldInfo) -> tuple[str, str, str]:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    zh, en = _UNDESCRIBED.get((model.__name__, name), ("", ""))
    return str(extra.get("zh", zh)), str(extra.get("en", en)), str(extra.get("attachment", ""))


def _field_type(name: str, field: FieldInfo) -> str:
    text = _type_text(field.rebuild_annotation(), name)
    notes = []
    if field.is_required():
        notes.append("required")
    elif field.default not in (None, []) and not callable(field.default):
        notes.append(f"default `{json.dumps(field.default, ensure_ascii=False, default=str)}`")
    return "; ".join([text, *notes])


def _type_text(annotation: Any, name: str) -> str:
    for alias, text in _ALIASES:
        if annotation == alias:
            return text
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _annotated_text(arguments[0], arguments[1:], name)
    if origin in (typing.Union, types.UnionType):
        present = [argument for argument in arguments if argument is not type(None)]
        text = " or ".join(_type_text(argument, name) for argument in present)
        return f"{text} or null" if len(present) < len(arguments) else text
    if origin is typing.Literal:
        return "one of: " + " / ".join(f"`{value}`" for value in arguments)
    if origin is list:
        return f"list of {_type_text(arguments[0], name)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return _scalar_text(annotation, name)


def _annotated_text(base: Any, metadata: tuple[Any, ...], name: str) -> str:
    constraints = list(metadata)
    for item in metadata:  # a Field(...) inside Annotated keeps its own constraints
        if isinstance(item, FieldInfo):
            constraints += item.metadata
    suffix = ""
    for item in constraints:
        minimum = getattr(item, "ge", None)  # annotated_types.Ge, as pydantic stores `ge=`
        if minimum is not None and not (base is Decimal and minimum == 0):  # money and areas: implied
            suffix += f" ≥ {minimum}"
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str):
            suffix += f" matching `{pattern}`"
    arguments = typing.get_args(base)
    if typing.get_origin(base) in (typing.Union, types.UnionType) and type(None) in arguments:
        present = [argument for argument in arguments if argument is not type(None)]
        return " or ".join(_type_text(argument, name) + suffix for argument in present) + " or null"
    return _type_text(base, name) + suffix


def _scalar_text(annotation: Any, name: str) -> str:
    if annotation is Decimal:
        if name.endswith("_m2"):
            return "decimal m²"
        if name.endswith("_yuan_per_m2_month"):
            return "decimal yuan/m²/month"
        if name.endswith("_yuan"):
            return "decimal yuan"
        return "decimal"
    names = {str: "text", bool: "boolean", int: "integer", date: "date"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    path = Path(arguments[0]) if arguments else DEFAULT_DOC_PATH
    changed = write_facts_format_doc(path)
    print(f"{path}: {'updated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
