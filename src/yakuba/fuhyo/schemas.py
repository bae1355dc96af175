"""Input and item shapes of 戸籍の附票 (Pydantic; the Japanese descriptions feed the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yakuba.kernel.checkdigit import is_valid_lg_code

NoticeKind = Literal["kisai", "jusho", "kokugai", "shusei", "jusho_shojo", "torikeshi"]
RequesterType = Literal["honnin", "koyo", "daisansha"]


class FuhyoItems(BaseModel):
    """One person's 附票 items (住民基本台帳法第17条 第2号〜第7号) as one 記載 states them."""

    model_config = ConfigDict(frozen=True)

    shi: str = Field(min_length=1, max_length=100, description="氏")
    mei: str = Field(default="", max_length=100, description="名")
    shi_kana: str | None = Field(default=None, max_length=100, description="氏の振り仮名")
    mei_kana: str | None = Field(default=None, max_length=100, description="名の振り仮名")
    kyu_uji: str | None = Field(default=None, max_length=100, description="旧氏")
    birth_date: dt.date | None = Field(default=None, description="出生の年月日（第5号）")
    sex: str | None = Field(
        default=None, pattern="^[012]$", description="男女の別（第6号） 0 不明 / 1 男 / 2 女"
    )
    address: str | None = Field(
        default=None, max_length=400, description="住所（第3号）。国外転出者は空（国外転出者である旨を記載）"
    )
    jusho_date: dt.date | None = Field(
        default=None, description="住所を定めた年月日（第4号）。国外転出者は国外転出届の転出予定日"
    )
    kokugai: bool = Field(default=False, description="国外転出者である旨")
    jusho_shojo_date: dt.date | None = Field(default=None, description="住民票が職権で消除された日")
    jumin_code: str | None = Field(default=None, pattern=r"^\d{11}$", description="住民票コード（第7号）")

    @model_validator(mode="after")
    def _kokugai_has_no_address(self) -> FuhyoItems:
        if self.kokugai and self.address:
            raise ValueError("国外転出者の住所は記載しません（国外転出者である旨を記載します）")
        return self

    @property
    def name(self) -> str:
        return f"{self.shi}\u3000{self.mei}" if self.mei else self.shi


ITEM_LABELS = {
    "shi": "氏",
    "mei": "名",
    "shi_kana": "氏の振り仮名",
    "mei_kana": "名の振り仮名",
    "kyu_uji": "旧氏",
    "birth_date": "出生の年月日",
    "sex": "男女の別",
    "address": "住所",
    "jusho_date": "住所を定めた年月日",
    "kokugai": "国外転出者である旨",
    "jusho_shojo_date": "職権消除",
    "jumin_code": "住民票コード",
}


class InboundNotice(BaseModel):
    """戸籍の附票記載事項通知 from another municipality (住民基本台帳法第19条第1項)."""

    from_lg_code: str = Field(pattern=r"^\d{6}$", description="通知元（住所地）の地方公共団体コード（6桁）")
    from_name: str | None = Field(default=None, max_length=60, description="通知元の団体名")
    kind: NoticeKind = Field(
        description=(
            "異動区分: kisai 記載（転入・出生等） / jusho 住所の変更（転居） / kokugai 国外転出 / "
            "shusei 記載の修正 / jusho_shojo 職権消除 / torikeshi 取消し"
        )
    )
    effective_date: dt.date | None = Field(default=None, description="異動日")
    honseki: str = Field(min_length=1, max_length=300, description="本籍")
    hittosha: str = Field(min_length=1, max_length=200, description="筆頭者")
    items: FuhyoItems = Field(description="記載事項")

    @field_validator("from_lg_code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not is_valid_lg_code(value):
            raise ValueError("検査数字が正しい6桁の地方公共団体コードではありません")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> InboundNotice:
        if self.kind == "kokugai" and not self.items.kokugai:
            raise ValueError("国外転出の通知では「国外転出者である旨」を指定してください")
        if self.kind in ("kisai", "jusho") and not self.items.address and not self.items.kokugai:
            raise ValueError("住所を入力してください")
        return self


class ZaigaiSenkyo(BaseModel):
    """在外選挙人名簿への登録・抹消の通知 (住民基本台帳法第17条の2; 公職選挙法第30条の6)."""

    honseki: str = Field(min_length=1, max_length=300, description="本籍")
    hittosha: str = Field(min_length=1, max_length=200, description="筆頭者")
    jumin_code: str | None = Field(default=None, pattern=r"^\d{11}$", description="住民票コード")
    shi: str = Field(min_length=1, max_length=100, description="氏")
    mei: str | None = Field(default=None, max_length=100, description="名")
    birth_date: dt.date = Field(description="生年月日")
    registered: bool = Field(description="true 登録 / false 抹消")
    senkyo_municipality: str = Field(min_length=1, max_length=60, description="在外選挙人名簿の市町村名")
    on: dt.date = Field(description="登録・抹消の日")


class UtsushiRequest(BaseModel):
    """附票の写しの請求 (住民基本台帳法第20条).

    Without a special request 本籍・筆頭者 and 在外選挙人 are omitted."""

    requester_type: RequesterType = Field(
        default="honnin",
        description=(
            "honnin 本人等（記載された者・配偶者・直系尊属卑属） / koyo 国・地方公共団体 / daisansha 第三者"
        ),
    )
    persons: list[int] | None = Field(default=None, description="記載する人の番号（省略時は全員）")
    include_honseki: bool | None = Field(default=None, description="本籍・筆頭者を記載する（特別の請求）")
    include_zaigai: bool | None = Field(default=None, description="在外選挙人名簿に登録された旨を記載する")
    include_jumin_code: bool | None = Field(
        default=None, description="住民票コードを記載する（本人等の請求）"
    )
    current_only: bool = Field(
        default=False, description="現在の住所だけを記載する（省略時は住所の履歴全部）"
    )
    confirm_alerts: bool = Field(default=False, description="抑止（警告）を確認済みとして交付する")
    preview: bool = Field(default=False, description="見本（認証文・公印なし）")
