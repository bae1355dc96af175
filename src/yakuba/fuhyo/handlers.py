"""戸籍の附票 follows 住民記録: each 異動 that changes a 附票 item becomes a 附票記載事項通知 (§19①).

The person's 本籍 decides where it goes (``municipal.fuhyo.local_honseki_prefixes``):

* 本籍 here → reflected on the local 附票 at once, in the same transaction (the 住所地 and the 本籍地 are
  the same office, so the notice needs no transport);
* 本籍 elsewhere → :class:`FuhyoNoticeToHonsekichi` in the outbox for that 本籍地.

Which 異動 notify (docs/decisions/fuhyo-notice-events.md): 記載 (転入・出生・職権記載・帰化 …),
転居, 国外転出 (at the 転出届, with the 転出予定日), 職権消除, a 修正 of a 附票 item, and the 取消し
of any of these. A domestic 転出 does not (the new 住所地 notifies on the 転入). 死亡・失踪・国籍喪失
end the person's entry on a local 附票; for a 本籍 elsewhere the 戸籍 (the 死亡届 etc.) reaches the
本籍地 by its own route. Foreign residents and
persons without a 本籍 have no 附票. A handler never raises for missing data (that would roll back the
住民記録 異動): such a notice is kept as ``hold`` for a clerk.

Each handler only decides which command an event calls (``commands.follow_juki.reflect`` and friends);
the commands are the ones the API calls too, batched per transaction (docs/decisions/handler-batching.md).
"""

from __future__ import annotations

from yakuba.events import MessageBus
from yakuba.fuhyo.commands.batching import batch_of
from yakuba.fuhyo.commands.follow_juki import day_of, on_file, reflect
from yakuba.fuhyo.commands.shojo import remove_local
from yakuba.fuhyo.commands.torikeshi import cancel_ido
from yakuba.fuhyo.commands.zaigai import mark_zaigai_senkyo
from yakuba.fuhyo.rules import kokugai_items, resident_items
from yakuba.fuhyo.schemas import ZaigaiSenkyo
from yakuba.juki.public import (
    IdoCancelled,
    NameChanged,
    ResidentCorrected,
    ResidentMoved,
    ResidentRegistered,
    ResidentRemoved,
    TenshutsuFiled,
)
from yakuba.senkyo.public import ZaigaiSenkyoRegistered, ZaigaiSenkyoRemoved
from yakuba.uow import UnitOfWork

# 附票 items among the names ResidentCorrected lists in ``changed_items``.
FUHYO_ITEMS_IN_JUKI = frozenset(
    {
        "shi",
        "mei",
        "shi_kana",
        "mei_kana",
        "furigana_shi",
        "furigana_mei",
        "kyu_uji",
        "birth_date",
        "sex",
        "jusho_code",
        "choaza_code",
        "choaza_name",
        "banchi",
        "katagaki",
        "jusho_date",
        "jumin_code",
        "honseki",
        "hittosha",
    }
)
REMOVAL_REASONS = {"12": "死亡", "16": "失踪宣告", "B03": "死亡", "B05": "国籍喪失"}


def on_registered(event: ResidentRegistered, uow: UnitOfWork) -> None:
    reflect(uow, event, kind="kisai", items=resident_items(event.resident), force=True)


def on_moved(event: ResidentMoved, uow: UnitOfWork) -> None:
    reflect(uow, event, kind="jusho", items=resident_items(event.resident))


def on_tenshutsu_filed(event: TenshutsuFiled, uow: UnitOfWork) -> None:
    """国外転出届: 「国外転出者である旨」 and the 転出予定日 (§17 第3号・第4号), notified at the 届出."""
    if event.kokugai:
        items = kokugai_items(event.resident, event.yotei_date)
        reflect(uow, event, kind="kokugai", items=items, effective_date=event.yotei_date)


