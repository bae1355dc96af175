"""在外選挙人名簿 (公職選挙法 第4章の2, 第30条の2〜第30条の16): registration on application only.

* 在外公館申請 (第30条の4第1項・第30条の5第1項〜第3項): an 18+ Japanese national living in the 領事官's
  district for three months or more applies through the 領事官.
* 出国時申請 (第30条の4第2項・第30条の5第4項): with the 国外転出届, a person on this municipality's roll
  applies for the 登録の移転; it is made once the person has a 住所 abroad (the 転出日 has come), and
  the entry on the domestic roll is then 抹消.
* No 登録 or 登録の移転 from the 公示/告示 of a 衆議院・参議院 election until its 選挙期日 (第30条の6第3項);
  the application waits and is processed afterwards.
* A 在外選挙人証 is issued through the 領事官 (第30条の6第4項・第5項): :func:`shosho` gives its items.
* 表示 when the person comes back and gets a 住民票 here (第30条の10), 抹消 four months after the day the
  住所 in Japan was fixed (第30条の11第2号), or on death / loss of nationality (第1号).
* Every 登録, 登録の移転 and 抹消 is reported to the 本籍地 市町村長 for the 戸籍の附票 (住民基本台帳法
  第17条の2): :class:`ZaigaiSenkyoRegistered` / :class:`ZaigaiSenkyoRemoved`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound
from yakuba.kernel.age import attained_age_date
from yakuba.kernel.history import in_force, row_in_force
from yakuba.senkyo import meibo, projection
from yakuba.senkyo.events import ZaigaiSenkyoRegistered, ZaigaiSenkyoRemoved
from yakuba.senkyo.models import Election, Jumin, ZaigaiRireki, ZaigaiShinsei
from yakuba.senkyo.rules import massho_date, months_passed, resided_long_enough
from yakuba.uow import UnitOfWork

NATIONAL_LEVELS = ("shugiin", "sangiin")
REASONS = {
    "zaikan": "在外公館申請による登録",
    "shukkokuji": "出国時申請による登録の移転",
    "kokunai": "国内の市町村の区域内に住所を定めた",
    "kokunai_4m": "国内に住所を定めた日後4箇月の経過",
    "shibo": "死亡",
    "kokuseki": "日本の国籍の喪失",
    "ayamari": "登録されるべきでなかった",
}


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str


class ZaigaiInput(BaseModel):
    """在外選挙人名簿登録申請書（在外公館申請）/ 在外選挙人名簿登録移転申請書（出国時申請）."""

    kind: Literal["zaikan", "shukkokuji"] = Field(description="zaikan 在外公館申請 / shukkokuji 出国時申請")
    atena_no: str | None = Field(
        default=None, max_length=15, description="宛名番号（最終住所がこの市町村の人）"
    )
    shi: str = Field(min_length=1, max_length=100, description="氏（戸籍の氏）")
    mei: str = Field(default="", max_length=100, description="名")
    shi_kana: str | None = Field(default=None, max_length=100)
    mei_kana: str | None = Field(default=None, max_length=100)
    birth_date: dt.date = Field(description="生年月日")
    sex: str = Field(pattern="^[12]$", description="性別 1 男 / 2 女")
    honseki: str = Field(min_length=1, max_length=300, description="本籍")
    hittosha: str | None = Field(default=None, max_length=200, description="筆頭者")
    saishu_jusho: str | None = Field(
        default=None, max_length=400, description="最終住所（国外へ移す直前の住所）"
    )
    kokugai_jusho: str | None = Field(default=None, max_length=400, description="国外の住所")
    ryojikan: str | None = Field(default=None, max_length=200, description="経由領事官（在外公館）")
    residence_since: dt.date | None = Field(default=None, description="領事官の管轄区域内に住所を定めた日")
    shinsei_date: dt.date = Field(description="申請日（領事官に申請書を提出した日・転出届の日）")

    @model_validator(mode="after")
    def _by_kind(self) -> ZaigaiInput:
        if self.kind == "zaikan":
            missing = [
                label
                for label, value in (
                    ("国外の住所", self.kokugai_jusho),
                    ("経由領事官", self.ryojikan),
                    ("管轄区域内に住所を定めた日", self.residence_since),
                )
                if not value
            ]
            if missing:
                raise ValueError("在外公館申請には " + "・".join(missing) + " が必要です")
        elif not self.atena_no:
            raise ValueError("出国時申請には宛名番号（この市町村の選挙人名簿に登録されている人）が必要です")
        return self


def apply(uow: UnitOfWork, command: ZaigaiInput, *, today: dt.date) -> ZaigaiShinsei:
    """Receive an application (it is processed by :func:`register`, at once or after an election)."""
    if command.kind == "shukkokuji" and not params.get("senkyo.zaigai.shukkokuji_shinsei", on=today):
        raise InputError.single("申請の種類", "出国時申請はこの日には受け付けられません（制度の施行前）")
    if command.kind == "shukkokuji":
        assert command.atena_no is not None
        if not meibo.on_roll(meibo.current(uow.session, command.atena_no)):
            raise InputError.single(
                "宛名番号",
                "出国時申請は、この市町村の選挙人名簿に登録されている人だけができます（第30条の4第2項）",
            )
    row = ZaigaiShinsei(**command.model_dump(), received_on=today, operator=uow.actor.login)
    uow.session.add(row)
    uow.session.flush()
    return row


def current(session: Session, zaigai_no: str) -> ZaigaiRireki | None:
    return session.execute(row_in_force(ZaigaiRireki, zaigai_no)).scalar_one_or_none()


def _entries(session: Session) -> list[ZaigaiRireki]:
    return list(session.execute(in_force(ZaigaiRireki).order_by(ZaigaiRireki.zaigai_no)).scalars())


def _blackout(session: Session, on: dt.date) -> Election | None:
    return session.execute(
        select(Election)
        .where(Election.level.in_(NATIONAL_LEVELS), Election.kouji_date <= on, Election.kijitsu >= on)
        .limit(1)
    ).scalar_one_or_none()


def register(uow: UnitOfWork, shinsei_id: int, *, today: dt.date, municipality: Municipality) -> ZaigaiRireki:
    """登録 (第30条の6第1項) or 登録の移転 (第2項) for one application."""
    session = uow.session
    shinsei = session.get(ZaigaiShinsei, shinsei_id)
    if shinsei is None:
        raise NotFound(f"在外選挙人名簿の申請 {shinsei_id} はありません")
    done = session.execute(select(ZaigaiRireki.id).where(ZaigaiRireki.shinsei_id == shinsei_id)).first()
    if done is not None:
        raise Conflict(f"申請 {shinsei_id} は処理済みです")
    election = _blackout(session, today)
    if election is not None:
        raise InputError.single(
            "登録日",
            f"{election.name}の公示・告示日（{election.kouji_date.isoformat()}）から選挙期日"
            f"（{election.kijitsu.isoformat()}）までは在外選挙人名簿の登録・登録の移転を行いません"
            "（公職選挙法第30条の6第3項）。選挙期日の翌日以後に処理してください",
        )
    age = params.get("senkyo.nenrei", on=today)
    if attained_age_date(shinsei.birth_date, age) > today:
        raise InputError.single("生年月日", f"年齢満{age}年に達していません")
    for entry in _entries(session):
        same = (shinsei.atena_no is not None and entry.atena_no == shinsei.atena_no) or (
            entry.shi == shinsei.shi
            and entry.mei == shinsei.mei
            and entry.birth_date == shinsei.birth_date
            and entry.honseki == shinsei.honseki
        )
        if same and entry.status != "massho":
            raise Conflict(f"既に在外選挙人名簿に登録されています（在外選挙人番号 {entry.zaigai_no}）")
    person = session.get(Jumin, shinsei.atena_no) if shinsei.atena_no else None
    if person is not None and person.jumin_shubetsu != "1":
        raise InputError.single("国籍", "日本国民ではありません")
    if shinsei.kind == "zaikan":
        months = params.get("senkyo.zaigai.zaikan_kikan_months", on=today)
        assert shinsei.residence_since is not None
        if not resided_long_enough(shinsei.residence_since, today, months=months):
            raise InputError.single(
                "管轄区域内に住所を定めた日",
                f"領事官の管轄区域内に引き続き{months}箇月以上住所を有していません（第30条の4第1項）",
            )
        kind = "toroku"
    else:
        if person is None or not meibo.on_roll(meibo.current(session, person.atena_no)):
            raise InputError.single(
                "宛名番号", "この市町村の選挙人名簿に登録されていません（第30条の4第2項）"
            )
        gone = projection.removal_date(person)
        if projection.removal_kind(person) != "kokugai" or gone is None or gone > today:
            raise InputError.single(
                "転出日", "国外に住所を有するに至っていません。国外転出の転出日の到来後に登録の移転をします"
            )
        kind = "iten"
    count = session.execute(select(func.count(func.distinct(ZaigaiRireki.zaigai_no)))).scalar() or 0
    zaigai_no = f"{count + 1:08d}"
    row = ZaigaiRireki(
        zaigai_no=zaigai_no,
        rireki_no=1,
        kind=kind,
        reason=shinsei.kind,
        shinsei_id=shinsei.id,
        effective_date=today,
        shori_date=today,
        status="toroku",
        toroku_date=today,
        shosho_no=f"{municipality.code}-{zaigai_no}",
        atena_no=shinsei.atena_no,
        shi=shinsei.shi,
        mei=shinsei.mei,
        birth_date=shinsei.birth_date,
        sex=shinsei.sex,
        honseki=shinsei.honseki,
        hittosha=shinsei.hittosha or (person.hittosha if person is not None else None),
        jumin_code=person.jumin_code if person is not None else None,
        saishu_jusho=shinsei.saishu_jusho or (projection.address(person) if person is not None else None),
        kokugai_jusho=shinsei.kokugai_jusho,
        operator=uow.actor.login,
    )
    session.add(row)
    session.flush()
    if kind == "iten":  # the domestic entry goes when the 登録の移転 is made
        meibo.massho(uow, shinsei.atena_no or "", reason="zaigai_iten", on=today, shori_date=today)
    uow.record(
        ZaigaiSenkyoRegistered(
            zaigai_no=zaigai_no,
            kind=kind,
            atena_no=shinsei.atena_no,
            shi=shinsei.shi,
            mei=shinsei.mei,
            birth_date=shinsei.birth_date,
            sex=shinsei.sex,
            honseki=shinsei.honseki,
            hittosha=row.hittosha,
            jumin_code=row.jumin_code,
            municipality_code=municipality.code,
            municipality_name=municipality.name,
            toroku_date=today,
        )
    )
    return row


def _append(
    uow: UnitOfWork,
    entry: ZaigaiRireki,
    *,
    kind: str,
    reason: str,
    on: dt.date,
    today: dt.date,
    **changes: Any,
) -> ZaigaiRireki:
    values = {
        c.key: getattr(entry, c.key)
        for c in ZaigaiRireki.__table__.columns
        if c.key
        not in (
            "id",
            "rireki_no",
            "kind",
            "reason",
            "effective_date",
            "shori_date",
            "operator",
            "recorded_at",
        )
    }
    values.update(changes)
    row = ZaigaiRireki(
        **values,
        rireki_no=entry.rireki_no + 1,
        kind=kind,
        reason=reason,
        effective_date=max(on, entry.effective_date),
        shori_date=today,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def massho(
    uow: UnitOfWork, zaigai_no: str, *, reason: str, on: dt.date, today: dt.date, municipality: Municipality
) -> ZaigaiRireki:
    """抹消 (第30条の11): 死亡・国籍喪失 (第1号), 4 months after a 国内の住所 (第2号), wrong entry (第3号)."""
    entry = current(uow.session, zaigai_no)
    if entry is None or entry.status == "massho":
        raise NotFound(f"在外選挙人番号 {zaigai_no} の登録はありません")
    row = _append(
        uow, entry, kind="massho", reason=reason, on=on, today=today, status="massho", massho_reason=reason
    )
    uow.record(
        ZaigaiSenkyoRemoved(
            zaigai_no=zaigai_no,
            atena_no=entry.atena_no,
            honseki=entry.honseki,
            hittosha=entry.hittosha,
            jumin_code=entry.jumin_code,
            shi=entry.shi,
            mei=entry.mei,
            birth_date=entry.birth_date,
            municipality_code=municipality.code,
            municipality_name=municipality.name,
            massho_date=row.effective_date,
            reason=reason,
        )
    )
    return row


def daily(
    uow: UnitOfWork, *, today: dt.date, dry_run: bool = False, municipality: Municipality | None = None
) -> list[dict[str, object]]:
    """表示 of those who came back to live here (第30条の10) and their 抹消 after four months (第30条の11)."""
    session = uow.session
    after = params.get("senkyo.tenshutsu_massho_months", on=today)
    done: list[dict[str, object]] = []
    if municipality is not None and _blackout(session, today) is None:
        for shinsei in _waiting_iten(session, today):
            done.append({"shinsei_id": shinsei.id, "kind": "iten", "on": today})
            if not dry_run:
                register(uow, shinsei.id, today=today, municipality=municipality)
    for entry in _entries(session):
        if entry.status == "massho" or entry.atena_no is None:
            continue
        person = session.get(Jumin, entry.atena_no)
        if (
            entry.status == "toroku"
            and person is not None
            and projection.is_present(person, today)
            and person.kiroku_start is not None
            and person.kiroku_start > entry.toroku_date
        ):
            fixed = person.jusho_date or person.kiroku_start
            done.append({"zaigai_no": entry.zaigai_no, "kind": "hyoji", "on": fixed})
            if not dry_run:
                entry = _append(
                    uow,
                    entry,
                    kind="hyoji",
                    reason="kokunai",
                    on=fixed,
                    today=today,
                    status="hyoji",
                    hyoji_date=fixed,
                )
        if (
            entry.status == "hyoji"
            and entry.hyoji_date is not None
            and months_passed(entry.hyoji_date, today, months=after)
        ):
            on = massho_date(entry.hyoji_date, months=after)
            done.append({"zaigai_no": entry.zaigai_no, "kind": "massho", "on": on})
            if not dry_run:
                massho(
                    uow,
                    entry.zaigai_no,
                    reason="kokunai_4m",
                    on=on,
                    today=today,
                    municipality=municipality or Municipality("", ""),
                )
    return done


def _waiting_iten(session: Session, today: dt.date) -> list[ZaigaiShinsei]:
    """出国時申請 whose applicant has left (国外転出 on or before ``today``) and is still on the roll."""
    processed = select(ZaigaiRireki.shinsei_id)
    found = []
    for shinsei in session.execute(
        select(ZaigaiShinsei)
        .where(ZaigaiShinsei.kind == "shukkokuji", ZaigaiShinsei.id.not_in(processed))
        .order_by(ZaigaiShinsei.id)
    ).scalars():
        person = session.get(Jumin, shinsei.atena_no) if shinsei.atena_no else None
        if person is None or not meibo.on_roll(meibo.current(session, person.atena_no)):
            continue
        gone = projection.removal_date(person)
        if projection.removal_kind(person) == "kokugai" and gone is not None and gone <= today:
            found.append(shinsei)
    return found


def shosho(session: Session, zaigai_no: str, *, municipality: Municipality) -> dict[str, Any]:
    """The items of the 在外選挙人証 (第30条の6第4項・第5項), for the 領事官 to hand over."""
    entry = current(session, zaigai_no)
    if entry is None or entry.status == "massho":
        raise NotFound(f"在外選挙人番号 {zaigai_no} の登録はありません")
    return {
        "title": "在外選挙人証",
        "shosho_no": entry.shosho_no,
        "zaigai_no": entry.zaigai_no,
        "name": f"{entry.shi}\u3000{entry.mei}" if entry.mei else entry.shi,
        "birth_date": entry.birth_date,
        "sex": {"1": "男", "2": "女"}.get(entry.sex, ""),
        "saishu_jusho": entry.saishu_jusho,
        "honseki": entry.honseki if not entry.saishu_jusho else None,
        "toroku_date": entry.toroku_date,
        "kind": "登録の移転（出国時申請）"
        if entry.kind == "iten" or entry.reason == "shukkokuji"
        else "登録（在外公館申請）",
        "municipality_code": municipality.code,
        "issuer": f"{municipality.name}選挙管理委員会",
        "note": "衆議院議員及び参議院議員の選挙に限り投票できます",
    }


def entry_view(row: ZaigaiRireki) -> dict[str, Any]:
    return {
        "zaigai_no": row.zaigai_no,
        "rireki_no": row.rireki_no,
        "kind": row.kind,
        "reason": row.reason,
        "reason_label": REASONS.get(row.reason, row.reason),
        "status": row.status,
        "toroku_date": row.toroku_date,
        "effective_date": row.effective_date,
        "shosho_no": row.shosho_no,
        "atena_no": row.atena_no,
        "name": f"{row.shi}\u3000{row.mei}" if row.mei else row.shi,
        "birth_date": row.birth_date,
        "sex": row.sex,
        "honseki": row.honseki,
        "saishu_jusho": row.saishu_jusho,
        "kokugai_jusho": row.kokugai_jusho,
        "hyoji_date": row.hyoji_date,
        "massho_reason": row.massho_reason,
    }
