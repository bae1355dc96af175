"""Loading and validating dated parameter files.

File format (one or more top-level namespaces per file)::

    juki:
      todokede_kikan_days:
        description: 届出期間（日）
        reference: 住民基本台帳法第22条〜第25条
        values:
          - from: 1967-11-10
            value: 14
          - from: 2030-04-01      # a later 制度改正 is appended, never overwritten
            until: 2040-03-31     # optional last day of validity
            value: 10

A node is a *leaf* when it has ``values``; everything else is a namespace. Values are checked on
load: every ``from`` is a date, periods are in order and do not overlap, so an error names the file
and the key instead of surfacing as a wrong number in a tax bill years later.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
_LEAF_KEYS = {"description", "reference", "values", "unit"}


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so an impossible date is reported with its file and key."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ParameterError(Exception):
    """A parameter file is malformed, or a value was asked for that does not exist on that date."""


class NotInForce(ParameterError):
    """No value of ``key`` is in force on ``on``: the date lies outside what the law-as-data covers.

    Reached from a request it is the caller's date that is out of range (a 異動日 in the year 69, a
    基準日 in year 1), so the API answers 422 naming the date rather than 500 (issue 24).
    """

    def __init__(self, key: str, source_file: str, on: dt.date) -> None:
        super().__init__(f"パラメータ {key}（{source_file}）に {on.isoformat()} 時点の値がありません")
        self.key = key
        self.on = on


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    until: dt.date | None
    value: Any

    def covers(self, on: dt.date) -> bool:
        return self.start <= on and (self.until is None or on <= self.until)


@dataclass(frozen=True)
class Parameter:
    key: str
    description: str
    reference: str
    source_file: str
    values: tuple[DatedValue, ...]

    def at(self, on: dt.date) -> Any:
        # A value without ``until`` holds until the next value starts; only the latest one is open-ended.
        for item in reversed(self.values):
            if item.start <= on:
                if item.covers(on):
                    return item.value
                break
        raise NotInForce(self.key, self.source_file, on)


class ParameterSet:
    """All parameters of one installation: the shipped defaults plus an optional municipal overlay."""

    def __init__(self, parameters: dict[str, Parameter]) -> None:
        self._parameters = parameters

    def get(self, key: str, *, on: dt.date) -> Any:
        return self.parameter(key).at(on)

    def in_force(self, key: str, *, on: dt.date) -> Any | None:
        """The value on ``on``, or None when the rule did not exist yet (before the law came into force)."""
        parameter = self.parameter(key)
        try:
            return parameter.at(on)
        except ParameterError:
            return None

    def parameter(self, key: str) -> Parameter:
        try:
            return self._parameters[key]
        except KeyError:
            raise ParameterError(f"パラメータ {key} は定義されていません") from None

    def keys(self) -> list[str]:
        return sorted(self._parameters)


def as_date(raw: Any, where: str) -> dt.date:
    """A date written in parameter data (YAML text or a date); ParameterError naming ``where`` otherwise."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterError(f"{where}: {raw!r} は日付（YYYY-MM-DD）ではありません")


def _parse_leaf(key: str, node: dict[str, Any], source: str) -> Parameter:
    where = f"{source}: {key}"
    unknown = set(node) - _LEAF_KEYS
    if unknown:
        raise ParameterError(f"{where}: 不明な項目 {sorted(unknown)}")
    raw_values = node.get("values")
    if not isinstance(raw_values, list) or not raw_values:
        raise ParameterError(f"{where}: values は1件以上のリストでなければなりません")
    values: list[DatedValue] = []
    for i, item in enumerate(raw_values):
        item_where = f"{where}.values[{i}]"
        if not isinstance(item, dict) or "from" not in item or "value" not in item:
            raise ParameterError(f"{item_where}: from と value が必要です")
        extra = set(item) - {"from", "until", "value", "note"}
        if extra:
            raise ParameterError(f"{item_where}: 不明な項目 {sorted(extra)}")
        start = as_date(item["from"], f"{item_where}.from")
        until = as_date(item["until"], f"{item_where}.until") if item.get("until") is not None else None
        if until is not None and until < start:
            raise ParameterError(f"{item_where}: until {until} が from {start} より前です")
        if values:
            prev = values[-1]
            if start <= prev.start:
                raise ParameterError(f"{item_where}: from は前の値より後の日付でなければなりません")
            if prev.until is not None and start <= prev.until:
                raise ParameterError(f"{item_where}: 前の値の期間（〜{prev.until}）と重なっています")
        values.append(DatedValue(start, until, item["value"]))
    return Parameter(
        key=key,
        description=str(node.get("description", "")),
        reference=str(node.get("reference", "")),
        source_file=source,
        values=tuple(values),
    )


def _walk(prefix: str, node: Any, source: str, out: dict[str, Parameter]) -> None:
    if not isinstance(node, dict):
        raise ParameterError(
            f"{source}: {prefix or '(top)'} は名前空間か values を持つ項目でなければなりません"
        )
    if "values" in node:
        out[prefix] = _parse_leaf(prefix, node, source)
        return
    for name, child in node.items():
        if not isinstance(name, str) or not name.replace("_", "").isalnum():
            raise ParameterError(f"{source}: {prefix}: キー {name!r} は英数字と _ でなければなりません")
        _walk(f"{prefix}.{name}" if prefix else name, child, source, out)


def _load_file(path: Path) -> dict[str, Parameter]:
    source = path.name
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{source}: YAML として読めません: {exc}") from exc
    out: dict[str, Parameter] = {}
    if document is None:
        return out
    _walk("", document, source, out)
    return out


def load(directories: Iterable[Path]) -> ParameterSet:
    """Load the YAML files of each folder in turn; a later folder (a municipal overlay) overrides keys."""
    merged: dict[str, Parameter] = {}
    for directory in directories:
        seen_here: dict[str, str] = {}
        for path in sorted(directory.glob("*.yaml")):
            for key, parameter in _load_file(path).items():
                if key in seen_here:
                    raise ParameterError(f"{path.name}: {key} は {seen_here[key]} でも定義されています")
                seen_here[key] = path.name
                merged[key] = parameter
    return ParameterSet(merged)


@lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    """The shipped parameters plus the overlay named by ``YAKUBA_PARAMS_OVERLAY`` (read once per process)."""
    folders = [DATA_DIR]
    overlay = os.environ.get("YAKUBA_PARAMS_OVERLAY")
    if overlay:
        folders.append(Path(overlay))
    return load(folders)


def get(key: str, *, on: dt.date) -> Any:
    """The value of ``key`` in force on ``on``."""
    return default_parameters().get(key, on=on)


def in_force(key: str, *, on: dt.date) -> Any | None:
    """The value of ``key`` on ``on``, or None when no value was in force then."""
    return default_parameters().in_force(key, on=on)
