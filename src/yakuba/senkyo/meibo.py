"""The roll itself: every 登録, 表示, 表示の消除, 訂正, 投票区の変更 and 抹消 appends one snapshot row.

公職選挙法 第19条 (永久選挙人名簿), 第22条・第26条 (登録・補正登録), 第27条 (表示・訂正), 第28条 (抹消).
Nothing here updates or deletes a ``senkyo_meibo_rireki`` row; ``senkyo_meibo`` follows the latest row.
Each status change records :class:`SenkyoRegistrationChanged` for 住民記録 (住民基本台帳法第7条第11号).

``effective_date`` is the legal date of the change (登録日, 転出日, 死亡日, 抹消日 …), never earlier than the
previous row's, so the roll as of any day is "the last row effective on or before it". The legal date
itself stays in ``reason_date`` / ``hyoji_jusho_date``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.errors import Conflict
from yakuba.kernel.history import in_force, next_number
from yakuba.senkyo.events import SenkyoRegistrationChanged
from yakuba.senkyo.models import Jumin, Meibo, MeiboRireki
from yakuba.senkyo.rules import voting_right
from yakuba.uow import UnitOfWork

REASONS = {
    # 登録
    "teiji": "定時登録",
    "senkyoji": "選挙時登録",
    "hosei": "補正登録",
    # 表示（第27条第1項）
    "tenshutsu": "転出（住所を有しなくなった）",
    "kokugai": "国外転出（住所を有しなくなった）",
    "shokken": "職権消除（住所を有しなくなった）",
    "teishi": "選挙権を有しなくなった",
    "tenshutsu_kakutei": "転出日の確定（転入通知）",
    # 表示の消除（公職選挙法施行令第16条）・取消し
    "shikaku_kaifuku": "登録される資格を有するに至った",
    "teishi_shuryo": "選挙権停止の期間の満了",
    "torikeshi": "住民記録の異動の取消し",
    # 訂正（第27条第2項）・投票区
    "shimei": "氏名の変更",
    "jusho": "住所の変更（転居）",
    "kisai": "記載事項の修正",
    "master": "投票区の変更",
    # 抹消（第28条）
    "shibo": "死亡",
    "kokuseki": "日本の国籍の喪失",
    "tenshutsu_4m": "住所を有しなくなった日後4箇月の経過",
    "ayamari": "登録されるべきでなかった",
    "zaigai_iten": "在外選挙人名簿への登録の移転",
}

STATUS_LABELS = {"toroku": "登録", "hyoji": "表示", "massho": "抹消"}

PERSON_ITEMS = (
    "shi",
    "mei",
    "shi_kana",
    "mei_kana",
    "sex",
    "birth_date",
    "setai_no",
    "choaza_code",
    "choaza_name",
    "banchi",
    "katagaki",
    "postal_code",
)
ENTRY_ITEMS = (
    "status",
    "toroku_date",
    "toroku_basis",
    "hyoji_jusho_reason",
    "hyoji_jusho_date",
    "hyoji_teishi",
    "hyoji_teishi_date",
    "massho_reason",
    "massho_date",
    "tohyoku_code",
    *PERSON_ITEMS,
)
ADDRESS_ITEMS = ("choaza_code", "choaza_name", "banchi", "katagaki", "postal_code")
NAME_ITEMS = ("shi", "mei", "shi_kana", "mei_kana")


def current(session: Session, atena_no: str) -> MeiboRireki | None:
    head = session.get(Meibo, atena_no)
    if head is None:
        return None
    return session.execute(
        select(MeiboRireki).where(
            MeiboRireki.atena_no == atena_no, MeiboRireki.rireki_no == head.current_rireki_no
        )
    ).scalar_one()


def on_roll(entry: MeiboRireki | None) -> bool:
    """Registered (with or without a 表示); not 抹消."""
    return entry is not None and entry.status != "massho"


def history(session: Session, atena_no: str) -> list[MeiboRireki]:
    return list(
        session.execute(
            select(MeiboRireki).where(MeiboRireki.atena_no == atena_no).order_by(MeiboRireki.rireki_no)
        ).scalars()
    )


def entries_as_of(session: Session, on: dt.date, *, include_massho: bool = False) -> list[MeiboRireki]:
    """Each person's entry as it stood on ``on`` (the last row effective on or before it)."""
    query = in_force(MeiboRireki, on=on)
    if not include_massho:
        query = query.where(MeiboRireki.status != "massho")
    return list(session.execute(query).scalars())


def person_items(person: Jumin) -> dict[str, Any]:
    return {name: getattr(person, name) for name in PERSON_ITEMS}


def _status(state: dict[str, Any]) -> str:
    if state.get("massho_reason"):
        return "massho"
    if state.get("hyoji_jusho_date") or state.get("hyoji_teishi"):
        return "hyoji"
    return "toroku"


