"""住民記録 commands. They validate, append history and record events; they never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, Field

from yakuba import params
from yakuba.errors import InputError
from yakuba.juki.events import ResidentRegistered
from yakuba.juki.history import State, append_snapshot
from yakuba.juki.models import Ido
from yakuba.juki.numbering import next_atena_no, next_setai_no
from yakuba.kernel.checkdigit import is_valid_mynumber
from yakuba.uow import UnitOfWork

MYNUMBER_CONTEXT = "juki_rireki.mynumber"


class PersonInput(BaseModel):
    """住民票 items of one person as entered (or migrated)."""

    shi: str = Field(min_length=1, max_length=100, description="氏")
    mei: str = Field(default="", max_length=100, description="名")
    shi_kana: str | None = Field(default=None, description="氏のフリガナ（カタカナ）")
    mei_kana: str | None = None
    name_roman: str | None = Field(default=None, description="外国人住民の氏名（アルファベット）")
    kyu_uji: str | None = None
    tsusho: str | None = None
    birth_date: dt.date | None = Field(description="生年月日")
    birth_date_text: str | None = None
    sex: str = Field(pattern="^[012]$", description="性別 0 不明 / 1 男 / 2 女")
    zokugara: str = Field(description="続柄")
    honseki: str | None = None
    hittosha: str | None = None
    mynumber: str | None = Field(default=None, description="個人番号（12桁）")
    jumin_code: str | None = None
    nationality: str | None = None
    category_30_45: str | None = None
    zairyu_shikaku: str | None = None
    zairyu_kikan: str | None = None
    zairyu_expiry: dt.date | None = None
    zairyu_card_no: str | None = None


class AddressInput(BaseModel):
    jusho_code: str | None = Field(default=None, pattern=r"^\d{11}$", description="住所コード（11桁）")
    choaza_code: str | None = Field(default=None, pattern=r"^\d{7}$")
    choaza_name: str
    banchi: str
    katagaki: str | None = None
    postal_code: str | None = Field(default=None, pattern=r"^\d{7}$")


@dataclass(frozen=True)
class Registered:
    ido_id: int
    setai_no: str
    atena_nos: list[str]


def _person_state(uow: UnitOfWork, person: PersonInput, index: int) -> State:
    where = f"{index + 1}人目の" if index else ""
    if person.mynumber is not None and not is_valid_mynumber(person.mynumber):
        raise InputError.single(f"{where}個人番号", "検査用数字が正しくありません")
    is_foreign = person.nationality is not None
    cipher = uow.field_cipher
    return {
        "jumin_shubetsu": "2" if is_foreign else "1",
        "shi": person.shi,
        "mei": person.mei,
        "shi_kana": None if is_foreign else person.shi_kana,
        "mei_kana": None if is_foreign else person.mei_kana,
        "name_roman": person.name_roman,
        "kyu_uji": person.kyu_uji,
        "tsusho": person.tsusho,
        "birth_date": person.birth_date,
        "birth_date_text": person.birth_date_text,
        "sex": person.sex,
        "zokugara": person.zokugara,
        "honseki": None if is_foreign else person.honseki,
        "hittosha": None if is_foreign else person.hittosha,
        "mynumber_enc": cipher.encrypt(person.mynumber, context=MYNUMBER_CONTEXT)
        if person.mynumber
        else None,
        "mynumber_bidx": cipher.blind_index(person.mynumber, context=MYNUMBER_CONTEXT)
        if person.mynumber
        else None,
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


def _check_dates(ido_date: dt.date, todoke_date: dt.date, today: dt.date) -> None:
    # 住民記録システム標準仕様書 j530/j570: 異動日 ≤ 処理日（転出を除く）, 届出日 ≤ 処理日.
    if ido_date > today:
        raise InputError.single("異動日", "未来の日付は指定できません")
    if todoke_date > today:
        raise InputError.single("届出日", "未来の日付は指定できません")


def register_household(
    uow: UnitOfWork,
    *,
    jiyu_code: str,
    persons: list[PersonInput],
    address: AddressInput,
    ido_date: dt.date,
    todoke_date: dt.date,
    prev_address: str | None = None,
    today: dt.date | None = None,
) -> Registered:
    """Record a new 世帯 (国内転入 A01 / 国外転入 A02 / 出生 A03 / 職権記載 A06): one 異動, one row each."""
    today = today or dt.date.today()
    _check_dates(ido_date, todoke_date, today)
    jiyu = params.get("juki.ido_jiyu", on=today)
    if jiyu_code not in jiyu or jiyu[jiyu_code]["kind"] != "kisai":
        raise InputError.single("異動事由", f"{jiyu_code} は記載の事由ではありません")
    if sum(1 for p in persons if p.zokugara == "世帯主") != 1:
        raise InputError.single("続柄", "世帯主はちょうど1人必要です")
    session = uow.session
    # The 届出期間 of the law in force when the move happened; none before 住民基本台帳法 existed.
    deadline = params.in_force("juki.todokede_kikan_days", on=ido_date)
    ido = Ido(
        jiyu_code=jiyu_code,
        ido_date=ido_date,
        todoke_date=todoke_date,
        shori_date=today,
        operator=uow.actor.login,
        terminal=uow.actor.terminal,
        status="hon",
        late_notification=deadline is not None and (todoke_date - ido_date).days > deadline,
        details={},
    )
    session.add(ido)
    session.flush()
    setai_no = next_setai_no(session, on=today)
    head = next(p for p in persons if p.zokugara == "世帯主")
    head_name = f"{head.shi}\u3000{head.mei}" if head.mei else head.shi
    atena_nos: list[str] = []
    for index, person in enumerate(persons):
        state = _person_state(uow, person, index)
        atena_no = next_atena_no(session, on=today)
        is_birth = jiyu_code == "A03" or (person.birth_date == ido_date and prev_address is None)
        state.update(
            setai_no=setai_no,
            jumin_jotai="01",
            setainushi_name=None if person is head else head_name,
            jumin_date=ido_date,
            jusho_date=ido_date,
            todoke_date=todoke_date,
            prev_address=None if is_birth else prev_address,
            sort_order=index + 1,
            gaikokujin_date=ido_date if person.nationality else None,
            **address.model_dump(),
        )
        row = append_snapshot(session, ido, atena_no, state, effective_date=ido_date)
        atena_nos.append(atena_no)
        uow.record(
            ResidentRegistered(
                ido_id=ido.id,
                jiyu_code=jiyu_code,
                atena_no=atena_no,
                setai_no=setai_no,
                ido_date=ido_date,
                todoke_date=todoke_date,
                jumin_shubetsu=row.jumin_shubetsu,
                birth_date=row.birth_date,
                honseki=row.honseki,
                jusho_code=row.jusho_code,
                choaza_code=row.choaza_code,
            )
        )
    return Registered(ido_id=ido.id, setai_no=setai_no, atena_nos=atena_nos)
