"""Inputs of a 支援措置申出 (申出者, persons added to the request, 加害者) as the API and UI send them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ShienApplicant(BaseModel):
    """申出者の情報（支援措置申出書の記載）。"""

    shi: str | None = Field(default=None, max_length=100, description="氏")
    mei: str | None = Field(default=None, max_length=100, description="名")
    shi_kana: str | None = Field(default=None, max_length=100, description="氏のフリガナ")
    mei_kana: str | None = Field(default=None, max_length=100, description="名のフリガナ")
    birth_date: str | None = Field(default=None, description="生年月日（和暦 S55.5.1 等または西暦）")
    sex: str | None = Field(default=None, pattern="^[012]$", description="性別 0 不明 / 1 男 / 2 女")
    address: str | None = Field(default=None, max_length=400, description="住所")
    prev_addresses: list[str] = Field(default_factory=list, description="前住所等（支援の対象とする住所）")
    honseki: str | None = Field(default=None, max_length=300, description="本籍")
    prev_honseki: list[str] = Field(default_factory=list, description="前本籍等")
    contact: str | None = Field(default=None, max_length=200, description="連絡先（電話番号等）")


class AddedPerson(BaseModel):
    """併せて支援を求める者（申出者と同じ住所の子など）。"""

    atena_no: str | None = Field(default=None, max_length=15, description="宛名番号（当団体の住民の場合）")
    name: str | None = Field(default=None, max_length=200, description="氏名（宛名番号がない場合は必須）")
    relation: str = Field(min_length=1, max_length=40, description="申出者との続柄・関係")


class Kagaisha(BaseModel):
    """加害者の情報。"""

    name: str | None = Field(default=None, max_length=200, description="氏名")
    name_kana: str | None = Field(default=None, max_length=200, description="氏名のフリガナ")
    atena_no: str | None = Field(default=None, max_length=15, description="宛名番号（当団体の住民の場合）")
    birth_date: str | None = Field(default=None, description="生年月日（和暦または西暦）")
    sex: str | None = Field(default=None, pattern="^[012]$", description="性別 0 不明 / 1 男 / 2 女")
    address: str | None = Field(default=None, max_length=400, description="住所")
    note: str | None = Field(default=None, max_length=2000, description="その他（特徴・経緯など）")
