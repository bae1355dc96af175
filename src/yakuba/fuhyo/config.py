"""Which municipality this installation is, as the 附票 handlers need it (they receive only a uow).

The composition root calls :func:`configure` with the process ``Settings`` once (next to
``register_handlers``); tests call it with their own settings. Without a call, the settings are read
from the environment (``YAKUBA_*``, ``.env``) the first time they are needed — the same source
``bootstrap()`` uses — so a forgotten call still yields this installation's municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

from yakuba.config import Settings


@dataclass(frozen=True)
class Municipality:
    code: str  # 地方公共団体コード (6 digits with check digit)
    name: str  # 市区町村名
    prefecture: str  # 都道府県名

    @property
    def address_prefix(self) -> str:
        """「都道府県名＋市区町村名」: the head of every local address (and of a local 本籍 by default)."""
        return self.name if self.name.startswith(self.prefecture) else f"{self.prefecture}{self.name}"


_current: Municipality | None = None


def configure(settings: Settings) -> Municipality:
    """Set the municipality from the process settings (call once at start-up, and in tests)."""
    global _current
    _current = Municipality(
        code=settings.municipality_code, name=settings.municipality_name, prefecture=settings.prefecture_name
    )
    return _current


def reset() -> None:
    """Forget the configured municipality (tests)."""
    global _current
    _current = None


def municipality() -> Municipality:
    """The configured municipality, or the one the environment describes."""
    return _current if _current is not None else configure(Settings())
