"""個人住民税の徴収: how a 年税額 is split into the amounts of each month or 納期 (tax-rules.md §1.11, §1.12).

Three ways of collecting, each a pure function of the 年税額 (and the 定額減税, the previous 年度's amount)
and of the parameters in force on the 賦課期日 (1 January) of the 年度 — never of the real clock:

- 給与特別徴収 (地方税法第321条の3〜第321条の5): the employer withholds 12 monthly amounts, June → next May.
  Each is the 1/12 floored to ¥100; the fraction (or the whole tax when 1/12 is under ¥100) goes to June.
  令和6年度, for a 定額減税 taxpayer: nothing in June and the tax after 減税 over the 11 months July → May,
  fraction in July.
- 普通徴収 (第320条): the taxpayer pays 4 納期 (June, August, October, January) by the dates of the
  市町村税条例; each 期 is the quarter floored to the municipality's unit (¥1,000 or ¥100), the
  fraction in 第1期. 令和6年度: the 減税 comes off 第1期 and what it cannot absorb off 第2期 onwards.
- 公的年金からの特別徴収 (第321条の7の2〜): 仮徴収 April/June/August (half the previous 年度's 年金特徴
  amount, in 3) and 本徴収 October/December/February (the rest of this 年度's amount, in 3).

Every function takes a Python ``int`` (one taxpayer, a simulation at the counter) or an ``int64`` array
(every taxpayer of the municipality, the 当初課税 batch) and computes with whole-array NumPy operations —
no per-person loop — so the batch and the counter share one code path. Each row of the result sums
exactly to the amount it collects: nothing is lost to rounding, which is why the fraction is always put
in one named period rather than rounded away.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from yakuba.kernel.holidays import next_working_day
from yakuba.params import ParameterError, ParameterSet, default_parameters
from yakuba.zeimu.money import Rate, as_yen_array

__all__ = ["Noki", "Schedule", "futsu_choshu", "nenkin_choshu", "noki_dates", "tokubetsu_choshu"]

YenInput = int | np.ndarray  # a Python int (one taxpayer) or an int64 array (one per taxpayer)

_KYUYO = "zeimu.kojin.choshu.kyuyo"
_FUTSU = "zeimu.kojin.choshu.futsu"
_NENKIN = "zeimu.kojin.choshu.nenkin"
_MUNICIPAL_FUTSU = "municipal.zeimu.kojin.choshu.futsu"


@dataclass(frozen=True)
class Schedule:
    """The amounts of each collection period, one row per taxpayer.

    ``months`` are the column labels a notice prints (「6月」… for 特別徴収, 「第1期」… for 普通徴収) and
    ``year_months`` the calendar (year, month) of each column — January of 令和6年度 is 2025. ``due_dates``
    are the 納期限 of 普通徴収 (empty for 特別徴収, whose 納入期限 is the employer's or the 年金保険者's).
    ``amounts`` is int64 of shape (n_taxpayers, n_periods), or (n_periods,) for a scalar input.
    ``annual`` is what the schedule collects (the 年税額 after 定額減税); each row of ``amounts`` sums to
    ``annual + excess``, where ``excess`` is non-zero only in 年金特徴 when the 仮徴収 already taken
    exceeds this 年度's amount (the 過納 is refunded or applied, 地方税法第17条・第17条の2) — elsewhere
    it is zero and the row sums exactly to ``annual``.
    """

    months: tuple[str, ...]
    year_months: tuple[tuple[int, int], ...]
    due_dates: tuple[dt.date, ...]
    amounts: np.ndarray
    annual: YenInput
    excess: YenInput

    @property
    def total(self) -> YenInput:
        """What the periods add up to (``annual + excess``), of the kind of the input."""
        summed = self.amounts.sum(axis=-1)
        return int(summed) if self.amounts.ndim == 1 else summed


def _year_month(nendo: int, month: int) -> tuple[int, int]:
    """January to March belong to the calendar year after the one the 年度 starts in."""
    return (nendo, month) if month >= 4 else (nendo + 1, month)


def _amounts(name: str, value: YenInput) -> tuple[np.ndarray, bool]:
    """The input as a 1-D int64 array and whether it was a scalar; negative or float input is refused."""
    array = as_yen_array(value)
    scalar = array.ndim == 0
    if array.ndim > 1:
        raise ValueError(f"{name} は整数か1次元の配列で渡してください")
    array = np.atleast_1d(array)
    if (array < 0).any():
        raise ValueError(f"{name} に負の金額があります")
    return array, scalar


def _with_genzei(nenzei: YenInput, genzei: YenInput) -> tuple[np.ndarray, np.ndarray, bool]:
    """年税額 and 定額減税 as aligned arrays; a 減税 larger than the tax is a caller's error, not a refund."""
    tax, scalar = _amounts("年税額", nenzei)
    deduction, deduction_scalar = _amounts("定額減税額", genzei)
    deduction = np.broadcast_to(deduction, tax.shape)
    if (deduction > tax).any():
        raise ValueError("定額減税額が年税額を超えています（減税額は所得割の額が上限です）")
    return tax, deduction, scalar and deduction_scalar


