"""Fixtures for 印鑑登録 scenario tests: residents through the real 住民記録 commands, synthetic seals.

**Schema.** The Alembic migrations do not create the ``inkan_*`` tables (nor, yet, ``shomei_issuance``).
Importing :mod:`yakuba.inkan` at collection adds them to ``Base.metadata``, and the root conftest empties
every table of that metadata around *every* test — so in a full run, tests of other folders that run
before these would fail on the missing tables. Therefore this conftest wraps the root conftest's
``upgrade`` (called once per session by its ``database_url`` fixture) so the tables are created right
after the migrations; the autouse fixture below creates them again with ``checkfirst`` for a run of this
folder alone. Both become no-ops once a migration creates the tables. Rows are deleted after each test by
the root ``yakuba`` fixture (it empties every table of the metadata) and by the autouse fixture.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import delete

from tests.api.conftest import clock, make_staff, token_for  # noqa: F401 - fixtures for the API tests
from tests.juki.conftest import MATSU_1, dates, person, run  # noqa: F401 - fixtures and helpers
from yakuba.bootstrap import Yakuba
from yakuba.db import Base, make_engine
from yakuba.forms import Issuance
from yakuba.inkan.handlers import register_handlers
from yakuba.inkan.history import PROJECTED, rebuild_state
from yakuba.inkan.models import TABLES
from yakuba.inkan.queries import cards_of, events_of, get_toroku
from yakuba.inkan.schemas import Outcome, Shinsei
from yakuba.juki import service as juki
from yakuba.juki.base import IdoResult
from yakuba.juki.schemas import AddressInput, PersonInput

ALL_TABLES = (*TABLES, Base.metadata.tables[Issuance.__tablename__])
DPI = 600


def create_tables(url: str) -> None:
    engine = make_engine(url)
    try:
        for table in ALL_TABLES:
            table.create(engine, checkfirst=True)
    finally:
        engine.dispose()


def _wrap_root_upgrade() -> None:
    root = sys.modules.get("tests.conftest")
    original = getattr(root, "upgrade", None)
    if root is None or original is None:
        raise RuntimeError(
            "tests/conftest.py (upgrade) が見つかりません: tests/inkan/conftest.py を直してください"
        )
    if getattr(original, "__inkan__", False):
        return

    def upgrade(url: str) -> None:
        original(url)
        create_tables(url)

    upgrade.__inkan__ = True  # type: ignore[attr-defined]
    root.upgrade = upgrade  # type: ignore[attr-defined]


_wrap_root_upgrade()


@pytest.fixture(autouse=True)
def inkan(yakuba: Yakuba) -> Iterator[Yakuba]:
    """Tables present, handlers subscribed (as bootstrap will do once wired); rows gone afterwards."""
    for table in ALL_TABLES:
        table.create(yakuba.engine, checkfirst=True)
    register_handlers(yakuba.bus)
    yield yakuba
    with yakuba.engine.begin() as conn:
        for table in reversed(ALL_TABLES):
            conn.execute(delete(table))


# ------------------------------------------------------------------------------------------- residents


def household(
    runner: Callable[..., IdoResult], *persons: PersonInput, on: dt.date, address: AddressInput = MATSU_1
) -> IdoResult:
    """A new 世帯 moving in on ``on`` (processed that day)."""
    return runner(
        juki.tennyu,
        juki.Tennyu(
            kind="kokunai",
            persons=list(persons),
            address=address,
            prev_address="大阪府大阪市北区梅田1丁目1番",
            dates=dates(on),
        ),
        today=on,
    )


# ------------------------------------------------------------------------------------------- seals


def _font(size: int) -> ImageFont.FreeTypeFont:
    from yakuba.forms import font_set

    return ImageFont.truetype(str(font_set().primary.path), size)


def seal_png(
    text: str = "青木",
    *,
    mm: float = 15.0,
    dpi: int = DPI,
    shape: str = "circle",
    angle: float = 0.0,
    embed_dpi: bool = True,
    ink: tuple[int, int, int] = (200, 30, 30),
    offset: tuple[int, int] = (0, 0),
) -> bytes:
    """A synthetic impression of a known size: a rim ``mm`` across (circle or square) with ``text`` inside."""
    px = mm / 25.4 * dpi
    size = int(px * 1.6) + 40
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    o = (size - px) / 2
    rim = max(2, round(0.7 / 25.4 * dpi))
    box = (o + offset[0], o + offset[1], o + offset[0] + px - 1, o + offset[1] + px - 1)
    if shape == "circle":
        draw.ellipse(box, outline=255, width=rim)
    else:
        draw.rectangle(box, outline=255, width=rim)
    if text:
        chars = list(text)
        cell = px * 0.62 / max(1, len(chars))
        font = _font(max(8, int(cell)))
        for i, ch in enumerate(chars):
            y = size / 2 + offset[1] + (i - (len(chars) - 1) / 2) * cell
            draw.text((size / 2 + offset[0], y), ch, font=font, fill=255, anchor="mm")
    if angle:
        mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC)
    image = Image.new("RGB", (size, size), "white")
    image.paste(ink, (0, 0), mask)
    out = io.BytesIO()
    if embed_dpi:
        image.save(out, format="PNG", dpi=(dpi, dpi))
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def application(atena_no: str, **kw: Any) -> Shinsei:
    """A counter application with a 運転免許証 unless told otherwise."""
    values: dict[str, Any] = {
        "atena_no": atena_no,
        "inei_png_base64": b64(kw.pop("png", None) or seal_png()),
        "inbun": "青木",
        "represents": "shi",
        "name_confirmed": True,
        "mokushi_kakunin": True,
        "kakunin_hoho": "photo_id",
        "kakunin_document": "menkyo",
    }
    values.update(kw)
    return Shinsei(**values)


Apply = Callable[..., Outcome]


@pytest.fixture
def apply(yakuba: Yakuba) -> Apply:
    """Run one 印鑑 command in its own unit of work and commit, as a request would."""

    def call(handler: Callable[..., Outcome], *args: Any, today: dt.date) -> Outcome:
        with yakuba.uow() as uow:
            result = handler(uow, *args, today=today)
            uow.commit()
        return result

    return call


@pytest.fixture
def state(yakuba: Yakuba) -> Callable[[int], dict[str, Any]]:
    """The registration as stored (projection) — and a check that replaying the log gives the same."""

    def read(toroku_id: int) -> dict[str, Any]:
        with yakuba.uow() as uow:
            toroku = get_toroku(uow.session, toroku_id)
            projected = {name: getattr(toroku, name) for name in PROJECTED}
            rebuilt, cards = rebuild_state(uow.session, toroku_id)
            assert rebuilt == projected, "the projection differs from the event log"
            stored_cards = {c.id: c.status for c in cards_of(uow.session, toroku_id)}
            assert cards == stored_cards
            projected["cards"] = [(c.card_no, c.status) for c in cards_of(uow.session, toroku_id)]
            projected["events"] = [
                (e.kind, e.effective_date, e.jiyu) for e in events_of(uow.session, toroku_id)
            ]
            return projected

    return read