def on_removed(event: ResidentRemoved, uow: UnitOfWork) -> None:
    s = event.resident
    if not on_file(s):
        return
    reason = REMOVAL_REASONS.get(s.jumin_jotai) or REMOVAL_REASONS.get(event.shojo_jiyu)
    if reason is not None:
        if day_of(uow).is_local(s.honseki):
            remove_local(
                uow,
                atena_no=s.atena_no,
                jumin_code=s.jumin_code,
                reason=reason,
                on=event.shojo_date,
                juki_ido_id=event.ido_id,
                keep=None,
            )
        return
    if event.shojo_jiyu == "B02" or s.jumin_jotai == "15":
        reflect(uow, event, kind="kokugai", effective_date=s.tenshutsu_yotei_date or event.shojo_date)
    elif s.jumin_jotai == "13":
        reflect(uow, event, kind="jusho_shojo", effective_date=event.shojo_date)


def on_corrected(event: ResidentCorrected, uow: UnitOfWork) -> None:
    changed = set(event.changed_items)
    if not changed & FUHYO_ITEMS_IN_JUKI:
        return
    s = event.resident
    if changed & {"honseki", "hittosha"}:
        # A new 戸籍 (婚姻, 転籍 …): the person leaves the old local 附票 and is entered on the new one.
        new = None
        if on_file(s) and s.honseki and s.hittosha:
            new = batch_of(uow).find(s.honseki, s.hittosha)
        remove_local(
            uow,
            atena_no=s.atena_no,
            jumin_code=s.jumin_code,
            reason="本籍の変更",
            on=event.ido_date,
            juki_ido_id=event.ido_id,
            keep=new,
        )
        reflect(uow, event, kind="kisai", force=True)
        return
    reflect(uow, event, kind="shusei")


def on_name_changed(event: NameChanged, uow: UnitOfWork) -> None:
    """旧氏 (and 氏名) changes. A 修正 that also emitted ResidentCorrected is not sent twice."""
    reflect(uow, event, kind="shusei")


def on_cancelled(event: IdoCancelled, uow: UnitOfWork) -> None:
    """異動の取消し: put the 附票 back as it was before the cancelled 異動 (local), or tell the 本籍地."""
    cancel_ido(
        uow,
        atena_no=event.resident.atena_no,
        cancelled_ido_id=event.cancelled_ido_id,
        ido_id=event.ido_id,
        on=event.ido_date,
    )


def on_zaigai_senkyo(event: ZaigaiSenkyoRegistered | ZaigaiSenkyoRemoved, uow: UnitOfWork) -> None:
    """在外選挙人名簿の登録・抹消 ⇒ the 附票 entry (住民基本台帳法第17条の2; 公職選挙法第30条の6).

    A record without a 筆頭者 cannot be matched to a 附票 automatically: the notice is kept for a clerk.
    """
    registered = isinstance(event, ZaigaiSenkyoRegistered)
    on = event.toroku_date if isinstance(event, ZaigaiSenkyoRegistered) else event.massho_date
    mark_zaigai_senkyo(
        uow,
        ZaigaiSenkyo(
            honseki=event.honseki,
            hittosha=event.hittosha or "（筆頭者不明）",
            jumin_code=event.jumin_code,
            shi=event.shi,
            mei=event.mei or None,
            birth_date=event.birth_date,
            registered=registered,
            senkyo_municipality=event.municipality_name,
            on=on,
        ),
    )


def register_handlers(bus: MessageBus) -> None:
    """Subscribe to 住民記録's events (bootstrap calls this once per process)."""
    bus.subscribe(ResidentRegistered, on_registered)
    bus.subscribe(ResidentMoved, on_moved)
    bus.subscribe(TenshutsuFiled, on_tenshutsu_filed)
    bus.subscribe(ResidentRemoved, on_removed)
    bus.subscribe(ResidentCorrected, on_corrected)
    bus.subscribe(NameChanged, on_name_changed)
    bus.subscribe(IdoCancelled, on_cancelled)
    bus.subscribe(ZaigaiSenkyoRegistered, on_zaigai_senkyo)
    bus.subscribe(ZaigaiSenkyoRemoved, on_zaigai_senkyo)
