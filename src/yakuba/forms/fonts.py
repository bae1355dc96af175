"""Embedded Japanese fonts for the 帳票, and the check that every character of a name can be drawn.

The standard systems use the 行政事務標準文字 (MJ+); IPAmj明朝 (Debian ``fonts-ipamj-mincho``) covers the MJ
characters, many of them only through an ideographic variation sequence (IVS, cmap format 14). The fonts
are searched in order — the files named by the parameter ``municipal.shomei.font_files``, IPAmj明朝,
IPAex明朝 (Debian ``fonts-ipaexfont-mincho``), and IPAexゴシック shipped by the PyPI package
``japanize-matplotlib`` as the fallback that ``pip install`` alone brings — and every one found is
registered with ReportLab as an embedded (subset) TrueType font.

A character (or base + variation selector) that none of them has raises :class:`UnprintableCharacter`:
the specification's overflow / 未登録外字 alert, instead of a blank box on a certificate.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from yakuba import params
from yakuba.errors import YakubaError
from yakuba.forms.ttfont import YakubaTTFont
from yakuba.kernel import clock

__all__ = [
    "FontSet",
    "UnprintableCharacter",
    "assert_printable",
    "can_draw",
    "font_set",
    "units",
]

IPAMJ_PATHS = (
    Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf"),
    Path("/usr/share/fonts/opentype/ipamj/ipamjm.ttf"),
)
IPAEX_MINCHO_PATHS = (
    Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf"),
)
PYPI_FALLBACK = ("japanize_matplotlib", "fonts/ipaexg.ttf")  # IPAexゴシック, IPA Font License v1.0

_ASSIGN_LOCK = threading.Lock()
_PUA_START = 0x100000  # Supplementary Private Use Area-B: where an IVS glyph gets a code of its own


_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _is_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def units(text: str) -> Iterator[str]:
    """The drawable units of ``text``: one character, or a base character with its variation selector."""
    i = 0
    while i < len(text):
        if i + 1 < len(text) and _is_selector(ord(text[i + 1])):
            yield text[i : i + 2]
            i += 2
        else:
            yield text[i]
            i += 1


def describe(unit: str) -> str:
    """「𠮷」(U+20BB7) / 「葛󠄀」(U+845B U+E0100): how a character is named in an alert."""
    return f"「{unit}」({' '.join(f'U+{ord(c):04X}' for c in unit)})"


class UnprintableCharacter(YakubaError):
    """未登録外字 / overflow alert: a character no installed font can draw. Nothing is issued."""

    http_status = 422

    def __init__(self, field_name: str, missing: list[str]) -> None:
        self.field = field_name
        self.missing = missing
        chars = "、".join(describe(u) for u in missing)
        super().__init__(
            f"{field_name}: {chars} は登録されたフォントで印字できません（未登録外字）。"
            "文字同定（行政事務標準文字 MJ+）を行ってから交付してください"
        )


@dataclass
class LoadedFont:
    """One registered font: its ReportLab name, the IVS glyphs it has, and the codes given to them."""

    name: str
    label: str
    path: Path
    font: YakubaTTFont
    ivs: dict[tuple[int, int], int] = field(default_factory=dict)  # (base, selector) → glyph id
    ivs_default: set[tuple[int, int]] = field(default_factory=set)  # drawn with the base glyph
    pua: dict[str, int] = field(default_factory=dict)  # base+selector → private code

    def has(self, unit: str) -> bool:
        codes = [ord(c) for c in unit]
        glyphs = self.font.face.charToGlyph
        if len(codes) == 2:
            key = (codes[0], codes[1])
            return key in self.ivs or (key in self.ivs_default and glyphs.get(codes[0], 0) != 0)
        return glyphs.get(codes[0], 0) != 0

    def encode(self, unit: str) -> str:
        """The text to hand ReportLab for one unit this font has (an IVS glyph gets a private code)."""
        if len(unit) == 1:
            return unit
        base, selector = ord(unit[0]), ord(unit[1])
        if (base, selector) not in self.ivs:
            return unit[0]
        code = self.pua.get(unit)
        if code is None:
            code = self._assign(unit, self.ivs[(base, selector)])
        return chr(code)

    def _assign(self, unit: str, gid: int) -> int:
        with _ASSIGN_LOCK:  # requests render in worker threads; the face's tables are shared
            if unit in self.pua:
                return self.pua[unit]
            return self._assign_locked(unit, gid)

    def _assign_locked(self, unit: str, gid: int) -> int:
        face = self.font.face
        code = _PUA_START + len(self.pua)
        while code in face.charToGlyph:
            code += 1
        face.charToGlyph[code] = gid
        face.charWidths[code] = face.charWidths.get(ord(unit[0]), face.defaultWidth)
        self.font.unicode_of[code] = unit
        self.pua[unit] = code
        return code


def _read_ivs(path: Path) -> tuple[dict[tuple[int, int], int], set[tuple[int, int]]]:
    from fontTools.ttLib import TTFont as FontToolsFont

    explicit: dict[tuple[int, int], int] = {}
    default: set[tuple[int, int]] = set()
    with FontToolsFont(str(path), lazy=True) as tt:
        for table in tt["cmap"].tables:
            if table.format != 14:
                continue
            for selector, mappings in table.uvsDict.items():
                for base, glyph_name in mappings:
                    if glyph_name is None:
                        default.add((base, selector))
                    else:
                        explicit[(base, selector)] = tt.getGlyphID(glyph_name)
    return explicit, default


_LOADED: dict[str, LoadedFont] = {}
_LOAD_LOCK = threading.Lock()


def _load(name: str, label: str, path: Path) -> LoadedFont:
    """The font registered under ``name``, parsed once per process.

    ReportLab keeps the first font registered under a name and ignores later ones, so a font set built
    again (another ``font_files`` parameter, a test) must reuse the registered font and its IVS codes:
    a fresh parse would hand out private codes that the registered font does not know.
    """
    with _LOAD_LOCK:
        known = _LOADED.get(name)
        if known is not None and known.path == path:
            return dataclasses.replace(known, label=label)  # shares the font, its faces and its codes
        font = YakubaTTFont(name, str(path))
        pdfmetrics.registerFont(font)
        explicit, default = _read_ivs(path)
        loaded = LoadedFont(name=name, label=label, path=path, font=font, ivs=explicit, ivs_default=default)
        _LOADED[name] = loaded
        return loaded


def _pypi_fallback() -> Path | None:
    package, relative = PYPI_FALLBACK
    spec = importlib.util.find_spec(package)  # finds the folder without importing (it would load matplotlib)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / relative
        if candidate.is_file():
            return candidate
    return None


def candidates() -> list[tuple[str, Path]]:
    """(label, path) of every font file found, in the order they are used."""
    found: list[tuple[str, Path]] = []
    configured = params.get("municipal.shomei.font_files", on=clock.today()) or []
    found.extend((Path(p).stem, Path(p)) for p in configured if Path(p).is_file())
    found.extend(("IPAmj明朝", p) for p in IPAMJ_PATHS if p.is_file())
    found.extend(("IPAex明朝", p) for p in IPAEX_MINCHO_PATHS if p.is_file())
    fallback = _pypi_fallback()
    if fallback is not None:
        found.append(("IPAexゴシック", fallback))
    unique: dict[Path, str] = {}
    for label, path in found:
        unique.setdefault(path.resolve(), label)
    return [(label, path) for path, label in unique.items()]


class FontSet:
    """The fonts in order of preference; later ones are loaded only when an earlier one lacks a glyph."""

    def __init__(self, files: list[tuple[str, Path]]) -> None:
        if not files:
            raise YakubaError(
                "帳票用の日本語フォントが見つかりません。apt-get install fonts-ipamj-mincho "
                "（または pip install japanize-matplotlib）を実行してください"
            )
        self._files = files
        self._loaded: list[LoadedFont] = []
        self._lock = threading.Lock()
        # unit → (ReportLab font name, encoded text): one character's choice of font never changes within
        # a font set, and deciding it (cmap look-ups through the fallbacks) was most of the drawing time.
        # It holds single characters only, never a name or an address.
        self._drawn_with: dict[str, tuple[str, str]] = {}

    @property
    def primary(self) -> LoadedFont:
        return self._font(0)

    def labels(self) -> list[str]:
        return [label for label, _ in self._files]

    def _font(self, index: int) -> LoadedFont:
        with self._lock:
            while len(self._loaded) <= index:
                label, path = self._files[len(self._loaded)]
                self._loaded.append(_load(f"YakubaJP-{path.stem}", label, path))
            return self._loaded[index]

    def font_for(self, unit: str) -> LoadedFont | None:
        for index in range(len(self._files)):
            font = self._font(index)
            if font.has(unit):
                return font
        return None

    def missing(self, text: str) -> list[str]:
        """Units of ``text`` (other than controls and spaces) that no font can draw, each once."""
        out: list[str] = []
        for unit in units(text):
            if unit.isspace() or unicodedata.category(unit[0]) == "Cc":
                continue
            if unit not in out and unit not in self._drawn_with and self.font_for(unit) is None:
                out.append(unit)
        return out

    def _draw_unit(self, unit: str) -> tuple[str, str]:
        found = self._drawn_with.get(unit)
        if found is None:
            primary = self.primary
            font = primary if (unit.isspace() or primary.has(unit)) else self.font_for(unit)
            if font is None:  # not cached, so :meth:`missing` keeps reporting it
                return (primary.name, primary.encode(unit))
            found = self._drawn_with[unit] = (font.name, font.encode(unit))
        return found

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(ReportLab font name, encoded text) runs that draw ``text``; call :meth:`missing` first."""
        result: list[tuple[str, str]] = []
        drawn_with = self._drawn_with
        names: list[str] = []
        parts: list[list[str]] = []
        for unit in units(text) if _SELECTOR.search(text) else text:
            found = drawn_with.get(unit) or self._draw_unit(unit)
            if names and names[-1] == found[0]:
                parts[-1].append(found[1])
            else:
                names.append(found[0])
                parts.append([found[1]])
        result.extend(zip(names, ("".join(p) for p in parts), strict=True))
        return result

    def width(self, text: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in self.runs(text))


@lru_cache(maxsize=1)
def font_set() -> FontSet:
    """The process-wide font set (fonts are parsed once; IPAmj明朝 takes about 0.5 s)."""
    return FontSet(candidates())


def can_draw(text: str) -> list[str]:
    """The characters (or character + variation selector) of ``text`` that no registered font can draw."""
    return font_set().missing(text)


def assert_printable(field_name: str, text: str | None) -> None:
    """Raise the 未登録外字 alert naming the item and each character with its code points."""
    if not text:
        return
    missing = can_draw(text)
    if missing:
        raise UnprintableCharacter(field_name, missing)
