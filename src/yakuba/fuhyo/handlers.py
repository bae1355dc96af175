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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from yakuba import params
from yakuba.events import MessageBus
from yakuba.fuhyo import service
from yakuba.fuhyo.batch import FuhyoBatch, batch_of, items_of, match_person, settle
from yakuba.fuhyo.models import Kisai, Tsuchi
from yakuba.fuhyo.rules import has_honseki, is_local_honseki, key, kokugai_items, resident_items
from yakuba.fuhyo.schemas import FuhyoItems, ZaigaiSenkyo
from yakuba.juki.events import (
    IdoCancelled,
    JukiEvent,
    NameChanged,
    ResidentCorrected,
    ResidentMoved,
    ResidentRegistered,
    ResidentRemoved,
    ResidentSummary,
    TenshutsuFiled,
)
from yakuba.senkyo.events import ZaigaiSenkyoRegistered, ZaigaiSenkyoRemoved
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
_DAY = "fuhyo.day"


@dataclass
class _Day:
    """What every event of a transaction looks up alike: the day, the 事由 names, which 本籍 is local.

    Kept in ``uow.scratch`` so a batch of thousands of events reads the parameters once."""

    today: dt.date
    jiyu_names: dict[str, Any]
    local: dict[str, bool] = field(default_factory=dict)

    def is_local(self, honseki: str | None) -> bool:
        k = honseki or ""
        if k not in self.local:
            self.local[k] = is_local_honseki(honseki, self.today)
        return self.local[k]

    def jiyu(self, event: JukiEvent) -> str:
        entry = self.jiyu_names.get(event.jiyu_code)
        return str(entry["name"]) if entry else event.jiyu_code


def _day(uow: UnitOfWork) -> _Day:
    found = uow.scratch.get(_DAY)
    if isinstance(found, _Day):
        return found
    today = service.today_jst()
    made = _Day(today, dict(params.get("juki.ido_jiyu", on=today)))
    uow.scratch[_DAY] = made
    return made


def _on_file(s: ResidentSummary) -> bool:
    return s.jumin_shubetsu == "1" and has_honseki(s.honseki)


def _upcoming(uow: UnitOfWork) -> list[ResidentSummary]:
    """The residents of the events still queued in this dispatch round (a 世帯, or a bulk batch).

    Read, never changed: it lets the first event load what the others will need in one query each.
    """
    return [e.resident for e in uow.queued if isinstance(e, JukiEvent)]


def _prefetch(
    uow: UnitOfWork, pending: FuhyoBatch, day: _Day, s: ResidentSummary, *, new_residents: bool = False
) -> None:
    """Load, for this resident and every queued one, what the 附票 handlers read — unless already known."""
    local = day.is_local(s.honseki)
    if local and s.hittosha and s.honseki:
        if (key(s.honseki), key(s.hittosha)) in pending.by_key:
            return
    elif local or s.atena_no in pending.sent:
        return
    people = [p for p in [s, *_upcoming(uow)] if _on_file(p)]
    pending.load_sent(
        (p.atena_no for p in people if not day.is_local(p.honseki)), new_residents=new_residents
    )
    pending.load_fuhyo(
        (p.honseki, p.hittosha) for p in people if p.honseki and p.hittosha and day.is_local(p.honseki)
    )


def _previous(pending: FuhyoBatch, s: ResidentSummary, local: bool) -> FuhyoItems | None:
    """What the 本籍地 last knew of this resident: the local entry, or the last notice sent."""
    if local:
        if not s.honseki or not s.hittosha:
            return None
        fuhyo_id = pending.find(s.honseki, s.hittosha)
        if fuhyo_id is None:
            return None
        entry = match_person(pending.entries(fuhyo_id), jumin_code=s.jumin_code, atena_no=s.atena_no)
        return items_of(entry) if entry is not None and not entry.removed else None
    sent = pending.last_sent(s.atena_no)
    if sent is None or key(sent.honseki) != key(s.honseki):
        return None
    return FuhyoItems.model_validate(sent.items)


