"""The rules of 公職選挙法 that decide who is on the roll, as pure functions of dates (no database).

Periods counted in months (「三箇月以上」「四箇月を経過」) follow 民法第140条・第143条 (公職選挙法 has no rule
of its own): the day of the 届出 / of the move is not counted, and a period of months ends at the end of
the day before the corresponding day of the last month, or on the last day of that month when it has no
corresponding day. ``docs/decisions/senkyo-counting.md`` shows why this gives the 選管 rule of thumb
(「基準日の3か月前の応当日までに転入届をした人」) and pins the examples of issue 8.

Ages follow 年齢計算ニ関スル法律 through :func:`yakuba.kernel.age.attained_age_date`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from yakuba import params
from yakuba.errors import InputError
from yakuba.kernel.age import attained_age_date
from yakuba.kernel.holidays import is_holiday, next_working_day
from yakuba.params import ParameterError

__all__ = [
    "ElectionWindow",
    "Judgement",
    "PersonFacts",
    "TeijiPlan",
    "attains_voting_age",
    "judge",
    "massho_date",
    "months_passed",
    "period_end",
    "resided_long_enough",
    "teiji_plan",
    "voting_right",
]

ONE_DAY = dt.timedelta(days=1)


def period_end(event_day: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months counted from ``event_day`` (民法第140条・第143条).

    第140条: the day of the event itself is not counted, so the period starts the next day. 第143条第2項:
    it ends at the end of the day before the day of the last month that corresponds to the starting day;
    when the last month has no such day (31日, 2月29日 …) it ends on that month's last day. A start on the
    1st (第143条第1項, the period starts at the beginning of a month) gives the same result.
    """
    if months < 0:
        raise ValueError("months must not be negative")
    first = event_day + ONE_DAY
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if first.day > last_day:
        return dt.date(year, month, last_day)
    return dt.date(year, month, first.day) - ONE_DAY


def resided_long_enough(start: dt.date, on: dt.date, *, months: int) -> bool:
    """「…の日から引き続き N 箇月以上記録されている」 on ``on``: the period has ended by the end of ``on``.

    Equivalent to ``start <= on - N months`` on the same day number: 基準日 12月1日 ⇒ 転入届 9月1日 まで.
    """
    return period_end(start, months) <= on


def months_passed(event_day: dt.date, on: dt.date, *, months: int) -> bool:
    """「…の日後 N 箇月を経過するに至つた」 on ``on``: the period ended before ``on`` began."""
    return on > period_end(event_day, months)


def massho_date(jusho_lost: dt.date, *, months: int) -> dt.date:
    """The first day on which a 表示 of 住所喪失 on ``jusho_lost`` is 抹消 (公職選挙法第28条第2号).

    転出日 2026-08-10 ⇒ the four months run 08-11 … 12-10 ⇒ 抹消 on 2026-12-11.
    """
    return period_end(jusho_lost, months) + ONE_DAY


def attains_voting_age(birth: dt.date | None, on: dt.date, *, age: int) -> bool:
    """Has reached ``age`` on ``on`` (年齢計算ニ関スル法律: from the day before the birthday)."""
    return birth is not None and attained_age_date(birth, age) <= on


@dataclass(frozen=True)
class ElectionWindow:
    """An election held in (part of) the municipality: 公示/告示日 and 選挙期日."""

    kouji_date: dt.date
    kijitsu: dt.date
    name: str = ""
    national: bool = False


@dataclass(frozen=True)
class TeijiPlan:
    """The dates of one 定時登録 (公職選挙法第22条第1項・第2項)."""

    kijun_date: dt.date  # 基準日: 資格は登録月の一日現在で判定
    toroku_date: dt.date  # 登録日
    age_date: dt.date  # 年齢を判定する日（第2項の場合は選挙期日）
    note: str = ""


