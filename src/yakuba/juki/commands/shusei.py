"""修正: 職権修正, 軽微な修正, 誤記修正; 旧氏・通称; 個人番号・住民票コードの変更.

j850 軽微な修正 (規則第11条第3項第2号: 文字の同定, 町字名・地番の変更, 住居表示 …); j860 誤記修正: the wrong
row stays and a correcting row is appended — never an overwrite; j840: a 世帯主's new 氏名 reaches every
member's 世帯主氏名; 旧氏 (令第30条の13, 2019-11-05); 通称 (令第30条の26) only for 外国人住民.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from yakuba.errors import InputError
from yakuba.juki.base import IdoResult, IdoWriter
from yakuba.juki.commands._persons import MYNUMBER_CONTEXT
from yakuba.juki.commands._setai import refresh_head_name
from yakuba.juki.events import NameChanged, ResidentCorrected
from yakuba.juki.schemas import IdoDates
from yakuba.kernel.checkdigit import is_valid_mynumber
from yakuba.kernel.kana import validate_furigana
from yakuba.uow import UnitOfWork

ITEM_LABELS: dict[str, str] = {
    "shi": "氏",
    "mei": "名",
    "shi_kana": "氏のフリガナ",
    "mei_kana": "名のフリガナ",
    "furigana_shi": "氏の振り仮名",
    "furigana_mei": "名の振り仮名",
    "name_roman": "氏名（アルファベット）",
    "birth_date": "生年月日",
    "birth_date_text": "生年月日の不詳表記",
    "sex": "性別",
    "honseki": "本籍",
    "hittosha": "筆頭者",
    "choaza_name": "町字",
    "choaza_code": "町字コード",
    "jusho_code": "住所コード",
    "banchi": "番地",
    "katagaki": "方書",
    "postal_code": "郵便番号",
    "nationality": "国籍・地域",
    "category_30_45": "法30条の45区分",
    "zairyu_shikaku": "在留資格",
    "zairyu_kikan": "在留期間",
    "zairyu_expiry": "在留期間の満了の日",
    "zairyu_card_no": "在留カード等の番号",
    "remarks_c": "備考（統合記載欄C）",
}
KEIBI_ITEMS = frozenset(
    {"shi", "mei", "choaza_name", "choaza_code", "jusho_code", "banchi", "katagaki", "postal_code"}
)
JIYU = {"shokken": "C03", "keibi": "C02", "goki": "C04"}


class Shusei(BaseModel):
    """職権修正・軽微な修正・誤記修正."""

    atena_no: str = Field(description="宛名番号")
    kind: Literal["shokken", "keibi", "goki"] = Field(
        description="shokken 職権修正 / keibi 軽微な修正 / goki 誤記修正"
    )
    changes: dict[str, Any] = Field(min_length=1, description="修正する項目（項目名→新しい値）")
    corrects_rireki_no: int | None = Field(default=None, description="誤記修正で正す履歴番号")
    dates: IdoDates


def shusei(uow: UnitOfWork, command: Shusei, *, today: dt.date) -> IdoResult:
    unknown = set(command.changes) - set(ITEM_LABELS)
    if unknown:
        raise InputError.single("修正項目", f"修正できない項目です: {', '.join(sorted(unknown))}")
    if command.kind == "keibi" and set(command.changes) - KEIBI_ITEMS:
        raise InputError.single("修正項目", "軽微な修正は文字の同定・町字・地番・住居表示・方書に限ります")
    if command.kind == "goki" and command.corrects_rireki_no is None:
        raise InputError.single("誤記修正で正す履歴番号", "入力してください")
    dates = command.dates.model_copy(update={"shokken": True})
    writer = IdoWriter(
        uow,
        JIYU[command.kind],
        dates,
        today=today,
        details={"items": sorted(command.changes), "corrects_rireki_no": command.corrects_rireki_no},
    )
    row = writer.current(command.atena_no, active=False)
    values = dict(command.changes)
    if "birth_date" in values and isinstance(values["birth_date"], str):
        from yakuba.kernel.wareki import parse_date

        values["birth_date"] = parse_date(values["birth_date"], field="生年月日")
    for name in ("shi_kana", "mei_kana"):
        if values.get(name) and row.jumin_shubetsu == "1":
            validate_furigana(values[name], field=ITEM_LABELS[name])
    if "sex" in values and values["sex"] not in ("0", "1", "2"):
        raise InputError.single("性別", "0（不明）・1（男）・2（女）のいずれかです")
    same = [k for k, v in values.items() if getattr(row, k) == v]
    if len(same) == len(values):
        raise InputError.single("修正項目", "今の記載と同じです")
    writer.lock_setai(row.setai_no)
    note = f"履歴番号 {command.corrects_rireki_no} の誤記を修正" if command.kind == "goki" else None
    changed = writer.change(row, **values)
    if note:
        writer.ido.note_b = "\n".join(p for p in (writer.ido.note_b, note) if p)
    writer.emit(ResidentCorrected, changed, changed_items=sorted(values))
    if "shi" in values or "mei" in values:
        writer.emit(NameChanged, changed, previous_shi=row.shi, previous_mei=row.mei)
        if row.zokugara == "世帯主":
            refresh_head_name(writer, row.setai_no)
    return writer.finish()


class KyuUji(BaseModel):
    """旧氏の記載・変更・削除（請求による）."""

    atena_no: str
    action: Literal["kisai", "henko", "sakujo"] = Field(description="kisai 記載 / henko 変更 / sakujo 削除")
    kyu_uji: str | None = Field(default=None, max_length=100, description="旧氏")
    kyu_uji_kana: str | None = Field(default=None, max_length=100, description="旧氏のフリガナ")
    dates: IdoDates


def kyu_uji(uow: UnitOfWork, command: KyuUji, *, today: dt.date) -> IdoResult:
    jiyu = {"kisai": "C14", "henko": "C15", "sakujo": "C16"}[command.action]
    writer = IdoWriter(uow, jiyu, command.dates, today=today)
    row = writer.current(command.atena_no)
    if command.action == "kisai" and row.kyu_uji:
        raise InputError.single("旧氏", "既に記載されています（変更で行います）")
    if command.action in ("henko", "sakujo") and not row.kyu_uji:
        raise InputError.single("旧氏", "旧氏は記載されていません")
    if command.action != "sakujo" and not command.kyu_uji:
        raise InputError.single("旧氏", "入力してください")
    if command.kyu_uji_kana:
        validate_furigana(command.kyu_uji_kana, field="旧氏のフリガナ")
    writer.lock_setai(row.setai_no)
    value = None if command.action == "sakujo" else command.kyu_uji
    kana = None if command.action == "sakujo" else command.kyu_uji_kana
    changed = writer.change(row, kyu_uji=value, kyu_uji_kana=kana)
    writer.emit(NameChanged, changed, previous_shi=row.shi, previous_mei=row.mei)
    return writer.finish()


class Tsusho(BaseModel):
    """通称の記載・削除（外国人住民の申出による）."""

    atena_no: str
    action: Literal["kisai", "sakujo"]
    tsusho: str | None = Field(default=None, max_length=100, description="通称")
    tsusho_kana: str | None = Field(default=None, max_length=100, description="通称のフリガナ")
    dates: IdoDates


def tsusho(uow: UnitOfWork, command: Tsusho, *, today: dt.date) -> IdoResult:
    writer = IdoWriter(uow, "C17" if command.action == "kisai" else "C18", command.dates, today=today)
    row = writer.current(command.atena_no)
    if row.jumin_shubetsu != "2":
        raise InputError.single(
            "通称", "通称は外国人住民だけが記載できます（住民基本台帳法施行令第30条の26）"
        )
    if command.action == "kisai" and not command.tsusho:
        raise InputError.single("通称", "入力してください")
    if command.action == "sakujo" and not row.tsusho:
        raise InputError.single("通称", "通称は記載されていません")
    writer.lock_setai(row.setai_no)
    history = list((row.extra or {}).get("tsusho_history", []))
    history.append(
        {
            "action": command.action,
            "tsusho": command.tsusho or row.tsusho,
            "date": str(command.dates.ido_date),
        }
    )
    changed = writer.change(
        row,
        tsusho=command.tsusho if command.action == "kisai" else None,
        tsusho_kana=command.tsusho_kana if command.action == "kisai" else None,
        extra={**(row.extra or {}), "tsusho_history": history},
    )
    writer.emit(NameChanged, changed, previous_shi=row.shi, previous_mei=row.mei)
    return writer.finish()


class NumberChange(BaseModel):
    """個人番号・住民票コードの変更."""

    atena_no: str
    item: Literal["mynumber", "jumin_code"] = Field(description="mynumber 個人番号 / jumin_code 住民票コード")
    reason: Literal["seikyu", "shokken_shusei", "shokken_kisai"] = Field(
        description="seikyu 本人の請求 / shokken_shusei 職権修正 / shokken_kisai 職権記載"
    )
    value: str = Field(description="新しい番号")
    dates: IdoDates


def number_change(uow: UnitOfWork, command: NumberChange, *, today: dt.date) -> IdoResult:
    if command.item == "mynumber":
        jiyu = {"seikyu": "C05", "shokken_shusei": "C06", "shokken_kisai": "C07"}[command.reason]
        if not is_valid_mynumber(command.value):
            raise InputError.single("個人番号", "検査用数字が正しくありません")
    else:
        jiyu = {"seikyu": "C08", "shokken_shusei": "C09", "shokken_kisai": "C09"}[command.reason]
        if len(command.value) != 11 or not command.value.isdigit():
            raise InputError.single("住民票コード", "11桁の数字です")
    writer = IdoWriter(uow, jiyu, command.dates, today=today)
    row = writer.current(command.atena_no)
    writer.lock_setai(row.setai_no)
    if command.item == "mynumber":
        cipher = uow.field_cipher
        changed = writer.change(
            row,
            mynumber_enc=cipher.encrypt(command.value, context=MYNUMBER_CONTEXT),
            mynumber_bidx=cipher.blind_index(command.value, context=MYNUMBER_CONTEXT),
        )
    else:
        changed = writer.change(row, jumin_code=command.value)
    writer.emit(ResidentCorrected, changed, changed_items=[command.item])
    return writer.finish()