def derive(s: ResidentSummary, previous: FuhyoItems | None) -> FuhyoItems:
    """The 附票 items a resident's present 住民票 state implies."""
    if s.jumin_jotai == "15":  # 国外転出
        return kokugai_items(s, s.tenshutsu_yotei_date or s.shojo_date)
    if s.jumin_jotai == "02" and previous is not None and previous.kokugai:  # 国外転出届, before the day
        return kokugai_items(s, previous.jusho_date)
    if s.jumin_jotai == "11" and previous is not None:  # 転出: the address stays until the 転入 elsewhere
        return resident_items(
            s, address=previous.address, jusho_date=previous.jusho_date, kokugai=previous.kokugai
        )
    if s.jumin_jotai == "13":  # 職権消除
        return resident_items(s, jusho_shojo_date=s.shojo_date)
    return resident_items(s)


def reflect(
    uow: UnitOfWork,
    event: JukiEvent,
    *,
    kind: str,
    items: FuhyoItems | None = None,
    effective_date: dt.date | None = None,
    force: bool = False,
) -> None:
    """Send the event's 附票 items to where the 附票 is kept (here, or the 本籍地 through the outbox).

    Decided in memory and written at commit (yakuba.fuhyo.batch): no query unless this resident's 附票
    or last notice is not known yet in this transaction."""
    s = event.resident
    if not _on_file(s):
        return
    day = _day(uow)
    today = day.today
    local = day.is_local(s.honseki)
    pending = batch_of(uow)
    _prefetch(uow, pending, day, s, new_residents=isinstance(event, ResidentRegistered))
    if items is None:
        items = derive(s, _previous(pending, s, local))
    jiyu = day.jiyu(event)
    effective = effective_date or event.ido_date
    assert s.honseki is not None
    if not local:
        pending.send(
            honseki=s.honseki,
            hittosha=s.hittosha,
            kind=kind,
            jiyu=jiyu,
            items=items,
            effective_date=effective,
            today=today,
            atena_no=s.atena_no,
            juki_ido_id=event.ido_id,
            force=force,
        )
        return
    if not s.hittosha:
        service.hold(
            uow,
            reason="筆頭者が住民票に記載されていないため附票を特定できません（要確認）",
            kind=kind,
            jiyu=jiyu,
            honseki=s.honseki,
            hittosha=None,
            items=items,
            effective_date=effective,
            today=today,
            atena_no=s.atena_no,
            juki_ido_id=event.ido_id,
        )
        return
    pending.apply(
        channel="juki",
        honseki=s.honseki,
        hittosha=s.hittosha,
        kind=kind,
        jiyu=jiyu,
        items=items,
        effective_date=effective,
        today=today,
        atena_no=s.atena_no,
        juki_ido_id=event.ido_id,
    )


def _remove_local(
    uow: UnitOfWork, event: JukiEvent, reason: str, on: dt.date | None, *, keep: int | None
) -> None:
    """End the resident's entries on local 附票 (except the 附票 ``keep``). Rare: read through the ORM."""
    s = event.resident
    today = service.today_jst()
    settle(uow)
    for entry in service.person_entries(uow.session, atena_no=s.atena_no, jumin_code=s.jumin_code):
        if entry.removed or entry.fuhyo_id == keep:
            continue
        notice_id = service.log_local(
            uow,
            service.get_fuhyo(uow.session, entry.fuhyo_id),
            entry,
            kind="shojo",
            jiyu=reason,
            effective_date=on,
            today=today,
            juki_ido_id=event.ido_id,
        )
        service.remove_entry(
            uow,
            entry,
            reason=reason,
            on=on,
            today=today,
            source="juki",
            juki_ido_id=event.ido_id,
            notice_id=notice_id,
        )


# ------------------------------------------------------------------------------------------ handlers


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
    if not _on_file(s):
        return
    reason = REMOVAL_REASONS.get(s.jumin_jotai) or REMOVAL_REASONS.get(event.shojo_jiyu)
    if reason is not None:
        if _day(uow).is_local(s.honseki):
            _remove_local(uow, event, reason, event.shojo_date, keep=None)
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
        if _on_file(s) and s.honseki and s.hittosha:
            new = batch_of(uow).find(s.honseki, s.hittosha)
        _remove_local(uow, event, "本籍の変更", event.ido_date, keep=new)
        reflect(uow, event, kind="kisai", force=True)
        return
    reflect(uow, event, kind="shusei")


