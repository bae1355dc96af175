"""Input shapes of 印鑑登録 commands (Pydantic; the Japanese descriptions feed the OpenAPI document) and
the :class:`Outcome` every command returns to the screen and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from yakuba.inkan.rules import Represents

MAX_IMAGE_BASE64 = 6_000_000


class Shinsei(BaseModel):
    """印鑑登録申請 (at the counter, with the seal stamped and scanned)."""

    atena_no: str = Field(min_length=1, max_length=15, description="宛名番号（登録を受ける人）")
    inei_png_base64: str = Field(
        min_length=1,
        max_length=MAX_IMAGE_BASE64,
        description="印影の画像（PNG 等を base64 で。印影だけを読み取る）",
    )
    dpi: int | None = Field(default=None, ge=1, le=10000, description="読取解像度（dpi）。省略時は画像の記録")
    inbun: str = Field(min_length=1, max_length=50, description="印文（印鑑に彫られた文字。職員が読み取る）")
    represents: Represents = Field(description="印鑑が表す記録上の氏名等の種類")
    name_confirmed: bool = Field(
        default=False, description="印鑑が住民票に記録された氏名等を表していることを職員が確認した"
    )
    mokushi_kakunin: bool = Field(
        default=False,
        description="材質（ゴム印等でない）・氏名以外の事項がない・印影が鮮明・外枠の欠けが限度内・大量生産品でないことを目視で確認した",
    )
    kakunin_hoho: Literal["photo_id", "hoshonin", "shokaisho"] = Field(
        description="本人確認の方法: photo_id 顔写真付き本人確認書類 / hoshonin 保証人 / shokaisho 照会書"
    )
    kakunin_document: str | None = Field(
        default=None, max_length=40, description="本人確認書類の種類（photo_id）"
    )
    hoshonin_card_no: str | None = Field(default=None, max_length=16, description="保証人の印鑑登録証の番号")
    dairinin: bool = Field(default=False, description="代理人による申請（委任の旨を証する書面あり）")
    ishi_noryoku_nashi: bool = Field(default=False, description="意思能力を有しないと認められる")
    seinen_hikokennin: bool = Field(default=False, description="成年被後見人である")
    kokennin_dohan: bool = Field(
        default=False, description="成年後見人が同行している（登記事項証明書で確認）"
    )
    confirm_alerts: bool = Field(default=False, description="アラートを確認済み")


class Kaito(BaseModel):
    """回答書の受理."""

    received_date: dt.date | None = Field(default=None, description="回答書を受けた日（省略時は当日）")
    honnin_ishi: bool = Field(
        default=True, description="回答書により本人の意思に基づく申請であることを確認した"
    )
    confirm_alerts: bool = Field(default=False, description="アラートを確認済み")


class ShimeiKakunin(BaseModel):
    """氏名等の変更後の確認: 登録印鑑がなお記録された氏名等を表すか."""

    still_represents: bool = Field(description="登録印鑑はなお記録された氏名等を表している")
    represents: Represents | None = Field(
        default=None, description="表している氏名等の種類（表している場合）"
    )


class Haishi(BaseModel):
    """印鑑登録廃止申請."""

    card_returned: bool = Field(default=True, description="印鑑登録証を返還した（亡失の場合は false）")
    dairinin: bool = Field(default=False, description="代理人による申請（委任の旨を証する書面あり）")


class Saikofu(BaseModel):
    """印鑑登録証の再交付申請."""

    reason: Literal["kison", "boshitsu"] = Field(
        description="kison 毀損・汚損（旧証を返還）/ boshitsu 亡失（亡失届で登録を抹消しない団体のみ）"
    )


class ShokkenMassho(BaseModel):
    """職権による抹消（登録資格の喪失が判明した等）."""

    reason: str = Field(min_length=1, max_length=400, description="理由")
    end_date: dt.date | None = Field(default=None, description="抹消日（省略時は当日）")


# --------------------------------------------------------------------------------------------- results


@dataclass
class Outcome:
    """What a command did, for the screen and the API."""

    toroku_id: int
    atena_no: str
    status: str
    toroku_no: str | None = None
    card_no: str | None = None
    kaito_deadline: dt.date | None = None
    end_jiyu: str | None = None
    message: str = ""
    alerts: list[str] = field(default_factory=list)
    measurement: dict[str, Any] | None = None
    fee: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
