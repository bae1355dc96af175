"""世帯変更届 (住民基本台帳法第25条): 世帯分離, 世帯合併, 世帯変更, 世帯主変更.

j720: a 世帯変更 that also changes the address is forbidden (it is a 転居). j730: a 世帯主変更 must allow
resetting every member's 続柄.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from yakuba.errors import InputError
from yakuba.juki.base import IdoResult, IdoWriter, address_fields, full_name, setai_rows
from yakuba.juki.commands._setai import after_members_leave
from yakuba.juki.events import SetaiChanged
from yakuba.juki.models import Rireki
from yakuba.juki.numbering import next_setai_no
from yakuba.juki.schemas import IdoDates
from yakuba.juki.zokugara import validate_zokugara
from yakuba.uow import UnitOfWork

JIYU = {"bunri": "C10", "gappei": "C11", "henko": "C12", "nushi_henko": "C13"}


class SetaiHenko(BaseModel):
    """世帯変更届."""

    kind: Literal["bunri", "gappei", "henko", "nushi_henko"] = Field(
        description="bunri 世帯分離 / gappei 世帯合併 / henko 世帯変更（一部の人が他の世帯へ） / "
        "nushi_henko 世帯主変更"
    )
    setai_no: str = Field(description="元の世帯の世帯番号")
    atena_nos: list[str] = Field(
        default_factory=list, description="分離・変更で移る人（合併・世帯主変更では省略）"
    )
    target_setai_no: str | None = Field(default=None, description="合併・変更で入る世帯の世帯番号")
    new_head: str | None = Field(default=None, description="分離でできる世帯・世帯主変更後の世帯主の宛名番号")
    zokugara: dict[str, str] = Field(default_factory=dict, description="変更後の続柄（宛名番号→続柄）")
    address_change: bool = Field(default=False, description="住所も変わる（指定すると受け付けません）")
    dates: IdoDates


def setai_henko(uow: UnitOfWork, command: SetaiHenko, *, today: dt.date) -> IdoResult:
    if command.address_change:
        raise InputError.single(
            "住所", "住所が変わる世帯変更はできません。転居届として処理してください（j720）"
        )
    writer = IdoWriter(uow, JIYU[command.kind], command.dates, today=today, details={"kind": command.kind})
    session = uow.session
    members = setai_rows(session, command.setai_no)
    if not members:
        raise InputError.single("世帯番号", f"{command.setai_no} の世帯はありません")
    writer.lock_setai(command.setai_no)
    member_nos = {m.atena_no for m in members}
    if command.kind == "nushi_henko":
        _nushi_henko(writer, command, members)
        return writer.finish()
    if command.kind == "gappei":
        movers = members
    else:
        unknown = set(command.atena_nos) - member_nos
        if not command.atena_nos or unknown:
            raise InputError.single("宛名番号", f"世帯 {command.setai_no} の世帯員を指定してください")
        movers = [m for m in members if m.atena_no in set(command.atena_nos)]
        if len(movers) == len(members):
            raise InputError.single("宛名番号", "世帯の全員が移るときは世帯合併です")
    if command.kind == "bunri":
        if command.new_head not in {m.atena_no for m in movers}:
            raise InputError.single("世帯主", "分離してできる世帯の世帯主を、移る人の中から指定してください")
        target_no = next_setai_no(session, on=today)
        head_row = next(m for m in movers if m.atena_no == command.new_head)
        head_name: str | None = full_name(head_row)
        order = 1
    else:
        if not command.target_setai_no or command.target_setai_no == command.setai_no:
            raise InputError.single("入る世帯", "入る世帯の世帯番号を指定してください")
        target = setai_rows(session, command.target_setai_no)
        if not target:
            raise InputError.single("入る世帯", f"{command.target_setai_no} の世帯はありません")
        if address_fields(target[0]) != address_fields(members[0]):
            raise InputError.single(
                "住所", "住所の異なる世帯へは移れません。転居届として処理してください（j720）"
            )
        target_no = command.target_setai_no
        heads = [t for t in target if t.zokugara == "世帯主"]
        head_name = full_name(heads[0]) if heads else None
        order = max(t.sort_order for t in target) + 1
    writer.lock_setai(target_no)
    for index, row in enumerate(movers):
        is_head = command.kind == "bunri" and row.atena_no == command.new_head
        zokugara = "世帯主" if is_head else _given(command, row.atena_no)
        changed = writer.change(
            row,
            setai_no=target_no,
            zokugara=zokugara,
            setainushi_name=None if is_head else head_name,
            sort_order=order + index,
        )
        writer.emit(SetaiChanged, changed, previous_setai_no=command.setai_no)
    if command.kind != "gappei":
        after_members_leave(writer, command.setai_no, {m.atena_no for m in movers}, on=command.dates.ido_date)
    return writer.finish()


def _given(command: SetaiHenko, atena_no: str) -> str:
    value = command.zokugara.get(atena_no)
    if not value:
        raise InputError.single("続柄", f"宛名番号 {atena_no} の変更後の続柄を入力してください")
    if value == "世帯主":
        raise InputError.single("続柄", "入る世帯の世帯主にはなれません（世帯主変更で行います）")
    return validate_zokugara(value)


def _nushi_henko(writer: IdoWriter, command: SetaiHenko, members: list[Rireki]) -> None:
    member_nos = {m.atena_no for m in members}
    if command.new_head not in member_nos:
        raise InputError.single("世帯主", "新しい世帯主を世帯員の中から指定してください")
    missing = sorted(member_nos - {command.new_head} - set(command.zokugara))
    if missing:
        raise InputError.single(
            "続柄", f"世帯主変更では全員の続柄を入れ直します（未入力: {', '.join(missing)}）"
        )
    head_row = next(m for m in members if m.atena_no == command.new_head)
    head_name = full_name(head_row)
    for row in members:
        is_head = row.atena_no == command.new_head
        zokugara = "世帯主" if is_head else validate_zokugara(command.zokugara[row.atena_no])
        if zokugara == "世帯主" and not is_head:
            raise InputError.single("続柄", "世帯主は1人だけです")
        changed = writer.change(row, zokugara=zokugara, setainushi_name=None if is_head else head_name)
        writer.emit(SetaiChanged, changed, previous_setai_no=command.setai_no)
