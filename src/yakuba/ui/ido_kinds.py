"""One builder per 異動 screen: the submitted form → the same command object the API accepts.

The screens call ``yakuba.juki.service`` with these commands, so every rule of the 異動 engine (and
its Japanese message) applies unchanged; the builders only read the form (和暦 dates included) and
always ask for a 仮登録, which becomes part of the register at 本登録 (決裁).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from yakuba.juki import public as juki
from yakuba.juki.public import ITEM_LABELS, IdoResult, Tennyu
from yakuba.ui.common import input_error
from yakuba.ui.form_reader import FormReader
from yakuba.uow import UnitOfWork

Handler = Callable[..., IdoResult]

# Pydantic paths → the labels on the screen, for errors the builders leave to the model.
NAMES = {
    "shi": "氏", "mei": "名", "shi_kana": "氏のフリガナ", "mei_kana": "名のフリガナ", "sex": "性別",
    "zokugara": "続柄", "postal_code": "郵便番号", "choaza_code": "町字コード", "choaza_name": "町字",
    "banchi": "番地", "katagaki": "方書", "jumin_code": "住民票コード",
    "zairyu_card_no": "在留カード等の番号",
    "prev_address": "転入前住所", "prev_postal_code": "転入前住所の郵便番号", "destination": "転出先住所",
    "destination_postal_code": "転出先の郵便番号", "atena_nos": "対象者", "persons": "記載する人",
    "changes": "修正項目", "note_b": "留意事項", "honseki": "本籍", "hittosha": "筆頭者",
}  # fmt: skip
TENNYU_KINDS = {"kokunai": "国内転入", "kokugai": "国外転入", "30jo46": "法30条の46", "shokken": "職権記載"}
SETAI_KINDS = {"bunri": "世帯分離", "gappei": "世帯合併", "henko": "世帯変更", "nushi_henko": "世帯主変更"}
SHOJO_REASONS = {
    "shibo": "死亡",
    "shisso": "失踪宣告",
    "jittai": "実態調査による職権消除",
    "shokken": "その他の職権消除",
}
SHUSEI_KINDS = {"shokken": "職権修正", "keibi": "軽微な修正", "goki": "誤記修正"}
SEX = {"1": "男", "2": "女", "0": "不明"}
SHUSEI_ROWS = 3
MAX_PERSONS = 9
DATE_ITEMS = frozenset({"birth_date", "zairyu_expiry"})


@dataclass(frozen=True)
class Screen:
    """A 異動 screen: its title, the label of its 異動日, and whether it starts from a resident."""

    title: str
    ido_label: str
    needs_person: bool


SCREENS: dict[str, Screen] = {
    "tennyu": Screen("転入届", "異動日（転入した日）", False),
    "shussei": Screen("出生届", "出生日", True),
    "tenkyo": Screen("転居届", "異動日（転居した日）", True),
    "tenshutsu": Screen("転出届", "転出予定日", True),
    "setai-henko": Screen("世帯変更届", "異動日", True),
    "shibo": Screen("死亡・職権消除", "死亡日・消除の日", True),
    "shusei": Screen("職権修正", "異動日（修正の日）", True),
}


@dataclass
class Draft:
    """A read form: the command, the service function that runs it, and what to show for confirmation."""

    command: BaseModel
    handler: Handler
    summary: list[tuple[str, str]]

    def run(self, uow: UnitOfWork, *, today: dt.date, confirm_alerts: bool) -> IdoResult:
        dates = getattr(self.command, "dates")  # noqa: B009 — every 異動 command has dates
        command = self.command.model_copy(
            update={"dates": dates.model_copy(update={"confirm_alerts": confirm_alerts})}
        )
        return self.handler(uow, command, today=today)


def _dates(r: FormReader, kind: str, *, shokken: bool | None = None) -> dict[str, Any]:
    label = SCREENS[kind].ido_label.split("（")[0]  # 「異動日」: the API's word in messages
    is_shokken = r.flag("shokken", "職権") if shokken is None else shokken
    versions = {
        key.removeprefix("version-"): int(value)
        for key, value in r.form.items()
        if key.startswith("version-") and isinstance(value, str) and value.isdigit()
    }
    return {
        "ido_date": r.date("ido_date", label, required=True),
        "todoke_date": r.date("todoke_date", "届出日", required=not is_shokken),
        "shokken": is_shokken,
        "provisional": True,
        "note_b": r.text("note_b", "留意事項"),
        "expected_setai_versions": versions or None,
    }


def _address(r: FormReader) -> dict[str, Any]:
    return {
        "postal_code": r.text("postal_code", "郵便番号"),
        "choaza_code": r.text("choaza_code", "町字コード"),
        "choaza_name": r.text("choaza_name", "町字", required=True),
        "banchi": r.text("banchi", "番地", required=True),
        "katagaki": r.text("katagaki", "方書"),
    }


def _person(r: FormReader, i: int, total: int, *, birth: dt.date | None = None) -> dict[str, Any]:
    p = f"p{i}-"
    head = f"{i + 1}人目の" if total > 1 else ""
    foreign = r.raw(p + "nationality") != ""
    values: dict[str, Any] = {
        "shi": r.text(p + "shi", head + "氏", required=True),
        "mei": r.text(p + "mei", head + "名") or "",
        "shi_kana": r.text(p + "shi_kana", head + "氏のフリガナ"),
        "mei_kana": r.text(p + "mei_kana", head + "名のフリガナ"),
        "birth_date": birth
        if birth is not None
        else r.date(p + "birth_date", head + "生年月日", required=True, seireki=foreign),
        "sex": r.choice(p + "sex", head + "性別", SEX),
        "zokugara": r.text(p + "zokugara", head + "続柄", required=True),
        "honseki": r.text(p + "honseki", head + "本籍"),
        "hittosha": r.text(p + "hittosha", head + "筆頭者"),
    }
    if foreign:
        values.update(
            nationality=r.text(p + "nationality", head + "国籍・地域"),
            name_roman=r.text(p + "name_roman", head + "氏名（アルファベット）"),
            category_30_45=r.text(p + "category_30_45", head + "法30条の45に規定する区分"),
            zairyu_shikaku=r.text(p + "zairyu_shikaku", head + "在留資格"),
            zairyu_kikan=r.text(p + "zairyu_kikan", head + "在留期間"),
            zairyu_expiry=r.date(p + "zairyu_expiry", head + "在留期間の満了の日", seireki=True),
            zairyu_card_no=r.text(p + "zairyu_card_no", head + "在留カード等の番号"),
        )
    return values


def _zokugara(r: FormReader, atena_nos: list[str]) -> dict[str, str]:
    found = {}
    for a in atena_nos:
        value = r.text(f"zokugara-{a}", f"宛名番号 {a} の続柄")
        if value:
            found[a] = value
    return found


def _tennyu(r: FormReader) -> tuple[BaseModel, Handler]:
    kind = r.choice("kind", "届出の種類", TENNYU_KINDS, default="kokunai")
    join = r.text("join_setai_no", "入る世帯の世帯番号")
    indices = [i for i in range(MAX_PERSONS) if f"p{i}-shi" in r.form]
    persons = [_person(r, i, len(indices)) for i in indices]
    body = {
        "kind": kind,
        "persons": persons,
        "address": None if join else _address(r),
        "join_setai_no": join,
        "prev_address": r.text("prev_address", "転入前住所"),
        "prev_postal_code": r.text("prev_postal_code", "転入前住所の郵便番号"),
        "tokurei": r.flag("tokurei", "特例転入"),
        "dates": _dates(r, "tennyu"),
    }
    return _model(r, Tennyu, body), juki.tennyu


def _shussei(r: FormReader) -> tuple[BaseModel, Handler]:
    dates = _dates(r, "shussei")
    join = r.text("join_setai_no", "入る世帯の世帯番号", required=True)
    person = _person(r, 0, 1, birth=dates["ido_date"] or dt.date.min)
    body = {"kind": "shussei", "persons": [person], "join_setai_no": join, "dates": dates}
    return _model(r, Tennyu, body), juki.tennyu


def _tenkyo(r: FormReader) -> tuple[BaseModel, Handler]:
    movers = r.many("atena_nos")
    dates = _dates(r, "tenkyo")
    if not movers:
        r.problem("転居する人", "1人以上選んでください")
    r.note("転居する人", f"{len(movers)}人")
    body = {
        "atena_nos": movers,
        "address": _address(r),
        "join_setai_no": r.text("join_setai_no", "転居先で入る世帯の世帯番号"),
        "new_head": r.text("new_head", "新しい世帯の世帯主"),
        "zokugara": _zokugara(r, movers),
        "dates": dates,
    }
    return _model(r, juki.Tenkyo, body), juki.tenkyo


def _tenshutsu(r: FormReader) -> tuple[BaseModel, Handler]:
    movers = r.many("atena_nos")
    dates = _dates(r, "tenshutsu")
    if not movers:
        r.problem("転出する人", "1人以上選んでください")
    r.note("転出する人", f"{len(movers)}人")
    body = {
        "atena_nos": movers,
        "destination": r.text("destination", "転出先住所", required=True),
        "destination_postal_code": r.text("destination_postal_code", "転出先の郵便番号"),
        "kokugai": r.flag("kokugai", "国外転出"),
        "tokurei": r.flag("tokurei", "特例転出"),
        "dates": dates,
    }
    return _model(r, juki.Tenshutsu, body), juki.tenshutsu


def _setai_henko(r: FormReader) -> tuple[BaseModel, Handler]:
    kind = r.choice("kind", "届出の種類", SETAI_KINDS)
    members = r.many("atena_nos")
    body = {
        "kind": kind,
        "setai_no": r.text("setai_no", "世帯番号", required=True),
        "atena_nos": members,
        "target_setai_no": r.text("target_setai_no", "入る世帯の世帯番号"),
        "new_head": r.text("new_head", "世帯主"),
        "zokugara": _zokugara(r, r.many("member_nos")),
        "dates": _dates(r, "setai-henko"),
    }
    return _model(r, juki.SetaiHenko, body), juki.setai_henko


def _shibo(r: FormReader) -> tuple[BaseModel, Handler]:
    reason = r.choice("reason", "事由", SHOJO_REASONS, default="shibo")
    body = {
        "atena_no": r.text("atena_no", "宛名番号", required=True, show=False),
        "reason": reason,
        "dates": _dates(r, "shibo", shokken=None if reason == "shibo" else True),
    }
    return _model(r, juki.Shojo, body), juki.shojo


def _shusei(r: FormReader) -> tuple[BaseModel, Handler]:
    kind = r.choice("kind", "修正の種類", SHUSEI_KINDS, default="shokken")
    changes: dict[str, Any] = {}
    for i in range(SHUSEI_ROWS):
        item = r.raw(f"item-{i}")
        if not item:
            continue
        label = ITEM_LABELS.get(item, item)
        if item in DATE_ITEMS:
            value: Any = r.date(f"value-{i}", label, seireki=item == "zairyu_expiry")
        else:
            value = r.text(f"value-{i}", label)
        changes[item] = value
    if not changes:
        r.problem("修正項目", "修正する項目を1つ以上選んでください")
    rireki = r.raw("corrects_rireki_no")
    if rireki and not rireki.isdigit():
        r.problem("誤記修正で正す履歴番号", "数字で入力してください")
    body = {
        "atena_no": r.text("atena_no", "宛名番号", required=True, show=False),
        "kind": kind,
        "changes": changes,
        "corrects_rireki_no": int(rireki) if rireki.isdigit() else None,
        "dates": _dates(r, "shusei", shokken=True),
    }
    return _model(r, juki.Shusei, body), juki.shusei


def _model(r: FormReader, model: type[BaseModel], body: dict[str, Any]) -> BaseModel:
    r.check()
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise input_error(exc, NAMES) from None


BUILDERS: dict[str, Callable[[FormReader], tuple[BaseModel, Handler]]] = {
    "tennyu": _tennyu,
    "shussei": _shussei,
    "tenkyo": _tenkyo,
    "tenshutsu": _tenshutsu,
    "setai-henko": _setai_henko,
    "shibo": _shibo,
    "shusei": _shusei,
}


def build(kind: str, reader: FormReader) -> Draft:
    """The command for screen ``kind``; raises InputError listing every problem of the form."""
    command, handler = BUILDERS[kind](reader)
    return Draft(command=command, handler=handler, summary=reader.summary)
