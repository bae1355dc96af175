"""Classification labels (自治体機密性・完全性・可用性・取扱制限) per data category, kept as dated data.

The 総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」（令和6年10月版）classifies
information assets by confidentiality 3A/3B/3C/2/1, integrity 2/1 and availability 2/1, and attaches
取扱制限 marks (持出禁止, 複製禁止, 暗号化必須 …) to exports and prints (``cross-cutting.md`` §0 item 2,
§1.3). Which category gets which label is the parameter ``security.classification``
(``params/data/classification.yaml``); a municipality changes it in its overlay, not in code.

Export and print paths call :func:`label_for` (or :func:`most_restrictive` for a response mixing
categories) and print :meth:`Label.marking`; API responses pass through :func:`mask_fields` so a field
of a category the caller may not see never leaves the server.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from yakuba.params import ParameterError, ParameterSet, default_parameters

__all__ = [
    "CLASSIFICATION_KEY",
    "MARK_ORDER",
    "ORDER",
    "Classification",
    "Label",
    "classification_from_mapping",
    "confidentiality_rank",
    "label_for",
    "load_classification",
    "mask_fields",
    "most_restrictive",
    "normalize_confidentiality",
]

CLASSIFICATION_KEY = "security.classification"

#: 自治体機密性 classes from least to most restrictive (ガイドライン令和6年10月版の5段階).
ORDER: tuple[str, ...] = ("1", "2", "3C", "3B", "3A")

#: Print order of the usual 取扱制限 marks; marks a municipality adds in its data come after these.
MARK_ORDER: tuple[str, ...] = (
    "持出禁止",
    "複製禁止",
    "暗号化必須",
    "配布禁止",
    "配付禁止",
    "送信禁止",
    "転送禁止",
    "印刷制限",
    "関係者限り",
)

_LEVELS = (1, 2)
_CATEGORY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_CATEGORY_KEYS = {"name", "confidentiality", "integrity", "availability", "handling", "basis"}
_TOP_KEYS = {"handling_marks", "categories"}


def normalize_confidentiality(raw: object) -> str:
    """The canonical class: ``"３ａ"``, ``"機密性3A"``, ``"自治体機密性3A"`` → ``"3A"``; else ValueError."""
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} は機密性の区分（{'/'.join(reversed(ORDER))}）ではありません")
    text = unicodedata.normalize("NFKC", str(raw)).strip().upper()
    for prefix in ("自治体機密性", "機密性"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    if text not in ORDER:
        raise ValueError(f"{raw!r} は機密性の区分（{'/'.join(reversed(ORDER))}）ではありません")
    return text


def confidentiality_rank(raw: object) -> int:
    """Position in :data:`ORDER` (0 = 機密性1 … 4 = 機密性3A); raises ValueError for an unknown class."""
    return ORDER.index(normalize_confidentiality(raw))


def _mark_key(mark: str) -> tuple[int, str]:
    return (MARK_ORDER.index(mark), "") if mark in MARK_ORDER else (len(MARK_ORDER), mark)


@dataclass(frozen=True)
class Label:
    """The classification of one data category (or of a mix, see :func:`most_restrictive`)."""

    category: str
    name: str
    confidentiality: str
    integrity: int
    availability: int
    handling: tuple[str, ...] = ()

    def marking(self) -> str:
        """Short text printed on exports and forms.

        e.g. 「機密性3A・完全性2・可用性2【持出禁止】【暗号化必須】」
        """
        marks = "".join(f"【{m}】" for m in self.handling)
        return f"機密性{self.confidentiality}・完全性{self.integrity}・可用性{self.availability}{marks}"

    def is_at_least(self, confidentiality: object) -> bool:
        """True when this label's confidentiality is ``confidentiality`` or more restrictive."""
        return confidentiality_rank(self.confidentiality) >= confidentiality_rank(confidentiality)


@dataclass(frozen=True)
class Classification:
    """The validated table in force on one date: category → :class:`Label`, and what each mark means."""

    labels: Mapping[str, Label]
    marks: Mapping[str, str]

    def label(self, category: str) -> Label:
        try:
            return self.labels[category]
        except KeyError:
            raise ParameterError(
                f"{CLASSIFICATION_KEY}: データ分類 {category!r} は定義されていません"
                f"（定義済み: {', '.join(sorted(self.labels))}）"
            ) from None

    def categories(self) -> list[str]:
        return sorted(self.labels)


