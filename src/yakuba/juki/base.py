"""The kernel of every 異動: one ``IdoWriter`` records one 異動 and the snapshot rows it appends.

It enforces what all 異動 share (住民記録システム標準仕様書 第1.0版 j200, j530, j570): the 事由 is a
known code; 異動日 ≤ 処理日 except for 転出; 届出日 ≤ 処理日; 処理日 is today; a late 届出 is accepted
and flagged for the 届出期間経過通知; a person with a pending 仮登録 takes no other 異動; a 世帯 edited
by someone else since the clerk loaded it is refused (409) instead of silently overwritten; alerts need
confirmation; and a 仮登録 is invisible to certificates and other businesses until 本登録.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound, YakubaError
from yakuba.juki.events import JukiEvent, ResidentSummary
from yakuba.juki.history import ACTIVE_STATES, State, append_snapshot, latest_row, state_of
from yakuba.juki.models import Ido, Jumin, Rireki, Setai
from yakuba.juki.schemas import IdoDates
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork


class AlertConfirmationRequired(YakubaError):
    """An alert of the specification needs the clerk's confirmation before the 異動 is recorded."""

    http_status = 428

    def __init__(self, alerts: list[str]) -> None:
        super().__init__("確認が必要です: " + " / ".join(alerts))
        self.alerts = alerts


@dataclass
class IdoResult:
    """What a 異動 did, for the screen and the API."""

    ido_id: int
    jiyu_code: str
    status: str
    atena_nos: list[str] = field(default_factory=list)
    setai_nos: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    late_notification: bool = False
    documents: dict[str, Any] = field(default_factory=dict)


def summary(row: Rireki) -> ResidentSummary:
    return ResidentSummary.model_validate({k: getattr(row, k) for k in ResidentSummary.model_fields})


def current_row(session: Session, atena_no: str, *, active: bool = True) -> Rireki:
    """The person's current 本登録 snapshot; NotFound with the standard message otherwise."""
    row = latest_row(session, atena_no)
    if row is None or (active and row.jumin_jotai not in ACTIVE_STATES):
        raise NotFound(f"宛名番号 {atena_no} の住民は見つかりません")
    return row


def setai_rows(session: Session, setai_no: str) -> list[Rireki]:
    """Current snapshots of the members of a 世帯 still on the 住民基本台帳, in their saved order."""
    rows = session.execute(
        select(Rireki)
        .join(Jumin, (Jumin.atena_no == Rireki.atena_no) & (Jumin.current_rireki_no == Rireki.rireki_no))
        .where(Jumin.setai_no == setai_no, Jumin.jumin_jotai.in_(tuple(ACTIVE_STATES)))
        .order_by(Rireki.sort_order, Rireki.atena_no)
    ).scalars()
    return list(rows)


def address_fields(row: Rireki) -> dict[str, Any]:
    names = ("jusho_code", "choaza_code", "choaza_name", "banchi", "katagaki", "postal_code")
    return {n: getattr(row, n) for n in names}


def address_text(values: dict[str, Any] | Rireki) -> str:
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    parts = [get("choaza_name") or "", get("banchi") or ""]
    katagaki = get("katagaki")
    return "".join(parts) + (f"\u3000{katagaki}" if katagaki else "")


def full_name(row: Rireki) -> str:
    return f"{row.shi}\u3000{row.mei}" if row.mei else row.shi


