"""Shared pieces of the layouts: the document handed to them and the label/value grid they draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yakuba.forms import MARGIN, Pen
from yakuba.juki.public import Rireki
from yakuba.shomei.items import Item, PersonView

LABEL_W = 78.0


@dataclass
class Document:
    """What a layout draws: the persons' printable items (in print order) and kind-specific extras."""

    kind: str
    title: str
    persons: list[PersonView]
    rows: list[Rireki] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    """One grid row: a wide item, or one or two narrow ones. ``height`` overrides the grid's row height."""

    items: list[Item]
    wide: bool = False
    height: float | None = None


def pack(items: list[Item], wide: set[str] | None = None) -> list[Row]:
    """Rows of one wide item or two narrow ones, in print order. ``wide`` overrides the items' own flag."""
    rows: list[Row] = []
    pending: Item | None = None
    for item in items:
        is_wide = item.label in wide if wide is not None else item.wide
        if is_wide:
            if pending is not None:
                rows.append(Row([pending]))
                pending = None
            rows.append(Row([item], wide=True))
        elif pending is None:
            pending = item
        else:
            rows.append(Row([pending, item]))
            pending = None
    if pending is not None:
        rows.append(Row([pending]))
    return rows


def rows_height(rows: list[Row], row_h: float) -> float:
    return sum(r.height or row_h for r in rows)


def draw_rows(
    pen: Pen,
    rows: list[Row],
    *,
    x: float,
    top: float,
    width: float,
    row_h: float,
    size: float = 9,
    label_w: float = LABEL_W,
) -> float:
    """Draw the grid from ``top`` down; returns the y of its bottom edge."""
    y = top
    half = width / 2
    for row in rows:
        h = row.height or row_h
        y -= h
        if row.wide:
            _cell(pen, row.items[0], x, y, width, h, size, label_w)
            continue
        for col, item in enumerate(row.items):
            _cell(pen, item, x + col * half, y, half, h, size, label_w)
        if len(row.items) == 1:
            pen.box(x + half, y, half, h)
    return y


def _cell(pen: Pen, item: Item, x: float, y: float, w: float, h: float, size: float, label_w: float) -> None:
    pen.label_cell(x, y, label_w, h, item.label)
    pen.box(x + label_w, y, w - label_w, h)
    pen.fit(x + label_w, y, w - label_w, h, item.value, field=item.label, size=size)


def history_text(person: PersonView) -> str:
    return "\n".join(person.history)


def header_rows(person: PersonView) -> list[Row]:
    """住所・方書・世帯主 at the head of a 世帯 sheet."""
    return [
        Row([Item("住所", person.address)], wide=True),
        Row([Item("方書", person.katagaki)], wide=True),
        Row([Item("世帯主", person.setainushi)], wide=True),
    ]


def continued(pen: Pen, y: float, text: str) -> None:
    pen.text(MARGIN + 2, y, text, 8)
