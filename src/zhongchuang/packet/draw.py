"""Typeset pages as PDF content streams: fills, rules, then text in the fonts WeasyPrint embedded."""

from __future__ import annotations

import math
from collections.abc import Iterable

from zhongchuang.packet.glyphs import Faces
from zhongchuang.packet.typeset import PT, Line, Page

MM = 72 / 25.4  # points per millimetre
FAINT = "/ZcFaint"  # the graphics state of the watermark (opacity)


def font_name(face: str, index: int) -> str:
    """The resource name of a face's font in our pages."""
    return f"/Zc{face.capitalize()}{index}"


def _colour(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return f"{red:.3f} {green:.3f} {blue:.3f}"


def text_operations(lines: Iterable[Line], faces: Faces, height: float, *, faint: bool = False) -> bytes:
    """Text objects for `lines` on a page `height` mm tall (positions are from the top)."""
    out: list[str] = ["q"]
    if faint:
        out.append(f"{FAINT} gs")
    colour, spacing = "", 0.0  # character spacing (Tc) is graphics state: it outlives BT … ET
    for line in lines:
        runs = faces.runs(line.text, line.style.face)
        if not runs:
            continue
        if line.style.colour != colour:
            colour = line.style.colour
            out.append(f"{_colour(colour)} rg")
        x, y = line.x * MM, (height - line.y) * MM
        if line.angle:
            angle = math.radians(line.angle)
            cos, sin = math.cos(angle), math.sin(angle)
            matrix = f"{cos:.5f} {sin:.5f} {-sin:.5f} {cos:.5f} {x:.2f} {y:.2f} Tm"
        else:
            matrix = f"1 0 0 1 {x:.2f} {y:.2f} Tm"
        out.append("BT")
        if line.style.spacing != spacing:
            spacing = line.style.spacing
            out.append(f"{spacing:.2f} Tc")
        out.append(matrix)
        for index, codes in runs:
            out.append(f"{font_name(line.style.face, index)} {line.style.size:g} Tf <{codes.hex()}> Tj")
        out.append("ET")
    out.append("Q")
    return ("\n".join(out) + "\n").encode()


def page_operations(page: Page, faces: Faces) -> bytes:
    """The whole content of a typeset page."""
    height = page.size[1]
    out: list[str] = []
    for fill in page.fills:
        out.append(
            f"{_colour(fill.colour)} rg {fill.x * MM:.2f} {(height - fill.y - fill.h) * MM:.2f} "
            f"{fill.w * MM:.2f} {fill.h * MM:.2f} re f"
        )
    stroke = None
    for rule in page.rules:
        if (rule.width, rule.colour) != stroke:
            stroke = (rule.width, rule.colour)
            out.append(f"{rule.width:g} w {_colour(rule.colour)} RG")
        out.append(
            f"{rule.x1 * MM:.2f} {(height - rule.y1) * MM:.2f} m {rule.x2 * MM:.2f} {(height - rule.y2) * MM:.2f} l S"
        )
    graphics = ("\n".join(out) + "\n").encode() if out else b""
    return graphics + text_operations(page.lines, faces, height)


def link_rectangle(page: Page, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """A rectangle in mm from the top as PDF user space (x1, y1, x2, y2)."""
    height = page.size[1]
    return (x * MM, (height - y - h) * MM, (x + w) * MM, (height - y) * MM)


def centred_on(
    text_width: float, size: float, centre: tuple[float, float], angle: float
) -> tuple[float, float]:
    """Where a line of `text_width` mm must start (baseline, mm from the top) to be centred on `centre` when
    turned `angle` degrees counter-clockwise; the visual middle of CJK glyphs is ~0.38 em above the baseline."""
    radians = math.radians(angle)
    along = (math.cos(radians), -math.sin(radians))  # the baseline's direction, y downwards
    up = (-math.sin(radians), -math.cos(radians))
    middle = 0.38 * size * PT
    return (
        centre[0] - along[0] * text_width / 2 - up[0] * middle,
        centre[1] - along[1] * text_width / 2 - up[1] * middle,
    )
