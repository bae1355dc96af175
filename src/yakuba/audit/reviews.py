"""Reviews of the audit log.

住民記録システム標準仕様書 第1.0版 j1370 定型分析: night and holiday access, failed logins,
mass searches, access to 支援措置 subjects, and a general search. Times are stored in UTC and judged in
Japan time (office hours and 休日 are local notions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session

from yakuba.audit.chain import _STREAM_BATCH, _as_utc
from yakuba.audit.models import AuditEntry
from yakuba.errors import InputError
from yakuba.kernel import clock
from yakuba.kernel.clock import JST
from yakuba.kernel.holidays import holiday_name
from yakuba.params import ParameterSet, default_parameters

if TYPE_CHECKING:
    pass

_FAILED_RESULTS = ("failure", "denied")


@dataclass(frozen=True)
class OffHoursAccess:
    entry: AuditEntry
    local_time: dt.datetime  # Japan time
    reason: str  # 「休日（勤労感謝の日）」 / 「勤務時間外（22:00）」


@dataclass(frozen=True)
class FailedLoginSummary:
    login: str
    failures: int
    first_at: dt.datetime
    last_at: dt.datetime


def _lower_bound(value: dt.date | dt.datetime) -> dt.datetime:
    """A datetime as is (naive = UTC); a date as the start of that day in Japan time. Returned in UTC."""
    if isinstance(value, dt.datetime):
        return _as_utc(value)
    return dt.datetime.combine(value, dt.time(0), tzinfo=JST).astimezone(dt.UTC)


def _upper_bound(value: dt.date | dt.datetime) -> dt.datetime:
    """Exclusive end: a datetime as is; a date includes that whole day in Japan time."""
    if isinstance(value, dt.datetime):
        return _as_utc(value)
    return _lower_bound(value + dt.timedelta(days=1))


def _to_jst(value: dt.datetime) -> dt.datetime:
    return _as_utc(value).astimezone(JST)


def _jst_today() -> dt.date:
    return clock.today()


def _hhmm(raw: Any, key: str) -> dt.time:
    try:
        hour, minute = (int(part) for part in str(raw).split(":"))
        return dt.time(hour, minute)
    except ValueError:
        raise ValueError(f"パラメータ {key} の時刻 {raw!r} は HH:MM ではありません") from None


def _office_hours(parameters: ParameterSet, day: dt.date) -> tuple[dt.time, dt.time]:
    key = "security.audit.office_hours"
    value = parameters.get(key, on=day)
    return _hhmm(value["start"], key), _hhmm(value["end"], key)


def night_and_holiday_access(
    session: Session,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    *,
    categories: Sequence[str] = ("access",),
    parameters: ParameterSet | None = None,
) -> list[OffHoursAccess]:
    """Entries on a 地方公共団体の休日 or outside ``security.audit.office_hours`` (Japan time).

    ``start``/``end``: dates are whole days in Japan time, ``end`` included; datetimes are [start, end).
    """
    parameters = parameters or default_parameters()
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.category.in_(list(categories)),
            AuditEntry.occurred_at >= _lower_bound(start),
            AuditEntry.occurred_at < _upper_bound(end),
        )
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=_STREAM_BATCH)
    )
    found: list[OffHoursAccess] = []
    for entry in session.scalars(stmt):
        local = _to_jst(entry.occurred_at)
        day = local.date()
        name = holiday_name(day, parameters=parameters)
        if name is not None:
            found.append(OffHoursAccess(entry, local, f"休日（{name}）"))
            continue
        opens, closes = _office_hours(parameters, day)
        if not opens <= local.time() < closes:
            found.append(OffHoursAccess(entry, local, f"勤務時間外（{local:%H:%M}）"))
    return found


def failed_logins(
    session: Session,
    since: dt.date | dt.datetime,
    min_failures: int | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> list[FailedLoginSummary]:
    """Logins with at least ``min_failures`` failed or denied authentications since ``since``, most first.

    ``min_failures`` defaults to ``security.audit.failed_login_review_threshold``.
    """
    if min_failures is None:
        parameters = parameters or default_parameters()
        min_failures = int(parameters.get("security.audit.failed_login_review_threshold", on=_jst_today()))
    failures = func.count(AuditEntry.seq)
    stmt = (
        select(
            AuditEntry.login,
            failures.label("failures"),
            func.min(AuditEntry.occurred_at).label("first_at"),
            func.max(AuditEntry.occurred_at).label("last_at"),
        )
        .where(
            AuditEntry.category == "auth",
            AuditEntry.result.in_(_FAILED_RESULTS),
            AuditEntry.occurred_at >= _lower_bound(since),
        )
        .group_by(AuditEntry.login)
        .having(failures >= min_failures)
        .order_by(failures.desc(), AuditEntry.login)
    )
    return [
        FailedLoginSummary(row.login, int(row.failures), _as_utc(row.first_at), _as_utc(row.last_at))
        for row in session.execute(stmt)
    ]


def mass_searches(
    session: Session,
    since: dt.date | dt.datetime,
    threshold: int | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> list[AuditEntry]:
    """Access entries that returned at least ``threshold`` rows.

    ``threshold`` defaults to ``security.audit.mass_search_threshold``.
    """
    if threshold is None:
        parameters = parameters or default_parameters()
        threshold = int(parameters.get("security.audit.mass_search_threshold", on=_jst_today()))
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.category == "access",
            AuditEntry.record_count >= threshold,
            AuditEntry.occurred_at >= _lower_bound(since),
        )
        .order_by(AuditEntry.seq)
    )
    return list(session.scalars(stmt))


def shien_access(session: Session, since: dt.date | dt.datetime) -> list[AuditEntry]:
    """Entries that involved a 支援措置 subject (DV・ストーカー・児童虐待等の被害者) since ``since``."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.shien_subject.is_(True), AuditEntry.occurred_at >= _lower_bound(since))
        .order_by(AuditEntry.seq)
    )
    return list(session.scalars(stmt))