def _level(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or raw not in _LEVELS:
        raise ParameterError(f"{where}: {raw!r} は 1 か 2 でなければなりません")
    return int(raw)


def classification_from_mapping(raw: Any, *, where: str = CLASSIFICATION_KEY) -> Classification:
    """Validate the raw parameter value; every problem is a ParameterError naming the key."""
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{where}: handling_marks と categories を持つ対応表でなければなりません")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ParameterError(f"{where}: 不明な項目 {sorted(map(str, unknown))}")
    raw_marks = raw.get("handling_marks")
    if not isinstance(raw_marks, Mapping) or not raw_marks:
        raise ParameterError(f"{where}.handling_marks: 取扱制限の名前→意味 の対応表が必要です")
    marks: dict[str, str] = {}
    for mark, meaning in raw_marks.items():
        if (
            not isinstance(mark, str)
            or not mark.strip()
            or not isinstance(meaning, str)
            or not meaning.strip()
        ):
            raise ParameterError(f"{where}.handling_marks.{mark}: 名前と意味（文字列）が必要です")
        marks[mark] = meaning
    raw_categories = raw.get("categories")
    if not isinstance(raw_categories, Mapping) or not raw_categories:
        raise ParameterError(f"{where}.categories: データ分類の対応表が必要です")
    labels: dict[str, Label] = {}
    for category, node in raw_categories.items():
        cwhere = f"{where}.categories.{category}"
        if not isinstance(category, str) or not _CATEGORY_RE.match(category):
            raise ParameterError(f"{cwhere}: 分類名は 'juki.resident' のような英小文字のドット区切りにします")
        if not isinstance(node, Mapping):
            raise ParameterError(f"{cwhere}: 対応表でなければなりません")
        extra = set(node) - _CATEGORY_KEYS
        if extra:
            raise ParameterError(f"{cwhere}: 不明な項目 {sorted(map(str, extra))}")
        missing = {"name", "confidentiality", "integrity", "availability", "basis"} - set(node)
        if missing:
            raise ParameterError(f"{cwhere}: {sorted(missing)} がありません")
        name = node["name"]
        if not isinstance(name, str) or not name.strip():
            raise ParameterError(f"{cwhere}.name: 名称（文字列）が必要です")
        if not isinstance(node["basis"], str) or not node["basis"].strip():
            raise ParameterError(f"{cwhere}.basis: 格付けの根拠（文字列）が必要です")
        try:
            confidentiality = normalize_confidentiality(node["confidentiality"])
        except ValueError as exc:
            raise ParameterError(f"{cwhere}.confidentiality: {exc}") from None
        handling_raw = node.get("handling", [])
        if not isinstance(handling_raw, list) or not all(isinstance(m, str) for m in handling_raw):
            raise ParameterError(f"{cwhere}.handling: 取扱制限のリストでなければなりません")
        for mark in handling_raw:
            if mark not in marks:
                raise ParameterError(f"{cwhere}.handling: {mark!r} は handling_marks に定義されていません")
        if len(set(handling_raw)) != len(handling_raw):
            raise ParameterError(f"{cwhere}.handling: 取扱制限が重複しています")
        labels[category] = Label(
            category=category,
            name=name.strip(),
            confidentiality=confidentiality,
            integrity=_level(node["integrity"], f"{cwhere}.integrity"),
            availability=_level(node["availability"], f"{cwhere}.availability"),
            handling=tuple(sorted(handling_raw, key=_mark_key)),
        )
    return Classification(labels=labels, marks=marks)


_CACHE: dict[int, tuple[object, Classification]] = {}


def load_classification(on: dt.date, parameters: ParameterSet | None = None) -> Classification:
    """The classification table in force on ``on`` (shipped data plus the municipal overlay)."""
    raw = (parameters or default_parameters()).get(CLASSIFICATION_KEY, on=on)
    cached = _CACHE.get(id(raw))
    if cached is not None and cached[0] is raw:
        return cached[1]
    table = classification_from_mapping(raw)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[id(raw)] = (raw, table)  # keep ``raw`` alive so its id is not reused
    return table


def label_for(category: str, on: dt.date, parameters: ParameterSet | None = None) -> Label:
    """The label of ``category`` (e.g. ``"juki.mynumber"``) in force on ``on``; ParameterError if unknown."""
    return load_classification(on, parameters).label(category)


def most_restrictive(labels: Iterable[Label]) -> Label:
    """One label for a response that mixes categories: the strictest class of each axis, all marks."""
    items = list(labels)
    if not items:
        raise ValueError("most_restrictive: ラベルが1件もありません")
    categories = list(dict.fromkeys(label.category for label in items))
    names = list(dict.fromkeys(label.name for label in items))
    marks = {mark for label in items for mark in label.handling}
    return Label(
        category="+".join(categories),
        name="・".join(names),
        confidentiality=max((label.confidentiality for label in items), key=confidentiality_rank),
        integrity=max(label.integrity for label in items),
        availability=max(label.availability for label in items),
        handling=tuple(sorted(marks, key=_mark_key)),
    )


def mask_fields(
    data: Mapping[Any, Any],
    field_categories: Mapping[str, str],
    allowed_categories: set[str] | frozenset[str],
    mask: str = "＊＊＊＊",
) -> dict[Any, Any]:
    """A copy of ``data`` where every field whose category the caller may not see is replaced by ``mask``.

    ``field_categories`` maps a field to its data category, either by key name (``"mynumber"``, matched at
    any depth) or by dotted path from the top (``"setai.members.mynumber"``; list positions are not part
    of the path). When both match, the field is hidden if either category is not allowed. A hidden
    field's whole value is replaced — a nested dict or list under it is not walked, and ``None`` or
    ``False`` is masked too (whether a 支援措置 flag or a 個人番号 *exists* is itself sensitive).
    Dicts, lists and tuples are rebuilt, so the input is never mutated and the result shares no container
    with it. Fields with no category are left as they are.
    """
    return _mask_mapping(data, "", field_categories, frozenset(allowed_categories), mask)


def _hidden(key: Any, path: str, field_categories: Mapping[str, str], allowed: frozenset[str]) -> bool:
    if not isinstance(key, str):
        return False
    for probe in (key, path):
        category = field_categories.get(probe)
        if category is not None and category not in allowed:
            return True
    return False


def _mask_mapping(
    data: Mapping[Any, Any],
    prefix: str,
    field_categories: Mapping[str, str],
    allowed: frozenset[str],
    mask: str,
) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if _hidden(key, path, field_categories, allowed):
            out[key] = mask
        else:
            out[key] = _mask_value(value, path, field_categories, allowed, mask)
    return out


def _mask_value(
    value: Any, path: str, field_categories: Mapping[str, str], allowed: frozenset[str], mask: str
) -> Any:
    if isinstance(value, Mapping):
        return _mask_mapping(value, path, field_categories, allowed, mask)
    if isinstance(value, list):
        return [_mask_value(item, path, field_categories, allowed, mask) for item in value]
    if isinstance(value, tuple):
        return tuple(_mask_value(item, path, field_categories, allowed, mask) for item in value)
    return value
