"""Turning entered person items into a snapshot state, and the checks every new record gets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import InputError
from yakuba.juki.history import ACTIVE_STATES
from yakuba.juki.models import Jumin, Rireki
from yakuba.juki.schemas import PersonInput
from yakuba.juki.zokugara import validate_zokugara
from yakuba.kernel import clock
from yakuba.kernel.checkdigit import is_valid_jumin_code, is_valid_mynumber
from yakuba.kernel.fuzzy_date import parse_recorded_date
from yakuba.kernel.kana import validate_furigana
from yakuba.security.crypto import FieldCipher

MYNUMBER_CONTEXT = "juki_rireki.mynumber"


def label(index: int, total: int) -> str:
    return f"{index + 1}人目の" if total > 1 else ""


def person_state(cipher: FieldCipher, person: PersonInput, *, where: str = "") -> dict[str, Any]:
    """The 住民票 items of a new record. Foreign residents get no 振り仮名 and no 本籍 (法30条の45)."""
    if person.mynumber is not None and not is_valid_mynumber(person.mynumber):
        raise InputError.single(f"{where}個人番号", "検査用数字が正しくありません")
    is_foreign = person.nationality is not None
    if is_foreign and not person.category_30_45:
        raise InputError.single(
            f"{where}法30条の45に規定する区分", "外国人住民は区分（中長期在留者など）が必要です"
        )
    if not is_foreign and person.tsusho:
        raise InputError.single(f"{where}通称", "通称は外国人住民だけが記載できます")
    for name, value in (("氏のフリガナ", person.shi_kana), ("名のフリガナ", person.mei_kana)):
        if value and not is_foreign:
            validate_furigana(value, field=f"{where}{name}")
    zokugara = validate_zokugara(person.zokugara, field=f"{where}続柄")
    if person.birth_date is None and not person.birth_date_text:
        # j60: 生年月日 must not be blank (a 不詳日 keeps its text; a みなし生年月日 is forbidden, j90).
        raise InputError.single(f"{where}生年月日", "入力してください（不詳の場合は不詳表記を入力）")
    if person.birth_date_text:
        recorded = parse_recorded_date(person.birth_date_text, field=f"{where}生年月日")
        if (
            person.birth_date is not None
            and recorded.value is not None
            and recorded.value != person.birth_date
        ):
            raise InputError.single(f"{where}生年月日", "不詳表記と日付が一致しません")
    if not is_foreign and not person.honseki:
        # j60/j120: 本籍 must not be blank; 「なし」「不明」 are allowed values.
        raise InputError.single(
            f"{where}本籍", "入力してください（本籍がない・分からない場合は「なし」「不明」）"
        )
    if person.jumin_code and not is_valid_jumin_code(
        person.jumin_code, validator=params.get("juki.jumin_code_validator", on=clock.today())
    ):
        raise InputError.single(f"{where}住民票コード", "検査用数字が正しくありません")
    mynumber = person.mynumber
    return {
        "jumin_shubetsu": "2" if is_foreign else "1",
        "shi": person.shi,
        "mei": person.mei,
        "shi_kana": None if is_foreign else person.shi_kana,
        "mei_kana": None if is_foreign else person.mei_kana,
        "furigana_shi": None if is_foreign else person.furigana_shi,
        "furigana_mei": None if is_foreign else person.furigana_mei,
        "name_roman": person.name_roman,
        "kyu_uji": person.kyu_uji,
        "kyu_uji_kana": person.kyu_uji_kana,
        "tsusho": person.tsusho if is_foreign else None,
        "tsusho_kana": person.tsusho_kana if is_foreign else None,
        "birth_date": person.birth_date,
        "birth_date_text": person.birth_date_text,
        "sex": person.sex,
        "zokugara": zokugara,
        "honseki": None if is_foreign else person.honseki,
        "hittosha": None if is_foreign else person.hittosha,
        "mynumber_enc": cipher.encrypt(mynumber, context=MYNUMBER_CONTEXT) if mynumber else None,
        "mynumber_bidx": cipher.blind_index(mynumber, context=MYNUMBER_CONTEXT) if mynumber else None,
        "jumin_code": person.jumin_code,
        "nationality": person.nationality,
        "category_30_45": person.category_30_45,
        "zairyu_shikaku": person.zairyu_shikaku,
        "zairyu_kikan": person.zairyu_kikan,
        "zairyu_expiry": person.zairyu_expiry,
        "zairyu_card_no": person.zairyu_card_no,
        "linked_items": {},
        "extra": {},
    }


def _current_rows(session: Session) -> Any:
    return select(Rireki, Jumin.jumin_jotai).join(
        Jumin, and_(Jumin.atena_no == Rireki.atena_no, Jumin.current_rireki_no == Rireki.rireki_no)
    )


def find_returning(session: Session, state: dict[str, Any], *, where: str) -> tuple[str | None, list[str]]:
    """再転入 (j600): an identical 個人番号 / 住民票コード / 在留カード番号 on a 除票 ⇒ that 宛名番号.

    The same numbers on a current resident ⇒ refused (二重登録). Only 氏名・性別・生年月日 matching a
    除票 ⇒ an alert to confirm. Returns (宛名番号 to reuse or None, alerts).
    """
    conditions = []
    if state.get("mynumber_bidx"):
        conditions.append(Rireki.mynumber_bidx == state["mynumber_bidx"])
    if state.get("jumin_code"):
        conditions.append(Rireki.jumin_code == state["jumin_code"])
    if state.get("zairyu_card_no"):
        conditions.append(Rireki.zairyu_card_no == state["zairyu_card_no"])
    for condition in conditions:
        found = session.execute(_current_rows(session).where(condition).limit(1)).first()
        if found is None:
            continue
        row, jotai = found
        if jotai in ACTIVE_STATES:
            raise InputError.single(
                f"{where}個人番号・住民票コード・在留カード番号",
                f"既に住民として記録されています（宛名番号 {row.atena_no}）。新たな記載はできません",
            )
        return row.atena_no, []
    alerts = []
    if state.get("birth_date") is not None:
        same = session.execute(
            _current_rows(session).where(
                Rireki.shi == state["shi"],
                Rireki.mei == state["mei"],
                Rireki.sex == state["sex"],
                Rireki.birth_date == state["birth_date"],
            )
        ).all()
        for row, jotai in same:
            where_text = "除票" if jotai not in ACTIVE_STATES else "住民"
            alerts.append(
                f"{where}氏名・性別・生年月日が一致する{where_text}があります（宛名番号 {row.atena_no}）。"
                "同一人であれば番号を確認して再転入として処理してください"
            )
    return None, alerts
