"""The facts format (models), its loader, and its flattening into engine tables."""

from zhongchuang.facts.load import load_facts, parse_facts
from zhongchuang.facts.models import FORMAT_VERSION, Facts

__all__ = ["FORMAT_VERSION", "Facts", "load_facts", "parse_facts"]
