"""外国人住民 and nationality: 帰化・国籍取得 (外国人 → 日本人) and 国籍喪失 (日本人 → 外国人).

j910–j970: the new record keeps 宛名番号, 住民票コード, 個人番号, 住所, 生年月日, 性別, 続柄, 住所を定めた
年月日 and 転入前住所; 外国人住民となった年月日 becomes 住民となった年月日. Two 異動 are recorded: the 消除 of
the old record (職権消除(帰化等) B04 / 職権消除(国籍喪失) B05) and the 記載 of the new one (A04 / A05).
在留 changes (在留資格, 期間, カード番号) are a 職権修正 (``shusei``).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from yakuba.errors import InputError
from yakuba.juki.base import IdoResult, IdoWriter
from yakuba.juki.events import NationalityChanged, ResidentRegistered, ResidentRemoved
from yakuba.juki.history import state_of
from yakuba.juki.schemas import IdoDates
from yakuba.kernel.kana import validate_furigana
from yakuba.uow import UnitOfWork


class Kika(BaseModel):
    """帰化・国籍取得 (the 本籍地's 戸籍 notice)."""

    atena_no: str
    shi: str = Field(min_length=1, max_length=100, description="氏（戸籍の氏）")
    mei: str = Field(default="", max_length=100, description="名")
    shi_kana: str | None = Field(default=None, description="氏のフリガナ")
    mei_kana: str | None = Field(default=None, description="名のフリガナ")
    honseki: str = Field(min_length=1, max_length=300, description="本籍")
    hittosha: str = Field(min_length=1, max_length=200, description="筆頭者")
    dates: IdoDates = Field(description="異動日 = 帰化・国籍取得の日")


def kika(uow: UnitOfWork, command: Kika, *, today: dt.date) -> IdoResult:
    dates = command.dates.model_copy(update={"shokken": True})
    out = IdoWriter(uow, "B04", dates, today=today)
    row = out.current(command.atena_no)
    if row.jumin_shubetsu != "2":
        raise InputError.single("住民種別", "外国人住民ではありません")
    for name, value in (("氏のフリガナ", command.shi_kana), ("名のフリガナ", command.mei_kana)):
        if value:
            validate_furigana(value, field=name)
    out.lock_setai(row.setai_no)
    removed = out.change(row, jumin_jotai="13", shojo_jiyu="B04", shojo_date=dates.ido_date)
    out.emit(ResidentRemoved, removed, shojo_jiyu="B04", shojo_date=dates.ido_date)
    out.finish()
    into = IdoWriter(uow, "A04", dates, today=today, details={"from_ido": out.ido.id})
    state = state_of(row)
    state.update(
        jumin_shubetsu="1",
        jumin_jotai="01",
        shi=command.shi,
        mei=command.mei,
        shi_kana=command.shi_kana,
        mei_kana=command.mei_kana,
        honseki=command.honseki,
        hittosha=command.hittosha,
        jumin_date=row.gaikokujin_date or row.jumin_date,
        nationality=None,
        category_30_45=None,
        zairyu_shikaku=None,
        zairyu_kikan=None,
        zairyu_expiry=None,
        zairyu_card_no=None,
        tsusho=None,
        tsusho_kana=None,
        name_roman=None,
        shojo_jiyu=None,
        shojo_date=None,
    )
    added = into.append(row.atena_no, state)
    into.emit(ResidentRegistered, added)
    into.emit(NationalityChanged, added, previous_shubetsu="2")
    return into.finish()


class KokusekiSoshitsu(BaseModel):
    """国籍喪失 (日本人 → 外国人住民): the 法30条の45 items of the new record."""

    atena_no: str
    name_roman: str | None = Field(default=None, max_length=100, description="氏名（アルファベット）")
    nationality: str = Field(min_length=1, max_length=100, description="国籍・地域")
    category_30_45: str = Field(min_length=1, max_length=40, description="法30条の45の区分（経過滞在者など）")
    zairyu_shikaku: str | None = None
    zairyu_kikan: str | None = None
    zairyu_expiry: dt.date | None = None
    zairyu_card_no: str | None = None
    dates: IdoDates


def kokuseki_soshitsu(uow: UnitOfWork, command: KokusekiSoshitsu, *, today: dt.date) -> IdoResult:
    dates = command.dates.model_copy(update={"shokken": True})
    out = IdoWriter(uow, "B05", dates, today=today)
    row = out.current(command.atena_no)
    if row.jumin_shubetsu != "1":
        raise InputError.single("住民種別", "日本人住民ではありません")
    out.lock_setai(row.setai_no)
    removed = out.change(row, jumin_jotai="13", shojo_jiyu="B05", shojo_date=dates.ido_date)
    out.emit(ResidentRemoved, removed, shojo_jiyu="B05", shojo_date=dates.ido_date)
    out.finish()
    into = IdoWriter(uow, "A05", dates, today=today, details={"from_ido": out.ido.id})
    state = state_of(row)
    state.update(
        jumin_shubetsu="2",
        jumin_jotai="01",
        honseki=None,
        hittosha=None,
        shi_kana=None,
        mei_kana=None,
        furigana_shi=None,
        furigana_mei=None,
        name_roman=command.name_roman,
        nationality=command.nationality,
        category_30_45=command.category_30_45,
        zairyu_shikaku=command.zairyu_shikaku,
        zairyu_kikan=command.zairyu_kikan,
        zairyu_expiry=command.zairyu_expiry,
        zairyu_card_no=command.zairyu_card_no,
        gaikokujin_date=dates.ido_date,
        shojo_jiyu=None,
        shojo_date=None,
    )
    added = into.append(row.atena_no, state)
    into.emit(ResidentRegistered, added)
    into.emit(NationalityChanged, added, previous_shubetsu="1")
    return into.finish()
