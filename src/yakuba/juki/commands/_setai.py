"""What happens to a 世帯 when members leave it (住民記録システム標準仕様書 第1.0版 j490, j500)."""

from __future__ import annotations

import datetime as dt

from yakuba.juki.base import IdoWriter, full_name, setai_rows
from yakuba.juki.events import SetaiChanged
from yakuba.juki.models import Rireki
from yakuba.juki.schemas import IdoDates


def after_members_leave(writer: IdoWriter, setai_no: str, leaving: set[str], *, on: dt.date) -> None:
    """世帯主 absent: one member left ⇒ that member becomes 世帯主 by 職権 (世帯主変更通知書);
    two or more left ⇒ an alert to do a 世帯主変更 (世帯主変更依頼通知書); none left ⇒ the 世帯 ends.
    """
    members = [m for m in setai_rows(writer.session, setai_no) if m.atena_no not in leaving]
    if not members or any(m.zokugara == "世帯主" for m in members):
        return
    if len(members) == 1:
        remaining = members[0]
        follow = IdoWriter(
            writer.uow,
            "C13",
            IdoDates(
                ido_date=on,
                shokken=True,
                confirm_alerts=True,
                note_b="世帯員が1人となったため職権で世帯主とした",
            ),
            today=writer.today,
        )
        follow.lock_setai(setai_no)
        row = follow.change(remaining, zokugara="世帯主", setainushi_name=None)
        follow.emit(SetaiChanged, row, previous_setai_no=setai_no)
        follow.finish()
        writer.result_documents.setdefault("setainushi_henko_tsuchisho", []).append(
            {
                "setai_no": setai_no,
                "new_head": remaining.atena_no,
                "name": full_name(remaining),
                "date": on.isoformat(),
            }
        )
        return
    writer.alert(
        f"世帯番号 {setai_no} の世帯主が不在になります（残る世帯員 {len(members)} 人）。"
        "世帯主変更の届出を先に受けるか、世帯主変更依頼通知書を送付してください"
    )
    writer.result_documents.setdefault("setainushi_henko_irai", []).append(
        {"setai_no": setai_no, "members": [m.atena_no for m in members]}
    )


def refresh_head_name(writer: IdoWriter, setai_no: str, *, skip: set[str] | None = None) -> list[Rireki]:
    """Every member carries the 世帯主's 氏名 (j840): append a row for members whose copy is stale."""
    members = setai_rows(writer.session, setai_no)
    heads = [m for m in members if m.zokugara == "世帯主"]
    name = full_name(heads[0]) if heads else None
    changed = []
    for member in members:
        if skip and member.atena_no in skip:
            continue
        wanted = None if member.zokugara == "世帯主" else name
        if member.setainushi_name != wanted:
            changed.append(writer.change(member, setainushi_name=wanted))
    return changed
