"""The 印影 (seal impression) as an image: reading, measuring, and comparing.

**Measuring** (spec-resident.md §2 item 4, §6 #13: 「印影の大きさが一辺の長さ8ミリメートルの正方形に
収まるもの又は一辺の長さ25ミリメートルの正方形に収まらないもの」は登録できない — the impression is
measured, not the seal):

1. the scan is decoded (PNG, or any raster format Pillow reads) and its resolution taken from the request
   or, failing that, from the file's own dpi metadata; it must be inside ``municipal.inkan.scan_dpi``;
2. each pixel's *ink* value is ``255 − min(R, G, B)`` (red seal ink and black ink both count, white paper
   does not); Otsu's threshold (at least :data:`MIN_INK_THRESHOLD`) separates ink from paper and a 3×3
   median filter removes isolated specks of dust;
3. the side of the **smallest enclosing square** of the ink is found by rotating its convex hull (1° steps,
   then 0.02° around the best angle): an impression "fits inside an s mm square" when that side ≤ s, so a
   seal stamped at a slant is judged as the square gauge on the counter would judge it.

The scan must contain the impression only (no printed frame of the 申請書): everything inked is measured.

**Comparing** (「同一世帯の者が既に登録している印鑑と同一又は類似のもの」): both ink masks are cropped to
their ink, centred in a square, scaled to 64×64 and compared by Jaccard index (shared ink ÷ all ink),
taking the best over rotations of ±15° in 3° steps (a hand-stamped seal is never at the same angle
twice). Physical sizes that differ by more than :data:`SIZE_TOLERANCE_MM` are never similar. This is a
simple perceptual measure for an *alert* the clerk confirms, not proof; see
docs/decisions/inkan-inei-measurement.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError

from yakuba import params
from yakuba.errors import InputError

FIELD = "印影"
MIN_INK_THRESHOLD = 48  # a blank page's noise must never count as ink
MAX_SIDE_PX = 6000  # 127 mm at 1200 dpi: far more than any impression; refuses decompression bombs
SIGNATURE_SIDE = 64
SIZE_TOLERANCE_MM = 1.5
ROTATIONS = tuple(range(-15, 16, 3))


@dataclass(frozen=True)
class Measurement:
    """The impression's size: its axis-aligned bounding box and its smallest enclosing square (mm)."""

    dpi: int
    width_mm: float
    height_mm: float
    square_mm: float
    angle_deg: float  # rotation at which the enclosing square is smallest

    def describe(self) -> str:
        return (
            f"測定値: 最小外接正方形の一辺 {self.square_mm:.2f} mm"
            f"（縦横 {self.width_mm:.2f} × {self.height_mm:.2f} mm、{self.dpi} dpi）"
        )


@dataclass(frozen=True)
class Inei:
    """A decoded impression: the PNG to store, its ink mask and its measurement."""

    png: bytes
    sha256: str
    mask: Image.Image  # mode "L": 255 = ink, 0 = paper
    measurement: Measurement