def on_name_changed(event: NameChanged, uow: UnitOfWork) -> None:
    """旧氏 (and 氏名) changes. A 修正 that also emitted ResidentCorrected is not sent twice."""
    reflect(uow, event, kind="shusei")


def on_cancelled(event: IdoCancelled, uow: UnitOfWork) -> None:
    """異動の取消し: put the 附票 back as it was before the cancelled 異動 (local), or tell the 本籍地."""
    s = event.resident
    session = uow.session
    today = service.today_jst()
    settle(uow)  # rare: read through the ORM, so write what is pending first
    touched = session.execute(
        select(Kisai)
        .where(Kisai.juki_ido_id == event.cancelled_ido_id, Kisai.atena_no == s.atena_no)
        .order_by(Kisai.fuhyo_id, Kisai.person_no, Kisai.entry_no)
    ).scalars()
    firsts: dict[tuple[int, int], Kisai] = {}
    for entry in touched:
        firsts.setdefault((entry.fuhyo_id, entry.person_no), entry)
    for (fuhyo_id, person_no), first in firsts.items():
        settle(uow)
        fuhyo = service.get_fuhyo(session, fuhyo_id)
        current = next(e for e in service.current_entries(session, fuhyo_id) if e.person_no == person_no)
        before = session.execute(
            select(Kisai)
            .where(Kisai.fuhyo_id == fuhyo_id, Kisai.person_no == person_no, Kisai.entry_no < first.entry_no)
            .order_by(Kisai.entry_no.desc())
            .limit(1)
        ).scalar_one_or_none()
        notice_id = service.log_local(
            uow,
            fuhyo,
            current,
            kind="torikeshi",
            jiyu="異動の取消し",
            effective_date=event.ido_date,
            today=today,
            juki_ido_id=event.ido_id,
        )
        if before is None:
            service.remove_entry(
                uow,
                current,
                reason="記載の取消し",
                on=event.ido_date,
                today=today,
                source="juki",
                juki_ido_id=event.ido_id,
                notice_id=notice_id,
            )
        else:
            service.append_entry(
                uow,
                fuhyo,
                current,
                kind="torikeshi",
                jiyu="異動の取消し",
                effective_date=event.ido_date,
                source="juki",
                today=today,
                notice_id=notice_id,
                juki_ido_id=event.ido_id,
                **{name: getattr(before, name) for name in service.SNAPSHOT},
            )
    settle(uow)
    sent = list(
        session.execute(
            select(Tsuchi)
            .where(
                Tsuchi.direction == "out",
                Tsuchi.juki_ido_id == event.cancelled_ido_id,
                Tsuchi.atena_no == s.atena_no,
            )
            .order_by(Tsuchi.id)
        ).scalars()
    )
    if not sent:
        return
    first_sent = sent[0]
    prior = service.last_sent(session, s.atena_no, before_id=first_sent.id)
    restore = prior if prior is not None and key(prior.honseki) == key(first_sent.honseki) else None
    batch_of(uow).send(
        honseki=first_sent.honseki or "",
        hittosha=first_sent.hittosha,
        kind="torikeshi",
        jiyu="異動の取消し",
        items=FuhyoItems.model_validate((restore or first_sent).items),
        effective_date=event.ido_date,
        today=today,
        atena_no=s.atena_no,
        juki_ido_id=event.ido_id,
        force=True,
        cancels_kisai=restore is None,
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


def on_zaigai_senkyo(event: ZaigaiSenkyoRegistered | ZaigaiSenkyoRemoved, uow: UnitOfWork) -> None:
    """在外選挙人名簿の登録・抹消 ⇒ the 附票 entry (住民基本台帳法第17条の2; 公職選挙法第30条の6).

    A record without a 筆頭者 cannot be matched to a 附票 automatically: the notice is kept for a clerk.
    """
    registered = isinstance(event, ZaigaiSenkyoRegistered)
    on = event.toroku_date if isinstance(event, ZaigaiSenkyoRegistered) else event.massho_date
    service.mark_zaigai_senkyo(
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
