"""抑止 and 支援措置 (住民記録システム標準仕様書 第1.0版 j410–j450; spec-resident.md §1.8). Never commits.

**抑止** targets a person (宛名番号) or a 世帯 (世帯番号) for one process — 異動入力 (``ido``), 証明書発行
(``certificate``) or 照会 (``inquiry``) — at level ``error`` (the process stops: :class:`YokushiBlocked`)
or ``alert`` (the clerk is warned and may go on after confirming). Several may coexist. An 抑止 never
ends by itself: its end date is informational and it stays in force until released. A 一時解除 lasts
``juki.yokushi.temp_release_minutes`` at most and then reverts on its own; it is not sent to other
systems (コンビニ交付 included), so it records no event. Setting and releasing record
:class:`YokushiChanged` for 宛名, コンビニ交付 and 住基ネットCS. An ``ido`` 抑止 stops the input screen; it
is not a ground to refuse a 住民異動届 (不受理 by 抑止 is forbidden), which is received and entered once
released.

**支援措置** (DV・ストーカー行為等・児童虐待等; 住民基本台帳事務処理要領 第5-10) protects the 申出者 and the
persons added to the request: the processes listed in the request (住民票の写し等, 除票, 附票, 閲覧 …) are
blocked at error level, and the visibility chokepoint (:mod:`yakuba.juki.visibility`) hides them from
anyone without ``juki.shien.read``. The period is ``juki.shien_sochi.period_months`` counted by 民法第143条
(開始 令和2年4月1日 → 終了 令和3年3月31日); an extension is accepted from
``juki.shien_sochi.extension_window_months`` before the end and is a new row running from the day after.
A 仮支援措置 protects from its start, before the decision. Past its end date a period with no
continuation keeps protecting (fail-safe, like every 抑止) until a clerk ends it; :func:`expired` lists
those for the alert the spec asks for, :func:`ending_soon` those inside the extension window.

Every ``now`` is an aware datetime (a naive one is taken as UTC); dates are judged in Asia/Tokyo.
"""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, Field
from sqlalchemy import and_, event, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound, YakubaError
from yakuba.events import DomainEvent
from yakuba.juki.models import Jumin, Numbering, Setai
from yakuba.juki.yokushi_models import ShienSochi, Yokushi
from yakuba.kernel import clock
from yakuba.kernel.clock import JST, japan_date
from yakuba.kernel.wareki import format_wareki, parse_date
from yakuba.uow import UnitOfWork

TARGET_KINDS = {"person": "個人", "setai": "世帯"}
PROCESSES = {"ido": "異動入力", "certificate": "証明書発行", "inquiry": "照会"}
LEVELS = {"error": "エラー", "alert": "警告"}
SHIEN_KINDS = {"kari": "仮支援措置", "hon": "支援措置"}
# Processes a 支援措置 request may list; each is a kind of 証明書発行 for the 抑止 engine.
SHIEN_PROCESSES = {
    "certificate": "住民票の写し等の交付",
    "joshohyo": "除票の写し等の交付",
    "etsuran": "住民基本台帳の一部の写しの閲覧",
    "fuhyo": "戸籍の附票の写しの交付",
    "fuhyo_joshohyo": "戸籍の附票の除票の写しの交付",
}
DEFAULT_SHIEN_PROCESSES = tuple(SHIEN_PROCESSES)
_YOKUSHI_PROCESS_OF = {**{p: p for p in PROCESSES}, **{p: "certificate" for p in SHIEN_PROCESSES}}
CHECKABLE_PROCESSES = {**PROCESSES, **SHIEN_PROCESSES}


# --------------------------------------------------------------------------------------------- errors


