from __future__ import annotations

from typing import Any

from django import template
from django.template import TemplateDoesNotExist
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def optional_include(context: template.Context, template_name: str) -> str:
    """Render `template_name` with the current context if it exists, else nothing.

    The case page holds slots for panels of apps that may not be installed yet; an error inside
    an existing panel (including a template it includes) still surfaces."""
    try:
        panel = context.template.engine.get_template(template_name)  # type: ignore[union-attr]
    except TemplateDoesNotExist:
        return SafeString("")
    with context.push():
        return panel.render(context)  # type: ignore[no-any-return]


@register.simple_tag
def open_correction(application: Any) -> Any:
    """The correction request the operator still has to answer, or None."""
    from zhongchuang.review.selectors import open_correction_request

    return open_correction_request(application)


@register.filter
def figure_items(figures: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in figures.items() if v not in (None, [], {})]


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def table_label(name: str) -> str:
    """A facts table's name as users read it (活动, 专职管理人员…)."""
    from zhongchuang.spaces.schema import TABLES_BY_NAME

    spec = TABLES_BY_NAME.get(name)
    return spec.label_zh if spec else name
