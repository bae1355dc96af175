"""Setting, releasing and 一時解除 of 抑止; applying, extending and ending 支援措置. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound
from yakuba.juki.models import Jumin, Setai
from yakuba.juki.yokushi.caches import _successors
from yakuba.juki.yokushi.events import ShienChanged, YokushiChanged
from yakuba.juki.yokushi.inputs import AddedPerson, Kagaisha, ShienApplicant
from yakuba.juki.yokushi.rules import (
    DEFAULT_SHIEN_PROCESSES,
    LEVELS,
    PROCESSES,
    SHIEN_KINDS,
    SHIEN_PROCESSES,
    TARGET_KINDS,
    _choice,
    _jst_date,
    _temporarily_released,
    _utc,
    extension_opens,
    period_end,
    subjects_of,
)
from yakuba.juki.yokushi_models import ShienSochi, Yokushi
from yakuba.kernel.clock import JST
from yakuba.kernel.wareki import format_wareki, parse_date
from yakuba.uow import UnitOfWork


def _get_yokushi(session: Session, yokushi_id: int) -> Yokushi:
    row = session.get(Yokushi, yokushi_id)
    if row is None:
        raise NotFound(f"抑止 {yokushi_id} は見つかりません")
    return row


def set_yokushi(
    uow: UnitOfWork,
    *,
    target_kind: str,
    target_no: str,
    process: str,
    level: str,
    reason: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Yokushi:
    """Set one 抑止. ``end_date`` is recorded for information only: the 抑止 stays until released."""
    session = uow.session
    _choice(target_kind, TARGET_KINDS, "抑止の対象")
    _choice(process, PROCESSES, "抑止する業務")
    _choice(level, LEVELS, "抑止のレベル")
    if not reason or not reason.strip():
        raise InputError.single("抑止の理由", "入力してください")
    if end_date is not None and end_date < start_date:
        raise InputError.single("終了日", "開始日より前の日付は指定できません")
    if target_kind == "person" and session.get(Jumin, target_no) is None:
        raise NotFound(f"宛名番号 {target_no} の住民は見つかりません")
    if target_kind == "setai" and session.get(Setai, target_no) is None:
        raise NotFound(f"世帯番号 {target_no} の世帯は見つかりません")
    row = Yokushi(
        target_kind=target_kind,
        target_no=target_no,
        process=process,
        level=level,
        reason=reason.strip(),
        start_date=start_date,
        end_date=end_date,
        temp_release_log=[],
        created_at=_utc(now),
        created_by=uow.actor.login,
    )
    session.add(row)
    session.flush()
    uow.record(_yokushi_event(row, "set"))
    return row


def _yokushi_event(row: Yokushi, action: str) -> YokushiChanged:
    return YokushiChanged(
        yokushi_id=row.id,
        action=action,
        target_kind=row.target_kind,
        target_no=row.target_no,
        process=row.process,
        level=row.level,
        start_date=row.start_date,
        to_convenience=row.process == "certificate",
    )


def release_yokushi(uow: UnitOfWork, yokushi_id: int, *, now: dt.datetime | None = None) -> Yokushi:
    """Release an 抑止 for good (``released_at`` is written once)."""
    row = _get_yokushi(uow.session, yokushi_id)
    if row.released_at is not None:
        released = _utc(row.released_at).astimezone(JST)
        raise Conflict(f"抑止 {yokushi_id} は既に解除されています（{released:%Y-%m-%d %H:%M}）")
    row.released_at = _utc(now)
    row.released_by = uow.actor.login
    uow.session.flush()
    uow.record(_yokushi_event(row, "released"))
    return row


def temp_release(
    uow: UnitOfWork, yokushi_id: int, minutes: int | None = None, *, now: dt.datetime | None = None
) -> Yokushi:
    """一時解除: the 抑止 is lifted for ``minutes`` (at most ``juki.yokushi.temp_release_minutes``, which is
    also the default) and then applies again by itself. Not sent to other systems."""
    moment = _utc(now)
    row = _get_yokushi(uow.session, yokushi_id)
    if row.released_at is not None:
        raise Conflict(f"抑止 {yokushi_id} は既に解除されています")
    if row.temp_release_until is not None and _temporarily_released(row, moment):
        until = _utc(row.temp_release_until).astimezone(JST)
        raise Conflict(f"抑止 {yokushi_id} は一時解除中です（{until:%H:%M} まで）")
    limit = int(params.get("juki.yokushi.temp_release_minutes", on=_jst_date(moment)))
    if minutes is None:
        minutes = limit
    if not 1 <= minutes <= limit:
        raise InputError.single("一時解除の時間（分）", f"1〜{limit} の範囲で指定してください")
    until = moment + dt.timedelta(minutes=minutes)
    row.temp_release_until = until
    row.temp_released_by = uow.actor.login
    row.temp_release_log = [
        *(row.temp_release_log or []),
        {"at": moment.isoformat(), "until": until.isoformat(), "by": uow.actor.login},
    ]
    uow.session.flush()
    return row


def _get_shien(session: Session, shien_id: int) -> ShienSochi:
    row = session.get(ShienSochi, shien_id)
    if row is None:
        raise NotFound(f"支援措置 {shien_id} は見つかりません")
    return row


def _normalize_birth(text: str | None, field: str) -> str | None:
    return parse_date(text, field=field).isoformat() if text else None


def _shien_event(row: ShienSochi, action: str) -> ShienChanged:
    return ShienChanged(
        shien_id=row.id,
        action=action,
        kind=row.kind,
        atena_nos=sorted(subjects_of(row)),
        target_processes=list(row.target_processes or []),
        start_date=row.start_date,
        end_date=row.end_date,
    )


def apply_shien(
    uow: UnitOfWork,
    *,
    atena_no: str,
    start: dt.date,
    kind: str = "hon",
    applicant: ShienApplicant | None = None,
    added_persons: Sequence[AddedPerson] | None = None,
    kagaisha: Sequence[Kagaisha] | None = None,
    target_processes: Sequence[str] | None = None,
    details: dict[str, Any] | None = None,
    kari_id: int | None = None,
    now: dt.datetime | None = None,
) -> ShienSochi:
    """Start a 支援措置 (``hon``) or 仮支援措置 (``kari``) for the 申出者 ``atena_no``.

    The end date is set automatically: ``juki.shien_sochi.period_months`` from ``start`` (民法第143条).
    ``kari_id`` names the 仮支援措置 this decision replaces: it is marked ``superseded`` and its data is
    taken over for every argument left out. Protection starts on ``start``, for both kinds.
    """
    session = uow.session
    _choice(kind, SHIEN_KINDS, "支援措置の種別")
    kari: ShienSochi | None = None
    if kari_id is not None:
        kari = _get_shien(session, kari_id)
        if kind != "hon" or kari.kind != "kari" or kari.atena_no != atena_no:
            raise InputError.single(
                "仮支援措置", f"支援措置 {kari_id} は同じ申出者の仮支援措置ではありません"
            )
        if kari.status != "active":
            raise Conflict(f"仮支援措置 {kari_id} は既に終了しています")
    if session.get(Jumin, atena_no) is None:
        raise NotFound(f"宛名番号 {atena_no} の住民は見つかりません")
    added = list(added_persons) if added_persons is not None else None
    for i, person in enumerate(added or []):
        where = f"併せて支援を求める者（{i + 1}人目）"
        if not person.atena_no and not (person.name and person.name.strip()):
            raise InputError.single(f"{where}の氏名", "宛名番号か氏名のどちらかを入力してください")
        if person.atena_no and session.get(Jumin, person.atena_no) is None:
            raise InputError.single(f"{where}の宛名番号", f"{person.atena_no} の住民は見つかりません")
    targets = list(target_processes) if target_processes is not None else None
    if targets is not None:
        if not targets:
            raise InputError.single("支援の対象とする業務", "1つ以上指定してください")
        for process in targets:
            _choice(process, SHIEN_PROCESSES, "支援の対象とする業務")
    applicant_data = None
    if applicant is not None:
        applicant_data = applicant.model_dump(mode="json")
        applicant_data["birth_date"] = _normalize_birth(applicant.birth_date, "申出者の生年月日")
    kagaisha_data = None
    if kagaisha is not None:
        kagaisha_data = []
        for i, k in enumerate(kagaisha):
            item = k.model_dump(mode="json")
            item["birth_date"] = _normalize_birth(k.birth_date, f"加害者（{i + 1}人目）の生年月日")
            kagaisha_data.append(item)
    months = int(params.get("juki.shien_sochi.period_months", on=start))
    moment = _utc(now)
    row = ShienSochi(
        atena_no=atena_no,
        kind=kind,
        start_date=start,
        end_date=period_end(start, months),
        status="active",
        kari_id=kari_id,
        applicant=applicant_data if applicant_data is not None else dict(kari.applicant if kari else {}),
        added_persons=[p.model_dump(mode="json") for p in added]
        if added is not None
        else list(kari.added_persons if kari else []),
        kagaisha=kagaisha_data if kagaisha_data is not None else list(kari.kagaisha if kari else []),
        target_processes=targets
        if targets is not None
        else list(kari.target_processes if kari else DEFAULT_SHIEN_PROCESSES),
        details=dict(details) if details is not None else dict(kari.details if kari else {}),
        created_at=moment,
        created_by=uow.actor.login,
    )
    session.add(row)
    if kari is not None:
        kari.status = "superseded"
        kari.ended_at = moment
        kari.ended_by = uow.actor.login
    session.flush()
    uow.record(_shien_event(row, "applied"))
    return row


def extend_shien(
    uow: UnitOfWork, shien_id: int, *, on: dt.date, now: dt.datetime | None = None
) -> ShienSochi:
    """延長: accepted from ``extension_window_months`` before the end up to the end date (j440).

    The new period is a new row running one period from the day after the old end; the data is
    carried over (a changed request is a new 申出 instead).
    """
    session = uow.session
    old = _get_shien(session, shien_id)
    if old.status != "active":
        raise Conflict(f"支援措置 {shien_id} は終了しています")
    if old.kind != "hon":
        raise InputError.single(
            "延長する支援措置", "仮支援措置は延長できません。支援措置の決定を登録してください"
        )
    if shien_id in _successors(session):
        raise Conflict(f"支援措置 {shien_id} は既に延長されています")
    window = int(params.get("juki.shien_sochi.extension_window_months", on=old.end_date))
    opens = extension_opens(old.end_date, window)
    if on < opens:
        raise InputError.single(
            "延長の申出日",
            f"延長は終了日（{format_wareki(old.end_date)}）の{window}か月前、{format_wareki(opens)}から受け付けます",
        )
    if on > old.end_date:
        raise InputError.single(
            "延長の申出日",
            f"期間は{format_wareki(old.end_date)}に終了しています。新たな申出として受け付けてください",
        )
    new_start = old.end_date + dt.timedelta(days=1)
    months = int(params.get("juki.shien_sochi.period_months", on=new_start))
    row = ShienSochi(
        atena_no=old.atena_no,
        kind="hon",
        start_date=new_start,
        end_date=period_end(new_start, months),
        status="active",
        extended_from_id=old.id,
        applicant=dict(old.applicant or {}),
        added_persons=list(old.added_persons or []),
        kagaisha=list(old.kagaisha or []),
        target_processes=list(old.target_processes or []),
        details={**(old.details or {}), "extension_requested_on": on.isoformat()},
        created_at=_utc(now),
        created_by=uow.actor.login,
    )
    session.add(row)
    session.flush()
    uow.record(_shien_event(row, "extended"))
    return row


def _chain(session: Session, row: ShienSochi) -> list[ShienSochi]:
    """The row and every row linked to it by extension or 仮→本 decision, in both directions."""
    seen: dict[int, ShienSochi] = {row.id: row}
    todo = [row]
    while todo:
        current = todo.pop()
        linked = list(
            session.execute(
                select(ShienSochi).where(
                    or_(ShienSochi.extended_from_id == current.id, ShienSochi.kari_id == current.id)
                )
            ).scalars()
        )
        for parent_id in (current.extended_from_id, current.kari_id):
            if parent_id is not None:
                linked.append(_get_shien(session, parent_id))
        for other in linked:
            if other.id not in seen:
                seen[other.id] = other
                todo.append(other)
    return sorted(seen.values(), key=lambda r: r.id)


def end_shien(uow: UnitOfWork, shien_id: int, *, now: dt.datetime | None = None) -> ShienSochi:
    """End a 支援措置 now: the row and every still-active row of its chain (earlier or extended periods)."""
    row = _get_shien(uow.session, shien_id)
    if row.status != "active":
        raise Conflict(f"支援措置 {shien_id} は既に終了しています")
    moment = _utc(now)
    for item in _chain(uow.session, row):
        if item.status == "active":
            item.status = "ended"
            item.ended_at = moment
            item.ended_by = uow.actor.login
            uow.session.flush()
            uow.record(_shien_event(item, "ended"))
    return row
