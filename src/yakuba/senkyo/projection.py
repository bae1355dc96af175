"""選挙's own copy of the 住民記録 items it needs, kept from 住民記録 events only.

Every event is appended to ``senkyo_jumin_log`` and folded into ``senkyo_jumin`` (one row per person). The
projection can be rebuilt from the log at any time (:func:`rebuild`), so it is never the only record.
選挙 never reads 住民記録's tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from yakuba.juki.events import JukiEvent, ResidentSummary
from yakuba.senkyo.models import Jumin, JuminLog
from yakuba.senkyo.rules import PersonFacts

ACTIVE_STATES = frozenset({"01", "02"})  # 住民記録 juki.jumin_jotai: 01 住民 / 02 転出予定

# 住民記録's 消除 事由 (juki.ido_jiyu), as published in ResidentRemoved.shojo_jiyu.
REMOVAL_KIND = {
    "B01": "tenshutsu",  # 国内転出
    "B02": "kokugai",  # 国外転出
    "B03": "shibo",  # 死亡
    "B04": "kika",  # 帰化等による外国人住民票の消除（同じ人の日本人住民票が記載される）
    "B05": "kokuseki",  # 国籍喪失
    "B06": "shokken",  # 職権消除（実態調査・失踪宣告）
    "B09": "torikeshi",  # 記載の取消し
}


def record(session: Session, event: JukiEvent) -> Jumin:
    """Append the event to the log and fold it into the projection."""
    log = JuminLog(
        event_type=event.event_type,
        ido_id=event.ido_id,
        jiyu_code=event.jiyu_code,
        atena_no=event.atena_no,
        ido_date=event.ido_date,
        todoke_date=event.todoke_date,
        payload=event.payload(),
    )
    session.add(log)
    session.flush()
    return apply(session, log)


def apply(session: Session, log: JuminLog) -> Jumin:
    payload: dict[str, Any] = log.payload
    r = ResidentSummary.model_validate(payload["resident"])
    row = session.get(Jumin, r.atena_no)
    if row is None:
        row = Jumin(atena_no=r.atena_no)
        session.add(row)
    row.setai_no = r.setai_no
    row.jumin_shubetsu = r.jumin_shubetsu
    row.jumin_jotai = r.jumin_jotai
    row.shi = r.shi
    row.mei = r.mei or ""
    row.shi_kana = r.shi_kana
    row.mei_kana = r.mei_kana
    row.sex = r.sex
    row.birth_date = r.birth_date
    row.zokugara = r.zokugara
    row.honseki = r.honseki
    row.hittosha = r.hittosha
    row.jumin_code = r.jumin_code
    row.choaza_code = r.choaza_code
    row.choaza_name = r.choaza_name
    row.banchi = r.banchi
    row.katagaki = r.katagaki
    row.postal_code = r.postal_code
    row.jusho_date = r.jusho_date
    # 公職選挙法第21条第1項: 住民票が作成された日（転入は転入届をした日）. The summary carries the 届出日 of
    # the 届出 by which the person became a resident (転入届・出生届); 職権記載 has none, so 住民となった日.
    row.kiroku_start = r.todoke_date or r.jumin_date
    row.tenshutsu_yotei_date = r.tenshutsu_yotei_date
    row.shojo_jiyu = r.shojo_jiyu
    row.shojo_date = r.shojo_date
    if log.event_type == "juki.resident_registered":
        row.tenshutsu_kokugai = False
        row.tenshutsu_destination = None
    elif log.event_type == "juki.tenshutsu_filed":
        row.tenshutsu_kokugai = bool(payload.get("kokugai"))
        row.tenshutsu_destination = payload.get("destination")
    elif log.event_type == "juki.tenshutsu_confirmed":
        row.tenshutsu_destination = payload.get("kakutei_address") or row.tenshutsu_destination
    if r.shojo_jiyu in ("B01", "B02"):
        row.tenshutsu_kokugai = r.shojo_jiyu == "B02"
    row.last_log_id = log.id
    session.flush()
    return row


def rebuild(session: Session) -> int:
    """Throw the projection away and fold the whole log again, in the order it was received."""
    session.execute(delete(Jumin))
    session.flush()
    count = 0
    for log in session.execute(select(JuminLog).order_by(JuminLog.id)).scalars():
        apply(session, log)
        count += 1
    return count


def removal_date(row: Jumin) -> dt.date | None:
    """住所を有しなくなった日: the 消除日, or the 転出予定日 of a pending 転出 (the 転出日 once it comes)."""
    if row.shojo_date is not None:
        return row.shojo_date
    if row.jumin_jotai == "02":
        return row.tenshutsu_yotei_date
    return None


def removal_kind(row: Jumin) -> str | None:
    if row.shojo_jiyu:
        return REMOVAL_KIND.get(row.shojo_jiyu, "other")
    if row.jumin_jotai == "02":
        return "kokugai" if row.tenshutsu_kokugai else "tenshutsu"
    return None


def is_present(row: Jumin, on: dt.date) -> bool:
    """Has a 住所 in the municipality on ``on`` (recorded, and not yet gone)."""
    gone = removal_date(row)
    return row.kiroku_start is not None and row.kiroku_start <= on and (gone is None or gone > on)


def facts(row: Jumin, *, disqualified: bool = False, other_roll: bool = False) -> PersonFacts:
    return PersonFacts(
        atena_no=row.atena_no,
        japanese=row.jumin_shubetsu == "1",
        birth_date=row.birth_date,
        kiroku_start=row.kiroku_start,
        removal_date=removal_date(row),
        removal_kind=removal_kind(row),
        disqualified=disqualified,
        other_roll=other_roll,
    )


def full_name(row: Any) -> str:
    return f"{row.shi}\u3000{row.mei}" if row.mei else str(row.shi)


def kana_name(row: Any) -> str:
    parts = [p for p in (row.shi_kana, row.mei_kana) if p]
    return "\u3000".join(parts)


def address(row: Any) -> str:
    text = f"{row.choaza_name or ''}{row.banchi or ''}"
    return text + (f"\u3000{row.katagaki}" if row.katagaki else "")