def _split(total: np.ndarray, columns: int, unit: int, first: int, width: int) -> np.ndarray:
    """``total`` over ``columns`` consecutive periods starting at ``first`` of ``width``.

    Each period gets ``total ÷ columns`` floored to ``unit``; the fraction goes to period ``first``. When
    the share is under ``unit`` it floors to 0 and the whole total lands in ``first`` — which is the
    statutory rule for 給与特別徴収 (第321条の5第1項: 「その額が百円未満であるときは…その全額」).
    """
    share = (total // columns) // unit * unit
    out = np.zeros((total.shape[0], width), dtype=np.int64)
    out[:, first : first + columns] = share[:, None]
    out[:, first] += total - columns * share
    return out


def _split_with_remainder_at(total: np.ndarray, columns: int, unit: int, remainder_at: int) -> np.ndarray:
    """As :func:`_split` over all ``columns``, with the fraction in period ``remainder_at``."""
    share = (total // columns) // unit * unit
    out = np.repeat(share[:, None], columns, axis=1).astype(np.int64)
    out[:, remainder_at] += total - columns * share
    return out


def _deduct_in_order(amounts: np.ndarray, deduction: np.ndarray, columns: list[int]) -> np.ndarray:
    """Take ``deduction`` off ``columns`` in order, each at most down to zero (R6 定額減税 普通徴収・年金).

    Vectorised: what precedes column j is the cumulative sum of the earlier columns, and column j gives
    up ``min(its amount, what is still to deduct)``.
    """
    out = amounts.copy()
    block = out[:, columns]
    before = np.cumsum(block, axis=1) - block
    taken = np.minimum(block, np.maximum(deduction[:, None] - before, 0))
    out[:, columns] = block - taken
    return out


def _finish(
    labels: tuple[str, ...],
    year_months: tuple[tuple[int, int], ...],
    due_dates: tuple[dt.date, ...],
    amounts: np.ndarray,
    annual: np.ndarray,
    excess: np.ndarray,
    scalar: bool,
) -> Schedule:
    if scalar:
        return Schedule(labels, year_months, due_dates, amounts[0], int(annual[0]), int(excess[0]))
    return Schedule(labels, year_months, due_dates, amounts, annual, excess)


def _on(nendo: int) -> dt.date:
    """Parameters of a 住民税 年度 are read on its 賦課期日, 1 January (tax-rules.md §0)."""
    return dt.date(nendo, 1, 1)


def _unit(parameters: ParameterSet, key: str, on: dt.date) -> int:
    unit = int(parameters.get(key, on=on))
    if unit <= 0:
        raise ParameterError(f"{key} は正の金額でなければなりません（{unit}）")
    return unit


def tokubetsu_choshu(
    nenzei: YenInput,
    *,
    nendo: int,
    genzei: YenInput = 0,
    parameters: ParameterSet | None = None,
) -> Schedule:
    """給与特別徴収: the 12 monthly amounts June → next May (地方税法第321条の3〜第321条の5).

    ``nenzei`` is the 年税額 (市町村民税 + 道府県民税 + 森林環境税) before 定額減税 and ``genzei`` the
    減税 actually granted (already capped at 所得割 by the engine); the schedule collects the difference.
    Ordinarily monthly = floor₁₀₀(collected ÷ 12) and June takes the rest. While
    ``zeimu.kojin.choshu.kyuyo.teigaku_genzei`` is in force (令和6年度), a row with ``genzei > 0`` has no
    June amount and is split over ``first_month`` (July) → May with the fraction in ``first_month``; a
    row without 減税 (均等割 only, 合計所得 1,805万円超) keeps the ordinary 12 months, as in 2024.
    """
    parameters = parameters or default_parameters()
    on = _on(nendo)
    tax, deduction, scalar = _with_genzei(nenzei, genzei)
    months = [int(m) for m in parameters.get(f"{_KYUYO}.months", on=on)]
    unit = _unit(parameters, f"{_KYUYO}.unit", on)
    collected = tax - deduction
    amounts = _split(collected, len(months), unit, 0, len(months))
    special: Any = parameters.in_force(f"{_KYUYO}.teigaku_genzei", on=on)
    if special is not None:
        first = months.index(int(special["first_month"]))
        shifted = _split(collected, len(months) - first, unit, first, len(months))
        amounts = np.where((deduction > 0)[:, None], shifted, amounts)
    labels = tuple(f"{m}月" for m in months)
    year_months = tuple(_year_month(nendo, m) for m in months)
    return _finish(labels, year_months, (), amounts, collected, np.zeros_like(collected), scalar)


class Noki(NamedTuple):
    """One 普通徴収 納期: its 期別, the (year, month) the 条例 puts it in, and its 納期限."""

    kibetsu: str
    year: int
    month: int
    due: dt.date


def noki_dates(nendo: int, *, parameters: ParameterSet | None = None) -> tuple[Noki, ...]:
    """The 普通徴収 納期 of ``nendo`` (期別, month, 納期限) from the municipality's 条例 (地方税法第320条).

    A ``day: end`` is the last day of the month. When the 納期限 falls on a 休日 it becomes the next day
    that is not one (地方税法第20条の5第2項, 施行令第6条の18: 土日・祝日・12月29日〜1月3日), unless the
    municipality switched ``holiday_shift`` off. The 祝日 come from ``calendar.holidays``: a 年度 whose
    January is not yet in the table raises ``ParameterError`` rather than guess.
    """
    parameters = parameters or default_parameters()
    on = _on(nendo)
    shift = bool(parameters.get(f"{_MUNICIPAL_FUTSU}.holiday_shift", on=on))
    out: list[Noki] = []
    for i, item in enumerate(parameters.get(f"{_MUNICIPAL_FUTSU}.noki", on=on)):
        where = f"{_MUNICIPAL_FUTSU}.noki[{i}]"
        try:
            label = str(item["kibetsu"])
            year, month = _year_month(nendo, int(item["month"]))
            raw_day = item["day"]
            day = calendar.monthrange(year, month)[1] if raw_day == "end" else int(raw_day)
            due = dt.date(year, month, day)
        except (KeyError, TypeError, ValueError):
            raise ParameterError(f"{where}: kibetsu・month・day（日または end）が必要です") from None
        shifted = next_working_day(due, parameters=parameters) if shift else due
        out.append(Noki(label, year, month, shifted))
    if not out:
        raise ParameterError(f"{_MUNICIPAL_FUTSU}.noki: 納期が1つもありません")
    return tuple(out)


def futsu_choshu(
    nenzei: YenInput,
    *,
    nendo: int,
    genzei: YenInput = 0,
    parameters: ParameterSet | None = None,
) -> Schedule:
    """普通徴収: the amount of each 納期 (地方税法第320条) and its 納期限.

    Each 期 is ``collected ÷ 納期の数`` floored to ``municipal.zeimu.kojin.choshu.futsu.unit`` (¥1,000 by
    default) and the fraction goes to ``remainder_kibetsu`` (第1期 by default). ``nenzei`` is the tax before
    定額減税 and ``genzei`` the 減税: ordinarily the tax after 減税 is split. While
    ``zeimu.kojin.choshu.futsu.teigaku_genzei`` is ``sequential`` (令和6年度) the tax *before* 減税 is split
    and the 減税 is taken off 第1期, then what is left of it off 第2期 and onwards (tax-rules.md §1.11),
    so the amounts of the later 期 are those the taxpayer would have paid without 減税.
    """
    parameters = parameters or default_parameters()
    on = _on(nendo)
    tax, deduction, scalar = _with_genzei(nenzei, genzei)
    noki = noki_dates(nendo, parameters=parameters)
    unit = _unit(parameters, f"{_MUNICIPAL_FUTSU}.unit", on)
    remainder_at = int(parameters.get(f"{_MUNICIPAL_FUTSU}.remainder_kibetsu", on=on)) - 1
    if not 0 <= remainder_at < len(noki):
        raise ParameterError(f"{_MUNICIPAL_FUTSU}.remainder_kibetsu は 1〜{len(noki)} の期です")
    collected = tax - deduction
    if parameters.in_force(f"{_FUTSU}.teigaku_genzei", on=on) == "sequential":
        before = _split_with_remainder_at(tax, len(noki), unit, remainder_at)
        amounts = _deduct_in_order(before, deduction, list(range(len(noki))))
    else:
        amounts = _split_with_remainder_at(collected, len(noki), unit, remainder_at)
    labels = tuple(n.kibetsu for n in noki)
    year_months = tuple((n.year, n.month) for n in noki)  # the 納期 month, even when its 納期限 moved on
    due_dates = tuple(n.due for n in noki)
    return _finish(labels, year_months, due_dates, amounts, collected, np.zeros_like(collected), scalar)


def nenkin_choshu(
    nenkin_bun: YenInput,
    *,
    nendo: int,
    previous_annual: YenInput = 0,
    genzei: YenInput = 0,
    parameters: ParameterSet | None = None,
) -> Schedule:
    """公的年金からの特別徴収: 仮徴収 April/June/August and 本徴収 October/December/February.

    ``nenkin_bun`` is this 年度's tax on the 公的年金等に係る所得 (before 定額減税), ``previous_annual`` the
    previous 年度's 年金特徴 annual amount (0 for none). 仮徴収 (第321条の7の8) collects
    ``previous_annual × ½`` in 3 with the fraction in April; 本徴収 (第321条の7の2・第321条の7の3) collects
    what remains of ``nenkin_bun`` in 3 with the fraction in October. While
    ``zeimu.kojin.choshu.nenkin.teigaku_genzei`` is in force (令和6年度) the 減税 is taken off October,
    then December and February; otherwise it simply lowers the 本徴収. When the 仮徴収 (or the 減税) is
    more than the 本徴収 can absorb, the 本徴収 is 0 and the difference is reported as ``excess``.

    Not modelled (docs/decisions/zeimu-kojin-choshu.md): the first 年度 of 年金特徴 (half by 普通徴収 in
    June and August), the 仮徴収 before the 平成28年10月 rule, 特別徴収 stopping mid-year, 税額変更.
    """
    parameters = parameters or default_parameters()
    on = _on(nendo)
    tax, deduction, scalar = _with_genzei(nenkin_bun, genzei)
    previous, _ = _amounts("前年度の年金特徴税額", previous_annual)
    previous = np.broadcast_to(previous, tax.shape)
    kari_months = [int(m) for m in parameters.get(f"{_NENKIN}.karichoshu_months", on=on)]
    hon_months = [int(m) for m in parameters.get(f"{_NENKIN}.honchoshu_months", on=on)]
    unit = _unit(parameters, f"{_NENKIN}.unit", on)
    fraction = Rate.of(parameters.get(f"{_NENKIN}.karichoshu_fraction", on=on))
    width = len(kari_months) + len(hon_months)

    kari_total = fraction.floor(previous)
    amounts = _split(kari_total, len(kari_months), unit, 0, width)
    hon_columns = list(range(len(kari_months), width))
    sequential = parameters.in_force(f"{_NENKIN}.teigaku_genzei", on=on) == "sequential"
    collected = tax - deduction
    base = tax if sequential else collected
    hon_total = np.maximum(base - kari_total, 0)
    amounts += _split(hon_total, len(hon_months), unit, len(kari_months), width)
    if sequential:
        amounts = _deduct_in_order(amounts, deduction, hon_columns)
    excess = amounts.sum(axis=1) - collected
    months = kari_months + hon_months
    labels = tuple(f"{m}月" for m in months)
    year_months = tuple(_year_month(nendo, m) for m in months)
    return _finish(labels, year_months, (), amounts, collected, excess, scalar)