def dpi_from_file(image: Image.Image) -> int | None:
    raw = image.info.get("dpi")
    if not raw:
        return None
    try:
        value = round(float(raw[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return value or None


def decode(data: bytes, *, dpi: int | None, on: dt.date) -> Inei:
    """Decode and measure a scan; refuse unreadable files, wrong resolutions and empty images."""
    limit = int(params.get("municipal.inkan.max_image_bytes", on=on))
    if not data:
        raise InputError.single(FIELD, "画像がありません")
    if len(data) > limit:
        raise InputError.single(FIELD, f"画像が大きすぎます（{len(data)} バイト。上限 {limit} バイト）")
    try:
        image = Image.open(io.BytesIO(data))
        if image.width > MAX_SIDE_PX or image.height > MAX_SIDE_PX:
            raise InputError.single(
                FIELD,
                f"画像の画素数が大きすぎます（{image.width}×{image.height}。一辺 {MAX_SIDE_PX} 画素まで）",
            )
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InputError.single(
            FIELD, f"画像として読めません（PNG などの画像を指定してください: {exc}）"
        ) from None
    resolution = dpi or dpi_from_file(image)
    allowed = params.get("municipal.inkan.scan_dpi", on=on)
    if resolution is None:
        raise InputError.single("読取解像度", "読取解像度（dpi）を指定してください（画像に記録がありません）")
    if not allowed["min"] <= resolution <= allowed["max"]:
        raise InputError.single(
            "読取解像度",
            f"{resolution} dpi では測定できません"
            f"（{allowed['min']}〜{allowed['max']} dpi で読み取ってください）",
        )
    rgb = flatten(image)
    mask = ink_mask(rgb)
    if mask.getbbox() is None:
        raise InputError.single(FIELD, "画像に印影が見つかりません（白紙か、印影が薄すぎます）")
    measurement = measure(mask, resolution)
    out = io.BytesIO()
    rgb.save(out, format="PNG", dpi=(resolution, resolution), optimize=True)
    png = out.getvalue()
    return Inei(png=png, sha256=hashlib.sha256(png).hexdigest(), mask=mask, measurement=measurement)


def flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparency becomes paper, palettes and greys become colours."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("RGB")
    return image.convert("RGB")


def _otsu(histogram: list[int]) -> int:
    total = sum(histogram)
    weighted_all = sum(i * h for i, h in enumerate(histogram))
    best, best_between = 0, -1.0
    weight_b = 0
    weighted_b = 0
    for t in range(256):
        weight_b += histogram[t]
        if weight_b == 0:
            continue
        weight_f = total - weight_b
        if weight_f == 0:
            break
        weighted_b += t * histogram[t]
        mean_b = weighted_b / weight_b
        mean_f = (weighted_all - weighted_b) / weight_f
        between = weight_b * weight_f * (mean_b - mean_f) ** 2
        if between > best_between:
            best, best_between = t, between
    return best


def ink_mask(rgb: Image.Image) -> Image.Image:
    """255 where there is ink (any colour darker or more saturated than paper), 0 elsewhere."""
    r, g, b = rgb.split()
    ink = ImageOps.invert(ImageChops.darker(ImageChops.darker(r, g), b))
    threshold = max(MIN_INK_THRESHOLD, _otsu(ink.histogram()))
    binary = ink.point(lambda v: 255 if v > threshold else 0)
    return binary.filter(ImageFilter.MedianFilter(3))


def _hull(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Convex hull (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> int:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[int, int]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[int, int]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _outline(mask: Image.Image) -> list[tuple[int, int]]:
    """Pixel corners of the leftmost and rightmost ink pixel of every row (enough for the hull)."""
    width = mask.width
    data = mask.tobytes()
    points: list[tuple[int, int]] = []
    for y in range(mask.height):
        row = data[y * width : (y + 1) * width]
        stripped = row.lstrip(b"\x00")
        if not stripped:
            continue
        left = width - len(stripped)
        right = len(row.rstrip(b"\x00"))  # one past the last ink pixel
        points.extend(((left, y), (left, y + 1), (right, y), (right, y + 1)))
    return points


def _square_side(hull: list[tuple[int, int]], degrees: float) -> float:
    theta = math.radians(degrees)
    c, s = math.cos(theta), math.sin(theta)
    us = [x * c + y * s for x, y in hull]
    vs = [-x * s + y * c for x, y in hull]
    return max(max(us) - min(us), max(vs) - min(vs))


def measure(mask: Image.Image, dpi: int) -> Measurement:
    """Bounding box and smallest enclosing square of the ink, in millimetres."""
    bbox = mask.getbbox()
    if bbox is None:
        raise InputError.single(FIELD, "画像に印影が見つかりません")
    hull = _hull(_outline(mask))
    coarse = min((_square_side(hull, float(a)), float(a)) for a in range(90))
    start = coarse[1] - 1.0
    fine = min((_square_side(hull, start + i * 0.02), start + i * 0.02) for i in range(101))
    side_px, angle = min(coarse, fine)
    mm = 25.4 / dpi
    return Measurement(
        dpi=dpi,
        width_mm=round((bbox[2] - bbox[0]) * mm, 3),
        height_mm=round((bbox[3] - bbox[1]) * mm, 3),
        square_mm=round(side_px * mm, 3),
        angle_deg=round(angle % 90, 2),
    )


def check_size(measurement: Measurement, *, on: dt.date) -> None:
    """Refuse an impression that fits inside the small square or does not fit inside the large one."""
    low = float(params.get("inkan.inei_min_square_mm", on=on))
    high = float(params.get("inkan.inei_max_square_mm", on=on))
    if measurement.square_mm <= low:
        raise InputError.single(
            FIELD,
            f"印影が一辺{low:g}ミリメートルの正方形に収まるため登録できません（{measurement.describe()}）",
        )
    if measurement.square_mm > high:
        raise InputError.single(
            FIELD,
            f"印影が一辺{high:g}ミリメートルの正方形に収まらないため登録できません（{measurement.describe()}）",
        )


def mask_of_png(png: bytes) -> Image.Image:
    """The ink mask of a stored (normalised) PNG."""
    with Image.open(io.BytesIO(png)) as image:
        return ink_mask(flatten(image))


def _signature(mask: Image.Image, rotation: int = 0) -> Image.Image:
    work = mask.rotate(rotation, resample=Image.Resampling.NEAREST, expand=True) if rotation else mask
    bbox = work.getbbox()
    if bbox is None:
        return Image.new("1", (SIGNATURE_SIDE, SIGNATURE_SIDE), 0)
    cropped = work.crop(bbox)
    side = max(cropped.size)
    square = Image.new("L", (side, side), 0)
    square.paste(cropped, ((side - cropped.width) // 2, (side - cropped.height) // 2))
    small = square.resize((SIGNATURE_SIDE, SIGNATURE_SIDE), Image.Resampling.BOX)
    return small.point(lambda v: 255 if v >= 96 else 0).convert("1")


def _jaccard(a: Image.Image, b: Image.Image) -> float:
    both = ImageChops.logical_and(a, b).histogram()[255]
    either = ImageChops.logical_or(a, b).histogram()[255]
    return both / either if either else 0.0


def similarity(a: Inei | Image.Image, b: Image.Image, *, a_mm: float, b_mm: float) -> float:
    """0 (unlike) … 1 (the same impression): best Jaccard index over small rotations of ``a``."""
    if abs(a_mm - b_mm) > SIZE_TOLERANCE_MM:
        return 0.0
    mask_a = a.mask if isinstance(a, Inei) else a
    reference = _signature(b)
    return max(_jaccard(_signature(mask_a, r), reference) for r in ROTATIONS)
