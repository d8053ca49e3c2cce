"""docs/facts-format.md carries the generated field reference; it must not drift from the models."""

from __future__ import annotations

from pathlib import Path

from zhongchuang.facts import models
from zhongchuang.facts.doc import (
    REGENERATE_COMMAND,
    facts_format_markdown,
    generated_section,
    write_facts_format_doc,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "facts-format.md"


def test_generated_section_of_facts_format_doc_matches_the_models() -> None:
    section = generated_section(DOC.read_text(encoding="utf-8"))
    assert section == facts_format_markdown(), (
        "docs/facts-format.md is out of date with zhongchuang.facts.models. Regenerate its reference section "
        f"from the repository root with:\n    {REGENERATE_COMMAND}\n"
        "(or call zhongchuang.facts.doc.write_facts_format_doc(path)); edit only the text outside the "
        "<!-- BEGIN GENERATED --> / <!-- END GENERATED --> markers by hand."
    )


def test_reference_is_deterministic() -> None:
    assert facts_format_markdown() == facts_format_markdown()


def test_reference_has_a_section_for_every_nested_model() -> None:
    text = facts_format_markdown()
    for model in (
        models.Facts,
        models.Operator,
        models.CreditCheck,
        models.Site,
        models.Lease,
        models.PublicServiceBreakdown,
        models.SocialInsurance,
        models.Company,
        models.Cultivation,
        models.Document,
    ):
        assert f"\n### {model.__name__}\n" in text


def test_reference_rows_show_readable_types() -> None:
    text = facts_format_markdown()
    assert "| `total_area_m2` | decimal m² or null | 总面积（㎡） | total area (m²) | 附件2 |" in text
    assert "| `amount_yuan` | decimal yuan or null |" in text
    assert "| `months` | list of month `YYYY-MM` |" in text
    assert "| `leases` | list of [Lease](#lease) |" in text
    assert "| `tenure` | one of: `owned` / `leased` / `free_use` / `other` or null |" in text
    assert "| `checked_on` | date; required |" in text


def test_write_facts_format_doc_rewrites_only_the_generated_section(tmp_path: Path) -> None:
    doc = tmp_path / "facts-format.md"
    doc.write_text(
        "# Intro\n\nhand-written\n\n<!-- BEGIN GENERATED -->\nstale\n<!-- END GENERATED -->\n\nend\n",
        encoding="utf-8",
    )

    assert write_facts_format_doc(doc) is True
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Intro\n\nhand-written\n\n<!-- BEGIN GENERATED -->\n\n## 字段参考")
    assert text.endswith("\n\n<!-- END GENERATED -->\n\nend\n")
    assert generated_section(text) == facts_format_markdown()
    assert write_facts_format_doc(doc) is False
