"""The electronic 公印: the municipality's image, or a generated placeholder until one is configured.

The parameter ``municipal.shomei.seal_image`` names the PNG. When it is empty a simple square seal
(「○○町長之印」 in a frame) is drawn once into ``data_dir/shomei/`` — generated data, never committed.
(Parameter and folder keep the names they had when only 住民票 certificates carried the 公印.)

:func:`draw_image_file` puts the PNG on a page, reading and compressing it once per file version.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import threading
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import _digester
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from yakuba import params
from yakuba.errors import YakubaError
from yakuba.forms.fonts import font_set

SEAL_COLOR = (200, 30, 30, 255)
SIZE = 360


def seal_path(data_dir: Path, municipality_name: str, on: dt.date) -> Path:
    """The PNG to print as the 公印 (generating the placeholder when none is configured)."""
    configured = params.get("municipal.shomei.seal_image", on=on)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise YakubaError(f"公印の画像 {path} がありません（パラメータ municipal.shomei.seal_image）")
        return path
    path = data_dir / "shomei" / "seal_placeholder.png"
    if not path.is_file():
        generate_placeholder(path, f"{municipality_name}長之印")
    return path


def generate_placeholder(path: Path, text: str) -> None:
    """A square seal: the text in vertical columns, right to left, inside a double frame."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, SIZE - 7, SIZE - 7), outline=SEAL_COLOR, width=14)
    draw.rectangle((28, 28, SIZE - 29, SIZE - 29), outline=SEAL_COLOR, width=3)
    chars = list(text)
    cols = max(1, math.ceil(math.sqrt(len(chars))))
    rows = math.ceil(len(chars) / cols)
    inner = SIZE - 80
    cell = inner / max(cols, rows)
    font = ImageFont.truetype(str(font_set().primary.path), int(cell * 0.92))
    for index, char in enumerate(chars):
        col, row = divmod(index, rows)
        x = SIZE - 40 - (col + 1) * (inner / cols) + (inner / cols - cell) / 2
        y = 40 + row * (inner / rows) + (inner / rows - cell) / 2
        draw.text((x + cell / 2, y + cell / 2), char, font=font, fill=SEAL_COLOR, anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    image.save(tmp, format="PNG", optimize=True)
    os.replace(tmp, path)


_IMAGES: dict[tuple[object, ...], pdfdoc.PDFImageXObject] = {}
_IMAGES_LOCK = threading.Lock()


def _image_template(path: Path) -> pdfdoc.PDFImageXObject:
    """The 公印 PNG read and compressed once per file version (path, inode, size, mtime)."""
    info = path.stat()
    key = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    template = _IMAGES.get(key)
    if template is None:
        name = _digester(f"{path}auto".encode())  # ReportLab's name for a file drawn with mask="auto"
        template = pdfdoc.PDFImageXObject(name, str(path), mask="auto")
        template.name = name
        with _IMAGES_LOCK:
            if len(_IMAGES) > 16:
                _IMAGES.clear()
            _IMAGES[key] = template
    return template


def draw_image_file(canvas: Canvas, path: Path, x: float, y: float, w: float, h: float) -> None:
    """``canvas.drawImage(str(path), …, mask="auto")`` without decoding and deflating the PNG again.

    ReportLab reads, converts and deflates a file image in every document (≈ 15 ms for the 公印). The
    loaded XObject is kept and a shallow copy registered in each document, exactly as ``drawImage``
    registers it, so the PDF carries the same image and soft mask.
    """
    template = _image_template(path)
    doc = canvas._doc
    name = template.name
    registered = doc.getXObjectName(name)
    if registered not in doc.idToObject:
        image = copy.copy(template)
        canvas._setXObjects(image)
        doc.Reference(image, registered)
        doc.addForm(name, image)
        smask = getattr(template, "_smask", None)
        if smask is not None:
            del image._smask
            mask_name = doc.getXObjectName(smask.name)
            if mask_name in doc.idToObject:
                image.smask = pdfdoc.PDFObjectReference(mask_name)
            else:
                mask = copy.copy(smask)
                canvas._setXObjects(mask)
                image.smask = doc.Reference(mask, mask_name)
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(w, h)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)