def _append(
    uow: UnitOfWork,
    atena_no: str,
    state: dict[str, Any],
    *,
    kind: str,
    reason: str,
    legal_date: dt.date,
    shori_date: dt.date,
    previous: MeiboRireki | None,
    run_id: int | None = None,
    kokuji: bool = False,
    note: str | None = None,
) -> MeiboRireki:
    session = uow.session
    state["status"] = _status(state)
    effective = legal_date if previous is None else max(legal_date, previous.effective_date)
    row = MeiboRireki(
        atena_no=atena_no,
        rireki_no=(previous.rireki_no + 1)
        if previous is not None
        else next_number(session, MeiboRireki, atena_no),
        kind=kind,
        reason=reason,
        effective_date=effective,
        reason_date=legal_date,
        shori_date=shori_date,
        run_id=run_id,
        kokuji=kokuji,
        note=note,
        operator=uow.actor.login,
        **{name: state.get(name) for name in ENTRY_ITEMS},
    )
    row.hyoji_teishi = bool(state.get("hyoji_teishi"))
    session.add(row)
    session.flush()
    head = session.get(Meibo, atena_no)
    if head is None:
        session.add(
            Meibo(
                atena_no=atena_no,
                current_rireki_no=row.rireki_no,
                status=row.status,
                tohyoku_code=row.tohyoku_code,
            )
        )
    else:
        head.current_rireki_no = row.rireki_no
        head.status = row.status
        head.tohyoku_code = row.tohyoku_code
    session.flush()
    if kind in ("toroku", "hyoji", "hyoji_shojo", "massho"):
        uow.record(
            SenkyoRegistrationChanged(
                atena_no=atena_no,
                change=kind,
                registered=row.status != "massho",
                status=row.status,
                toroku_date=row.toroku_date,
                effective_date=row.effective_date,
                reason=reason,
                reason_label=REASONS.get(reason, reason),
                meibo_rireki_no=row.rireki_no,
            )
        )
    return row


def _state_of(row: MeiboRireki) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ENTRY_ITEMS}


def _require_on_roll(entry: MeiboRireki | None, atena_no: str) -> MeiboRireki:
    if not on_roll(entry):
        raise Conflict(f"宛名番号 {atena_no} は選挙人名簿に登録されていません")
    assert entry is not None
    return entry


# -- commands (never commit) ----------------------------------------------------------------------


def toroku(
    uow: UnitOfWork,
    person: Jumin,
    *,
    reason: str,
    basis: str,
    toroku_date: dt.date,
    shori_date: dt.date,
    tohyoku_code: str | None,
    run_id: int | None = None,
    kokuji: bool = False,
) -> MeiboRireki:
    """登録 (第22条・第26条). A person 抹消 earlier (e.g. moved away and back) is registered again."""
    previous = current(uow.session, person.atena_no)
    if on_roll(previous):
        raise Conflict(f"宛名番号 {person.atena_no} は既に選挙人名簿に登録されています")
    state: dict[str, Any] = {
        **person_items(person),
        "toroku_date": toroku_date,
        "toroku_basis": basis,
        "tohyoku_code": tohyoku_code,
        "hyoji_teishi": False,
    }
    return _append(
        uow,
        person.atena_no,
        state,
        kind="toroku",
        reason=reason,
        legal_date=toroku_date,
        shori_date=shori_date,
        previous=previous,
        run_id=run_id,
        kokuji=kokuji,
    )


def hyoji_jusho(
    uow: UnitOfWork,
    atena_no: str,
    *,
    lost_on: dt.date,
    reason: str,
    shori_date: dt.date,
    run_id: int | None = None,
) -> MeiboRireki | None:
    """表示 of 住所を有しなくなった旨 with its date (第27条第1項). None when already so marked."""
    entry = _require_on_roll(current(uow.session, atena_no), atena_no)
    if entry.hyoji_jusho_date == lost_on:
        return None
    state = _state_of(entry)
    state.update(hyoji_jusho_reason=reason, hyoji_jusho_date=lost_on)
    kind = "hyoji"
    return _append(
        uow,
        atena_no,
        state,
        kind=kind,
        reason=reason if entry.hyoji_jusho_date is None else "tenshutsu_kakutei",
        legal_date=lost_on,
        shori_date=shori_date,
        previous=entry,
        run_id=run_id,
    )


def hyoji_teishi(
    uow: UnitOfWork, atena_no: str, *, since: dt.date, shori_date: dt.date
) -> MeiboRireki | None:
    """表示 of 選挙権を有しなくなった旨 (第27条第1項)."""
    entry = _require_on_roll(current(uow.session, atena_no), atena_no)
    if entry.hyoji_teishi:
        return None
    state = _state_of(entry)
    state.update(hyoji_teishi=True, hyoji_teishi_date=since)
    return _append(
        uow,
        atena_no,
        state,
        kind="hyoji",
        reason="teishi",
        legal_date=since,
        shori_date=shori_date,
        previous=entry,
    )


