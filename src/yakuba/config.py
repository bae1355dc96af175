"""Settings from the environment (prefix ``YAKUBA_``), read once per process by the composition root.

Nothing here is read at import time by other modules: the app factory and the CLI build a
``Settings`` and hand it down, so tests can run several configurations side by side.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from yakuba.kernel.checkdigit import is_valid_lg_code


class MunicipalityType(str, Enum):
    """地方公共団体の種類: some standard functions are mandatory only for 指定都市."""

    SHITEI_TOSHI = "指定都市"
    IPPAN_SHIKU = "一般市区"
    CHOSON = "町村"


class Settings(BaseSettings):
    """Process settings. Secrets (keys) are never here: they live in files under ``key_dir``."""

    model_config = SettingsConfigDict(env_prefix="YAKUBA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="生成データ・鍵の置き場所（git 管理外）")
    database_url: str = Field(default="", description="SQLAlchemy URL; 空なら data_dir/yakuba.db の SQLite")
    municipality_code: str = Field(default="131016", description="地方公共団体コード（検査数字付き6桁）")
    municipality_name: str = Field(default="やくば町")
    municipality_type: MunicipalityType = MunicipalityType.CHOSON
    prefecture_name: str = Field(default="東京都")
    cookie_secure: bool = Field(
        default=True, description="Cookie に Secure 属性を付ける（localhost でも有効）"
    )
    clock_start: dt.datetime | None = Field(
        default=None,
        description="リハーサル環境用: 時計をこの時刻から進める（本番では設定しない）",
    )
    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("municipality_code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not is_valid_lg_code(value):
            raise ValueError(f"地方公共団体コード: {value!r} は検査数字が正しい6桁のコードではありません")
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'yakuba.db').as_posix()}"

    @property
    def key_dir(self) -> Path:
        return self.data_dir / "keys"
