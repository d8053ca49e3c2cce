"""The fonts of the text the packet draws itself, read back from what WeasyPrint embedded.

WeasyPrint lays out the cover, then one page per face ("regular", "bold", "mono") printing every
character the rest of the packet needs. It embeds subsets of the fonts Pango chose (Noto Sans CJK SC,
and a fallback where a character is missing), each with its encoding, its advance widths and a
ToUnicode map, so the text stays searchable and copyable. `Faces` reads those fonts back: it measures
text for the typesetter and encodes it for the content streams, which then use the very same font
objects. The glyph pages themselves are not part of the packet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FACES = ("regular", "bold", "mono")
CODE = re.compile(rb"<([0-9A-Fa-f]+)>")
FONT_SELECTION = re.compile(rb"/(\S+) [\d.]+ Tf")


@dataclass(eq=False)  # one font dictionary of the document: compared by identity
class Font:
    reference: Any  # the font dictionary's indirect reference in the WeasyPrint document
    codes: dict[str, bytes]  # character → code as written in content streams
    widths: dict[str, float]  # character → advance width in em
    ascent: float  # em
    descent: float  # em, positive


class Faces:
    """Measure and encode text per face; characters a face lacks are printed as a space."""

    def __init__(self, fonts: dict[str, list[Font]]) -> None:
        self.fonts = fonts
        self._choice: dict[str, dict[str, tuple[int, bytes, float]]] = {}
        for face, candidates in fonts.items():
            choice: dict[str, tuple[int, bytes, float]] = {}
            for index in reversed(range(len(candidates))):  # the first font that has a character wins
                font = candidates[index]
                for char, code in font.codes.items():
                    choice[char] = (index, code, font.widths.get(char, 1.0))
            self._choice[face] = choice

    def _glyph(self, char: str, face: str) -> tuple[int, bytes, float]:
        choice = self._choice[face]
        found = choice.get(char)
        if found is None:
            found = choice.get(" ", (0, b"\x00\x00", 0.25))
        return found

    def width(self, text: str, face: str) -> float:
        choice = self._choice[face]
        total = 0.0
        for char in text:
            found = choice.get(char)
            total += found[2] if found is not None else self._glyph(char, face)[2]
        return total

    def ascent(self, face: str) -> float:
        return self.fonts[face][0].ascent

    def descent(self, face: str) -> float:
        return self.fonts[face][0].descent

    def runs(self, text: str, face: str) -> list[tuple[int, bytes]]:
        """(font index within the face, encoded bytes) for each stretch of text in one font."""
        out: list[tuple[int, bytes]] = []
        current, codes = -1, bytearray()
        for char in text:
            index, code, _width = self._glyph(char, face)
            if index != current and codes:
                out.append((current, bytes(codes)))
                codes = bytearray()
            current = index
            codes += code
        if codes:
            out.append((current, bytes(codes)))
        return out


def glyph_text(chars: set[str]) -> str:
    """The characters of one glyph page, space-separated so that no two are shaped together."""
    printable = sorted(
        char for char in chars if (char.isprintable() and not char.isspace()) or char == "\u3000"
    )
    return " ".join(printable) + " "


def read_faces(reader: Any, pages: dict[str, list[int]]) -> Faces:
    """The fonts used on each face's glyph pages (`pages`: face → page indexes of the reader), in order of use."""
    fonts: dict[str, list[Font]] = {}
    cache: dict[int, Font] = {}
    for face, indexes in pages.items():
        chosen: list[Font] = []
        for index in indexes:
            page = reader.pages[index]
            table = page["/Resources"]["/Font"]
            contents = page.get_contents()
            data = contents.get_data() if contents is not None else b""
            for name in dict.fromkeys(FONT_SELECTION.findall(data)):
                reference = table.raw_get("/" + name.decode())
                key = reference.idnum
                if key not in cache:
                    cache[key] = _font(reference)
                if cache[key] not in chosen:
                    chosen.append(cache[key])
        fonts[face] = chosen
    return Faces(fonts)


def _font(reference: Any) -> Font:
    font = reference.get_object()
    descendant = font["/DescendantFonts"][0].get_object()
    unicode_of = _to_unicode(font["/ToUnicode"].get_object().get_data())
    encoding = font.get("/Encoding")  # a name (Identity-H: code = CID) or WeasyPrint's own CMap stream
    cid_of = _cids(encoding.get_data()) if hasattr(encoding, "get_data") else {}
    widths = _widths(descendant.get("/W", []))
    default = float(descendant.get("/DW", 1000))
    descriptor = descendant["/FontDescriptor"].get_object()
    codes, advances = {}, {}
    for code, text in unicode_of.items():
        if len(text) != 1 or text in codes:
            continue
        cid = cid_of.get(code, code) if cid_of else code
        codes[text] = code.to_bytes(2, "big")
        advances[text] = widths.get(cid, default) / 1000
    return Font(
        reference,
        codes,
        advances,
        float(descriptor["/Ascent"]) / 1000,
        abs(float(descriptor["/Descent"])) / 1000,
    )


def _hex_text(value: bytes) -> str:
    return bytes.fromhex(value.decode()).decode("utf-16-be", errors="replace")


def _sections(data: bytes, begin: bytes, end: bytes) -> list[bytes]:
    return re.findall(re.escape(begin) + rb"(.*?)" + re.escape(end), data, re.S)


def _to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap: code → text (bfchar and bfrange entries)."""
    found: dict[int, str] = {}
    for block in _sections(data, b"beginbfchar", b"endbfchar"):
        values = CODE.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            found[int(code, 16)] = _hex_text(text)
    for block in _sections(data, b"beginbfrange", b"endbfrange"):
        for line in block.splitlines():
            values = CODE.findall(line)
            if len(values) < 3:
                continue
            low, high = int(values[0], 16), int(values[1], 16)
            if b"[" in line:
                for offset, text in enumerate(values[2:]):
                    found[low + offset] = _hex_text(text)
            else:
                start = _hex_text(values[2])
                for offset in range(high - low + 1):
                    found[low + offset] = start[:-1] + chr(ord(start[-1]) + offset)
    return found


def _cids(data: bytes) -> dict[int, int]:
    """An encoding CMap: code → CID (cidchar and cidrange entries)."""
    found: dict[int, int] = {}
    for block in _sections(data, b"begincidchar", b"endcidchar"):
        for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s+(\d+)", block):
            found[int(code, 16)] = int(cid)
    for block in _sections(data, b"begincidrange", b"endcidrange"):
        for low, high, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s+(\d+)", block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                found[int(low, 16) + offset] = int(cid) + offset
    return found


def _widths(array: Any) -> dict[int, float]:
    """A CIDFont /W array: `c [w1 w2 …]` or `c_first c_last w`."""
    found: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, list):
            for offset, width in enumerate(following):
                found[first + offset] = float(width)
            index += 2
        else:
            for cid in range(first, int(following) + 1):
                found[cid] = float(items[index + 2])
            index += 3
    return found
