"""投票区 (公職選挙法第17条): a master of 町字 / 番地 ranges → 投票区, assignment, and bulk reassignment.

The master is kept in versions: each version is a complete set of 投票区 and rules with the date it takes
effect, so the assignment on any past date can be reproduced and a change never overwrites the old one.
A rule covers a whole 町字, or a range of the leading 番地 number within it (「1番地〜49番地」); a range
rule wins over a whole-町字 rule. Overlapping ranges in one 町字 are refused when the master is defined.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from pydantic import BaseModel, Field
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from yakuba.errors import FieldProblem, InputError
from yakuba.senkyo import meibo
from yakuba.senkyo.models import Meibo, MeiboRireki, Tohyoku, TohyokuKukaku, TohyokuMaster
from yakuba.uow import UnitOfWork

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十百千]+")
_LEADING_NUMBER = re.compile(r"(\d+)")


def _kanji_to_int(text: str) -> int:
    if not any(c in _KANJI_UNITS for c in text):  # 二〇五 (digit by digit)
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[char]
        else:
            total += (digit or 1) * _KANJI_UNITS[char]
            digit = 0
    return total + digit


def banchi_number(banchi: str | None) -> int | None:
    """The leading 番地 number of 「12番地の3」「１２－３」「十二番地」 (None when there is none)."""
    if not banchi:
        return None
    text = unicodedata.normalize("NFKC", banchi)
    text = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(0))), text)
    found = _LEADING_NUMBER.search(text)
    return int(found.group(1)) if found else None


def banchi_sort_key(banchi: str | None) -> tuple[int, ...]:
    """All numbers of a 番地 in order (「3番5号」→ (3, 5)), for sorting entries in address order."""
    if not banchi:
        return ()
    text = unicodedata.normalize("NFKC", banchi)
    text = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(0))), text)
    return tuple(int(n) for n in _LEADING_NUMBER.findall(text))


class DistrictInput(BaseModel):
    code: str = Field(min_length=1, max_length=10, pattern=r"^[0-9A-Za-z-]+$", description="投票区コード")
    name: str = Field(min_length=1, max_length=100, description="投票区の名称（第1投票区 など）")
    tohyosho_name: str | None = Field(default=None, max_length=200, description="投票所の名称")
    tohyosho_address: str | None = Field(default=None, max_length=300, description="投票所の所在地")


class RuleInput(BaseModel):
    choaza_code: str = Field(pattern=r"^\d{7}$", description="町字コード（7桁）")
    banchi_from: int | None = Field(default=None, ge=0, description="番地の範囲（始め）。省略時は町字全体")
    banchi_to: int | None = Field(default=None, ge=0, description="番地の範囲（終わり）")
    tohyoku_code: str = Field(min_length=1, max_length=10, description="投票区コード")


class MasterInput(BaseModel):
    effective_from: dt.date = Field(description="この区割りを適用する日")
    districts: list[DistrictInput] = Field(min_length=1, description="投票区")
    rules: list[RuleInput] = Field(min_length=1, description="町字・番地の範囲と投票区")
    note: str | None = Field(default=None, max_length=1000, description="変更の理由（告示番号など）")


def _validate(command: MasterInput) -> None:
    problems: list[FieldProblem] = []
    codes = [d.code for d in command.districts]
    if len(set(codes)) != len(codes):
        problems.append(FieldProblem("投票区コード", "同じコードが重複しています"))
    by_choaza: dict[str, list[RuleInput]] = {}
    for i, rule in enumerate(command.rules, start=1):
        where = f"区割り{i}件目"
        if rule.tohyoku_code not in codes:
            problems.append(FieldProblem(where, f"投票区 {rule.tohyoku_code} は定義されていません"))
        if (rule.banchi_from is None) != (rule.banchi_to is None):
            problems.append(FieldProblem(where, "番地の範囲は始めと終わりを両方指定してください"))
        elif (
            rule.banchi_from is not None and rule.banchi_to is not None and rule.banchi_from > rule.banchi_to
        ):
            problems.append(FieldProblem(where, "番地の範囲の始めが終わりより大きくなっています"))
        by_choaza.setdefault(rule.choaza_code, []).append(rule)
    for choaza, rules in by_choaza.items():
        whole = [r for r in rules if r.banchi_from is None]
        if len(whole) > 1:
            problems.append(FieldProblem(f"町字 {choaza}", "町字全体の区割りが2つ以上あります"))
        ranges = sorted((r.banchi_from, r.banchi_to) for r in rules if r.banchi_from is not None)
        for (_a, b), (c, _d) in pairwise(ranges):
            if b is not None and c is not None and c <= b:
                problems.append(FieldProblem(f"町字 {choaza}", f"番地の範囲が重なっています（{c}番地）"))
    if problems:
        raise InputError(*problems)


def define_master(uow: UnitOfWork, command: MasterInput) -> TohyokuMaster:
    """A new version of the 投票区 master (the previous versions stay for the dates they covered)."""
    _validate(command)
    uow.scratch.pop(_ASSIGNER_KEY, None)  # a master defined in this transaction changes the assignment
    session = uow.session
    master = TohyokuMaster(effective_from=command.effective_from, note=command.note, operator=uow.actor.login)
    session.add(master)
    session.flush()
    for d in command.districts:
        session.add(Tohyoku(master_id=master.id, **d.model_dump()))
    for r in command.rules:
        session.add(TohyokuKukaku(master_id=master.id, **r.model_dump()))
    session.flush()
    return master


def master_on(session: Session, on: dt.date) -> TohyokuMaster | None:
    return session.execute(
        select(TohyokuMaster)
        .where(TohyokuMaster.effective_from <= on)
        .order_by(TohyokuMaster.effective_from.desc(), TohyokuMaster.id.desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class District:
    code: str
    name: str
    tohyosho_name: str | None
    tohyosho_address: str | None


def districts(session: Session, on: dt.date) -> dict[str, District]:
    master = master_on(session, on)
    if master is None:
        return {}
    rows = session.execute(select(Tohyoku).where(Tohyoku.master_id == master.id).order_by(Tohyoku.code))
    return {t.code: District(t.code, t.name, t.tohyosho_name, t.tohyosho_address) for t in rows.scalars()}


class Assigner:
    """Assignment under one master version (rules loaded once, for runs over many persons)."""

    def __init__(self, session: Session, on: dt.date) -> None:
        self.master = master_on(session, on)
        self._rules: dict[str, list[TohyokuKukaku]] = {}
        if self.master is not None:
            for rule in session.execute(
                select(TohyokuKukaku).where(TohyokuKukaku.master_id == self.master.id)
            ).scalars():
                self._rules.setdefault(rule.choaza_code, []).append(rule)

    def code_for(self, choaza_code: str | None, banchi: str | None) -> str | None:
        if choaza_code is None:
            return None
        rules = self._rules.get(choaza_code, [])
        number = banchi_number(banchi)
        if number is not None:
            for rule in rules:
                low, high = rule.banchi_from, rule.banchi_to
                if low is not None and high is not None and low <= number <= high:
                    return rule.tohyoku_code
        for rule in rules:
            if rule.banchi_from is None:
                return rule.tohyoku_code
        return None


_ASSIGNER_KEY = "senkyo.tohyoku.assigner"


def assigner_for(uow: UnitOfWork, on: dt.date) -> Assigner:
    """The :class:`Assigner` of ``on``, loaded once per transaction (a 世帯's 転居 asks once per member)."""
    cache = uow.scratch.setdefault(_ASSIGNER_KEY, {})
    found = cache.get(on)
    if found is None:
        found = cache[on] = Assigner(uow.session, on)
    assert isinstance(found, Assigner)
    return found


def assign(session: Session, choaza_code: str | None, banchi: str | None, on: dt.date) -> str | None:
    return Assigner(session, on).code_for(choaza_code, banchi)


def reassign_all(uow: UnitOfWork, *, on: dt.date, shori_date: dt.date) -> list[MeiboRireki]:
    """Bulk reassignment under the master in force on ``on`` (idempotent: unchanged entries get no row)."""
    session = uow.session
    assigner = Assigner(session, on)
    if assigner.master is None:
        return []
    changed: list[MeiboRireki] = []
    entries = session.execute(
        select(MeiboRireki)
        .join(
            Meibo,
            and_(Meibo.atena_no == MeiboRireki.atena_no, Meibo.current_rireki_no == MeiboRireki.rireki_no),
        )
        .where(Meibo.status != "massho")
        .order_by(MeiboRireki.atena_no)
    ).scalars()
    for entry in list(entries):
        code = assigner.code_for(entry.choaza_code, entry.banchi)
        if code == entry.tohyoku_code:
            continue
        row = meibo.change_tohyoku(
            uow, entry.atena_no, code=code, on=max(on, assigner.master.effective_from), shori_date=shori_date
        )
        if row is not None:
            changed.append(row)
    return changed