class YokushiBlocked(YakubaError):
    """An error-level 抑止 (or a 支援措置) stops this process for this person.

    HTTP **423 Locked**, not 409: 409 already means "someone changed the data first, reload and retry";
    a blocked process must not be retried but released by a person holding ``juki.shien.manage``. The
    message names neither the reason nor whether a 支援措置 is behind it; the ids are on the exception.
    """

    http_status = 423

    def __init__(self, atena_no: str | None, process: str, yokushi_ids: list[int], shien_ids: list[int]):
        self.atena_no = atena_no
        self.process = process
        self.yokushi_ids = yokushi_ids
        self.shien_ids = shien_ids
        who = f"宛名番号 {atena_no} の" if atena_no else "この世帯の"
        super().__init__(
            f"{who}{CHECKABLE_PROCESSES[process]}は抑止されています。抑止の管理者に確認してください"
        )


@dataclass(frozen=True)
class YokushiWarning:
    """An alert-level 抑止 the clerk must read and confirm before going on."""

    yokushi_id: int
    target_kind: str
    target_no: str
    process: str
    reason: str

    @property
    def message(self) -> str:
        target = f"{TARGET_KINDS[self.target_kind]} {self.target_no}"
        return f"【抑止（警告）】{target}・{PROCESSES[self.process]}: {self.reason}"


# --------------------------------------------------------------------------------------------- events


class YokushiChanged(DomainEvent):
    """An 抑止 was set or released (not a 一時解除): for 宛名 and other systems; ``certificate`` ones also
    for コンビニ交付 and 住基ネットCS (``to_convenience``)."""

    event_type: ClassVar[str] = "juki.yokushi_changed"
    business: ClassVar[str] = "juki"
    yokushi_id: int
    action: str  # set / released
    target_kind: str
    target_no: str
    process: str
    level: str
    start_date: dt.date
    to_convenience: bool


class ShienChanged(DomainEvent):
    """A 支援措置 started, was extended or ended: the 宛名番号 to protect and the blocked processes only
    (never the 加害者 data or the 申出者's contact details)."""

    event_type: ClassVar[str] = "juki.shien_changed"
    business: ClassVar[str] = "juki"
    shien_id: int
    action: str  # applied / extended / ended
    kind: str
    atena_nos: list[str]
    target_processes: list[str]
    start_date: dt.date
    end_date: dt.date


# --------------------------------------------------------------------------------------------- inputs


class ShienApplicant(BaseModel):
    """申出者の情報（支援措置申出書の記載）。"""

    shi: str | None = Field(default=None, max_length=100, description="氏")
    mei: str | None = Field(default=None, max_length=100, description="名")
    shi_kana: str | None = Field(default=None, max_length=100, description="氏のフリガナ")
    mei_kana: str | None = Field(default=None, max_length=100, description="名のフリガナ")
    birth_date: str | None = Field(default=None, description="生年月日（和暦 S55.5.1 等または西暦）")
    sex: str | None = Field(default=None, pattern="^[012]$", description="性別 0 不明 / 1 男 / 2 女")
    address: str | None = Field(default=None, max_length=400, description="住所")
    prev_addresses: list[str] = Field(default_factory=list, description="前住所等（支援の対象とする住所）")
    honseki: str | None = Field(default=None, max_length=300, description="本籍")
    prev_honseki: list[str] = Field(default_factory=list, description="前本籍等")
    contact: str | None = Field(default=None, max_length=200, description="連絡先（電話番号等）")


class AddedPerson(BaseModel):
    """併せて支援を求める者（申出者と同じ住所の子など）。"""

    atena_no: str | None = Field(default=None, max_length=15, description="宛名番号（当団体の住民の場合）")
    name: str | None = Field(default=None, max_length=200, description="氏名（宛名番号がない場合は必須）")
    relation: str = Field(min_length=1, max_length=40, description="申出者との続柄・関係")


class Kagaisha(BaseModel):
    """加害者の情報。"""

    name: str | None = Field(default=None, max_length=200, description="氏名")
    name_kana: str | None = Field(default=None, max_length=200, description="氏名のフリガナ")
    atena_no: str | None = Field(default=None, max_length=15, description="宛名番号（当団体の住民の場合）")
    birth_date: str | None = Field(default=None, description="生年月日（和暦または西暦）")
    sex: str | None = Field(default=None, pattern="^[012]$", description="性別 0 不明 / 1 男 / 2 女")
    address: str | None = Field(default=None, max_length=400, description="住所")
    note: str | None = Field(default=None, max_length=2000, description="その他（特徴・経緯など）")


