"""Settings for a 年度 with municipal choices overridden the way an installation does it (an overlay)."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from yakuba.params import ParameterSet
from yakuba.params.loader import DATA_DIR, load
from yakuba.zeimu.kojin.public import KojinSettings


@lru_cache(maxsize=64)
def _parameters(municipal: tuple[tuple[str, str], ...]) -> ParameterSet:
    if not municipal:
        return load([DATA_DIR])
    folder = Path(tempfile.mkdtemp(prefix="yakuba-kojin-overlay-"))
    document: dict[str, Any] = {"municipal": {"zeimu": {"kojin": {}}}}
    for key, value_yaml in municipal:
        document["municipal"]["zeimu"]["kojin"][key] = {
            "description": "テスト用の団体設定",
            "reference": "tests/zeimu/kojin",
            "values": [{"from": "2000-01-01", "value": yaml.safe_load(value_yaml)}],
        }
    (folder / "overlay.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return load([DATA_DIR, folder])


def settings(nendo: int, municipal: dict[str, Any] | None = None) -> KojinSettings:
    """``KojinSettings.for_nendo`` with ``municipal.zeimu.kojin.<key>`` overridden by ``municipal``."""
    items = tuple(sorted((key, yaml.safe_dump(value)) for key, value in (municipal or {}).items()))
    return KojinSettings.for_nendo(nendo, _parameters(items))
