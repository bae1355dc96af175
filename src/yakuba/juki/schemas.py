"""Input shapes of 住民記録 commands (Pydantic; Japanese descriptions feed the OpenAPI document)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class PersonInput(BaseModel):
    """住民票 items of one person as entered (or migrated)."""

    shi: str = Field(min_length=1, max_length=100, description="氏（外国人住民で漢字氏名がなければ氏名全体）")
    mei: str = Field(default="", max_length=100, description="名")
    shi_kana: str | None = Field(default=None, max_length=100, description="氏のフリガナ（カタカナ）")
    mei_kana: str | None = Field(default=None, max_length=100, description="名のフリガナ（カタカナ）")
    furigana_shi: str | None = Field(
        default=None, max_length=100, description="氏の振り仮名（戸籍に記載されたもの）"
    )
    furigana_mei: str | None = Field(
        default=None, max_length=100, description="名の振り仮名（戸籍に記載されたもの）"
    )
    name_roman: str | None = Field(
        default=None, max_length=100, description="外国人住民の氏名（アルファベット）"
    )
    kyu_uji: str | None = Field(default=None, max_length=100, description="旧氏")
    kyu_uji_kana: str | None = Field(default=None, max_length=100, description="旧氏のフリガナ")
    tsusho: str | None = Field(default=None, max_length=100, description="通称（外国人住民）")
    tsusho_kana: str | None = Field(default=None, max_length=100, description="通称のフリガナ")
    birth_date: dt.date | None = Field(description="生年月日")
    birth_date_text: str | None = Field(default=None, max_length=72, description="生年月日の不詳表記")
    sex: str = Field(pattern="^[012]$", description="性別 0 不明 / 1 男 / 2 女")
    zokugara: str = Field(max_length=40, description="続柄（世帯主との続柄）")
    honseki: str | None = Field(default=None, max_length=300, description="本籍（「なし」「不明」も可）")
    hittosha: str | None = Field(default=None, max_length=200, description="筆頭者")
    mynumber: str | None = Field(default=None, description="個人番号（12桁）")
    jumin_code: str | None = Field(default=None, pattern=r"^\d{11}$", description="住民票コード（11桁）")
    nationality: str | None = Field(default=None, max_length=100, description="国籍・地域（外国人住民）")
    category_30_45: str | None = Field(default=None, max_length=40, description="法30条の45に規定する区分")
    zairyu_shikaku: str | None = Field(default=None, max_length=60, description="在留資格")
    zairyu_kikan: str | None = Field(default=None, max_length=40, description="在留期間")
    zairyu_expiry: dt.date | None = Field(default=None, description="在留期間の満了の日")
    zairyu_card_no: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}\d{8}[A-Z]{2}$", description="在留カード等の番号"
    )


class AddressInput(BaseModel):
    """住所 (all within this municipality)."""

    jusho_code: str | None = Field(default=None, pattern=r"^\d{11}$", description="住所コード（11桁）")
    choaza_code: str | None = Field(default=None, pattern=r"^\d{7}$", description="町字コード（7桁）")
    choaza_name: str = Field(min_length=1, max_length=120, description="町字")
    banchi: str = Field(min_length=1, max_length=50, description="番地・号")
    katagaki: str | None = Field(default=None, max_length=300, description="方書")
    postal_code: str | None = Field(default=None, pattern=r"^\d{7}$", description="郵便番号（7桁）")

    def text(self) -> str:
        return "".join(
            p for p in (self.choaza_name, self.banchi, f"\u3000{self.katagaki}" if self.katagaki else "") if p
        )


class IdoDates(BaseModel):
    """The dates every 異動 carries (住民記録システム標準仕様書 j200 異動履歴の管理項目)."""

    ido_date: dt.date = Field(description="異動日")
    todoke_date: dt.date | None = Field(default=None, description="届出日（職権のときは省略）")
    moushide_date: dt.date | None = Field(default=None, description="申出日（申出による職権のとき）")
    tsuchi_date: dt.date | None = Field(default=None, description="通知日（戸籍届出・通知による職権のとき）")
    shokken: bool = Field(default=False, description="職権による異動")
    provisional: bool = Field(default=False, description="仮登録（本登録まで証明書・他業務に出さない）")
    note_b: str | None = Field(default=None, max_length=1000, description="留意事項（統合記載欄B）")
    confirm_alerts: bool = Field(default=False, description="アラートを確認済みとして処理を続ける")
    expected_setai_versions: dict[str, int] | None = Field(
        default=None, description="画面を開いたときの世帯の版（同時更新の検出用。世帯番号→版）"
    )
