"""記載: 転入 (国内 / 国外 / 法30条の46), 出生, 職権記載 — new records, in a new 世帯 or joining one.

住民基本台帳法第22条 (転入届 within 14 days), 第30条の46; 住民記録システム標準仕様書 第1.0版 j560–j620
(転入), j590 (住民となった年月日 = 住所を定めた年月日 = 異動日), j600 (再転入), j800 (住所設定).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from yakuba.errors import InputError
from yakuba.juki.base import IdoResult, IdoWriter, address_fields, full_name, setai_rows
from yakuba.juki.commands._persons import find_returning, label, person_state
from yakuba.juki.events import ResidentRegistered
from yakuba.juki.numbering import next_atena_no, next_setai_no
from yakuba.juki.schemas import AddressInput, IdoDates, PersonInput
from yakuba.uow import UnitOfWork

TENNYU_JIYU = {"kokunai": "A01", "kokugai": "A02", "30jo46": "A02", "shussei": "A03", "shokken": "A06"}


class Tennyu(BaseModel):
    """転入届 (or 出生・職権記載): persons who become residents, in a new 世帯 or joining one."""

    kind: Literal["kokunai", "kokugai", "30jo46", "shussei", "shokken"] = Field(
        description="kokunai 国内転入 / kokugai 国外転入 / 30jo46 法30条の46 / shussei 出生 / "
        "shokken 職権記載（住所設定）"
    )
    persons: list[PersonInput] = Field(min_length=1, description="記載する人（届出の順）")
    address: AddressInput | None = Field(
        default=None, description="新しい世帯の住所（既存の世帯に入るときは省略）"
    )
    join_setai_no: str | None = Field(
        default=None, description="入る世帯の世帯番号（新しい世帯を作るときは省略）"
    )
    prev_address: str | None = Field(default=None, max_length=400, description="転入前住所（国外・不明も可）")
    prev_postal_code: str | None = Field(default=None, pattern=r"^\d{7}$", description="転入前住所の郵便番号")
    tokurei: bool = Field(default=False, description="特例転入（転出証明書情報による）")
    dates: IdoDates


def tennyu(uow: UnitOfWork, command: Tennyu, *, today: dt.date) -> IdoResult:
    jiyu = TENNYU_JIYU[command.kind]
    writer = IdoWriter(
        uow, jiyu, command.dates, today=today, details={"kind": command.kind, "tokurei": command.tokurei}
    )
    session = uow.session
    if command.kind in ("kokunai",) and not command.prev_address:
        raise InputError.single("転入前住所", "国内転入では転入前住所を入力してください")
    if (command.address is None) == (command.join_setai_no is None):
        raise InputError.single(
            "住所", "新しい世帯の住所か、入る世帯の世帯番号のどちらか一方を指定してください"
        )
    total = len(command.persons)
    heads = [p for p in command.persons if p.zokugara == "世帯主"]
    if command.join_setai_no is not None:
        members = setai_rows(session, command.join_setai_no)
        if not members:
            raise InputError.single("世帯番号", f"{command.join_setai_no} の世帯はありません")
        if heads:
            raise InputError.single(
                "続柄", "既存の世帯に入る人を世帯主にはできません（世帯主変更で行います）"
            )
        setai_no = command.join_setai_no
        address: dict[str, Any] = address_fields(members[0])
        head_rows = [m for m in members if m.zokugara == "世帯主"]
        head_name = full_name(head_rows[0]) if head_rows else None
        next_order = max((m.sort_order for m in members), default=0) + 1
    else:
        assert command.address is not None
        if len(heads) != 1:
            raise InputError.single("続柄", "新しい世帯には世帯主がちょうど1人必要です")
        setai_no = next_setai_no(session, on=today)
        address = command.address.model_dump()
        head = heads[0]
        head_name = f"{head.shi}\u3000{head.mei}" if head.mei else head.shi
        next_order = 1
    writer.lock_setai(setai_no)
    for index, person in enumerate(command.persons):
        where = label(index, total)
        state = person_state(uow.field_cipher, person, where=where)
        returning_no, alerts = find_returning(session, state, where=where)
        for text in alerts:
            writer.alert(text)
        is_birth = command.kind == "shussei" or (
            person.birth_date == command.dates.ido_date and command.prev_address is None
        )
        state.update(
            setai_no=setai_no,
            jumin_jotai="01",
            setainushi_name=None if person.zokugara == "世帯主" else head_name,
            jumin_date=command.dates.ido_date,
            jusho_date=command.dates.ido_date,
            todoke_date=command.dates.todoke_date or command.dates.ido_date,
            prev_address=None if is_birth else command.prev_address,
            prev_postal_code=None if is_birth else command.prev_postal_code,
            sort_order=next_order + index,
            gaikokujin_date=command.dates.ido_date if person.nationality else None,
            **address,
        )
        atena_no = returning_no or next_atena_no(session, on=today)
        row = writer.append(atena_no, state)
        writer.emit(ResidentRegistered, row, returning=returning_no is not None)
    return writer.finish()


def shussei(
    uow: UnitOfWork,
    *,
    person: PersonInput,
    setai_no: str | None,
    address: AddressInput | None,
    dates: IdoDates,
    today: dt.date,
) -> IdoResult:
    """出生届 (戸籍法第49条, 14日以内): the child joins a 世帯 (usually a parent's) or heads a new one."""
    if person.birth_date is None or person.birth_date != dates.ido_date:
        raise InputError.single("異動日", "出生の異動日は生年月日と同じ日です")
    return tennyu(
        uow,
        Tennyu(kind="shussei", persons=[person], address=address, join_setai_no=setai_no, dates=dates),
        today=today,
    )