def hyoji_shojo(
    uow: UnitOfWork, atena_no: str, *, which: str, reason: str, on: dt.date, shori_date: dt.date
) -> MeiboRireki | None:
    """表示の消除 (公職選挙法施行令第16条) or the undoing of a 表示 whose cause was cancelled."""
    entry = _require_on_roll(current(uow.session, atena_no), atena_no)
    state = _state_of(entry)
    if which == "jusho":
        if entry.hyoji_jusho_date is None:
            return None
        state.update(hyoji_jusho_reason=None, hyoji_jusho_date=None)
    else:
        if not entry.hyoji_teishi:
            return None
        state.update(hyoji_teishi=False, hyoji_teishi_date=None)
    return _append(
        uow,
        atena_no,
        state,
        kind="hyoji_shojo",
        reason=reason,
        legal_date=on,
        shori_date=shori_date,
        previous=entry,
    )


def teisei(
    uow: UnitOfWork,
    person: Jumin,
    *,
    reason: str,
    on: dt.date,
    shori_date: dt.date,
    tohyoku_code: str | None,
    entry: MeiboRireki | None = None,
) -> MeiboRireki | None:
    """訂正 (第27条第2項): the entry takes the person's current 氏名・住所 etc. None when nothing differs.

    ``entry`` is the current entry when the caller has just read it (saves the same two queries again).
    """
    if entry is None or entry.atena_no != person.atena_no:
        entry = current(uow.session, person.atena_no)
    if not on_roll(entry):
        return None
    assert entry is not None
    state = _state_of(entry)
    if entry.hyoji_jusho_date is None:  # a person who left keeps the last address here
        state.update(person_items(person))
        state["tohyoku_code"] = tohyoku_code
    else:
        state.update({k: v for k, v in person_items(person).items() if k not in ADDRESS_ITEMS})
    if all(state[k] == getattr(entry, k) for k in ENTRY_ITEMS):
        return None
    return _append(
        uow,
        person.atena_no,
        state,
        kind="teisei",
        reason=reason,
        legal_date=on,
        shori_date=shori_date,
        previous=entry,
    )


def change_tohyoku(
    uow: UnitOfWork, atena_no: str, *, code: str | None, on: dt.date, shori_date: dt.date
) -> MeiboRireki | None:
    entry = current(uow.session, atena_no)
    if not on_roll(entry) or entry is None or entry.tohyoku_code == code:
        return None
    state = _state_of(entry)
    state["tohyoku_code"] = code
    return _append(
        uow,
        atena_no,
        state,
        kind="tohyoku",
        reason="master",
        legal_date=on,
        shori_date=shori_date,
        previous=entry,
    )


def massho(
    uow: UnitOfWork,
    atena_no: str,
    *,
    reason: str,
    on: dt.date,
    shori_date: dt.date,
    kokuji: bool = False,
    note: str | None = None,
) -> MeiboRireki | None:
    """抹消 (第28条). ``kokuji`` for 第3号 (登録されるべきでなかった), which must be 告示."""
    entry = current(uow.session, atena_no)
    if not on_roll(entry) or entry is None:
        return None
    state = _state_of(entry)
    state.update(massho_reason=reason, massho_date=on)
    return _append(
        uow,
        atena_no,
        state,
        kind="massho",
        reason=reason,
        legal_date=on,
        shori_date=shori_date,
        previous=entry,
        kokuji=kokuji,
        note=note,
    )


def entry_view(row: MeiboRireki) -> dict[str, Any]:
    """An entry for the API and the lists: items with their labels."""
    return {
        "atena_no": row.atena_no,
        "rireki_no": row.rireki_no,
        "kind": row.kind,
        "reason": row.reason,
        "reason_label": REASONS.get(row.reason, row.reason),
        "effective_date": row.effective_date,
        "reason_date": row.reason_date,
        "shori_date": row.shori_date,
        "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "toroku_date": row.toroku_date,
        "toroku_basis": row.toroku_basis,
        "hyoji_jusho_reason": row.hyoji_jusho_reason,
        "hyoji_jusho_date": row.hyoji_jusho_date,
        "hyoji_teishi": row.hyoji_teishi,
        "hyoji_teishi_date": row.hyoji_teishi_date,
        "massho_reason": row.massho_reason,
        "massho_date": row.massho_date,
        "tohyoku_code": row.tohyoku_code,
        "name": f"{row.shi}\u3000{row.mei}" if row.mei else row.shi,
        "kana": "\u3000".join(p for p in (row.shi_kana, row.mei_kana) if p),
        "sex": row.sex,
        "birth_date": row.birth_date,
        "address": f"{row.choaza_name or ''}{row.banchi or ''}"
        + (f"\u3000{row.katagaki}" if row.katagaki else ""),
        "kokuji": row.kokuji,
        "run_id": row.run_id,
        "voting": {
            label: dict(
                zip(
                    ("result", "reason"),
                    voting_right(
                        status=row.status,
                        hyoji_jusho_reason=row.hyoji_jusho_reason,
                        hyoji_teishi=row.hyoji_teishi,
                        level=level,
                    ),
                    strict=True,
                )
            )
            for label, level in (("kuni", "shugiin"), ("todofuken", "todofuken"), ("shichoson", "shichoson"))
        },
    }