SUBJECT_FIELD = "対象者の宛名番号"


def _subject_pattern(subject: str) -> str:
    """A LIKE pattern over the JSON text of ``subjects``; input that cannot be a 宛名番号 is refused.

    A quote or backslash would end the JSON string early and an empty or control-character value matches
    nothing a clerk means, so each is a 422 naming the field rather than a query that errors (issue 24).
    """
    if not subject or any(ch in subject for ch in '"\\') or not subject.isprintable():
        raise InputError.single(
            SUBJECT_FIELD, f"「{subject}」は宛名番号として検索できません（英数字で入力してください）"
        )
    escaped = subject.replace("%", "\\%").replace("_", "\\_")
    return f'%"{escaped}"%'


def search(
    session: Session,
    *,
    login: str | None = None,
    subject: str | None = None,
    start: dt.date | dt.datetime | None = None,
    end: dt.date | dt.datetime | None = None,
    category: str | None = None,
    result: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries matching all given filters, newest first. ``subject`` is a 宛名番号 among the entry's subjects.

    The subject filter matches the JSON text of ``subjects`` (portable between SQLite and PostgreSQL,
    but a scan; narrow it with a period on a large log).
    """
    stmt: Select[tuple[AuditEntry]] = select(AuditEntry)
    if login is not None:
        stmt = stmt.where(AuditEntry.login == login)
    if subject is not None:
        stmt = stmt.where(cast(AuditEntry.subjects, Text).like(_subject_pattern(subject), escape="\\"))
    if start is not None:
        stmt = stmt.where(AuditEntry.occurred_at >= _lower_bound(start))
    if end is not None:
        stmt = stmt.where(AuditEntry.occurred_at < _upper_bound(end))
    if category is not None:
        stmt = stmt.where(AuditEntry.category == category)
    if result is not None:
        stmt = stmt.where(AuditEntry.result == result)
    stmt = stmt.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt))