def teiji_plan(
    year: int,
    month: int,
    *,
    elections: Iterable[ElectionWindow] = (),
    holiday_shift: bool | None = None,
) -> TeijiPlan:
    """基準日・登録日・年齢判定日 of the 定時登録 of ``year``/``month``.

    第22条第1項: 基準日 is the 1st; the 登録日 is the 1st, or — when the 1st is a 地方公共団体の休日 — the 1st
    or the next working day (the municipality chooses: ``municipal.senkyo.teiji_holiday_shift``). The
    holiday move does not apply when the 1st falls between the 公示/告示 of an election held here and the
    day before its 選挙期日; 第2項 then judges age on the 選挙期日 instead of the 1st.
    """
    try:
        kijun = dt.date(year, month, params.get("senkyo.teiji.kijun_day", on=dt.date(year, month, 1)))
    except ValueError:
        raise InputError.single("登録月", f"{year}年{month}月は日付になりません") from None
    months = params.get("senkyo.teiji.months", on=kijun)
    if month not in months:
        raise InputError.single(
            "登録月", f"{month}月は定時登録の登録月ではありません（{'・'.join(f'{m}月' for m in months)}）"
        )
    toroku_day = params.get("senkyo.teiji.toroku_day", on=kijun)
    for election in elections:
        if election.kouji_date <= kijun <= election.kijitsu - ONE_DAY:
            return TeijiPlan(
                kijun,
                dt.date(year, month, toroku_day),
                election.kijitsu,
                note=f"{election.name or '選挙'}の公示・告示日から選挙期日の前日までの間のため、"
                "登録日は休日でも移さず、年齢は選挙期日現在で判定（公職選挙法第22条第1項括弧書・第2項）",
            )
    toroku = dt.date(year, month, toroku_day)
    if holiday_shift is None:
        holiday_shift = bool(params.get("municipal.senkyo.teiji_holiday_shift", on=kijun))
    note = ""
    try:
        on_holiday = toroku_day == kijun.day and holiday_shift and is_holiday(toroku)
        shifted = next_working_day(toroku) if on_holiday else toroku
    except ParameterError as exc:  # a year whose 国民の祝日 are not in holidays.yaml yet
        raise InputError.single("登録日", str(exc)) from None
    if on_holiday:
        note = (
            f"{toroku.isoformat()} は地方公共団体の休日のため、登録日を {shifted.isoformat()} とする"
            "（公職選挙法第22条第1項）"
        )
        toroku = shifted
    return TeijiPlan(kijun, toroku, kijun, note=note)


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about one person (from the 選挙 projection of 住民記録 events)."""

    atena_no: str
    japanese: bool
    birth_date: dt.date | None
    kiroku_start: dt.date | None  # 住民票が作成された日（転入は転入届をした日）
    removal_date: dt.date | None  # 住所を有しなくなった日（転出日・消除日）; None while a resident
    removal_kind: str | None = None  # tenshutsu / kokugai / shokken / shibo / kokuseki / other
    disqualified: bool = False  # 選挙権停止（公職選挙法第11条第1項・第252条、政治資金規正法第28条）
    other_roll: bool = False  # 他の市町村の選挙人名簿に登録された旨の通知がある


@dataclass(frozen=True)
class Judgement:
    eligible: bool
    basis: str | None = None  # genjusho（法21条1項）/ kyujusho（法21条2項 旧住所地）
    reasons: tuple[str, ...] = field(default_factory=tuple)


MOVED_AWAY = frozenset({"tenshutsu", "kokugai"})


def judge(person: PersonFacts, *, kijun: dt.date, age_date: dt.date) -> Judgement:
    """被登録資格 (公職選挙法第21条) of ``person`` as of 基準日 ``kijun``; age judged on ``age_date``."""
    reasons: list[str] = []
    age = params.get("senkyo.nenrei", on=age_date)
    months = params.get("senkyo.juki_kikan_months", on=kijun)
    if not person.japanese:
        reasons.append("日本国民ではない")
    if not attains_voting_age(person.birth_date, age_date, age=age):
        reasons.append(f"{age_date.isoformat()} に満{age}年に達していない")
    if person.disqualified:
        reasons.append("選挙権を有しない（選挙権停止）")
    if person.kiroku_start is None or person.kiroku_start > kijun:
        reasons.append("基準日に住民基本台帳に記録されていない")
        return Judgement(False, None, tuple(reasons))
    present = person.removal_date is None or person.removal_date > kijun
    if present:
        if not resided_long_enough(person.kiroku_start, kijun, months=months):
            reasons.append(
                f"住民票の作成（転入届）{person.kiroku_start.isoformat()} から"
                f"引き続き{months}箇月に達していない"
            )
        return Judgement(not reasons, "genjusho" if not reasons else None, tuple(reasons))
    # 住所を有しなくなった者: 第21条第2項（旧住所地での登録）
    assert person.removal_date is not None
    lost = person.removal_date
    after = params.get("senkyo.tenshutsu_massho_months", on=kijun)
    if not params.get("senkyo.kyujusho_toroku", on=kijun):
        reasons.append("基準日に住所を有しない（旧住所地登録の制度の施行前）")
    elif person.removal_kind not in MOVED_AWAY:
        reasons.append("基準日に住所を有しない（転出ではない消除）")
    else:
        if not resided_long_enough(person.kiroku_start, lost - ONE_DAY, months=months):
            reasons.append(f"転出前に引き続き{months}箇月以上記録されていない")
        if months_passed(lost, kijun, months=after):
            reasons.append(f"住所を有しなくなった日 {lost.isoformat()} 後{after}箇月を経過している")
        if person.other_roll:
            reasons.append("他の市町村の選挙人名簿に登録されている")
    return Judgement(not reasons, "kyujusho" if not reasons else None, tuple(reasons))


NATIONAL_LEVELS = frozenset({"shugiin", "sangiin"})


def voting_right(
    *,
    status: str,
    hyoji_jusho_reason: str | None,
    hyoji_teishi: bool,
    level: str,
    same_prefecture: bool | None = None,
) -> tuple[str, str]:
    """Whether a roll entry may vote in an election of ``level`` here: ("yes" | "no" | "kakunin", why).

    A 表示 of 転出 keeps the person on the roll for four months: in 衆議院・参議院 elections they vote
    here (塩尻市・名古屋市選管: digest #17); in 都道府県 elections only after a move within the prefecture,
    on a certificate (公職選挙法第9条第3項); in 市町村 elections not at all (第9条第2項). A 国外転出 does not
    vote here (塩尻市選管「国外転出の場合は除く」; the 在外選挙人名簿 is the way).
    """
    if status == "massho":
        return "no", "選挙人名簿から抹消されている"
    if hyoji_teishi:
        return "no", "選挙権を有しない（公職選挙法第11条 等）"
    if hyoji_jusho_reason is None:
        return "yes", "登録されている"
    if hyoji_jusho_reason == "kokugai":
        return "no", "国外へ転出している（在外選挙人名簿による）"
    if level in NATIONAL_LEVELS:
        return "yes", "転出の表示後4箇月以内（旧住所地で投票）"
    if level == "todofuken":
        if same_prefecture is None:
            return "kakunin", "引き続き同一都道府県内に住所を有する旨の証明書で確認（公職選挙法第9条第3項）"
        return ("yes", "同一都道府県内の転出") if same_prefecture else ("no", "他の都道府県へ転出した")
    return "no", "市町村の区域内に住所を有しない（公職選挙法第9条第2項）"
