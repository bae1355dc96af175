"""Events 住民記録 publishes for 印鑑登録, 戸籍の附票, 選挙人名簿, 宛名 and 税 (past tense).

Every event carries the 異動 (事由, dates) and a summary of the person after it — what the other
businesses need to react without reading 住民記録's tables. A 個人番号 is never in an event.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import BaseModel

from yakuba.events import DomainEvent


class ResidentSummary(BaseModel):
    """The items other businesses use, as they stand after the 異動."""

    atena_no: str
    setai_no: str
    jumin_shubetsu: str
    jumin_jotai: str
    shi: str
    mei: str
    shi_kana: str | None = None
    mei_kana: str | None = None
    name_roman: str | None = None
    kyu_uji: str | None = None
    tsusho: str | None = None
    birth_date: dt.date | None = None
    sex: str
    zokugara: str
    honseki: str | None = None
    hittosha: str | None = None
    jusho_code: str | None = None
    choaza_code: str | None = None
    choaza_name: str | None = None
    banchi: str | None = None
    katagaki: str | None = None
    postal_code: str | None = None
    jusho_date: dt.date | None = None
    jumin_date: dt.date | None = None
    todoke_date: dt.date | None = None
    jumin_code: str | None = None
    nationality: str | None = None
    tenshutsu_yotei_date: dt.date | None = None
    tenshutsu_yotei_address: str | None = None
    shojo_date: dt.date | None = None
    shojo_jiyu: str | None = None


class JukiEvent(DomainEvent):
    business: ClassVar[str] = "juki"
    ido_id: int
    jiyu_code: str
    atena_no: str
    setai_no: str
    ido_date: dt.date | None
    todoke_date: dt.date | None
    resident: ResidentSummary


class ResidentRegistered(JukiEvent):
    """記載: 転入, 出生, 職権記載, 帰化・国籍取得, 再転入 (same 宛名番号)."""

    event_type: ClassVar[str] = "juki.resident_registered"
    returning: bool = False


class ResidentMoved(JukiEvent):
    """転居: the address changed within the municipality."""

    event_type: ClassVar[str] = "juki.resident_moved"
    previous_address: str


class TenshutsuFiled(JukiEvent):
    """転出届 accepted: the person leaves on the 転出予定日 (still a resident until then)."""

    event_type: ClassVar[str] = "juki.tenshutsu_filed"
    yotei_date: dt.date
    destination: str
    kokugai: bool


class ResidentRemoved(JukiEvent):
    """消除: 転出 (確定 or 予定日到来), 死亡, 職権消除, 国籍の変更 — the record became a 除票."""

    event_type: ClassVar[str] = "juki.resident_removed"
    shojo_jiyu: str
    shojo_date: dt.date | None


class TenshutsuConfirmed(JukiEvent):
    """転入通知 received: the 確定 転出日 and address, kept beside the 予定 values."""

    event_type: ClassVar[str] = "juki.tenshutsu_confirmed"
    kakutei_date: dt.date
    kakutei_address: str


class NameChanged(JukiEvent):
    """氏名 (or 旧氏 / 通称) changed: 印鑑登録 must check the seal still represents the name."""

    event_type: ClassVar[str] = "juki.name_changed"
    previous_shi: str
    previous_mei: str


class SetaiChanged(JukiEvent):
    """世帯分離・合併・変更・世帯主変更: 世帯番号, 世帯主 or 続柄 changed."""

    event_type: ClassVar[str] = "juki.setai_changed"
    previous_setai_no: str


class ResidentCorrected(JukiEvent):
    """修正 (職権修正, 軽微な修正, 誤記修正, 番号の変更 …): which items changed."""

    event_type: ClassVar[str] = "juki.resident_corrected"
    changed_items: list[str]


class NationalityChanged(JukiEvent):
    """帰化・国籍取得 (外国人 → 日本人) or 国籍喪失 (日本人 → 外国人): same 宛名番号, new 住民種別."""

    event_type: ClassVar[str] = "juki.nationality_changed"
    previous_shubetsu: str


class IdoCancelled(JukiEvent):
    """異動の取消し: the person's state was restored to what it was before the cancelled 異動."""

    event_type: ClassVar[str] = "juki.ido_cancelled"
    cancelled_ido_id: int


EVENT_TYPES: dict[str, type[JukiEvent]] = {
    cls.event_type: cls
    for cls in (
        ResidentRegistered,
        ResidentMoved,
        TenshutsuFiled,
        ResidentRemoved,
        TenshutsuConfirmed,
        NameChanged,
        SetaiChanged,
        ResidentCorrected,
        NationalityChanged,
        IdoCancelled,
    )
}