# --------------------------------------------------------------------------------------------- time


def _utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return clock.now()
    return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)


_jst_date = japan_date


def _jst_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=JST).astimezone(dt.UTC)


def period_end(start: dt.date, months: int) -> dt.date:
    """Last day of a period of ``months`` months that includes ``start`` (民法第143条第2項).

    The period ends the day before the day corresponding to ``start``; when that month has no such day,
    on the month's last day. 令和2年4月1日 + 12か月 → 令和3年3月31日.
    """
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def extension_opens(end_date: dt.date, window_months: int) -> dt.date:
    """First day an extension is accepted: the start of the last ``window_months`` of the period.

    終了 令和3年3月31日, 1か月 → 令和3年3月1日. When the month has no such day, its last day (the window is
    never shorter than the parameter says).
    """
    nxt = end_date + dt.timedelta(days=1)
    year, month = divmod(nxt.month - 1 - window_months, 12)
    year += nxt.year
    month += 1
    return dt.date(year, month, min(nxt.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------------------------- 抑止


def _choice(value: str, allowed: dict[str, str], field: str) -> str:
    if value not in allowed:
        shown = " / ".join(f"{k}（{v}）" for k, v in allowed.items())
        raise InputError.single(field, f"「{value}」は指定できません（{shown}）")
    return value


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


def _temporarily_released(row: Yokushi, now: dt.datetime) -> bool:
    return row.temp_release_until is not None and _utc(now) < _utc(row.temp_release_until)


def is_in_force(row: Yokushi, now: dt.datetime) -> bool:
    """In force from its start date until released, except while a 一時解除 has not run out."""
    return (
        row.released_at is None and row.start_date <= _jst_date(now) and not _temporarily_released(row, now)
    )


def _targets(atena_nos: Iterable[str], setai_nos: Iterable[str]) -> list[Any]:
    conditions: list[Any] = []
    persons = sorted(set(atena_nos))
    setais = sorted(set(setai_nos))
    if persons:
        conditions.append(and_(Yokushi.target_kind == "person", Yokushi.target_no.in_(persons)))
    if setais:
        conditions.append(and_(Yokushi.target_kind == "setai", Yokushi.target_no.in_(setais)))
    return conditions


def _unreleased_targets(session: Session) -> frozenset[tuple[str, str]]:
    """(target_kind, target_no) of every 抑止 not released, kept per process under its generation.

    Every 異動 and every search asks about 抑止 on its persons and 世帯; nearly all have none. This set
    (small: 抑止 are few) answers "none" without a query; only a target in it is read from the table.
    """
    if any(isinstance(obj, Yokushi) for obj in (*session.new, *session.dirty)):
        session.flush()  # changed here and not flushed: the flush moves the generation

    def unreleased() -> frozenset[tuple[str, str]]:
        rows = session.execute(
            select(Yokushi.target_kind, Yokushi.target_no).where(Yokushi.released_at.is_(None))
        )
        return frozenset((str(kind), str(no)) for kind, no in rows)

    found: frozenset[tuple[str, str]] = _kept(
        _UNRELEASED, _generation(session, YOKUSHI_GENERATION), unreleased
    )
    return found


def _with_yokushi(
    session: Session, atena_nos: Iterable[str], setai_nos: Iterable[str]
) -> tuple[list[str], list[str]]:
    """The given persons and 世帯 that have an unreleased 抑止 at all."""
    targets = _unreleased_targets(session)
    if not targets:
        return [], []
    return (
        [a for a in atena_nos if ("person", a) in targets],
        [s for s in setai_nos if ("setai", s) in targets],
    )


def active_yokushi(
    session: Session,
    *,
    atena_no: str | None = None,
    setai_no: str | None = None,
    process: str | None = None,
    now: dt.datetime,
) -> list[Yokushi]:
    """抑止 in force now on the person and/or the 世帯 (for ``process`` or every process)."""
    conditions = _targets(
        *_with_yokushi(session, [atena_no] if atena_no else [], [setai_no] if setai_no else [])
    )
    if not conditions:
        return []
    query = select(Yokushi).where(or_(*conditions), Yokushi.released_at.is_(None))
    if process is not None:
        query = query.where(Yokushi.process == process)
    rows = session.execute(query.order_by(Yokushi.id)).scalars()
    return [r for r in rows if is_in_force(r, now)]


def list_yokushi(
    session: Session, *, atena_no: str | None = None, setai_no: str | None = None
) -> list[Yokushi]:
    """Every 抑止 ever set on the person and/or 世帯, released ones included (oldest first)."""
    conditions = _targets([atena_no] if atena_no else [], [setai_no] if setai_no else [])
    if not conditions:
        return []
    return list(session.execute(select(Yokushi).where(or_(*conditions)).order_by(Yokushi.id)).scalars())


def yokushi_flags(
    session: Session, persons: Iterable[tuple[str, str]], *, now: dt.datetime
) -> dict[str, list[dict[str, str]]]:
    """For search results (「検索結果に抑止を表示」): 宛名番号 → the processes and levels in force on the
    person or their 世帯. Reasons are not included. ``persons`` are (宛名番号, 世帯番号) pairs."""
    pairs = list(persons)
    conditions = _targets(*_with_yokushi(session, [a for a, _ in pairs], [s for _, s in pairs]))
    flags: dict[str, list[dict[str, str]]] = {a: [] for a, _ in pairs}
    if not conditions:
        return flags
    rows = session.execute(
        select(Yokushi).where(or_(*conditions), Yokushi.released_at.is_(None)).order_by(Yokushi.id)
    ).scalars()
    in_force = [r for r in rows if is_in_force(r, now)]
    for atena_no, setai_no in pairs:
        for r in in_force:
            if (r.target_kind, r.target_no) in (("person", atena_no), ("setai", setai_no)):
                flag = {"process": r.process, "level": r.level}
                if flag not in flags[atena_no]:
                    flags[atena_no].append(flag)
    return flags


def check_process(
    session: Session,
    *,
    atena_no: str | None,
    setai_no: str | None,
    process: str,
    now: dt.datetime,
    confirm_alerts: bool = False,
) -> list[YokushiWarning]:
    """Gate a process for a person (and their 世帯) before doing it.

    Raises :class:`YokushiBlocked` (HTTP 423) when an error-level 抑止 is in force, or — for a
    certificate-like process — when the person is protected by a 支援措置 that lists it. Otherwise returns
    the alert-level 抑止 the clerk must be shown; once the clerk has confirmed them
    (``confirm_alerts=True``) it returns an empty list and the process may go on.
    """
    _choice(process, CHECKABLE_PROCESSES, "業務")
    rows = active_yokushi(
        session, atena_no=atena_no, setai_no=setai_no, process=_YOKUSHI_PROCESS_OF[process], now=now
    )
    errors = [r.id for r in rows if r.level == "error"]
    shien_ids: list[int] = []
    if atena_no and process in SHIEN_PROCESSES:
        shien_ids = [
            s.id
            for s in shien_protecting(session, atena_no, _jst_date(now))
            if process in (s.target_processes or [])
        ]
    if errors or shien_ids:
        raise YokushiBlocked(atena_no, process, errors, shien_ids)
    if confirm_alerts:
        return []
    return [
        YokushiWarning(r.id, r.target_kind, r.target_no, r.process, r.reason)
        for r in rows
        if r.level == "alert"
    ]


# --------------------------------------------------------------------------------------------- 支援措置


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


def subjects_of(row: ShienSochi) -> set[str]:
    """宛名番号 a 支援措置 protects: the 申出者 and every added person who has one."""
    found = {row.atena_no}
    found.update(str(p["atena_no"]) for p in row.added_persons or [] if p.get("atena_no"))
    return found


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


def _successors(session: Session) -> set[int]:
    """Ids of rows another row continues (an extension, or a 本 decision after a 仮)."""
    ext = session.execute(select(ShienSochi.extended_from_id)).scalars()
    kari = session.execute(select(ShienSochi.kari_id)).scalars()
    return {i for i in ext if i is not None} | {i for i in kari if i is not None}


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


def _protects(row: ShienSochi, on: dt.date, successors: set[int]) -> bool:
    if row.start_date > on:
        return False
    if row.ended_at is not None and _jst_date(row.ended_at) <= on:
        return False
    # Past its end a period keeps protecting unless another row continues it (fail-safe; see module doc).
    return on <= row.end_date or row.id not in successors


def _candidates(session: Session, on: dt.date) -> list[ShienSochi]:
    return list(
        session.execute(
            select(ShienSochi)
            .where(
                ShienSochi.start_date <= on,
                or_(ShienSochi.ended_at.is_(None), ShienSochi.ended_at >= _jst_midnight_utc(on)),
            )
            .order_by(ShienSochi.id)
        ).scalars()
    )


_PROTECTING_CACHE = "juki.shien_protecting"
_GENERATION_CACHE = "juki.generations"
# A juki_numbering row given a new random value in the same transaction as every change of a 支援措置
# row: a process may keep the subject set it computed for as long as the value has not changed. Random,
# not counted up, so that a database emptied or restored from a backup cannot repeat a value it had.
SHIEN_GENERATION = "shien_sochi_generation"
_KEPT_PER_CACHE = 32  # generations (and days) a process keeps; a few are ever current


def _kept(cache: dict[Any, Any], key: Any, compute: Callable[[], Any]) -> Any:
    """``cache[key]``, computed on first use; a process-wide cache under a generation key, bounded."""
    found = cache.get(key)
    if found is None:
        found = compute()
        if len(cache) >= _KEPT_PER_CACHE:
            cache.clear()
        cache[key] = found
    return found


_SUBJECTS: dict[tuple[int, dt.date], frozenset[str]] = {}  # (generation, day) → 宛名番号; process-wide
YOKUSHI_GENERATION = "yokushi_generation"  # the same for 抑止 rows
_UNRELEASED: dict[int, frozenset[tuple[str, str]]] = {}  # generation → (target_kind, target_no) not released


def _changing_shien(session: Session, *, deleted: bool = False) -> bool:
    """Whether this session holds 支援措置 rows it has changed and not flushed."""
    pending = (*session.new, *session.dirty, *(session.deleted if deleted else ()))
    return any(isinstance(obj, ShienSochi) for obj in pending)


def protecting(session: Session, on: dt.date) -> list[ShienSochi]:
    """支援措置 rows (仮 included) protecting someone on ``on``.

    Asked several times a request (to hide or guard the subjects), so the answer is kept on the session
    for the rest of its transaction. It is dropped when a 支援措置 row of the session is flushed and when
    the transaction ends (another transaction may have changed them).
    """
    cache: dict[dt.date, list[ShienSochi]] = session.info.setdefault(_PROTECTING_CACHE, {})
    if cache and _changing_shien(session):
        cache.clear()
    found = cache.get(on)
    if found is None:
        successors = _successors(session)
        found = cache[on] = [r for r in _candidates(session, on) if _protects(r, on, successors)]
    return list(found)


def _generation(session: Session, name: str = SHIEN_GENERATION) -> int:
    cache: dict[str, int] = session.info.setdefault(_GENERATION_CACHE, {})
    generation = cache.get(name)
    if generation is None:
        # Both generations at once: a search and an 異動 ask for both (支援措置 and 抑止).
        names = {name, SHIEN_GENERATION, YOKUSHI_GENERATION} - set(cache)
        rows = session.execute(
            select(Numbering.name, Numbering.last_serial).where(Numbering.name.in_(sorted(names)))
        )
        found = {str(n): int(v) for n, v in rows}
        for each in names:
            cache[each] = int(found.get(each) or 0)
        generation = cache[name]
    return generation


def _bump_generation(session: Session, name: str) -> None:
    """A new generation value, in the transaction that changes the rows (upsert: the first time)."""
    dialect = session.get_bind().dialect.name
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    value = secrets.randbits(62) + 1
    statement = upsert(Numbering).values(name=name, last_serial=value)
    session.execute(
        statement.on_conflict_do_update(index_elements=[Numbering.name], set_={"last_serial": value})
    )


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    if ShienSochi in changed:
        session.info.pop(_PROTECTING_CACHE, None)
        session.info.get(_GENERATION_CACHE, {}).pop(SHIEN_GENERATION, None)
        _bump_generation(session, SHIEN_GENERATION)
    if Yokushi in changed:
        session.info.get(_GENERATION_CACHE, {}).pop(YOKUSHI_GENERATION, None)
        _bump_generation(session, YOKUSHI_GENERATION)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None or transaction.nested:  # not the inner one each flush opens
        session.info.pop(_PROTECTING_CACHE, None)
        session.info.pop(_GENERATION_CACHE, None)


def shien_subjects(session: Session, on: dt.date) -> set[str]:
    """宛名番号 protected on ``on``: 申出者 and added persons with a 宛名番号, 仮支援措置 included.

    Every search hides these and every 異動 checks them, so the set is kept per process under the
    支援措置 generation read *first* in this transaction: a change commits with a new generation, and the
    next transaction to ask computes the set again. The set itself is never older than its key.
    """
    if _changing_shien(session):
        return _subjects_now(session, on)
    found: frozenset[str] = _kept(
        _SUBJECTS, (_generation(session), on), lambda: frozenset(_subjects_now(session, on))
    )
    return set(found)


def _subjects_now(session: Session, on: dt.date) -> set[str]:
    found: set[str] = set()
    for row in protecting(session, on):
        found |= subjects_of(row)
    return found


def shien_protecting(session: Session, atena_no: str, on: dt.date) -> list[ShienSochi]:
    if atena_no not in shien_subjects(session, on):
        return []
    return [r for r in protecting(session, on) if atena_no in subjects_of(r)]


def is_shien_subject(session: Session, atena_no: str, on: dt.date) -> bool:
    return atena_no in shien_subjects(session, on)


def _current(session: Session) -> list[ShienSochi]:
    successors = _successors(session)
    rows = session.execute(
        select(ShienSochi).where(ShienSochi.status == "active").order_by(ShienSochi.end_date, ShienSochi.id)
    ).scalars()
    return [r for r in rows if r.id not in successors]


def ending_soon(session: Session, on: dt.date) -> list[ShienSochi]:
    """Alert 「期間終了まで1か月以内」: active, not yet extended, and inside the extension window."""
    found = []
    for row in _current(session):
        window = int(params.get("juki.shien_sochi.extension_window_months", on=row.end_date))
        if extension_opens(row.end_date, window) <= on <= row.end_date:
            found.append(row)
    return found


def expired(session: Session, on: dt.date) -> list[ShienSochi]:
    """Alert 「期間終了」: past the end date, not extended and not ended (still protecting; end or renew)."""
    return [row for row in _current(session) if row.end_date < on]


def list_shien(session: Session, *, include_ended: bool = False) -> list[ShienSochi]:
    query = select(ShienSochi).order_by(ShienSochi.id)
    if not include_ended:
        query = query.where(ShienSochi.status == "active")
    return list(session.execute(query).scalars())


today_jst = japan_date  # the date in Japan at ``now`` (the day the office is working on)


__all__ = [
    "CHECKABLE_PROCESSES",
    "LEVELS",
    "PROCESSES",
    "SHIEN_KINDS",
    "SHIEN_PROCESSES",
    "TARGET_KINDS",
    "AddedPerson",
    "Kagaisha",
    "ShienApplicant",
    "ShienChanged",
    "YokushiBlocked",
    "YokushiChanged",
    "YokushiWarning",
    "active_yokushi",
    "apply_shien",
    "check_process",
    "end_shien",
    "ending_soon",
    "expired",
    "extend_shien",
    "extension_opens",
    "is_in_force",
    "is_shien_subject",
    "list_shien",
    "list_yokushi",
    "period_end",
    "protecting",
    "release_yokushi",
    "set_yokushi",
    "shien_protecting",
    "shien_subjects",
    "subjects_of",
    "temp_release",
    "today_jst",
    "yokushi_flags",
]