class IdoWriter:
    """Records one 異動. Create it, append snapshots and events, then call :meth:`finish`."""

    def __init__(
        self,
        uow: UnitOfWork,
        jiyu_code: str,
        dates: IdoDates,
        *,
        today: dt.date,
        allow_future_ido: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.uow = uow
        self.session = uow.session
        self.dates = dates
        self.today = today
        self.alerts: list[str] = []
        self._events: list[JukiEvent] = []
        self.result_documents: dict[str, Any] = {}
        jiyu = params.get("juki.ido_jiyu", on=today)
        if jiyu_code not in jiyu:
            raise InputError.single("異動事由", f"{jiyu_code} は定義されていない事由です")
        self.jiyu_kind: str = jiyu[jiyu_code]["kind"]
        # 住民記録システム標準仕様書 j570: 異動日 ≤ 処理日（転出を除く）; 届出日 ≤ 処理日; 処理日 = 当日.
        if dates.ido_date > today and not allow_future_ido:
            raise InputError.single("異動日", "未来の日付は指定できません")
        if dates.todoke_date is not None and dates.todoke_date > today:
            raise InputError.single("届出日", "未来の日付は指定できません")
        if not dates.shokken and dates.todoke_date is None:
            raise InputError.single(
                "届出日", "届出による異動では届出日を入力してください（職権の場合は職権を指定）"
            )
        deadline = params.in_force("juki.todokede_kikan_days", on=dates.ido_date)
        late = bool(
            deadline is not None
            and dates.todoke_date is not None
            and not dates.shokken
            and (dates.todoke_date - dates.ido_date).days > deadline
        )
        self.ido = Ido(
            jiyu_code=jiyu_code,
            ido_date=dates.ido_date,
            todoke_date=dates.todoke_date,
            shori_date=today,
            moushide_date=dates.moushide_date,
            tsuchi_date=dates.tsuchi_date,
            shokken=dates.shokken,
            status="kari" if dates.provisional else "hon",
            operator=uow.actor.login,
            terminal=uow.actor.terminal,
            note_b=dates.note_b,
            late_notification=late,
            details=dict(details or {}),
        )
        self.session.add(self.ido)
        self.session.flush()
        self.atena_nos: list[str] = []
        self.setai_nos: list[str] = []

    # -- reading -------------------------------------------------------------------------------

    def current(self, atena_no: str, *, active: bool = True) -> Rireki:
        row = current_row(self.session, atena_no, active=active)
        self._refuse_if_pending(atena_no)
        self._check_yokushi(row)
        return row

    def _check_yokushi(self, row: Rireki) -> None:
        """抑止 on 異動入力 (j410): error ⇒ 423 until released; alert ⇒ the clerk confirms."""
        from yakuba.juki.yokushi import check_process

        warnings = check_process(
            self.session,
            atena_no=row.atena_no,
            setai_no=row.setai_no,
            process="ido",
            now=clock.now(),
            confirm_alerts=self.dates.confirm_alerts,
        )
        for warning in warnings:
            self.alert(warning.message)

    def _refuse_if_pending(self, atena_no: str) -> None:
        pending = self.session.execute(
            select(Ido.id)
            .join(Rireki, Rireki.ido_id == Ido.id)
            .where(Rireki.atena_no == atena_no, Ido.status == "kari", Ido.id != self.ido.id)
            .limit(1)
        ).scalar_one_or_none()
        if pending is not None:
            raise Conflict(
                f"宛名番号 {atena_no} には仮登録中の異動（{pending}）があります。本登録か取消しをしてください"
            )

    # -- writing -------------------------------------------------------------------------------

    def lock_setai(self, setai_no: str) -> Setai:
        """Claim a 世帯 for this 異動: refuse when it changed since the clerk loaded it; bump its version."""
        setai = self.session.get(Setai, setai_no)
        if setai is None:
            setai = Setai(setai_no=setai_no, member_count=0, version=1)
            self.session.add(setai)
            self.session.flush()
        expected = (self.dates.expected_setai_versions or {}).get(setai_no)
        if expected is not None and expected != setai.version:
            raise Conflict(
                f"世帯番号 {setai_no} は他の職員が先に更新しました（版 {expected} → {setai.version}）。"
                "画面を読み込み直してから入力してください"
            )
        setai.last_ido_id = self.ido.id  # a change on every 異動, so the version always moves
        if setai_no not in self.setai_nos:
            self.setai_nos.append(setai_no)
        return setai

    def append(self, atena_no: str, state: State, *, effective_date: dt.date | None = None) -> Rireki:
        row = append_snapshot(
            self.session, self.ido, atena_no, state, effective_date=effective_date or self.dates.ido_date
        )
        if atena_no not in self.atena_nos:
            self.atena_nos.append(atena_no)
        return row

    def change(self, row: Rireki, *, effective_date: dt.date | None = None, **changes: Any) -> Rireki:
        """Append a snapshot equal to ``row`` except for ``changes``."""
        state = state_of(row)
        state.update(changes)
        return self.append(row.atena_no, state, effective_date=effective_date)

    def emit(self, event_cls: type[JukiEvent], row: Rireki, **extra: Any) -> None:
        self._events.append(
            event_cls(
                ido_id=self.ido.id,
                jiyu_code=self.ido.jiyu_code,
                atena_no=row.atena_no,
                setai_no=row.setai_no,
                ido_date=self.ido.ido_date,
                todoke_date=self.ido.todoke_date,
                resident=summary(row),
                **extra,
            )
        )

    def alert(self, text: str) -> None:
        self.alerts.append(text)

    def finish(self) -> IdoResult:
        """Refuse unconfirmed alerts; publish events now (本登録) or keep them for 本登録 (仮登録)."""
        if self.alerts and not self.dates.confirm_alerts:
            raise AlertConfirmationRequired(self.alerts)
        if self.alerts:
            self.ido.details = {**self.ido.details, "confirmed_alerts": list(self.alerts)}
        if self.ido.status == "kari":
            self.ido.details = {
                **self.ido.details,
                "pending_events": [{"type": e.event_type, "payload": e.payload()} for e in self._events],
            }
        else:
            for event in self._events:
                self.uow.record(event)
        return IdoResult(
            ido_id=self.ido.id,
            jiyu_code=self.ido.jiyu_code,
            status=self.ido.status,
            atena_nos=list(self.atena_nos),
            setai_nos=list(self.setai_nos),
            alerts=list(self.alerts),
            late_notification=self.ido.late_notification,
            documents=self.result_documents,
        )
