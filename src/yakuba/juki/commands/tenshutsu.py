"""転出 (住民基本台帳法第24条): the 届出, the 除票 on the 転出予定日, and the 転入通知 that confirms it.

j640: the 転出予定日 may be after the 届出日 (the only 異動日 allowed in the future). j50: the record is
removed on the EARLIER of the 転出予定日 and the 転入日 in the 転入通知. j680: 確定 values are kept
beside the 予定 values, never overwriting them. j660: a 転出証明書 is produced (not for 特例転出, §24の2);
a 届出 more than 14 days after the move is treated as 職権 and gets a 転出証明書に準ずる証明書.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import and_, select

from yakuba import params
from yakuba.errors import InputError
from yakuba.juki.base import IdoResult, IdoWriter, address_text, full_name
from yakuba.juki.commands._setai import after_members_leave
from yakuba.juki.events import ResidentRemoved, TenshutsuConfirmed, TenshutsuFiled
from yakuba.juki.models import Jumin, Rireki
from yakuba.juki.schemas import IdoDates
from yakuba.uow import UnitOfWork


class Tenshutsu(BaseModel):
    """転出届."""

    atena_nos: list[str] = Field(min_length=1, description="転出する人の宛名番号（同じ世帯の人）")
    destination: str = Field(
        min_length=1, max_length=400, description="転出先住所（予定）。市区町村名だけでも可"
    )
    destination_postal_code: str | None = Field(
        default=None, pattern=r"^\d{7}$", description="転出先の郵便番号"
    )
    kokugai: bool = Field(default=False, description="国外転出")
    tokurei: bool = Field(
        default=False, description="特例転出（個人番号カード等による。転出証明書を交付しない）"
    )
    dates: IdoDates = Field(description="異動日 = 転出予定日（届出日より後でもよい）")


def tenshutsu(uow: UnitOfWork, command: Tenshutsu, *, today: dt.date) -> IdoResult:
    dates = command.dates
    deadline = params.get("juki.todokede_kikan_days", on=dates.ido_date)
    filed = dates.todoke_date or today
    after_move_late = (filed - dates.ido_date).days > deadline
    if after_move_late:
        # j640/j660: more than 14 days after the move ⇒ 職権記載; 転出証明書に準ずる証明書 instead.
        dates = dates.model_copy(update={"shokken": True})
    jiyu = "B02" if command.kokugai else "B01"
    writer = IdoWriter(
        uow,
        jiyu,
        dates,
        today=today,
        allow_future_ido=True,
        details={"tokurei": command.tokurei, "kokugai": command.kokugai, "late_after_move": after_move_late},
    )
    rows = [writer.current(a) for a in command.atena_nos]
    if len({r.setai_no for r in rows}) != 1:
        raise InputError.single("宛名番号", "一度に転出できるのは同じ世帯の人だけです")
    if any(r.jumin_jotai == "02" for r in rows):
        raise InputError.single("宛名番号", "既に転出届を受けている人が含まれています")
    if command.kokugai and command.tokurei:
        raise InputError.single("特例転出", "国外転出は特例転出の対象外です")
    writer.lock_setai(rows[0].setai_no)
    already_gone = dates.ido_date <= today
    certificate = []
    for row in rows:
        pending = writer.change(
            row,
            effective_date=min(filed, today),
            jumin_jotai="02",
            tenshutsu_yotei_address=command.destination,
            tenshutsu_yotei_date=dates.ido_date,
            extra={**(row.extra or {}), "tenshutsu_kokugai": command.kokugai},
        )
        writer.emit(
            TenshutsuFiled,
            pending,
            yotei_date=dates.ido_date,
            destination=command.destination,
            kokugai=command.kokugai,
        )
        certificate.append(
            {
                "atena_no": row.atena_no,
                "name": full_name(row),
                "birth_date": str(row.birth_date),
                "sex": row.sex,
                "address": address_text(row),
                "destination": command.destination,
                "yotei_date": str(dates.ido_date),
            }
        )
        if already_gone:
            removed = writer.change(
                pending,
                effective_date=dates.ido_date,
                jumin_jotai="15" if command.kokugai else "11",
                shojo_jiyu=jiyu,
                shojo_date=dates.ido_date,
            )
            writer.emit(ResidentRemoved, removed, shojo_jiyu=jiyu, shojo_date=dates.ido_date)
    kind = "tokurei" if command.tokurei else ("junzuru" if after_move_late else "tenshutsu_shomeisho")
    writer.result_documents[kind] = certificate
    if already_gone:
        after_members_leave(writer, rows[0].setai_no, set(command.atena_nos), on=dates.ido_date)
    return writer.finish()


def apply_due_tenshutsu(uow: UnitOfWork, *, today: dt.date) -> list[IdoResult]:
    """Daily: persons whose 転出予定日 has come become 除票 on that date (a 転入通知 may come first)."""
    due = (
        uow.session.execute(
            select(Rireki)
            .join(Jumin, and_(Jumin.atena_no == Rireki.atena_no, Jumin.current_rireki_no == Rireki.rireki_no))
            .where(Jumin.jumin_jotai == "02", Rireki.tenshutsu_yotei_date <= today)
            .order_by(Rireki.setai_no, Rireki.atena_no)
        )
        .scalars()
        .all()
    )
    results = []
    groups: dict[tuple[str, bool], list[Rireki]] = {}
    for row in due:
        kokugai = bool((row.extra or {}).get("tenshutsu_kokugai"))
        groups.setdefault((row.setai_no, kokugai), []).append(row)
    for (setai_no, kokugai), rows in groups.items():
        yotei = max(r.tenshutsu_yotei_date for r in rows if r.tenshutsu_yotei_date)
        jiyu = "B02" if kokugai else "B01"
        writer = IdoWriter(
            uow,
            jiyu,
            IdoDates(ido_date=yotei, shokken=True, confirm_alerts=True, note_b="転出予定日の到来による消除"),
            today=today,
        )
        writer.lock_setai(setai_no)
        for row in rows:
            assert row.tenshutsu_yotei_date is not None
            removed = writer.change(
                row,
                effective_date=row.tenshutsu_yotei_date,
                jumin_jotai="15" if kokugai else "11",
                shojo_jiyu=jiyu,
                shojo_date=row.tenshutsu_yotei_date,
            )
            writer.emit(ResidentRemoved, removed, shojo_jiyu=jiyu, shojo_date=row.tenshutsu_yotei_date)
        after_members_leave(writer, setai_no, {r.atena_no for r in rows}, on=yotei)
        results.append(writer.finish())
    return results


class TennyuTsuchi(BaseModel):
    """転入通知 (法第9条第1項) from the new municipality."""

    atena_no: str = Field(description="宛名番号")
    tennyu_date: dt.date = Field(description="転入日（転出確定日）")
    kakutei_address: str = Field(min_length=1, max_length=400, description="転出先住所（確定）")
    tsuchi_date: dt.date = Field(description="転入通知を受けた日")


def receive_tennyu_tsuchi(uow: UnitOfWork, command: TennyuTsuchi, *, today: dt.date) -> IdoResult:
    writer = IdoWriter(
        uow,
        "C21",
        IdoDates(ido_date=min(command.tennyu_date, today), shokken=True, tsuchi_date=command.tsuchi_date),
        today=today,
    )
    row = writer.current(command.atena_no, active=False)
    if row.jumin_jotai not in ("02", "11"):
        raise InputError.single("宛名番号", "転出届を受けていない人の転入通知です")
    yotei = row.tenshutsu_yotei_date
    assert yotei is not None
    removal_date = min(yotei, command.tennyu_date)  # j50: the earlier of the two
    if row.shojo_date is not None:
        removal_date = min(removal_date, row.shojo_date)
    writer.lock_setai(row.setai_no)
    confirmed = writer.change(
        row,
        effective_date=removal_date,
        jumin_jotai="11",
        shojo_jiyu=row.shojo_jiyu or "B01",
        shojo_date=removal_date,
        tenshutsu_kakutei_address=command.kakutei_address,
        tenshutsu_kakutei_date=command.tennyu_date,
        tennyu_tsuchi_date=command.tsuchi_date,
    )
    writer.emit(
        TenshutsuConfirmed,
        confirmed,
        kakutei_date=command.tennyu_date,
        kakutei_address=command.kakutei_address,
    )
    if row.jumin_jotai == "02":
        writer.emit(ResidentRemoved, confirmed, shojo_jiyu="B01", shojo_date=removal_date)
        after_members_leave(writer, row.setai_no, {row.atena_no}, on=removal_date)
    return writer.finish()
