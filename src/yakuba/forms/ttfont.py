"""ReportLab's TrueType font made fit for the 帳票: a ToUnicode map that gives back the drawn text (IVS and
characters above U+FFFF included), and subsetting that does not copy the 40 MB ``glyf`` table each time.

Used by :mod:`yakuba.forms.fonts`; nothing outside the toolkit needs it.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, TTFontFace


class _GlyphTable:
    """The ``glyf`` table as a window on the font file: slicing copies one glyph, not the whole table.

    ReportLab's ``makeSubset`` asks for the whole ``glyf`` table on every document and then slices one
    glyph at a time out of it. For IPAmj明朝 that table is about 40 MB, so each certificate copied 40 MB
    (≈ 25 ms, a sixth of a certificate). A memoryview slice copied to ``bytes`` per glyph gives
    ``makeSubset`` exactly the bytes it read before.
    """

    def __init__(self, view: memoryview) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, index: slice) -> bytes:
        return bytes(self._view[index])


class _SubsettingFace(TTFontFace):
    """ReportLab's face with :meth:`get_table` that no longer copies the large tables on each subset."""

    _tables: dict[str, bytes]

    def get_table(self, tag: str) -> bytes:
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return _GlyphTable(memoryview(self._ttf_data)[pos : pos + length])  # type: ignore[return-value]
        tables = self.__dict__.setdefault("_tables", {})
        table = tables.get(tag)
        if table is None:
            table = tables[tag] = super().get_table(tag)
        return table


class YakubaTTFont(TTFont):
    """A ReportLab TrueType font whose ToUnicode map gives back the text that was drawn.

    ReportLab writes each code as ``<%04X>``, which is wrong above U+FFFF (it must be a UTF-16 surrogate
    pair), and it knows nothing of IVS. Here each subset code maps to the UTF-16BE of its real text: the
    base character plus selector for an IVS glyph, so a copied or extracted name keeps its variant.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.face.__class__ = _SubsettingFace  # same data, cheaper subsetting (see _GlyphTable)
        self.unicode_of: dict[int, str] = {}

    def addObjects(self, doc: object) -> None:
        state = self.state.get(doc)
        if state is None:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_name = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode(
                "pdfdoc"
            )
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray([self.face.getCharWidth(c) for c in subset])
            cmap = pdfdoc.PDFStream()
            cmap.content = self._to_unicode(base_name, subset)
            if doc.compression:  # type: ignore[attr-defined]
                cmap.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_name)  # type: ignore[attr-defined]
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_name, subset)
            doc.Reference(pdf_font, internal_name)  # type: ignore[attr-defined]
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font  # type: ignore[attr-defined]
        del self.state[doc]

    def _to_unicode(self, name: str, subset: list[int]) -> str:
        def utf16(code: int) -> str:
            text = self.unicode_of.get(code, chr(code))
            return text.encode("utf-16-be").hex().upper()

        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
        return "\n".join(lines)
