"""Fixed vocabularies, errors and pure rules of 抑止 and 支援措置: no session, no cache.

Kept apart so that the
commands, the caches and the checks share one definition of "in force", "protects" and the 民法第143条 period
without importing each other.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from yakuba.errors import InputError, YakubaError
from yakuba.juki.yokushi_models import ShienSochi, Yokushi
from yakuba.kernel import clock
from yakuba.kernel.clock import JST, japan_date

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


def _choice(value: str, allowed: dict[str, str], field: str) -> str:
    if value not in allowed:
        shown = " / ".join(f"{k}（{v}）" for k, v in allowed.items())
        raise InputError.single(field, f"「{value}」は指定できません（{shown}）")
    return value


def _temporarily_released(row: Yokushi, now: dt.datetime) -> bool:
    return row.temp_release_until is not None and _utc(now) < _utc(row.temp_release_until)


def is_in_force(row: Yokushi, now: dt.datetime) -> bool:
    """In force from its start date until released, except while a 一時解除 has not run out."""
    return (
        row.released_at is None and row.start_date <= _jst_date(now) and not _temporarily_released(row, now)
    )


def subjects_of(row: ShienSochi) -> set[str]:
    """宛名番号 a 支援措置 protects: the 申出者 and every added person who has one."""
    found = {row.atena_no}
    found.update(str(p["atena_no"]) for p in row.added_persons or [] if p.get("atena_no"))
    return found


def _protects(row: ShienSochi, on: dt.date, successors: set[int]) -> bool:
    if row.start_date > on:
        return False
    if row.ended_at is not None and _jst_date(row.ended_at) <= on:
        return False
    # Past its end a period keeps protecting unless another row continues it (fail-safe; see module doc).
    return on <= row.end_date or row.id not in successors


today_jst = japan_date  # the date in Japan at ``now`` (the day the office is working on)
