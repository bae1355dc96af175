"""The electronic 公印: the municipality's image, or a generated placeholder until one is configured.

The parameter ``municipal.shomei.seal_image`` names the PNG. When it is empty a simple square seal
(「○○町長之印」 in a frame) is drawn once into ``data_dir/shomei/`` — generated data, never committed.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from yakuba import params
from yakuba.errors import YakubaError

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
    from yakuba.shomei.fonts import font_set

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
