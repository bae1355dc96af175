"""転居 (住民基本台帳法第23条): a move within the municipality, of a whole 世帯 or part of one.

j630: a move to another building on the same 地番 is also a 転居. Moving part of a 世帯 forms a new
世帯 (one of the movers becomes 世帯主) or joins an existing 世帯 at the new address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from yakuba.errors import InputError
from yakuba.juki.base import IdoResult, IdoWriter, address_fields, address_text, full_name, setai_rows
from yakuba.juki.commands._setai import after_members_leave
from yakuba.juki.events import ResidentMoved
from yakuba.juki.models import Rireki
from yakuba.juki.numbering import next_setai_no
from yakuba.juki.schemas import AddressInput, IdoDates
from yakuba.juki.zokugara import validate_zokugara
from yakuba.uow import UnitOfWork


class Tenkyo(BaseModel):
    """転居届."""

    atena_nos: list[str] = Field(min_length=1, description="転居する人の宛名番号（同じ世帯の人）")
    address: AddressInput = Field(description="新しい住所")
    join_setai_no: str | None = Field(default=None, description="転居先で入る世帯の世帯番号")
    new_head: str | None = Field(
        default=None, description="世帯の一部が新しい世帯を作るときの世帯主の宛名番号"
    )
    zokugara: dict[str, str] = Field(default_factory=dict, description="新しい世帯での続柄（宛名番号→続柄）")
    dates: IdoDates


def tenkyo(uow: UnitOfWork, command: Tenkyo, *, today: dt.date) -> IdoResult:
    writer = IdoWriter(uow, "C01", command.dates, today=today)
    session = uow.session
    rows = [writer.current(a) for a in command.atena_nos]
    setai_nos = {r.setai_no for r in rows}
    if len(setai_nos) != 1:
        raise InputError.single("宛名番号", "一度に転居できるのは同じ世帯の人だけです")
    old_setai = rows[0].setai_no
    new_address = command.address.model_dump()
    if all(address_fields(r) == new_address for r in rows):
        raise InputError.single("住所", "今の住所と同じです")
    writer.lock_setai(old_setai)
    members = setai_rows(session, old_setai)
    movers = set(command.atena_nos)
    whole = movers == {m.atena_no for m in members}
    head_name: str | None
    if command.join_setai_no is not None:
        target = setai_rows(session, command.join_setai_no)
        if not target:
            raise InputError.single("世帯番号", f"{command.join_setai_no} の世帯はありません")
        if address_fields(target[0]) != new_address:
            raise InputError.single("住所", "入る世帯の住所と転居先の住所が異なります")
        writer.lock_setai(command.join_setai_no)
        setai_no = command.join_setai_no
        heads = [t for t in target if t.zokugara == "世帯主"]
        head_name = full_name(heads[0]) if heads else None
        order = max(t.sort_order for t in target) + 1
        zokugara = _zokugara_for(command, rows, head=None)
    elif whole:
        setai_no = old_setai
        head_name = None
        order = 0
        zokugara = {}
    else:
        if command.new_head is None or command.new_head not in movers:
            raise InputError.single(
                "世帯主", "世帯の一部が転居して新しい世帯を作るときは、転居する人から世帯主を指定してください"
            )
        setai_no = next_setai_no(session, on=today)
        writer.lock_setai(setai_no)
        head_row = next(r for r in rows if r.atena_no == command.new_head)
        head_name = full_name(head_row)
        order = 1
        zokugara = _zokugara_for(command, rows, head=command.new_head)
    for index, row in enumerate(rows):
        previous = address_text(row)
        changes: dict[str, Any] = {**new_address, "jusho_date": command.dates.ido_date}
        if setai_no != old_setai:
            is_head = zokugara.get(row.atena_no) == "世帯主"
            changes.update(
                setai_no=setai_no,
                zokugara=zokugara[row.atena_no],
                setainushi_name=None if is_head else head_name,
                sort_order=order + index,
            )
        moved = writer.change(row, **changes)
        writer.emit(ResidentMoved, moved, previous_address=previous)
    if setai_no != old_setai:
        after_members_leave(writer, old_setai, movers, on=command.dates.ido_date)
    return writer.finish()


def _zokugara_for(command: Tenkyo, rows: list[Rireki], *, head: str | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for row in rows:
        if row.atena_no == head:
            result[row.atena_no] = "世帯主"
            continue
        given = command.zokugara.get(row.atena_no)
        if not given:
            raise InputError.single("続柄", f"宛名番号 {row.atena_no} の新しい世帯での続柄を入力してください")
        if given == "世帯主":
            raise InputError.single("続柄", "世帯主は1人だけです（世帯主の指定で行います）")
        result[row.atena_no] = validate_zokugara(given)
    return result
